// Every job that fails after its run row exists ends that run "failed" with the job's message,
// whether the failure is a returned error or an exception from a component (job_run.h's
// recordRun): the job's result says Failed, and the stored run, read through a fresh connection,
// is failed with the same error, never left "running".
#include "uae/bm25.h"
#include "uae/job_answer.h"
#include "uae/job_eval.h"
#include "uae/job_label.h"
#include "uae/job_train.h"
#include "uae/qasper.h"
#include "uae/scorer_dirichlet.h"
#include "uae/store.h"
#include "uae/workspace.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include "tiny_glove.h"

#include <stdexcept>

using namespace uae;

namespace {

// Ranks as BM25, but throws on question `failAt` (counted from 1).
class ThrowingRetriever final : public Retriever {
public:
    explicit ThrowingRetriever(int failAt) : m_failAt(failAt) {}
    std::string method() const override { return "throwing"; }
    std::string configJson() const override { return "{}"; }
    Ranking rank(const RetrievalQuery& query) override {
        if (++m_calls == m_failAt)
            throw std::runtime_error("retriever broke on " + query.questionId);
        return m_bm25.rank(query);
    }

private:
    Bm25Retriever m_bm25;
    int m_failAt;
    int m_calls = 0;
};

// The Dirichlet scorer, but throws on the `failAt`-th question it scores.
class ThrowingScorer final : public UtilityScorer {
public:
    explicit ThrowingScorer(int failAt) : m_failAt(failAt) {}
    std::string name() const override { return "throwing"; }
    std::string promptVersion() const override { return "throwing-v1"; }
    std::string configJson() const override { return "{}"; }
    void preparePaper(const Paper& paper) override { m_dirichlet.preparePaper(paper); }
    std::vector<double> answerNll(const std::string& question, const std::string& answer,
                                  const std::vector<std::string>& passages) override {
        if (question != m_last) {
            m_last = question;
            ++m_questions;
        }
        if (m_questions == m_failAt)
            throw std::runtime_error("scorer broke on: " + question);
        return m_dirichlet.answerNll(question, answer, passages);
    }

private:
    ScorerDirichlet m_dirichlet;
    int m_failAt;
    int m_questions = 0;
    std::string m_last;
};

// Answers with the first paragraph's text; throws on the `failAt`-th question.
class ThrowingReader final : public AnswerReader {
public:
    explicit ThrowingReader(int failAt) : m_failAt(failAt) {}
    std::string name() const override { return "throwing"; }
    std::string configJson() const override { return "{}"; }
    std::string answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) override {
        if (++m_calls == m_failAt)
            throw std::runtime_error("reader broke on " + q.id);
        return paragraphs.empty() ? std::string() : paper.paragraphs[static_cast<size_t>(paragraphs[0])].text;
    }

private:
    int m_failAt;
    int m_calls = 0;
};

} // namespace

class TestJobErrors : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Dataset m_data;
    int m_stores = 0;

    std::string newStorePath() {
        const QString dir = m_dir.filePath(QString("ws%1").arg(++m_stores));
        QDir().mkpath(dir);
        return QDir(dir).filePath("ws.db").toStdString();
    }

    std::unique_ptr<Store> openStore(const std::string& path) {
        auto store = Store::open(path);
        if (!store)
            qFatal("%s", store.error().c_str());
        return std::move(store.value());
    }

    // A store whose fixture split carries the Dirichlet labels training reads.
    std::unique_ptr<Store> labeledStore(const std::string& path) {
        auto store = openStore(path);
        ScorerDirichlet scorer;
        LabelJobConfig lc;
        lc.split = "fixture";
        const auto r = runLabelJob(*store, m_data, scorer, lc, JobContext{});
        if (r.status != RunStatus::Finished)
            qFatal("labelling failed: %s", r.error.c_str());
        return store;
    }

    TrainConfig gloveConfig() {
        TrainConfig c;
        c.gloveDir = m_dir.path().toStdString();
        c.split = c.evalSplit = "fixture";
        c.epochs = 2;
        c.batchQuestions = 2;
        return c;
    }

    // The job's result and its stored run (read afresh through a second connection: what
    // another process, or the next start, sees) both say failed with `expected` in the error.
    void expectFailed(const std::string& path, std::int64_t runId, RunStatus status, const std::string& error,
                      const std::string& expected) {
        QVERIFY2(runId > 0, "the job failed before its run row existed: this test needs a later failure");
        QCOMPARE(status, RunStatus::Failed);
        QVERIFY2(error.find(expected) != std::string::npos, error.c_str());
        auto fresh = openStore(path);
        auto run = fresh->run(runId);
        QVERIFY2(run.ok(), run.error().c_str());
        QCOMPARE(toString(run->status), toString(RunStatus::Failed));
        QCOMPARE(run->error, error);
        QVERIFY(!run->endedAt.empty());
        auto runs = fresh->runs();
        QVERIFY(runs.ok());
        for (const auto& r : *runs)
            QVERIFY2(r.status != RunStatus::Running, ("run " + std::to_string(r.id) + " left running").c_str());
    }

