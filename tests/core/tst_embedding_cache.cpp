#include "uae/embedding_cache.h"
#include "uae/evaluation.h"
#include "uae/job_eval.h"
#include "uae/qasper.h"
#include "uae/retriever.h"
#include "uae/retriever_dense.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace uae;

namespace {

// Vectors derived from the text, and a count of what it was asked to encode.
class CountingEncoder final : public Encoder {
public:
    long encoded = 0;
    std::string name() const override { return "counting"; }
    std::string configJson() const override { return "{}"; }
    int dim() const override { return 4; }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override {
        encoded += static_cast<long>(texts.size());
        std::vector<float> out;
        for (const auto& t : texts)
            for (int k = 0; k < 4; ++k)
                out.push_back(static_cast<float>(t.size() * (k + 1)) + (role == EncodeRole::Query ? 0.5f : 0.0f));
        return out;
    }
};

// Passages cost kPassageMs per call and questions kQueryMs, so the two times can be told apart.
class SlowPassageEncoder final : public Encoder {
public:
    static constexpr double kPassageMs = 60, kQueryMs = 5;
    long queries = 0;
    std::string name() const override { return "slow"; }
    std::string configJson() const override { return "{}"; }
    int dim() const override { return 4; }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override {
        queries += role == EncodeRole::Query ? static_cast<long>(texts.size()) : 0;
        QThread::msleep(static_cast<unsigned long>(role == EncodeRole::Query ? kQueryMs : kPassageMs));
        std::vector<float> out;
        for (const auto& t : texts)
            for (int k = 0; k < 4; ++k)
                out.push_back(static_cast<float>((t.size() % 7) + k) / 10.0f);
        return out;
    }
};

// Vectors that hold a NaN for texts containing "nan": as weights holding NaN would give.
class NanEncoder final : public Encoder {
public:
    std::string name() const override { return "nan-model"; }
    std::string configJson() const override { return "{}"; }
    int dim() const override { return 2; }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole) override {
        std::vector<float> out;
        for (const auto& t : texts) {
            out.push_back(t.find("nan") != std::string::npos ? std::nanf("") : 1.0f);
            out.push_back(0.0f);
        }
        return out;
    }
};

