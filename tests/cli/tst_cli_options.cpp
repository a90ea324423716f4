// Every numeric and choice option of every `uae` subcommand refuses what its field table does not
// allow, before anything runs: exit status 2, a message naming the option and what it allows, and
// no workspace written. Rows come from core's tables (a new option is covered without editing
// this file), plus the cases of issue #11 written out.
#include "uae/job_answer.h"
#include "uae/job_eval.h"
#include "uae/job_index.h"
#include "uae/job_label.h"
#include "uae/job_train.h"
#include "uae/report.h"
#include "uae/teacher_diagnostics.h"
#include "uae/tool_configs.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <charconv>

using namespace uae;

namespace {

std::string shortest(double v) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, end);
}

struct Command {
    QStringList prefix; // the subcommand and the positionals it needs
    std::vector<FieldSpec> specs;
};

template <class C> std::vector<FieldSpec> specsOf() {
    std::vector<FieldSpec> out;
    for (const auto& f : C::fieldTable())
        out.push_back(f.spec);
    return out;
}

std::vector<Command> commands() {
    std::vector<Command> out{{{"eval"}, specsOf<EvalJobConfig>()},
                             {{"label"}, specsOf<LabelJobConfig>()},
                             {{"train"}, specsOf<TrainConfig>()},
                             {{"answer", "1"}, specsOf<AnswerJobConfig>()},
                             {{"tokenize"}, specsOf<ModelToolConfig>()},
                             {{"generate"}, specsOf<ModelToolConfig>()},
                             {{"embed"}, specsOf<ModelToolConfig>()},
                             {{"diagnose", "1"}, specsOf<DiagnoseConfig>()},
                             {{"index", "build"}, specsOf<IndexBuildConfig>()}};
#ifdef UAE_CLI_HAS_REPORT // uae report is built with the GUI
    out.push_back({{"report", "1", "2"}, specsOf<ReportConfig>()});
#endif
    return out;
}

// Values an option must refuse, from its spec ("what" names the case).
std::vector<std::pair<QString, QString>> badValues(const FieldSpec& s) {
    auto integer = [](double v) { return QString::number(static_cast<qlonglong>(v)); };
    auto real = [](double v) { return QString::fromStdString(shortest(v)); };
    switch (s.type) {
    case FieldType::Integer:
        return {{"not a number", "abc"},
                {"below min", integer(s.min - 1)},
                {"above max", integer(s.max + 1)},
                {"fraction", "1.5"}};
    case FieldType::Real:
        return {{"not a number", "abc"},
                s.minExclusive ? std::pair{QString("at exclusive min"), real(s.min)}
                               : std::pair{QString("below min"), real(s.min - 1)},
                {"above max", real(s.max + 1)}};
    case FieldType::Choice:
        return {{"unknown name", "no-such-choice"}};
    case FieldType::Text: {
        std::vector<std::pair<QString, QString>> out;
        if (s.check)
            out.push_back({"unknown name", "no-such-thing"});
        if (s.required)
            out.push_back({"empty", ""});
        return out;
    }
    case FieldType::Flag:
        return {};
    }
    return {};
}

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

} // namespace

class TestCliOptions : public QObject {
    Q_OBJECT
    QString m_uae = QStringLiteral(UAE_CLI);

    struct Ran {
        int code = -1;
        QString out, err;
    };

    // Runs uae in `root`/cwd with its workspace default in `root`/ws and HOME in `root`/home.
    Ran run(const QString& root, const QStringList& args) {
        for (const char* sub : {"cwd", "ws", "home"})
            QDir(root).mkpath(sub);
        QProcess p;
        p.setWorkingDirectory(root + "/cwd");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("UAE_WORKSPACE", root + "/ws/ws.db");
        env.insert("HOME", root + "/home");
        env.insert("XDG_CACHE_HOME", root + "/home/.cache");
        env.insert("OMP_WAIT_POLICY", "PASSIVE");
        env.remove("UAE_QASPER_DIR");
        p.setProcessEnvironment(env);
        p.start(m_uae, args);
        if (!p.waitForFinished(120000))
            qWarning("uae %s did not finish", qPrintable(args.join(' ')));
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    void addRow(const QString& name, const QStringList& args, const QStringList& mustContain) {
        QTest::newRow(qPrintable(name)) << args << mustContain;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo(m_uae).isExecutable(), qPrintable(m_uae)); }

