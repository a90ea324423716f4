// The paper experiment's plan and its headline table: means, paired intervals and relative gains
// against the reference, from hand-made runs whose numbers can be checked by hand.
#include "uae/metrics.h"
#include "uae/paper.h"
#include "uae/store.h"
#include "uae/workspace.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace uae;

namespace {

// gold paragraph 0; rank: where it lands (1-based); 0 = not retrieved.
QuestionResult ranked(const std::string& id, int rank) {
    QuestionResult r;
    r.questionId = id;
    r.gold = {0};
    for (int p = 1; p <= 3; ++p)
        r.order.push_back(p);
    if (rank > 0)
        r.order.insert(r.order.begin() + (rank - 1), 0);
    r.scores.assign(r.order.size(), 0.f);
    r.metrics = retrievalMetrics(r.order, r.gold);
    return r;
}

std::int64_t addRun(Store& store, const std::string& method, const std::vector<int>& ranks,
                    const std::vector<double>& f1, double latency) {
    const auto run = store.beginRun(RunKind::Eval, method, "dev", "{}", "cpu").value();
    std::vector<QuestionResult> results;
    std::vector<AnswerRow> answers;
    for (size_t i = 0; i < ranks.size(); ++i) {
        results.push_back(ranked("q" + std::to_string(i), ranks[i]));
        answers.push_back({"q" + std::to_string(i), "an answer", f1[i]});
    }
    store.addQuestionResults(run, results);
    store.addMetric(run, 0, "latency_ms", latency);
    store.finishRun(run, RunStatus::Finished);
    const auto answerRun = store.beginRun(RunKind::Answer, "lm", "dev", "{}", "cpu").value();
    store.addAnswers(answerRun, run, "lm", answers);
    store.finishRun(answerRun, RunStatus::Finished);
    return run;
}

} // namespace

class TestPaper : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void headlineTableAgainstTheReference() {
        auto store = Store::open(m_dir.filePath("t.db").toStdString()).value();
        // Base: gold first in 2 of 4 questions; UAE: in 4 of 4. MAP = mean of 1/rank here.
        const auto base = addRun(*store, "bert", {1, 2, 1, 4}, {0.5, 0.0, 0.5, 0.0}, 10.0);
        const auto uae = addRun(*store, "uae", {1, 1, 1, 1}, {0.5, 0.5, 0.5, 0.5}, 0.003);
        auto table = headlineTable(*store, {{"Base", base}, {"UAE", uae}}, "Base");
        QVERIFY2(table.ok(), table.error().c_str());
        QCOMPARE(table->rows.size(), size_t(2));
        const auto& b = table->rows[0];
        const auto& u = table->rows[1];
        QCOMPARE(b.recall1, 0.5);
        QCOMPARE(u.recall1, 1.0);
        QCOMPARE(b.map, (1 + 0.5 + 1 + 0.25) / 4);
        QCOMPARE(u.tokenF1, 0.5);
        QCOMPARE(b.tokenF1, 0.25);
        QCOMPARE(b.msPerQuery, 10.0);
        QCOMPARE(u.questions, 4L);
        QCOMPARE(u.gainRecall1, 100.0); // 0.5 -> 1.0
        QCOMPARE(u.gainTokenF1, 100.0);
        QCOMPARE(u.dRecall1.mean, 0.5);
        QVERIFY(u.dRecall1.low >= 0 && u.dRecall1.high <= 1 && u.dRecall1.low <= u.dRecall1.high);
        QCOMPARE(b.dMap.mean, 0.0); // the reference against itself
        const auto md = table->toMarkdown();
        QVERIFY2(md.find("| UAE | 1.000 (+100%; +0.500") != std::string::npos, md.c_str());
        // ms/query keeps about three significant digits: a sub-millisecond ranker is not 0.0.
        QVERIFY2(md.find(" | 10.0 |\n") != std::string::npos && md.find(" | 0.003 |\n") != std::string::npos,
                 md.c_str());
        const auto j = nlohmann::json::parse(table->toJson());
        QCOMPARE(j["rows"][1]["vs_reference"]["recall@1"]["gain_pct"].get<double>(), 100.0);
    }

    void referenceMustBeARow() {
        auto store = Store::open(m_dir.filePath("r.db").toStdString()).value();
        const auto run = addRun(*store, "bm25", {1}, {1.0}, 1.0);
        const auto table = headlineTable(*store, {{"BM25", run}}, "BGE-small");
        QVERIFY(!table.ok());
        QVERIFY2(table.error().find("BGE-small") != std::string::npos, table.error().c_str());
    }

    // The inspector shows the newest LLM teacher's utilities of a split, else Dirichlet's.
    void shownTeacherPrefersTheNewestLlmLabels() {
        auto ws = Workspace::open(m_dir.filePath("teacher.db").toStdString()).value();
        QCOMPARE(ws->shownTeacher("dev").scorer, std::string("dirichlet"));
        auto& store = ws->store();
        auto label = [&](const char* split, const char* version, RunStatus status) {
            const auto run = store
                                 .beginRun(RunKind::Label, "lm", split,
                                           std::string(R"({"prompt_version":")") + version + "\"}", "cpu")
                                 .value();
            store.finishRun(run, status);
        };
        label("dev", "lm-chat-v1:A", RunStatus::Finished);
        label("dev", "lm-chat-v1:B", RunStatus::Failed);     // never finished: not shown
        label("train", "lm-chat-v1:C", RunStatus::Finished); // another split
        const auto key = ws->shownTeacher("dev");
        QCOMPARE(key.scorer, std::string("lm"));
        QCOMPARE(key.promptVersion, std::string("lm-chat-v1:A"));
        QCOMPARE(ws->shownTeacher("test").scorer, std::string("dirichlet"));
    }

    void presets_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("towers");
        QTest::newRow("paper") << "paper" << true << "query";
        QTest::newRow("paper-full") << "paper-full" << true << "both";
        QTest::newRow("unknown") << "fast" << false << "";
    }
    void presets() {
        QFETCH(QString, name);
        QFETCH(bool, ok);
        QFETCH(QString, towers);
        const auto plan = PaperPlan::forPreset(name.toStdString());
        QCOMPARE(plan.ok(), ok);
        if (!ok) {
            QVERIFY2(plan.error().find("--preset") != std::string::npos, plan.error().c_str());
            return;
        }
        QCOMPARE(QString::fromStdString(plan->towers), towers);
        QVERIFY(plan->describe().find("seed " + std::to_string(plan->seed)) != std::string::npos);
        QVERIFY(plan->student != plan->otherEncoder);
    }
};

QTEST_GUILESS_MAIN(TestPaper)
#include "tst_paper.moc"
