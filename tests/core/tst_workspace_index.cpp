// The workspace's stored indexes (workspace_index.cpp) with a real GloVe encoder (a tiny table from
// a seed) on the QASPER fixture: built once and reused by a second workspace object, rebuilt when
// the encoder's table or a paragraph's text changes, and a corpus evaluation through a Flat index
// ranks exactly as the in-memory exact search does.
#include "uae/dataset_loader.h"
#include "uae/job_index.h"
#include "uae/qasper.h"
#include "uae/store.h"
#include "uae/workspace.h"

#include "tiny_glove.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace uae;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kWords{"retrieval", "encoder",  "utility", "signal",     "language",
                                      "model",     "mean",     "pooling", "word",       "vectors",
                                      "recall",    "baseline", "static",  "embeddings", "dense",
                                      "questions", "passages", "qasper",  "glove",      "paragraph"};

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

class TstWorkspaceIndex : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    std::string sub(const std::string& name) const {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }

    IndexBuildConfig config(const std::string& glove = "glove-a") const {
        IndexBuildConfig c;
        c.method = "glove";
        c.split = "fixture";
        c.dataPath = UAE_TEST_DATA_DIR "/qasper";
        c.modelPath = sub(glove);
        c.index = "Flat";
        return c;
    }

    std::unique_ptr<Workspace> open(const std::string& name) {
        auto ws = Workspace::open(sub(name));
        if (!ws)
            qFatal("%s", ws.error().c_str());
        return std::move(ws.value());
    }

