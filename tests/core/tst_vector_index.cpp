// Stored FAISS indexes: recall of the approximate types against exact search, save/load (memory-
// mapped for IVF), cancel, corrupt files, and the workspace's reuse-or-rebuild policy with a real
// (tiny) GloVe encoder on the QASPER fixture.
#include "uae/job_index.h"
#include "uae/qasper.h"
#include "uae/vector_index.h"
#include "uae/workspace.h"

#include "tiny_glove.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace uae;
namespace fs = std::filesystem;

namespace {

constexpr int kDim = 32;

// Points around 64 centres, L2-normalised: clustered like text embeddings, unlike uniform noise.
std::vector<float> clustered(std::int64_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::vector<float> centres(64 * kDim);
    for (auto& x : centres)
        x = normal(rng);
    std::vector<float> out(static_cast<size_t>(n * kDim));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto c = static_cast<size_t>(rng() % 64);
        float norm = 0;
        for (int d = 0; d < kDim; ++d) {
            float& x = out[static_cast<size_t>(i * kDim + d)];
            x = centres[c * kDim + d] + 0.4f * normal(rng);
            norm += x * x;
        }
        for (int d = 0; d < kDim; ++d)
            out[static_cast<size_t>(i * kDim + d)] /= std::sqrt(norm);
    }
    return out;
}

IndexMeta metaFor(const std::string& factory) {
    IndexMeta m;
    m.factory = factory;
    m.encoder = "test";
    m.encoderFingerprint = "enc-1";
    m.corpusFingerprint = "corpus-1";
    m.corpus = "synthetic";
    m.dim = kDim;
    return m;
}

std::unique_ptr<VectorIndex> buildOrDie(const std::vector<float>& v, const std::string& factory) {
    auto built = VectorIndex::build(v, metaFor(factory), JobContext{}, 4000);
    if (!built)
        qFatal("%s", built.error().c_str());
    return std::move(built.value());
}

std::vector<std::int64_t> topK(const VectorIndex& index, const std::vector<float>& q, int k, IndexSearchParams p = {}) {
    std::vector<float> scores;
    std::vector<std::int64_t> labels;
    const auto s = index.search(q.data(), static_cast<std::int64_t>(q.size() / kDim), k, p, scores, labels);
    if (!s)
        qFatal("%s", s.error().c_str());
    return labels;
}

// Share of exact top-k ids the approximate search found, over all queries.
double recallAt(const std::vector<std::int64_t>& exact, const std::vector<std::int64_t>& approx, int k) {
    long hit = 0;
    for (size_t q = 0; q < exact.size() / k; ++q) {
        const std::set<std::int64_t> truth(exact.begin() + q * k, exact.begin() + (q + 1) * k);
        for (int i = 0; i < k; ++i)
            hit += truth.count(approx[q * k + i]);
    }
    return double(hit) / double(exact.size());
}

void truncate(const std::string& path, std::uintmax_t keep) {
    fs::resize_file(path, keep);
}

} // namespace

class TstVectorIndex : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<float> m_base = clustered(6000, 1), m_queries = clustered(200, 2);

    std::string file(const std::string& name) const {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }

