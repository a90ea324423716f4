#include "uae/encoder_bert.h"
#include "uae/encoder_towers.h"
#include "uae/job_eval.h"
#include "uae/encoder_uae.h"
#include "uae/evaluation.h"
#include "uae/metrics.h"
#include "uae/job_label.h"
#include "uae/job_train.h"
#include "uae/qasper.h"
#include "uae/retriever_dense.h"
#include "uae/safetensors.h"
#include "uae/scorer_dirichlet.h"
#include "uae/store.h"

#include <sqlite3.h>

#include <QTemporaryDir>
#include <QtTest>

#include "tiny_glove.h"

#include <filesystem>
#include <fstream>
#include <random>

using namespace uae;

namespace {

void rawSql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
}

} // namespace

class TestTrain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Dataset m_data;

    std::unique_ptr<Store> labeledStore(const char* name) {
        // One folder per workspace: checkpoints go next to it, keyed by run id.
        QDir(m_dir.path()).mkpath(name);
        auto store = Store::open(QDir(m_dir.filePath(name)).filePath("ws.db").toStdString());
        if (!store)
            qFatal("%s", store.error().c_str());
        ScorerDirichlet scorer;
        LabelJobConfig lc;
        lc.split = "fixture";
        runLabelJob(*store.value(), m_data, scorer, lc, JobContext{});
        return std::move(store.value());
    }

    TrainConfig config(const char* checkpoint) {
        TrainConfig c;
        c.gloveDir = m_dir.path().toStdString();
        c.split = c.evalSplit = "fixture";
        c.epochs = 3;
        c.batchQuestions = 2;
        c.checkpoint = m_dir.filePath(checkpoint).toStdString();
        return c;
    }

    TrainConfig bertConfig() {
        TrainConfig c;
        c.encoder = uae::EncoderKind::Bert;
        c.modelDir = UAE_TEST_DATA_DIR "/bert-tiny";
        c.device = "cpu";
        c.split = c.evalSplit = "fixture";
        c.epochs = 2;
        c.batchQuestions = 2;
        c.accumulate = 2;
        c.evalEvery = 1;
        c.lr = 1e-3;
        c.maxTokens = 64;
        c.towers = "both";
        return c;
    }