private Q_SLOTS:
    void initTestCase() {
        for (const auto& [name, seed] : {std::pair{"glove-a", 1u}, {"glove-b", 2u}}) {
            QVERIFY(QDir().mkpath(QString::fromStdString(sub(name))));
            test::writeTinyGlove(QString::fromStdString(sub(name)), kWords, seed);
        }
    }

    void builtOnceThenReused() {
        const auto first = open("reuse.db")->buildIndex(config(), JobContext{});
        QVERIFY2(first.status == RunStatus::Finished, first.error.c_str());
        QVERIFY(!first.loaded);
        auto data = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(data.ok());
        QCOMPARE(first.meta.ntotal, std::int64_t(corpusView(data.value()).papers.front().paragraphs.size()));
        QVERIFY(first.meta.ntotal > 5);
        QVERIFY(fs::exists(first.meta.file));
        QVERIFY(first.meta.file.find("reuse.files/indexes/glove-fixture-Flat.faiss") != std::string::npos);
        const std::string stored = readAll(first.meta.file + ".json");
        const auto second = open("reuse.db")->buildIndex(config(), JobContext{}); // a fresh workspace object
        QVERIFY2(second.status == RunStatus::Finished, second.error.c_str());
        QVERIFY(second.loaded);
        QCOMPARE(second.meta.created, first.meta.created);
        QCOMPARE(readAll(first.meta.file + ".json"), stored);
    }

    void rebuiltWhenEncoderChanged() {
        auto ws = open("encoder.db");
        QVERIFY(ws->buildIndex(config("glove-a"), JobContext{}).status == RunStatus::Finished);
        const auto other = ws->buildIndex(config("glove-b"), JobContext{});
        QVERIFY2(other.status == RunStatus::Finished, other.error.c_str());
        QVERIFY(!other.loaded);
        QVERIFY2(other.rebuiltWhy.find("the encoder changed") != std::string::npos, other.rebuiltWhy.c_str());
        QVERIFY(ws->buildIndex(config("glove-b"), JobContext{}).loaded);
    }

    void rebuiltWhenCorpusChanged() {
        auto ws = open("corpus.db");
        QVERIFY(ws->buildIndex(config(), JobContext{}).status == RunStatus::Finished);
        const std::string dir = sub("qasper-edited");
        fs::create_directories(dir);
        std::string text = readAll(UAE_TEST_DATA_DIR "/qasper/qasper-fixture-v0.3.json");
        const std::string from = "The encoder uses mean pooling", to = "The encoder uses max pooling";
        QVERIFY(text.find(from) != std::string::npos);
        text.replace(text.find(from), from.size(), to);
        std::ofstream(dir + "/qasper-fixture-v0.3.json") << text;
        auto c = config();
        c.dataPath = dir;
        const auto r = ws->buildIndex(c, JobContext{});
        QVERIFY2(r.status == RunStatus::Finished, r.error.c_str());
        QVERIFY(!r.loaded);
        QVERIFY2(r.rebuiltWhy.find("the corpus changed") != std::string::npos, r.rebuiltWhy.c_str());
    }

    // indexStaleness says, without building anything, what the next use would say: current, the
    // encoder changed, the corpus changed; and the use then agrees with it.
    void stalenessSaysWhatTheNextUseWould() {
        auto ws = open("stale.db");
        const auto built = ws->buildIndex(config("glove-a"), JobContext{});
        QVERIFY2(built.status == RunStatus::Finished, built.error.c_str());
        const std::string json = readAll(built.meta.file + ".json");
        const auto current = ws->indexStaleness(config("glove-a"), built.meta);
        QVERIFY2(current.ok(), current.ok() ? "" : current.error().c_str());
        QCOMPARE(current.value(), std::string());
        const auto encoder = ws->indexStaleness(config("glove-b"), built.meta);
        QVERIFY(encoder.ok());
        QVERIFY2(encoder->find("the encoder changed") == 0, encoder->c_str());
        QCOMPARE(readAll(built.meta.file + ".json"), json); // nothing rebuilt by asking
        const auto use = ws->buildIndex(config("glove-b"), JobContext{});
        QCOMPARE(use.rebuiltWhy.substr(use.rebuiltWhy.find("the encoder")), encoder.value());
        auto edited = config("glove-b");
        const std::string dir = sub("qasper-stale");
        fs::create_directories(dir);
        std::string text = readAll(UAE_TEST_DATA_DIR "/qasper/qasper-fixture-v0.3.json");
        text.replace(text.find("mean pooling"), 4, "max ");
        std::ofstream(dir + "/qasper-fixture-v0.3.json") << text;
        edited.dataPath = dir;
        const auto corpus = ws->indexStaleness(edited, use.meta);
        QVERIFY(corpus.ok());
        QVERIFY2(corpus->find("the corpus changed") == 0, corpus->c_str());
        auto missing = config("no-such-glove");
        const auto error = ws->indexStaleness(missing, use.meta);
        QVERIFY(!error.ok());
        QVERIFY2(error.error().find("no-such-glove") != std::string::npos, error.error().c_str());
    }

    // Exact search through the stored index ranks as the in-memory path does: the same metrics.
    void corpusEvalThroughIndexMatchesExact() {
        auto ws = open("eval.db");
        EvalJobConfig c = config().evalConfig();
        c.index.clear();
        const auto exact = ws->evaluate(c, JobContext{});
        QVERIFY2(exact.status == RunStatus::Finished, exact.error.c_str());
        c.index = "Flat";
        const auto indexed = ws->evaluate(c, JobContext{});
        QVERIFY2(indexed.status == RunStatus::Finished, indexed.error.c_str());
        for (int m = 0; m < kMetricCount; ++m)
            QCOMPARE(indexed.outcome.summary.mean.v[m], exact.outcome.summary.mean.v[m]);
        const auto again = ws->evaluate(c, JobContext{});
        const auto run = ws->store().run(again.runId);
        QVERIFY(run.ok());
        QVERIFY2(run->configJson.find("\"opened\":\"loaded\"") != std::string::npos, run->configJson.c_str());
        QVERIFY2(run->configJson.find("\"index\":\"Flat\"") != std::string::npos, run->configJson.c_str());
    }

    void indexOnlyWhereItApplies_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("pool");
        QTest::addColumn<QString>("error");
        QTest::newRow("paper pool") << "glove"
                                    << "paper"
                                    << "serves --pool corpus only";
        QTest::newRow("bm25") << "bm25"
                              << "corpus"
                              << "method bm25 ranks without vectors";
    }
    void indexOnlyWhereItApplies() {
        QFETCH(QString, method);
        QFETCH(QString, pool);
        QFETCH(QString, error);
        EvalJobConfig c = config().evalConfig();
        c.method = method.toStdString();
        c.pool = pool.toStdString();
        const auto r = open("refused.db")->evaluate(c, JobContext{});
        QCOMPARE(r.status, RunStatus::Failed);
        QCOMPARE(r.runId, std::int64_t(0));
        QVERIFY2(r.error.find(error.toStdString()) != std::string::npos, r.error.c_str());
    }

    // What the GUI's list compares to tell a stale index: the fingerprint the build recorded is
    // the split's, and a changed paragraph changes it.
    void splitFingerprintMatchesTheBuild() {
        const auto built = open("fingerprint.db")->buildIndex(config(), JobContext{});
        QVERIFY2(built.status == RunStatus::Finished, built.error.c_str());
        auto data = loadDataset(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY2(data.ok(), data.ok() ? "" : data.error().c_str());
        QCOMPARE(splitCorpusFingerprint(data.value()), built.meta.corpusFingerprint);
        data.value().papers.back().paragraphs.back().text += " edited";
        QVERIFY(splitCorpusFingerprint(data.value()) != built.meta.corpusFingerprint);
    }

    void cancelledBuildStoresNothing() {
        auto ws = open("cancel.db");
        std::atomic<bool> cancel{true};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        const auto r = ws->buildIndex(config(), ctx);
        QCOMPARE(r.status, RunStatus::Cancelled);
        QVERIFY(fs::is_empty(ws->indexDir()));
    }
};

QTEST_GUILESS_MAIN(TstWorkspaceIndex)
#include "tst_workspace_index.moc"
