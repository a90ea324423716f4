// The CLI and the GUI produce identical stored configs for the same settings: `uae train` and the
// training dashboard's Train button, on the fixture split with the same model folder (GloVe, or
// the tiny BERT), store training runs whose configuration JSON is equal, key for key (issue #11).
#include "job_runner.h"
#include "training_dashboard.h"
#include "workbench_session.h"
#include "uae/store.h"

#include <QDir>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "tiny_glove.h"

using namespace uae;
using namespace uae::ui;
using nlohmann::json;

namespace {

// The configuration of the one training run in a workspace.
Result<json> trainConfigOf(const QString& workspace) {
    auto store = Store::open(workspace.toStdString());
    if (!store)
        return fail(store.error());
    auto runs = store.value()->runs();
    if (!runs)
        return fail(runs.error());
    std::vector<RunInfo> trains;
    for (const auto& r : runs.value())
        if (r.kind == RunKind::Train)
            trains.push_back(r);
    if (trains.size() != 1)
        return fail(workspace.toStdString() + ": " + std::to_string(trains.size()) + " training runs, expected 1");
    if (trains[0].status != RunStatus::Finished)
        return fail(workspace.toStdString() + ": the training run is " + toString(trains[0].status) + ": " +
                    trains[0].error);
    auto config = json::parse(trains[0].configJson, nullptr, false);
    if (config.is_discarded() || !config.is_object())
        return fail(workspace.toStdString() + ": the stored config is no JSON object: " + trains[0].configJson);
    return config;
}

} // namespace

class TestTrainParity : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_glove;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        m_glove = m_dir.filePath("glove");
        QVERIFY(QDir().mkpath(m_glove));
        test::writeTinyGlove(m_glove,
                             {"signal", "trains", "encoder", "recall", "improve", "baselines", "static", "embeddings",
                              "weak", "dataset", "evaluated", "utility", "language", "model", "percent", "bm25",
                              "glove", "vector"},
                             11);
    }

    void sameSettingsSameStoredConfig_data() {
        QTest::addColumn<QString>("encoder");
        QTest::addColumn<QString>("cliModel"); // --model as typed on the command line, relative to cliDir
        QTest::addColumn<QString>("cliDir");
        QTest::newRow("glove, absolute folder") << "glove" << m_glove << m_dir.path();
        // A path typed relative to the shell's folder names the same folder as the GUI's absolute one.
        QTest::newRow("glove, relative folder") << "glove"
                                                << "glove" << m_dir.path();
        QTest::newRow("bert, relative folder") << "bert"
                                               << "bert-tiny" << UAE_TEST_DATA_DIR;
    }
    void sameSettingsSameStoredConfig() {
        QFETCH(QString, encoder);
        QFETCH(QString, cliModel);
        QFETCH(QString, cliDir);
        const bool bert = encoder == "bert";
        const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(' ', '-');
        const QString a = m_dir.filePath(tag + "-A.db"), b = m_dir.filePath(tag + "-B.db");

        // The CLI, from the folder holding the model (its workspace, checkpoints and cache go elsewhere).
        QProcess cli;
        cli.setWorkingDirectory(cliDir);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("OMP_WAIT_POLICY", "PASSIVE");
        env.remove("UAE_WORKSPACE");
        env.remove("UAE_GLOVE_DIR");
        cli.setProcessEnvironment(env);
        cli.start(UAE_CLI,
                  {"train", "--encoder", encoder, "--epochs", "1", "--split", "fixture", "--eval-split", "fixture",
                   "--data", UAE_TEST_DATA_DIR "/qasper", "--model", cliModel, "--workspace", a, "--quiet"});
        QVERIFY(cli.waitForFinished(240000));
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0,
                 cli.readAllStandardError().constData());

        // The GUI: the same GloVe folder in the session's settings, the fixture split shown.
        SessionSettings s;
        s.dataDir = UAE_TEST_DATA_DIR "/qasper";
        s.gloveDir = m_glove;
        if (bert)
            s.bertModel = UAE_TEST_DATA_DIR "/bert-tiny";
        s.split = "fixture";
        JobRunner runner;
        WorkbenchSession session(s, runner);
        QCOMPARE(session.openWorkspace(b), QString());
        TrainingDashboard dashboard(session, runner);
        dashboard.show();
        dashboard.setEncoder(encoder); // its preset first, as the CLI's --encoder picks it
        dashboard.setEpochs(1);
        dashboard.setTrainSplit("fixture");
        QSignalSpy done(&session, &WorkbenchSession::trainingFinished);
        QSignalSpy failed(&session, &WorkbenchSession::jobFailed);
        QTest::mouseClick(dashboard.trainButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1 || failed.count() > 0, 240000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(1).toString()));
        QCOMPARE(done.at(0).at(1).value<uae::RunStatus>(), uae::RunStatus::Finished);
        QTRY_COMPARE(runner.activeJobs(), 0);

        const auto fromCli = trainConfigOf(a), fromGui = trainConfigOf(b);
        QVERIFY2(fromCli.ok(), fromCli.error().c_str());
        QVERIFY2(fromGui.ok(), fromGui.error().c_str());
        // Every key, none excluded; the patch from one to the other says what differs.
        QVERIFY2(fromCli.value() == fromGui.value(),
                 ("CLI -> GUI: " + json::diff(fromCli.value(), fromGui.value()).dump()).c_str());
        // Both hold the settings given (a check that the comparison compares something).
        QCOMPARE(fromCli.value().at("epochs").get<int>(), 1);
        QCOMPARE(fromCli.value().at("split").get<std::string>(), std::string("fixture"));
        QCOMPARE(fromCli.value().at("eval_split").get<std::string>(), std::string("fixture"));
        QCOMPARE(fromCli.value().at("encoder").get<std::string>(), encoder.toStdString());
        const QString folder = QString::fromStdString(fromGui.value().at(bert ? "model" : "glove").get<std::string>());
        QCOMPARE(QDir(folder).canonicalPath(), QDir(bert ? UAE_TEST_DATA_DIR "/bert-tiny" : m_glove).canonicalPath());
    }
};

QTEST_MAIN(TestTrainParity)
#include "tst_train_parity.moc"