private Q_SLOTS:
    void initTestCase() {
        test::writeTinyGlove(
            m_dir.path(), {"signal",     "trains",   "encoder",    "recall",       "improve",   "baselines", "static",
                           "embeddings", "weak",     "dataset",    "evaluated",    "utility",   "language",  "model",
                           "percent",    "bm25",     "glove",      "vector",       "retrieval", "passages",  "pooling",
                           "thirty",     "baseline", "tokenizers", "vocabularies", "dense",     "questions"},
            3);
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(d.ok());
        m_data = std::move(d.value());
    }

    void trainsStoresAndLoads() {
        auto store = labeledStore("a.db");
        std::vector<MetricPoint> live;
        const auto r = runTrainJob(*store, m_data, m_data, config("a.safetensors"), JobContext{},
                                   [&](const MetricPoint& p) { live.push_back(p); });
        QCOMPARE(r.status, uae::RunStatus::Finished);
        QCOMPARE(r.steps, 9L); // 6 labeled questions, batches of 2, 3 epochs
        QCOMPARE(store->run(r.runId)->status, uae::RunStatus::Finished);
        const auto stored = store->metrics(r.runId).value();
        QCOMPARE(stored.size(), live.size()); // everything delivered live was stored
        QVERIFY(std::any_of(stored.begin(), stored.end(), [](const MetricPoint& p) { return p.name == "loss"; }));
        QCOMPARE(std::count_if(stored.begin(), stored.end(), [](const MetricPoint& p) { return p.name == "eval_map"; }),
                 4L);
        auto model = EncoderUaeGlove::load(m_dir.filePath("a.safetensors").toStdString());
        QVERIFY2(model.ok(), model.error().c_str());
        RetrieverDense dense(std::shared_ptr<Encoder>(std::move(model.value())));
        const Question& q = *m_data.findQuestion("q3");
        QCOMPARE(dense.rank(RetrievalQuery{q.id, q.text, &m_data.paperOf(q)}).order.size(), size_t(4));
    }

    void sameSeedSameModel() {
        auto a = labeledStore("s1.db"), b = labeledStore("s2.db");
        const auto ra = runTrainJob(*a, m_data, m_data, config("s1.safetensors"), JobContext{});
        const auto rb = runTrainJob(*b, m_data, m_data, config("s2.safetensors"), JobContext{});
        QCOMPARE(ra.evalMap, rb.evalMap);
        auto fa = SafetensorsFile::open(m_dir.filePath("s1.safetensors").toStdString()).value();
        auto fb = SafetensorsFile::open(m_dir.filePath("s2.safetensors").toStdString()).value();
        QCOMPARE(fa->readFloat32("query_projection").value(), fb->readFloat32("query_projection").value());
    }

    void cancelStopsTraining() {
        auto store = labeledStore("c.db");
        std::atomic<bool> cancel{false};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        ctx.onProgress = [&](const JobProgress& p) { cancel = p.done >= 2; };
        const auto r = runTrainJob(*store, m_data, m_data, config("c.safetensors"), ctx);
        QCOMPARE(r.status, uae::RunStatus::Cancelled);
        QCOMPARE(r.steps, 2L);
        QCOMPARE(store->run(r.runId)->status, uae::RunStatus::Cancelled);
    }

    void resumedRunEndsLikeAnUninterruptedOne() {
        auto clean = labeledStore("r1.db");
        TrainConfig c1 = config("");
        c1.checkpoint.clear(); // the default place: next to the workspace
        const auto whole = runTrainJob(*clean, m_data, m_data, c1, JobContext{});
        QCOMPARE(whole.status, uae::RunStatus::Finished);

        auto broken = labeledStore("r2.db");
        std::atomic<bool> cancel{false};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        ctx.onProgress = [&](const JobProgress& p) { cancel = p.done >= 4; }; // inside epoch 2
        TrainConfig c2 = c1;
        const auto part = runTrainJob(*broken, m_data, m_data, c2, ctx);
        QCOMPARE(part.status, uae::RunStatus::Cancelled);
        TrainConfig again;
        again.resumeRun = part.runId;
        const auto rest = runTrainJob(*broken, m_data, m_data, again, JobContext{});
        QVERIFY2(rest.status == uae::RunStatus::Finished, rest.error.c_str());
        QCOMPARE(rest.runId, part.runId);
        QCOMPARE(rest.steps, whole.steps);
        QCOMPARE(rest.evalMap, whole.evalMap);
        QCOMPARE(rest.evalRecall1, whole.evalRecall1);
        auto a = SafetensorsFile::open(checkpointPath(clean->path(), whole.runId)).value();
        auto b = SafetensorsFile::open(checkpointPath(broken->path(), part.runId)).value();
        const auto qa = a->readFloat32("query_projection").value(), qb = b->readFloat32("query_projection").value();
        for (size_t i = 0; i < qa.size(); ++i)
            QVERIFY(std::fabs(qa[i] - qb[i]) < 1e-6);
        // The same metric history: nothing from the cancelled epoch is left twice.
        const auto ma = clean->metrics(whole.runId).value(), mb = broken->metrics(part.runId).value();
        QCOMPARE(mb.size(), ma.size());
        QCOMPARE(broken->run(part.runId)->status, uae::RunStatus::Finished);
    }

    // The BERT encoder fine-tuned whole: the checkpoint is a Hugging Face folder that ranks as the
    // "uae" method with exactly the metrics the trainer measured on it.
    void bertTrainsAndLoadsAsUae() {
        auto store = labeledStore("bert.db");
        TrainConfig c = bertConfig();
        std::vector<MetricPoint> live;
        const auto r =
            runTrainJob(*store, m_data, m_data, c, JobContext{}, [&](const MetricPoint& p) { live.push_back(p); });
        QVERIFY2(r.status == uae::RunStatus::Finished, r.error.c_str());
        QCOMPARE(r.steps, 4L); // 3 batches of 2 questions per epoch, 2 batches per step, 2 epochs
        QCOMPARE(store->run(r.runId)->method, std::string("uae-bert"));
        const auto evals =
            std::count_if(live.begin(), live.end(), [](const MetricPoint& p) { return p.name == "eval_map"; });
        QCOMPARE(evals, 5L); // before training, every step (evalEvery 1)
        auto folder = trainedModelPath(store->path(), r.runId);
        QVERIFY2(folder.ok(), folder.error().c_str());
        QVERIFY(QFile::exists(QString::fromStdString(folder.value() + "/model.safetensors")));
        QVERIFY(QFile::exists(QString::fromStdString(folder.value() + "/optimizer.safetensors")));
        BertOptions options;
        options.device = "cpu";
        options.method = "uae";
        auto trained = EncoderBert::load(folder.value(), options);
        QVERIFY2(trained.ok(), trained.error().c_str());
        auto base = EncoderBert::load(UAE_TEST_DATA_DIR "/bert-tiny", options);
        const auto a = trained.value()->encode({m_data.questions[0].text}, EncodeRole::Query);
        const auto b = base.value()->encode({m_data.questions[0].text}, EncodeRole::Query);
        QVERIFY(a != b); // training moved the weights
        RetrieverDense dense(std::shared_ptr<Encoder>(std::move(trained.value())));
        QCOMPARE(dense.method(), std::string("uae"));
        const auto outcome = evaluate(m_data, dense, JobContext{});
        QVERIFY(std::fabs(outcome.summary.mean[Metric::Map] - r.evalMap) < 1e-6);
    }

    void bertResumeMatchesUninterrupted() {
        auto clean = labeledStore("b1.db");
        const auto whole = runTrainJob(*clean, m_data, m_data, bertConfig(), JobContext{});
        QVERIFY2(whole.status == uae::RunStatus::Finished, whole.error.c_str());
        auto broken = labeledStore("b2.db");
        std::atomic<bool> cancel{false};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        ctx.onProgress = [&](const JobProgress& p) { cancel = p.done >= 3; }; // inside epoch 2
        const auto part = runTrainJob(*broken, m_data, m_data, bertConfig(), ctx);
        QCOMPARE(part.status, uae::RunStatus::Cancelled);
        TrainConfig again;
        again.resumeRun = part.runId;
        const auto rest = runTrainJob(*broken, m_data, m_data, again, JobContext{});
        QVERIFY2(rest.status == uae::RunStatus::Finished, rest.error.c_str());
        QCOMPARE(rest.steps, whole.steps);
        QVERIFY(std::fabs(rest.evalMap - whole.evalMap) < 1e-6);
        auto fa =
            SafetensorsFile::open(trainedModelPath(clean->path(), whole.runId).value() + "/model.safetensors").value();
        auto fb =
            SafetensorsFile::open(trainedModelPath(broken->path(), part.runId).value() + "/model.safetensors").value();
        const auto wa = fa->readFloat32("encoder.layer.1.output.dense.weight").value();
        const auto wb = fb->readFloat32("encoder.layer.1.output.dense.weight").value();
        QCOMPARE(wa.size(), wb.size());
        for (size_t i = 0; i < wa.size(); ++i)
            QVERIFY2(std::fabs(wa[i] - wb[i]) < 1e-5, qPrintable(QString::number(i)));
    }

    // --towers query: only the query encoder learns; passages keep the base model's vectors, read
    // from the cache the base's own eval filled, so nothing of the corpus is encoded again.
    void queryTowerKeepsThePassageTowerBitIdentical() {
        auto store = labeledStore("towers.db");
        const std::string cache = m_dir.filePath("towers-cache").toStdString();
        EvalJobConfig base;
        base.method = "bert";
        base.modelPath = UAE_TEST_DATA_DIR "/bert-tiny";
        base.device = "cpu";
        base.cacheDir = cache;
        auto baseRetriever = makeRetriever(base);
        QVERIFY2(baseRetriever.ok(), baseRetriever.error().c_str());
        evaluate(m_data, *baseRetriever.value(), JobContext{});
        const auto cacheFile = std::filesystem::directory_iterator(cache)->path();
        const auto cachedBytes = std::filesystem::file_size(cacheFile);

        TrainConfig c = bertConfig();
        c.towers = "query";
        c.cacheDir = cache;
        const auto r = runTrainJob(*store, m_data, m_data, c, JobContext{});
        QVERIFY2(r.status == uae::RunStatus::Finished, r.error.c_str());
        QVERIFY(store->run(r.runId)->configJson.find("\"towers\":\"query\"") != std::string::npos);
        const auto folder = trainedModelPath(store->path(), r.runId);
        QVERIFY2(folder.ok(), folder.error().c_str());
        const auto towers = TowersFile::read(folder.value());
        QVERIFY2(towers.ok(), towers.error().c_str());
        QCOMPARE(towers->towers, std::string("query"));

        BertOptions options;
        options.device = "cpu";
        auto trained = loadUaeBert(folder.value(), options, cache);
        QVERIFY2(trained.ok(), trained.error().c_str());
        auto plain = EncoderBert::load(UAE_TEST_DATA_DIR "/bert-tiny", options);
        std::vector<std::string> passages;
        for (const auto& p : m_data.papers[0].paragraphs)
            passages.push_back(p.text);
        QCOMPARE(trained.value()->encode(passages, EncodeRole::Passage),
                 plain.value()->encode(passages, EncodeRole::Passage)); // bit-identical
        const std::vector<std::string> question{m_data.questions[0].text};
        QVERIFY(trained.value()->encode(question, EncodeRole::Query) !=
                plain.value()->encode(question, EncodeRole::Query)); // the query tower learned
        RetrieverDense dense(trained.value());
        const auto outcome = evaluate(m_data, dense, JobContext{});
        QVERIFY(std::fabs(outcome.summary.mean[Metric::Map] - r.evalMap) < 1e-6);
        QCOMPARE(std::filesystem::file_size(cacheFile), cachedBytes); // no passage encoded twice
    }

    void towersQueryIsForBertOnly() {
        auto store = labeledStore("gt.db");
        TrainConfig c = config("gt.safetensors");
        c.towers = "query";
        const auto r = runTrainJob(*store, m_data, m_data, c, JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Failed);
        QVERIFY2(r.error.find("--towers query") != std::string::npos, r.error.c_str());
    }

    void missingLabelsFailClearly() {
        auto store = Store::open(m_dir.filePath("empty.db").toStdString());
        QVERIFY(store.ok());
        const auto r = runTrainJob(*store.value(), m_data, m_data, config("x.safetensors"), JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Failed);
        QVERIFY2(r.error.find("run uae label first") != std::string::npos, r.error.c_str());
    }

    // Issue 13 item 1: checkpoints were named by run id in one checkpoints/ folder beside the
    // workspace, so two workspaces in one folder overwrote each other's models. Each workspace's
    // run 1 now has its own file, and training B leaves A's model untouched.
    void twoWorkspacesInOneFolderKeepTheirOwnModels() {
        auto a = labeledStore("shared-folder");
        auto b = Store::open(m_dir.filePath("shared-folder/other.db").toStdString());
        QVERIFY(b.ok());
        ScorerDirichlet scorer;
        LabelJobConfig lc;
        lc.split = "fixture";
        QCOMPARE(runLabelJob(*b.value(), m_data, scorer, lc, JobContext{}).status, uae::RunStatus::Finished);
        auto ca = config(""), cb = config("");
        ca.checkpoint = cb.checkpoint = ""; // the workspace's own layout
        cb.seed = ca.seed + 1;
        const auto ra = runTrainJob(*a, m_data, m_data, ca, JobContext{});
        QCOMPARE(ra.status, uae::RunStatus::Finished);
        const auto pathA = checkpointPath(a->path(), ra.runId);
        const auto before = SafetensorsFile::open(pathA).value()->readFloat32("query_projection").value();
        const auto rb = runTrainJob(*b.value(), m_data, m_data, cb, JobContext{});
        QVERIFY2(rb.status == uae::RunStatus::Finished, rb.error.c_str());
        QCOMPARE(rb.runId, ra.runId); // the same run id in both workspaces
        QVERIFY(checkpointPath(b.value()->path(), rb.runId) != pathA);
        QCOMPARE(SafetensorsFile::open(pathA).value()->readFloat32("query_projection").value(), before);
    }

    // Issue 13 item 6: labels are tied to the text they were computed on. The data changes after
    // labelling (a paper's paragraphs reordered, or cut short): training refuses with a clear
    // error; uae label computes exactly the changed questions again; then training runs.
    void staleLabelsAreRefusedThenRelabelled_data() {
        QTest::addColumn<bool>("shrink");
        QTest::newRow("paragraphs reordered") << false;
        QTest::newRow("paragraphs cut short") << true;
    }
    void staleLabelsAreRefusedThenRelabelled() {
        QFETCH(bool, shrink);
        auto store = labeledStore(shrink ? "stale-shrink" : "stale-reorder");
        Dataset changed = m_data;
        auto& paras = changed.papers.front().paragraphs;
        if (shrink)
            paras.resize(paras.size() / 2);
        else
            std::reverse(paras.begin(), paras.end());
        long questionsOfPaper = 0;
        for (const auto& q : changed.questions)
            questionsOfPaper += q.paper == 0 ? 1 : 0;
        const auto refused = runTrainJob(*store, changed, changed, config("stale.safetensors"), JobContext{});
        QCOMPARE(refused.status, uae::RunStatus::Failed);
        QVERIFY2(refused.error.find("computed on other text than the data now holds") != std::string::npos,
                 refused.error.c_str());
        QVERIFY2(refused.error.find("paper " + changed.papers.front().id) != std::string::npos, refused.error.c_str());
        QCOMPARE(refused.runId, std::int64_t(0)); // refused before a run row exists
        ScorerDirichlet scorer;
        LabelJobConfig lc;
        lc.split = "fixture";
        const auto relabelled = runLabelJob(*store, changed, scorer, lc, JobContext{});
        QCOMPARE(relabelled.status, uae::RunStatus::Finished);
        QVERIFY(questionsOfPaper > 0);
        QCOMPARE(relabelled.relabeled, questionsOfPaper);
        QCOMPARE(relabelled.labeledNow, questionsOfPaper);
        for (const auto& l : store->labels(LabelKey{scorer.name(), scorer.promptVersion()}, "fixture").value())
            QVERIFY(static_cast<size_t>(l.paragraph) <
                    changed.paperOf(*changed.findQuestion(l.question)).paragraphs.size());
        const auto trained = runTrainJob(*store, changed, changed, config("fresh.safetensors"), JobContext{});
        QCOMPARE(trained.status, uae::RunStatus::Finished);
    }

    // Labels from before source hashes were stored: an index past the paper's end is a clear
    // error, not LibTorch's "index out of range in self" with a stack trace.
    void oldLabelsPastThePaperEndFailClearly() {
        auto store = labeledStore("old-labels");
        rawSql(store->path(), "UPDATE labeled_questions SET source_hash=NULL");
        Dataset changed = m_data;
        changed.papers.front().paragraphs.resize(1);
        const auto r = runTrainJob(*store, changed, changed, config("old.safetensors"), JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Failed);
        QVERIFY2(r.error.find("now has 1 paragraphs: the data changed after labelling") != std::string::npos,
                 r.error.c_str());
    }

    // Issue 13 item 6: training while uae label is still writing trained on the labels present
    // so far and reported finished. A running label run of the same key and split is refused.
    void labelRunStillWritingIsRefused() {
        auto store = labeledStore("running-label");
        ScorerDirichlet scorer;
        const std::string cfg = "{\"prompt_version\":\"" + scorer.promptVersion() + "\"}";
        const auto running = store->beginRun(RunKind::Label, scorer.name(), "fixture", cfg, "cpu");
        QVERIFY(running.ok());
        const auto r = runTrainJob(*store, m_data, m_data, config("busy.safetensors"), JobContext{});
        QCOMPARE(r.status, uae::RunStatus::Failed);
        QVERIFY2(r.error.find("label run " + std::to_string(running.value()) + " is still writing") !=
                     std::string::npos,
                 r.error.c_str());
        QVERIFY(store->finishRun(running.value(), RunStatus::Finished).ok());
        QCOMPARE(runTrainJob(*store, m_data, m_data, config("done.safetensors"), JobContext{}).status,
                 uae::RunStatus::Finished);
    }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"