    // The harness itself: a valid command runs, and writes its workspace where UAE_WORKSPACE
    // says (so "nothing written" below means something).
    void validCommandRunsAndWritesItsWorkspace() {
        QTemporaryDir dir;
        const Ran r = run(dir.path(), {"eval", "--data", UAE_TEST_DATA_DIR "/qasper", "--split", "fixture", "--limit",
                                       "1", "--quiet", "--threads", "1"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(QFileInfo::exists(dir.path() + "/ws/ws.db"));
        QVERIFY2(entries(dir.path() + "/cwd").isEmpty(), qPrintable(entries(dir.path() + "/cwd").join(", ")));
    }

    void badOptionIsRefused_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mustContain");
        // From the tables: every option of every subcommand that takes a number, a name or a
        // checked text.
        for (const auto& c : commands())
            for (const auto& s : c.specs) {
                if (s.option.empty())
                    continue;
                const QString option = QString::fromStdString("--" + s.option);
                for (const auto& [what, value] : badValues(s))
                    addRow(c.prefix.join(' ') + " " + option + " " + what, c.prefix + QStringList{option, value},
                           {option + ": ", "allowed"});
            }
        // The root's options, before and after the subcommand.
        for (const auto& s : specsOf<ProcessConfig>()) {
            const QString option = QString::fromStdString("--" + s.option);
            for (const auto& [what, value] : badValues(s)) {
                addRow("uae " + option + " " + what + " eval", {option, value, "eval"}, {option + ": ", "allowed"});
                addRow("eval " + option + " " + what, {"eval", option, value}, {option + ": ", "allowed"});
            }
        }
        // Issue #11's cases as written there.
        auto issue = [&](const QStringList& args, const QString& option) {
            addRow("issue: " + args.join(' '), args, {option + ": ", "allowed"});
        };
        issue({"train", "--tau-t", "0"}, "--tau-t");
        issue({"train", "--batch", "0"}, "--batch");
        // uae import-run: its run name must be one token (it becomes method trec:NAME).
        addRow("import-run --name with a space", {"import-run", "--trec", "x.trec", "--name", "two words"},
               {"--name: ", "allowed"});
        addRow("import-run --pool unknown", {"import-run", "--trec", "x.trec", "--pool", "both"},
               {"--pool: ", "allowed"});
        addRow("import-run --trec empty", {"import-run", "--trec", ""}, {"--trec: ", "allowed"});
        issue({"train", "--lr", "-1"}, "--lr");
        issue({"train", "--epochs", "ten"}, "--epochs");
        issue({"train", "--epochs", "-3"}, "--epochs");
        issue({"train", "--epochs", "0"}, "--epochs");
        issue({"train", "--tau-s", "-1"}, "--tau-s");
        issue({"eval", "--threads", "-2"}, "--threads");
        issue({"eval", "--threads", "100000"}, "--threads");
        issue({"eval", "--rerank-k", "0"}, "--rerank-k");
        issue({"answer", "1", "--k", "-1"}, "--k");
        issue({"answer", "1", "--max-new-tokens", "-1"}, "--max-new-tokens");
        issue({"train", "--resume", "abc"}, "--resume");
        issue({"eval", "--limit", "abc"}, "--limit");
        issue({"generate", "--max-new-tokens", "abc"}, "--max-new-tokens");
        issue({"eval", "--dtype", "float64"}, "--dtype");
        issue({"eval", "--device", "gpu"}, "--device");
        // Errors of CLI11's own: an option without its value, an unknown option.
        // An option's name is no value: without this, "--workspace --workspace" made a workspace
        // file named "--workspace", and "--split --quiet" looked for a split "--quiet".
        const QStringList optionAsValue{"--workspace: '--workspace' is an option, not a value"};
        addRow("issue: eval --workspace --workspace X", {"eval", "--workspace", "--workspace", "X"}, optionAsValue);
        addRow("eval --workspace --workspace", {"eval", "--workspace", "--workspace"}, optionAsValue);
        addRow("uae --workspace --workspace runs", {"--workspace", "--workspace", "runs"}, optionAsValue);
        addRow("eval --split --quiet", {"eval", "--split", "--quiet", "--limit", "1"},
               {"--split: '--quiet' is an option, not a value"});
        addRow("train --data --epochs 1", {"train", "--data", "--epochs", "1"},
               {"--data: '--epochs' is an option, not a value"});
        addRow("eval --limit (no value)", {"eval", "--limit"}, {"--limit"});
        addRow("train --no-such-option 1", {"train", "--no-such-option", "1"}, {"--no-such-option"});
    }
    void badOptionIsRefused() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mustContain);
        QTemporaryDir dir;
        const Ran r = run(dir.path(), args);
        // Refused before anything ran: no workspace, nothing in the working directory or home
        // (a value taken as a path, "--workspace" or "X", would show up there).
        for (const char* sub : {"/cwd", "/ws", "/home"})
            QVERIFY2(entries(dir.path() + sub).isEmpty(),
                     qPrintable(QString("%1: %2").arg(sub, entries(dir.path() + sub).join(", "))));
        QVERIFY2(r.code == 2, qPrintable(QString("exit %1, stderr: %2").arg(r.code).arg(r.err)));
        for (const auto& text : mustContain)
            QVERIFY2(r.err.contains(text), qPrintable(QString("'%1' not in stderr: %2").arg(text, r.err)));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "tst_cli_options.moc"