private Q_SLOTS:
    void initTestCase() {
        test::writeTinyGlove(m_dir.path(),
                             {"signal", "trains", "encoder", "recall", "improve", "baselines", "static", "embeddings",
                              "weak", "dataset", "evaluated", "utility", "language", "model", "percent", "bm25",
                              "glove", "vector"},
                             5);
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY2(d.ok(), d.error().c_str());
        m_data = std::move(d.value());
        QCOMPARE(m_data.questions.size(), size_t(7));
    }

    void evalRetrieverThrows_data() {
        QTest::addColumn<int>("failAt");
        QTest::newRow("first question") << 1;
        QTest::newRow("mid-way") << 4;
        QTest::newRow("last question") << 7;
    }
    void evalRetrieverThrows() {
        QFETCH(int, failAt);
        const std::string path = newStorePath();
        auto store = openStore(path);
        ThrowingRetriever retriever(failAt);
        EvalJobConfig c;
        c.split = "fixture";
        const auto r = runEvalJob(*store, m_data, retriever, c, JobContext{});
        const std::string qid = m_data.questions[size_t(failAt - 1)].id;
        expectFailed(path, r.runId, r.status, r.error, "retriever broke on " + qid);
        QCOMPARE(r.error, "retriever broke on " + qid);
    }

    // A job that cannot start leaves no run at all (rather than one left running).
    void evalWithoutModelStoresNoRun() {
        const std::string path = newStorePath();
        auto ws = Workspace::open(path);
        QVERIFY2(ws.ok(), ws.error().c_str());
        EvalJobConfig c;
        c.method = "glove";
        c.split = "fixture";
        c.dataPath = UAE_TEST_DATA_DIR "/qasper";
        c.modelPath = m_dir.filePath("no-such-glove").toStdString();
        const auto r = ws.value()->evaluate(c, JobContext{});
        QCOMPARE(r.status, RunStatus::Failed);
        QCOMPARE(r.runId, std::int64_t(0));
        QVERIFY2(r.error.find("no-such-glove") != std::string::npos, r.error.c_str());
        QCOMPARE(openStore(path)->runs()->size(), size_t(0));
    }

    void labelScorerThrows_data() {
        QTest::addColumn<int>("failAt");
        QTest::newRow("first question") << 1;
        QTest::newRow("mid-way") << 3;
    }
    void labelScorerThrows() {
        QFETCH(int, failAt);
        const std::string path = newStorePath();
        auto store = openStore(path);
        ThrowingScorer scorer(failAt);
        LabelJobConfig c;
        c.split = "fixture";
        const auto r = runLabelJob(*store, m_data, scorer, c, JobContext{});
        expectFailed(path, r.runId, r.status, r.error, "scorer broke on: ");
        // Questions stored before the failure stay stored (the job resumes from them).
        auto done = openStore(path)->labeledQuestions(LabelKey{"throwing", "throwing-v1"});
        QVERIFY(done.ok());
        QVERIFY(done->size() >= size_t(failAt - 1));
        QVERIFY(done->size() < m_data.questions.size());
    }

    // An exception inside a question's transaction (here from the milestone hook, called just
    // before the commit) must not leave that transaction open: the run's end would go down with it.
    void labelThrowsInsideItsTransaction() {
        const std::string path = newStorePath();
        auto store = openStore(path);
        ScorerDirichlet scorer;
        LabelJobConfig c;
        c.split = "fixture";
        JobContext ctx;
        ctx.onMilestone = [](const std::string& event, long count) {
            if (event == "label.commit" && count == 2)
                throw std::runtime_error("hook broke before commit 3");
        };
        const auto r = runLabelJob(*store, m_data, scorer, c, ctx);
        expectFailed(path, r.runId, r.status, r.error, "hook broke before commit 3");
        auto done = openStore(path)->labeledQuestions(LabelKey{scorer.name(), scorer.promptVersion()});
        QVERIFY(done.ok());
        QCOMPARE(done->size(), size_t(2)); // the third question's labels were rolled back
    }

    void answerReaderThrows() {
        const std::string path = newStorePath();
        auto store = openStore(path);
        Bm25Retriever bm25;
        EvalJobConfig ec;
        ec.split = "fixture";
        const auto eval = runEvalJob(*store, m_data, bm25, ec, JobContext{});
        QCOMPARE(eval.status, RunStatus::Finished);
        ThrowingReader reader(3);
        AnswerJobConfig c;
        c.evalRun = eval.runId;
        const auto r = runAnswerJob(*store, m_data, reader, c, JobContext{});
        expectFailed(path, r.runId, r.status, r.error, "reader broke on q3");
    }

    // The eval run's questions are not all in the data given: the job's own error, mid-way.
    void answerQuestionsNotInDataset() {
        const std::string path = newStorePath();
        auto store = openStore(path);
        Bm25Retriever bm25;
        EvalJobConfig ec;
        ec.split = "fixture";
        const auto eval = runEvalJob(*store, m_data, bm25, ec, JobContext{});
        QCOMPARE(eval.status, RunStatus::Finished);
        Dataset partial = m_data;
        partial.questions.resize(2); // q1, q2 only
        ReaderExtractive reader;
        AnswerJobConfig c;
        c.evalRun = eval.runId;
        const auto r = runAnswerJob(*store, partial, reader, c, JobContext{});
        expectFailed(path, r.runId, r.status, r.error,
                     "question q3 of run " + std::to_string(eval.runId) + " is not in the loaded split");
    }

    void trainBertModelMissing() {
        const std::string path = newStorePath();
        auto store = labeledStore(path);
        TrainConfig c = TrainConfig::forEncoder(EncoderKind::Bert);
        c.modelDir = m_dir.filePath("no-such-bert").toStdString();
        c.device = "cpu";
        c.split = c.evalSplit = "fixture";
        const auto r = runTrainJob(*store, m_data, m_data, c, JobContext{});
        expectFailed(path, r.runId, r.status, r.error, m_dir.filePath("no-such-bert").toStdString());
    }

    void trainGloveMissing() {
        const std::string path = newStorePath();
        auto store = labeledStore(path);
        TrainConfig c = gloveConfig();
        c.gloveDir = m_dir.filePath("no-such-glove").toStdString();
        const auto r = runTrainJob(*store, m_data, m_data, c, JobContext{});
        expectFailed(path, r.runId, r.status, r.error, c.gloveDir);
    }

    // A throw in the middle of training (after some optimizer steps and metrics).
    void trainThrowsMidway() {
        const std::string path = newStorePath();
        auto store = labeledStore(path);
        JobContext ctx;
        ctx.onMilestone = [](const std::string& event, long step) {
            if (event == "train.step" && step == 2)
                throw std::runtime_error("trainer broke at step 2");
        };
        const auto r = runTrainJob(*store, m_data, m_data, gloveConfig(), ctx);
        expectFailed(path, r.runId, r.status, r.error, "trainer broke at step 2");
        QCOMPARE(r.error, std::string("trainer broke at step 2"));
    }

    // Through the workspace, as both front ends call it: the label-then-train pipeline.
    void workspaceTrainBertModelMissing() {
        const std::string path = newStorePath();
        auto ws = Workspace::open(path);
        QVERIFY2(ws.ok(), ws.error().c_str());
        TrainConfig c = TrainConfig::forEncoder(EncoderKind::Bert);
        c.modelDir = m_dir.filePath("no-such-bert").toStdString();
        c.device = "cpu";
        c.split = c.evalSplit = "fixture";
        const auto r = ws.value()->train(c, UAE_TEST_DATA_DIR "/qasper", JobContext{});
        expectFailed(path, r.runId, r.status, r.error, m_dir.filePath("no-such-bert").toStdString());
        // The labelling that came first finished.
        auto runs = openStore(path)->runs();
        QCOMPARE(runs->size(), size_t(2));
        QCOMPARE(runs->front().kind, RunKind::Label);
        QCOMPARE(runs->front().status, RunStatus::Finished);
    }
};

QTEST_GUILESS_MAIN(TestJobErrors)
#include "tst_job_errors.moc"