private Q_SLOTS:
    void recallAgainstExact_data() {
        QTest::addColumn<QString>("factory");
        QTest::addColumn<int>("nprobe");
        QTest::addColumn<int>("efSearch");
        QTest::addColumn<double>("minRecall");
        QTest::newRow("Flat is exact") << "Flat" << 0 << 0 << 1.0;
        QTest::newRow("HNSW32 efSearch 256") << "HNSW32" << 0 << 256 << 0.93;
        QTest::newRow("IVF64,Flat every list is exact") << "IVF64,Flat" << 64 << 0 << 1.0;
        QTest::newRow("IVF64,Flat nprobe 8") << "IVF64,Flat" << 8 << 0 << 0.9;
        // "np": no polysemous training (the factory's default for IVF,PQ): minutes, for Hamming filtering only.
        QTest::newRow("IVF64,PQ8np nprobe 16") << "IVF64,PQ8np" << 16 << 0 << 0.55;
        QTest::newRow("OPQ8,IVF64,PQ8np nprobe 16") << "OPQ8,IVF64,PQ8np" << 16 << 0 << 0.55;
    }
    void recallAgainstExact() {
        QFETCH(QString, factory);
        QFETCH(int, nprobe);
        QFETCH(int, efSearch);
        QFETCH(double, minRecall);
        const auto exact = topK(*buildOrDie(m_base, "Flat"), m_queries, 10);
        const auto index = buildOrDie(m_base, factory.toStdString());
        QCOMPARE(index->meta().ntotal, std::int64_t(6000));
        const double r = recallAt(exact, topK(*index, m_queries, 10, {nprobe, efSearch}), 10);
        qInfo("%s: recall@10 %.4f", qPrintable(factory), r);
        QVERIFY2(
            r >= minRecall - 1e-9,
            qPrintable(
                QString("recall@10 %1 < %2 (HNSW adds in parallel: its graph, and recall, vary a little run to run)")
                    .arg(r)
                    .arg(minRecall)));
    }

    void moreProbesFindMore() {
        const auto exact = topK(*buildOrDie(m_base, "Flat"), m_queries, 10);
        const auto index = buildOrDie(m_base, "IVF64,Flat");
        const double one = recallAt(exact, topK(*index, m_queries, 10, {1, 0}), 10);
        const double many = recallAt(exact, topK(*index, m_queries, 10, {16, 0}), 10);
        QVERIFY2(one < many, qPrintable(QString("nprobe 1: %1, nprobe 16: %2").arg(one).arg(many)));
    }

    void saveLoadSameAnswers_data() {
        QTest::addColumn<QString>("factory");
        QTest::addColumn<bool>("mapped");
        QTest::newRow("Flat") << "Flat" << false;
        QTest::newRow("HNSW16") << "HNSW16" << false;
        QTest::newRow("IVF64,Flat mmap") << "IVF64,Flat" << true;
        QTest::newRow("IVF64,PQ8np mmap") << "IVF64,PQ8np" << true;
    }
    void saveLoadSameAnswers() {
        QFETCH(QString, factory);
        QFETCH(bool, mapped);
        auto index = buildOrDie(m_base, factory.toStdString());
        const std::string path = file("saved-" + std::to_string(qHash(factory)) + ".faiss");
        QVERIFY(index->save(path).ok());
        QCOMPARE(index->meta().memoryBytes, std::int64_t(fs::file_size(path)));
        auto loaded = VectorIndex::load(path);
        QVERIFY2(loaded.ok(), loaded.error().c_str());
        QCOMPARE(loaded.value()->memoryMapped(), mapped);
        QCOMPARE(loaded.value()->meta().toJson(), index->meta().toJson());
        QCOMPARE(topK(*loaded.value(), m_queries, 10), topK(*index, m_queries, 10));
    }

    void badFactoryAndParameters() {
        auto bad = VectorIndex::build(m_base, metaFor("NoSuchIndex42"), JobContext{});
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().find("'NoSuchIndex42'") != std::string::npos, bad.error().c_str());
        auto tooFew = VectorIndex::build(clustered(100, 3), metaFor("IVF4096,Flat"), JobContext{});
        QVERIFY(!tooFew.ok());
        QVERIFY2(tooFew.error().find("IVF4096,Flat") != std::string::npos, tooFew.error().c_str());
        auto flat = buildOrDie(m_base, "Flat");
        std::vector<float> s;
        std::vector<std::int64_t> l;
        const auto st = flat->search(m_queries.data(), 1, 10, {4, 0}, s, l);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().find("nprobe applies to IVF") != std::string::npos, st.error().c_str());
    }

    // A cancelled build keeps nothing: no index, no metadata, no temporary file.
    void cancelKeepsNothing() {
        std::atomic<bool> cancel{false};
        JobContext ctx;
        ctx.cancelFlag = &cancel;
        ctx.onProgress = [&](const JobProgress& p) { cancel = p.done >= 20000; };
        const std::string path = file("cancelled.faiss");
        const auto big = clustered(60000, 4);
        auto r = openOrBuildIndex(
            path, metaFor("Flat"), [&] { return Result<std::vector<float>>(big); }, ctx);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("cancelled after 20000 of 60000") != std::string::npos, r.error().c_str());
        for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path())) // nor any temp file
            QVERIFY2(!entry.path().filename().string().starts_with("cancelled.faiss"), entry.path().c_str());
    }

    void reuseOrRebuild() {
        const std::string path = file("policy.faiss");
        int encodes = 0;
        auto vectors = [&] {
            ++encodes;
            return Result<std::vector<float>>(m_base);
        };
        std::vector<std::string> warnings;
        JobContext ctx;
        ctx.onWarning = [&](const std::string& w) { warnings.push_back(w); };
        auto first = openOrBuildIndex(path, metaFor("HNSW16"), vectors, ctx);
        QVERIFY2(first.ok(), first.error().c_str());
        QVERIFY(!first->loaded);
        auto again = openOrBuildIndex(path, metaFor("HNSW16"), vectors, ctx);
        QVERIFY(again->loaded);
        QCOMPARE(again->index->meta().created, first->index->meta().created);
        QCOMPARE(encodes, 1);
        auto otherEncoder = metaFor("HNSW16");
        otherEncoder.encoderFingerprint = "enc-2";
        auto rebuilt = openOrBuildIndex(path, otherEncoder, vectors, ctx);
        QVERIFY(!rebuilt->loaded);
        QVERIFY2(rebuilt->rebuiltWhy.find("the encoder changed") != std::string::npos, rebuilt->rebuiltWhy.c_str());
        auto otherCorpus = otherEncoder;
        otherCorpus.corpusFingerprint = "corpus-2";
        auto rebuilt2 = openOrBuildIndex(path, otherCorpus, vectors, ctx);
        QVERIFY2(rebuilt2->rebuiltWhy.find("the corpus changed") != std::string::npos, rebuilt2->rebuiltWhy.c_str());
        QCOMPARE(encodes, 3);
        QCOMPARE(warnings.size(), size_t(2));
    }

    void corruptFileRebuilt_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("index cut short") << "truncate";
        QTest::newRow("index overwritten") << "garbage";
        QTest::newRow("metadata not JSON") << "meta";
        QTest::newRow("metadata missing") << "nometa";
    }
    void corruptFileRebuilt() {
        QFETCH(QString, damage);
        const std::string path = file("corrupt-" + damage.toStdString() + ".faiss");
        auto vectors = [&] { return Result<std::vector<float>>(m_base); };
        QVERIFY(openOrBuildIndex(path, metaFor("IVF64,Flat"), vectors, JobContext{}).ok());
        const auto size = fs::file_size(path);
        if (damage == "truncate")
            truncate(path, size / 2);
        if (damage == "garbage")
            std::ofstream(path, std::ios::binary | std::ios::in) << std::string(4096, 'x');
        if (damage == "meta")
            std::ofstream(path + ".json") << "{ not json";
        if (damage == "nometa")
            fs::remove(path + ".json");
        auto direct = VectorIndex::load(path);
        QVERIFY(!direct.ok());
        QVERIFY2(direct.error().find(path) == 0, direct.error().c_str());
        std::string warned;
        JobContext ctx;
        ctx.onWarning = [&](const std::string& w) { warned = w; };
        auto r = openOrBuildIndex(path, metaFor("IVF64,Flat"), vectors, ctx);
        QVERIFY2(r.ok(), r.error().c_str());
        QVERIFY(!r->loaded);
        QVERIFY2(warned.find("rebuilding the index: " + path) == 0, warned.c_str());
        QVERIFY(VectorIndex::load(path).ok());
    }

    void fingerprints() {
        QVERIFY(corpusFingerprint({"ab", "c"}) != corpusFingerprint({"a", "bc"}));
        QCOMPARE(corpusFingerprint({"x", "y"}), corpusFingerprint({"x", "y"}));
        QCOMPARE(indexFileName("bert:bge-small", "dev", "IVF4096,PQ50"),
                 std::string("bert_bge-small-dev-IVF4096_PQ50.faiss"));
    }

    // Every preset the GUI offers is a string FAISS builds, from minVectors up, and searches with
    // its knob at the proposed value; one vector fewer than minVectors is refused for IVF.
    void presetsBuildAndSearch() {
        QVERIFY(!indexPresets().empty());
        QCOMPARE(indexPresets().front().factory, IndexBuildConfig{}.index); // exact first, the default
        for (const auto& p : indexPresets()) {
            const auto index = buildOrDie(m_base, p.factory);
            const IndexKnob knob = indexKnob(p.factory);
            IndexSearchParams params;
            (knob == IndexKnob::Nprobe ? params.nprobe : params.efSearch) = defaultKnobValue(knob);
            QCOMPARE(topK(*index, m_queries, 10, params).size(), size_t(m_queries.size() / kDim * 10));
            QVERIFY2(p.minVectors <= std::int64_t(m_base.size() / kDim), p.factory.c_str());
            if (p.minVectors > 1)
                QVERIFY2(!VectorIndex::build(clustered(p.minVectors - 1, 5), metaFor(p.factory), JobContext{}).ok(),
                         p.factory.c_str());
        }
    }

    void knobOfFactory_data() {
        QTest::addColumn<QString>("factory");
        QTest::addColumn<int>("knob");
        QTest::newRow("Flat") << "Flat" << int(IndexKnob::None);
        QTest::newRow("HNSW32") << "HNSW32" << int(IndexKnob::EfSearch);
        QTest::newRow("HNSW32,SQ8") << "HNSW32,SQ8" << int(IndexKnob::EfSearch);
        QTest::newRow("IVF128,Flat") << "IVF128,Flat" << int(IndexKnob::Nprobe);
        QTest::newRow("OPQ8,IVF64,PQ8np") << "OPQ8,IVF64,PQ8np" << int(IndexKnob::Nprobe);
        QTest::newRow("IVF HNSW quantizer") << "IVF4096_HNSW32,Flat" << int(IndexKnob::Nprobe);
    }
    void knobOfFactory() {
        QFETCH(QString, factory);
        QFETCH(int, knob);
        QCOMPARE(int(indexKnob(factory.toStdString())), knob);
        QCOMPARE(defaultKnobValue(IndexKnob(knob)) > 0, knob != int(IndexKnob::None));
    }

    // Deleting removes the index and its metadata (listIndexes no longer has it); a missing file
    // or one that is not an index is an error naming it, and nothing else is touched.
    void removeDeletesIndexAndMeta() {
        const QTemporaryDir dir;
        const std::string home = dir.path().toStdString();
        const std::string path = QDir(dir.path()).filePath("gone.faiss").toStdString();
        QVERIFY(buildOrDie(m_base, "Flat")->save(path).ok());
        const std::string other = QDir(dir.path()).filePath("kept.txt").toStdString();
        std::ofstream(other) << "not an index";
        QCOMPARE(listIndexes(home).size(), size_t(1));
        QVERIFY(removeIndex(home, path).ok());
        QVERIFY(!fs::exists(path) && !fs::exists(path + ".json"));
        QVERIFY(listIndexes(home).empty());
        const auto again = removeIndex(home, path);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().find("gone.faiss: no such index") != std::string::npos, again.error().c_str());
        const auto notIndex = removeIndex(home, other);
        QVERIFY(!notIndex.ok());
        QVERIFY2(notIndex.error().find("kept.txt: not a stored index") != std::string::npos, notIndex.error().c_str());
        QVERIFY(fs::exists(other));
        // A bare name is a file of the folder, as `uae index remove NAME` passes it.
        QVERIFY(buildOrDie(m_base, "Flat")->save(path).ok());
        QVERIFY(removeIndex(home, "gone.faiss").ok());
        QVERIFY(!fs::exists(path) && !fs::exists(path + ".json"));
    }

    // Only an index of the folder itself is deleted: one elsewhere, or reached through '..', is
    // refused and stays with its metadata.
    void removeRefusesIndexesOutsideTheFolder_data() {
        QTest::addColumn<QString>("name"); // relative to the temporary root; indexes live in ws/
        QTest::newRow("another folder") << "elsewhere/x.faiss";
        QTest::newRow("through ..") << "ws/../elsewhere/x.faiss";
        QTest::newRow("a subfolder") << "ws/sub/x.faiss";
    }
    void removeRefusesIndexesOutsideTheFolder() {
        QFETCH(QString, name);
        const QTemporaryDir root;
        const QDir top(root.path());
        QVERIFY(top.mkpath("ws/sub") && top.mkpath("elsewhere"));
        const std::string target = top.filePath(name).toStdString();
        QVERIFY(buildOrDie(m_base, "Flat")->save(target).ok());
        const auto r = removeIndex(top.filePath("ws").toStdString(), target);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("not an index of this workspace") != std::string::npos, r.error().c_str());
        QVERIFY(fs::exists(target) && fs::exists(target + ".json"));
    }
};

QTEST_GUILESS_MAIN(TstVectorIndex)
#include "tst_vector_index.moc"
