#include "uae/bm25.h"
#include "uae/comparison.h"
#include "uae/evaluation.h"
#include "uae/job_eval.h"
#include "uae/qasper.h"
#include "uae/store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <stdexcept>

using namespace uae;

namespace {

Dataset fixture() {
    auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
    if (!d)
        qFatal("%s", d.error().c_str());
    return std::move(d.value());
}

class ThrowingRetriever final : public Retriever {
public:
    std::string method() const override { return "broken"; }
    std::string configJson() const override { return "{}"; }
    Ranking rank(const RetrievalQuery&) override { throw std::runtime_error("model exploded"); }
};

} // namespace

class TestEvaluation : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    // uae compare across splits is refused; an unfinished run or different question sets are
    // said, and the figures are over the questions both ranked.
    void comparisonNotesAndSharedQuestions() {
        RunInfo a, b;
        a.id = 1, b.id = 2;
        a.split = b.split = "dev";
        a.status = RunStatus::Finished;
        b.status = RunStatus::Interrupted;
        std::vector<QuestionResult> ra(3), rb(2);
        ra[0].questionId = "q1", ra[1].questionId = "q2", ra[2].questionId = "q3";
        rb[0].questionId = "q3", rb[1].questionId = "q1";
        QVERIFY(incomparable(a, b).empty());
        const auto notes = comparisonNotes(a, b, ra, rb);
        QCOMPARE(notes.size(), size_t(2));
        QVERIFY2(notes[0].find("run 2 is interrupted") != std::string::npos, notes[0].c_str());
        QVERIFY2(notes[1].find("over the 2 both ranked") != std::string::npos, notes[1].c_str());
        const auto [sa, sb] = sharedQuestions(ra, rb);
        QCOMPARE(sa.size(), size_t(2));
        QCOMPARE(sa[0].questionId, std::string("q1"));
        QCOMPARE(sb[0].questionId, std::string("q3"));
        QVERIFY(partialRunNote(a, 3).empty());
        b.split = "test";
        QVERIFY2(incomparable(a, b).find("share no question") != std::string::npos, incomparable(a, b).c_str());
        QVERIFY(comparisonNotes(a, a, ra, ra).empty());
    }

    void summaryAveragesOverEvaluatedQuestions() {
        QuestionResult a, b, c;
        a.gold = {0};
        a.metrics[Metric::Map] = 1.0;
        a.metrics[Metric::EvidenceF1] = 1.0;
        b.gold = {1};
        b.metrics[Metric::Map] = 0.5;
        c.metrics[Metric::EvidenceF1] = 0.5; // no gold: only in the all-question Evidence-F1
        a.latencyMs = 3;
        a.queryLatencyMs = 2;
        b.queryLatencyMs = 4; // c was stored before the query path was timed
        const auto s = summarize({a, b, c});
        QCOMPARE(s.questions, 3L);
        QCOMPARE(s.evaluated, 2L);
        QCOMPARE(s.mean[Metric::Map], 0.75);
        QCOMPARE(s.mean[Metric::EvidenceF1], 0.5);
        QCOMPARE(s.evidenceF1All, 0.5);
        QCOMPARE(s.meanLatencyMs, 1.0);
        QCOMPARE(s.queryTimed, 2L);
        QCOMPARE(s.meanQueryLatencyMs, 3.0);
    }

    // The query path of two runs over the questions both timed, and how many times slower B is.
    void queryLatencyRatio_data() {
        QTest::addColumn<QVector<double>>("a"); // per question q0, q1, ...; < 0: not timed
        QTest::addColumn<QVector<double>>("b");
        QTest::addColumn<long>("questions");
        QTest::addColumn<double>("ratio");
        QTest::addColumn<double>("factor");
        QTest::addColumn<bool>("bSlower");
        QTest::newRow("B 100x slower") << QVector<double>{2, 4} << QVector<double>{200, 400} << 2L << 100.0 << 100.0
                                       << true;
        QTest::newRow("B 4x faster") << QVector<double>{8, 8} << QVector<double>{2, 2} << 2L << 0.25 << 4.0 << false;
        QTest::newRow("only questions timed in both")
            << QVector<double>{1, -1, 3} << QVector<double>{10, 50, -1} << 1L << 10.0 << 10.0 << true;
        QTest::newRow("old runs: nothing timed")
            << QVector<double>{-1} << QVector<double>{-1} << 0L << 0.0 << 0.0 << false;
    }
    void queryLatencyRatio() {
        QFETCH(QVector<double>, a);
        QFETCH(QVector<double>, b);
        QFETCH(long, questions);
        QFETCH(double, ratio);
        QFETCH(double, factor);
        QFETCH(bool, bSlower);
        auto run = [](const QVector<double>& ms) {
            std::vector<QuestionResult> out(static_cast<size_t>(ms.size()));
            for (qsizetype i = 0; i < ms.size(); ++i) {
                out[static_cast<size_t>(i)].questionId = "q" + std::to_string(i);
                out[static_cast<size_t>(i)].latencyMs = 1e6; // never the measure compared
                if (ms[i] >= 0)
                    out[static_cast<size_t>(i)].queryLatencyMs = ms[i];
            }
            return out;
        };
        const LatencyComparison c = compareQueryLatency(run(a), run(b));
        QCOMPARE(c.questions, questions);
        QVERIFY(qAbs(c.ratio - ratio) < 1e-12);
        QVERIFY(qAbs(c.factor() - factor) < 1e-12);
        QCOMPARE(c.bSlower(), bSlower);
        QCOMPARE(c.comparable(), questions > 0);
    }

    void bm25OnFixture() {
        const Dataset d = fixture();
        Bm25Retriever bm25;
        const auto out = evaluate(d, bm25, JobContext{});
        QVERIFY(!out.cancelled);
        QCOMPARE(out.results.size(), size_t(7));
        QCOMPARE(out.summary.evaluated, 3L);
        for (const auto& r : out.results) {
            const Question& q = *d.findQuestion(r.questionId);
            QCOMPARE(r.order.size(), d.paperOf(q).paragraphs.size());
            QCOMPARE(r.gold, q.gold);
        }
        // q3 "How much does recall improve?": only paragraph 3 mentions recall.
        const auto& q3 = out.results[2];
        QCOMPARE(q3.questionId, std::string("q3"));
        QCOMPARE(q3.order.front(), 3);
        QCOMPARE(q3.metrics[Metric::Recall1], 1.0);
        // Its top paragraph is not the annotator's fragment string, so official Evidence-F1 is 0.
        QCOMPARE(q3.metrics[Metric::EvidenceF1], 0.0);
        // q5 is unanswerable: any predicted paragraph scores 0 against empty evidence.
        QCOMPARE(out.results[4].metrics[Metric::EvidenceF1], 0.0);
    }

    // Issue 15: the corpus view pools every paragraph of the split, tagged with its paper; gold and
    // evidence indices point at the same texts as before.
    void corpusViewPoolsTheSplit() {
        const Dataset d = fixture();
        const Dataset c = corpusView(d);
        QCOMPARE(c.papers.size(), size_t(1));
        size_t total = 0;
        for (const auto& p : d.papers)
            total += p.paragraphs.size();
        QCOMPARE(c.papers[0].paragraphs.size(), total);
        QCOMPARE(c.questions.size(), d.questions.size());
        for (size_t i = 0; i < d.questions.size(); ++i) {
            const Question &was = d.questions[i], &now = c.questions[i];
            QCOMPARE(now.paper, 0);
            QCOMPARE(now.gold.size(), was.gold.size());
            for (size_t g = 0; g < was.gold.size(); ++g) {
                const auto& before = d.paperOf(was).paragraphs[static_cast<size_t>(was.gold[g])];
                const auto& after = c.papers[0].paragraphs[static_cast<size_t>(now.gold[g])];
                QCOMPARE(after.text, before.text);
                QCOMPARE(after.paperId, d.paperOf(was).id);
            }
        }
    }

    // BM25 over the corpus ranks every paragraph of the split with corpus statistics; a depth cut
    // scores gold below it as not retrieved, as trec_eval does.
    void corpusEvaluationRanksTheWholeSplit() {
        const Dataset c = corpusView(fixture());
        Bm25Retriever bm25;
        const auto whole = evaluate(c, bm25, JobContext{});
        for (const auto& r : whole.results)
            QCOMPARE(r.order.size(), c.papers[0].paragraphs.size());
        Bm25Retriever again;
        const auto cut = evaluate(c, again, JobContext{}, {}, 0, 2);
        for (size_t i = 0; i < cut.results.size(); ++i) {
            QCOMPARE(cut.results[i].order.size(), size_t(2));
            QCOMPARE(cut.results[i].metrics[Metric::Recall1], whole.results[i].metrics[Metric::Recall1]);
            QVERIFY(cut.results[i].metrics[Metric::Map] <= whole.results[i].metrics[Metric::Map] + 1e-12);
        }
    }

    void jobStoresRun() {
        const Dataset d = fixture();
        auto store = Store::open(m_dir.filePath("job.db").toStdString());
        QVERIFY(store.ok());
        Bm25Retriever bm25;
        EvalJobConfig config;
        config.split = "fixture";
        const auto r = runEvalJob(*store.value(), d, bm25, config, JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Finished);
        QCOMPARE(store.value()->run(r.runId)->status, uae::RunStatus::Finished);
        QCOMPARE(store.value()->questionResults(r.runId)->size(), size_t(7));
        QVERIFY(store.value()->metrics(r.runId)->size() >= size_t(kMetricCount));
        auto cfg = EvalJobConfig::fromJson(store.value()->run(r.runId)->configJson);
        QVERIFY(cfg.ok());
        QCOMPARE(cfg->split, std::string("fixture"));
    }

    void cancelKeepsFinishedQuestions() {
        const Dataset d = fixture();
        auto store = Store::open(m_dir.filePath("cancel.db").toStdString());
        QVERIFY(store.ok());
        std::atomic<bool> cancel{false};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        ctx.onProgress = [&](const JobProgress& p) {
            if (p.done == 2)
                cancel = true;
        };
        Bm25Retriever bm25;
        const auto r = runEvalJob(*store.value(), d, bm25, EvalJobConfig{}, ctx);
        QCOMPARE(r.status, uae::RunStatus::Cancelled);
        QVERIFY(r.outcome.cancelled);
        QCOMPARE(store.value()->run(r.runId)->status, uae::RunStatus::Cancelled);
        QCOMPARE(store.value()->questionResults(r.runId)->size(), size_t(2));
    }

    void exceptionMarksRunFailed() {
        const Dataset d = fixture();
        auto store = Store::open(m_dir.filePath("fail.db").toStdString());
        QVERIFY(store.ok());
        ThrowingRetriever broken;
        const auto r = runEvalJob(*store.value(), d, broken, EvalJobConfig{}, JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Failed);
        QCOMPARE(r.error, std::string("model exploded"));
        const auto run = store.value()->run(r.runId);
        QCOMPARE(run->status, uae::RunStatus::Failed);
        QCOMPARE(run->error, std::string("model exploded"));
    }

    void unknownMethodRejected() {
        EvalJobConfig c;
        c.method = "magic";
        auto r = makeRetriever(c);
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("magic") != std::string::npos);
        c.method = "glove";
        c.modelPath = "/nonexistent/glove";
        QVERIFY(!makeRetriever(c).ok());
    }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