std::string rankError(RetrieverDense& dense, const std::string& question, const Paper& paper) {
    try {
        dense.rank(RetrievalQuery{"q1", question, &paper});
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestEmbeddingCache : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    const std::vector<std::string> m_texts{"alpha", "beta gamma", "delta", "alpha"};

    std::string dir(const char* name) const { return m_dir.filePath(name).toStdString(); }

private Q_SLOTS:
    void secondEncodeAndNextProcessHitTheCache() {
        auto inner = std::make_shared<CountingEncoder>();
        CachingEncoder cache(inner, dir("a"), "model-a");
        const auto first = cache.encode(m_texts, EncodeRole::Passage);
        QCOMPARE(inner->encoded, 3L); // "alpha" twice in one call is encoded once
        QCOMPARE(first, inner->encode(m_texts, EncodeRole::Passage));
        inner->encoded = 0;
        QCOMPARE(cache.encode(m_texts, EncodeRole::Passage), first);
        QCOMPARE(inner->encoded, 0L);
        // A new encoder over the same file: another process, same model.
        auto inner2 = std::make_shared<CountingEncoder>();
        CachingEncoder again(inner2, dir("a"), "model-a");
        QCOMPARE(again.encode(m_texts, EncodeRole::Passage), first);
        QCOMPARE(inner2->encoded, 0L);
        QCOMPARE(again.hits(), 4L);
        // Questions are never served from the cache: the query path is always measured whole.
        again.encode({"alpha"}, EncodeRole::Query);
        again.encode({"alpha"}, EncodeRole::Query);
        QCOMPARE(inner2->encoded, 2L);
        QCOMPARE(again.hits(), 4L);
    }

    // A dense retriever's query path excludes the pool's encoding (done at a paper's first
    // question, summed in preparationMs) but includes the question's encoding by the model, even
    // behind a cache that holds every passage.
    void denseQueryLatencyExcludesPoolEncoding() {
        auto d = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(d.ok());
        auto inner = std::make_shared<SlowPassageEncoder>();
        RetrieverDense dense(std::make_shared<CachingEncoder>(inner, dir("dense"), "slow"));
        const Question& q = d->questions.front();
        const Ranking first = dense.rank(RetrievalQuery{q.id, q.text, &d->paperOf(q)});
        QVERIFY2(first.latencyMs >= SlowPassageEncoder::kPassageMs, qPrintable(QString::number(first.latencyMs)));
        QVERIFY2(first.queryLatencyMs < SlowPassageEncoder::kPassageMs,
                 qPrintable(QString::number(first.queryLatencyMs)));
        QVERIFY(dense.preparationMs() >= SlowPassageEncoder::kPassageMs);
        QVERIFY(first.queryLatencyMs >= SlowPassageEncoder::kQueryMs); // the question went to the model
        const Ranking again = dense.rank(RetrievalQuery{q.id, q.text, &d->paperOf(q)});
        QVERIFY(again.latencyMs < SlowPassageEncoder::kPassageMs); // the pool is ready now
        QVERIFY(again.queryLatencyMs >= SlowPassageEncoder::kQueryMs);
        QCOMPARE(inner->queries, 2L);
        QCOMPARE(first.order, again.order);
    }

    void anotherModelGetsAnotherFile() {
        auto inner = std::make_shared<CountingEncoder>();
        CachingEncoder a(inner, dir("b"), "model-a"), b(inner, dir("b"), "model-b");
        QVERIFY(a.path() != b.path());
        a.encode({"x"}, EncodeRole::Passage);
        b.encode({"x"}, EncodeRole::Passage);
        QCOMPARE(inner->encoded, 2L);
    }

    void truncatedFileKeepsCompleteRecords() {
        std::string path;
        {
            auto inner = std::make_shared<CountingEncoder>();
            CachingEncoder cache(inner, dir("c"), "m");
            cache.encode({"one", "two", "three"}, EncodeRole::Passage);
            path = cache.path();
        }
        const auto size = std::filesystem::file_size(path);
        std::filesystem::resize_file(path, size - 5); // a crash in the middle of the last record
        auto inner = std::make_shared<CountingEncoder>();
        CachingEncoder cache(inner, dir("c"), "m");
        const auto v = cache.encode({"one", "two", "three"}, EncodeRole::Passage);
        QCOMPARE(inner->encoded, 1L); // only the damaged record is encoded again
        QCOMPARE(v, CountingEncoder().encode({"one", "two", "three"}, EncodeRole::Passage));
        QCOMPARE(std::filesystem::file_size(path), size); // repaired, then appended whole
        auto inner2 = std::make_shared<CountingEncoder>();
        CachingEncoder later(inner2, dir("c"), "m");
        later.encode({"one", "two", "three"}, EncodeRole::Passage);
        QCOMPARE(inner2->encoded, 0L);
    }

    // A data-parallel rank other than 0 reads the file rank 0 appends to: it uses the sound
    // records, keeps what it encodes in memory, and leaves the file byte for byte as it was (no
    // header of its own on a missing file, no repair of a tail that is rank 0's record in flight).
    void readOnlyAccessNeverChangesTheFile() {
        auto probe = std::make_shared<CountingEncoder>();
        QVERIFY(!std::filesystem::exists(CachingEncoder(probe, dir("ro-new"), "m", CacheAccess::ReadOnly).path()));
        std::string path;
        {
            CachingEncoder writer(probe, dir("ro"), "m");
            writer.encode({"one", "two"}, EncodeRole::Passage);
            path = writer.path();
        }
        std::filesystem::resize_file(path, std::filesystem::file_size(path) - 5); // a record in flight
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        f.close();
        auto inner = std::make_shared<CountingEncoder>();
        CachingEncoder reader(inner, dir("ro"), "m", CacheAccess::ReadOnly);
        const auto v = reader.encode({"one", "two", "three"}, EncodeRole::Passage);
        QCOMPARE(v, CountingEncoder().encode({"one", "two", "three"}, EncodeRole::Passage));
        QCOMPARE(inner->encoded, 2L); // "two" (cut short) and "three" (new)
        reader.encode({"three"}, EncodeRole::Passage);
        QCOMPARE(inner->encoded, 2L); // kept in memory
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), bytes);
        f.close();
        // A file it cannot read is left for the writer to set aside.
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not an embedding cache at all");
        f.close();
        CachingEncoder foreign(inner, dir("ro"), "m", CacheAccess::ReadOnly);
        QCOMPARE(foreign.encode({"z"}, EncodeRole::Passage), CountingEncoder().encode({"z"}, EncodeRole::Passage));
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".bad")));
        QCOMPARE(QFile(QString::fromStdString(path)).size(), qint64(37));
    }

    void foreignFileIsSetAsideNotTrusted() {
        auto probe = std::make_shared<CountingEncoder>();
        const std::string path = CachingEncoder(probe, dir("d"), "m").path();
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not an embedding cache at all");
        f.close();
        auto inner = std::make_shared<CountingEncoder>();
        CachingEncoder cache(inner, dir("d"), "m");
        QVERIFY(cache.warning().find("set aside") != std::string::npos);
        QVERIFY(QFile::exists(QString::fromStdString(path + ".bad")));
        QCOMPARE(cache.encode({"z"}, EncodeRole::Passage), CountingEncoder().encode({"z"}, EncodeRole::Passage));
    }

    // Issue 13 item 8: flipped bytes changed 2 of 20 rankings with no warning. Every record
    // carries a checksum: a damaged one is dropped and encoded again, with a warning.
    void flippedByteIsCaughtAndEncodedAgain_data() {
        QTest::addColumn<int>("offsetInRecord"); // record = 8-byte key, 4 floats, 8-byte checksum
        QTest::newRow("key") << 3;
        QTest::newRow("vector") << 8 + 5;
        QTest::newRow("checksum") << 8 + 16 + 2;
    }
    void flippedByteIsCaughtAndEncodedAgain() {
        QFETCH(int, offsetInRecord);
        std::vector<std::string> texts;
        for (int i = 0; i < 20; ++i)
            texts.push_back("paragraph number " + std::to_string(i) + std::string(static_cast<size_t>(i), 'x'));
        const std::string sub = "flip" + std::to_string(offsetInRecord);
        const auto expected = CountingEncoder().encode(texts, EncodeRole::Passage);
        const std::string path = CachingEncoder(std::make_shared<CountingEncoder>(), dir(sub.c_str()), "m").path();
        CachingEncoder(std::make_shared<CountingEncoder>(), dir(sub.c_str()), "m").encode(texts, EncodeRole::Passage);
        {
            std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
            const std::streamoff at = 12 + 7 * 32 + offsetInRecord; // header 12 bytes, record 7
            f.seekg(at);
            char c = 0;
            f.get(c);
            f.seekp(at);
            f.put(static_cast<char>(c ^ 0x10));
        }
        auto inner = std::make_shared<CountingEncoder>();
        CachingEncoder cache(inner, dir(sub.c_str()), "m");
        QVERIFY2(cache.warning().find("1 of 20 records failed their checksum") != std::string::npos,
                 cache.warning().c_str());
        QVERIFY(std::filesystem::exists(path + ".bad"));
        QCOMPARE(cache.encode(texts, EncodeRole::Passage), expected);
        QCOMPARE(inner->encoded, 1L); // only the damaged record
        auto later = std::make_shared<CountingEncoder>();
        CachingEncoder again(later, dir(sub.c_str()), "m"); // repaired: no warning, nothing to encode
        QCOMPARE(again.warning(), std::string());
        QCOMPARE(again.encode(texts, EncodeRole::Passage), expected);
        QCOMPARE(later->encoded, 0L);
    }

    // The evaluation passes the repair on to the user before the run starts.
    void retrieverPassesTheWarningOn() {
        const std::string path = CachingEncoder(std::make_shared<CountingEncoder>(), dir("w"), "m").path();
        std::filesystem::create_directories(dir("w"));
        std::ofstream(path, std::ios::binary) << "UAEEMB1\n" << std::string(4, '\0');
        RetrieverDense dense(std::make_shared<CachingEncoder>(std::make_shared<CountingEncoder>(), dir("w"), "m"));
        QVERIFY2(dense.warning().find("older cache format without checksums") != std::string::npos,
                 dense.warning().c_str());
    }

    // Issue 13 item 7: NaN vectors ranked believably. A non-finite vector is an error naming
    // what it was for (the job boundary turns it into a failed run).
    void nonFiniteVectorsAreRefused() {
        Paper paper;
        paper.id = "paperA";
        paper.paragraphs = {{"S", "fine text", {}, {}}, {"S", "a nan here", {}, {}}};
        RetrieverDense dense(std::make_shared<NanEncoder>());
        QVERIFY(rankError(dense, "question", paper).find("NaN or infinity for paragraph 1 of paper paperA") !=
                std::string::npos);
        paper.paragraphs.pop_back();
        RetrieverDense fine(std::make_shared<NanEncoder>());
        QCOMPARE(rankError(fine, "question", paper), std::string());
        QVERIFY(rankError(fine, "nan question", paper).find("NaN or infinity for question q1") != std::string::npos);
    }

    // The real path: a BERT evaluation ranks the same with the cache cold and warm.
    void bertEvaluationIsTheSameFromTheCache() {
        auto data = loadQasper(UAE_TEST_DATA_DIR "/qasper", "fixture");
        QVERIFY(data.ok());
        EvalJobConfig c;
        c.method = "bert";
        c.modelPath = UAE_TEST_DATA_DIR "/bert-tiny";
        c.device = "cpu";
        c.cacheDir = dir("bert");
        auto cold = makeRetriever(c);
        QVERIFY2(cold.ok(), cold.error().c_str());
        const auto a = evaluate(data.value(), *cold.value(), JobContext{});
        QCOMPARE(QDir(QString::fromStdString(c.cacheDir)).entryList({"bert-*.emb"}).size(), 1);
        auto warm = makeRetriever(c);
        const auto b = evaluate(data.value(), *warm.value(), JobContext{});
        QCOMPARE(a.results.size(), b.results.size());
        for (size_t i = 0; i < a.results.size(); ++i) {
            QCOMPARE(a.results[i].order, b.results[i].order);
            QCOMPARE(a.results[i].scores, b.results[i].scores);
        }
    }
};

QTEST_GUILESS_MAIN(TestEmbeddingCache)
#include "tst_embedding_cache.moc"
