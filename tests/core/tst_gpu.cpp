// The models on a CUDA GPU (label "gpu": CPU CI never runs it; scripts/device/gpu_check.sh runs it
// on the GPU machine). Without a CUDA device LibTorch can use, it FAILS in initTestCase: a GPU
// check that silently skips would prove nothing. Every case compares CUDA against CPU float32:
//   bertTiny      the tiny test BERT (tests/data/bert-tiny) in float32 / float16 / bfloat16 against
//                 its PyTorch reference (reference.json) and our CPU float32 embeddings;
//   realMiniLm    all-MiniLM-L6-v2 (only when the model cache has it, else skipped) on the 300
//                 golden QASPER texts against the CPU float32 embeddings of the same weights and
//                 the sentence-transformers goldens;
//   causalLm      the tiny Llama / Qwen2 / GPT-2 checkpoints: logits, batched NLL and greedy
//                 generation against CPU float32;
//   stories260K   the llama2.c checkpoint in ../shared, when present: greedy text on CUDA;
//   bertTraining  one epoch of UAE-BERT training on the QASPER fixture with bfloat16 autocast on
//                 and off (and on the CPU, for the loss values side by side).
// The figures are printed with qInfo and, when UAE_GPU_RESULTS names a file, written there as JSON.
// UAE_TST_GPU_DEVICE=cpu runs the same comparisons with "cpu" in place of "cuda" (to check the
// checks on a machine without a GPU; it proves nothing about CUDA).
#include "uae/causal_lm.h"
#include "uae/device.h"
#include "uae/encoder_bert.h"
#include "uae/job_label.h"
#include "uae/job_train.h"
#include "uae/lm_tokenizer.h"
#include "uae/model_registry.h"
#include "uae/qasper.h"
#include "uae/safetensors.h"
#include "uae/scorer_dirichlet.h"
#include "uae/store.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace uae;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kData = UAE_TEST_DATA_DIR;
const std::string kStories = UAE_SHARED_DIR "/models/stories260K";

// The device under test: "cuda" unless UAE_TST_GPU_DEVICE says otherwise.
const std::string& testDevice() {
    static const std::string d = [] {
        const char* e = std::getenv("UAE_TST_GPU_DEVICE");
        return std::string(e && *e ? e : "cuda");
    }();
    return d;
}
bool onCuda() {
    return testDevice().starts_with("cuda");
}

json g_results = json::object();

void record(const std::string& section, const QString& row, json fields) {
    g_results[section][row.toStdString()] = std::move(fields);
}

void writeResults() {
    const char* path = std::getenv("UAE_GPU_RESULTS");
    if (!path || !*path)
        return;
    std::ofstream out(path);
    out << g_results.dump(2) << '\n';
}

json readJson(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path + ": cannot open");
    return json::parse(in);
}

struct Diff {
    double worstCos = 1; // worst row cosine
    double worstAbs = 0; // worst element |a - b|
};

// Rows of two row-major [n x dim] matrices.
Diff compareRows(const std::vector<float>& got, const std::vector<float>& want, int dim) {
    Diff d;
    const size_t rows = want.size() / static_cast<size_t>(dim);
    for (size_t r = 0; r < rows; ++r) {
        double dot = 0, ng = 0, nw = 0;
        for (int k = 0; k < dim; ++k) {
            const double g = got[r * dim + k], w = want[r * dim + k];
            dot += g * w, ng += g * g, nw += w * w;
            d.worstAbs = std::max(d.worstAbs, std::fabs(g - w));
        }
        const double cos = ng > 0 && nw > 0 ? dot / std::sqrt(ng * nw) : (ng == nw ? 1.0 : 0.0);
        d.worstCos = std::min(d.worstCos, std::isfinite(cos) ? cos : -1.0);
    }
    return d;
}

bool allFinite(const std::vector<float>& v) {
    return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
}

// What one dtype must reach against CPU float32.
bool isHalf(const QString& dtype) {
    return dtype != "float32";
}

int argmaxRow(const float* row, int n) {
    return static_cast<int>(std::max_element(row, row + n) - row);
}

} // namespace

class TestGpu : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Dataset m_data;
    bool m_haveData = false;
    // all-MiniLM-L6-v2 on the CPU in float32: computed once, shared by the dtype rows.
    std::vector<float> m_miniLmCpu;
    std::string m_miniLmDir;

    std::unique_ptr<Store> labeledStore(const QString& name) {
        QDir(m_dir.path()).mkpath(name);
        auto store = Store::open(QDir(m_dir.filePath(name)).filePath("ws.db").toStdString());
        if (!store)
            qFatal("%s", store.error().c_str());
        ScorerDirichlet scorer;
        LabelJobConfig lc;
        lc.split = "fixture";
        const auto r = runLabelJob(*store.value(), m_data, scorer, lc, JobContext{});
        if (r.status != uae::RunStatus::Finished)
            qFatal("labelling the fixture failed: %s", r.error.c_str());
        return std::move(store.value());
    }

private Q_SLOTS:
    void initTestCase() {
        configureThreads(0);
        const DeviceInfo dev = currentDevice();
        qInfo("LibTorch %s, device %s, %d CPU threads", dev.torchVersion.c_str(), dev.name.c_str(), dev.threads);
        g_results["device"] = {
            {"torch", dev.torchVersion}, {"device", dev.name}, {"cuda", dev.cuda}, {"threads", dev.threads}};
        g_results["device_under_test"] = testDevice();
        if (!onCuda())
            qWarning("UAE_TST_GPU_DEVICE=%s: checking the checks on '%s', not CUDA", testDevice().c_str(),
                     testDevice().c_str());
        if (!dev.cuda && onCuda()) {
            g_results["error"] = "no CUDA device";
            writeResults();
            QFAIL("LibTorch sees no CUDA device (CPU-only LibTorch, no GPU, or no driver): tst_gpu checks the "
                  "models on CUDA and must run on a GPU machine (scripts/device/gpu_check.sh); CPU CI skips label gpu");
        }
        auto d = loadQasper(kData + "/qasper", "fixture");
        QVERIFY2(d.ok(), d.error().c_str());
        m_data = std::move(d.value());
        m_haveData = true;
    }

    void cleanupTestCase() { writeResults(); }
    void cleanup() { writeResults(); } // after every row: the figures survive a crash further on

    // a) The tiny BERT: CLS-pooled passages and instruction-prefixed queries, batched with padding.
    void bertTiny_data() {
        QTest::addColumn<QString>("dtype");
        QTest::newRow("float32") << "float32";
        QTest::newRow("float16") << "float16";
        QTest::newRow("bfloat16") << "bfloat16";
    }
    void bertTiny() {
        QFETCH(QString, dtype);
        const std::string dir = kData + "/bert-tiny";
        const json ref = readJson(dir + "/reference.json");
        BertOptions onCpu;
        onCpu.device = "cpu";
        onCpu.dtype = "float32";
        onCpu.maxBatch = 5;
        BertOptions onGpu = onCpu;
        onGpu.device = testDevice();
        onGpu.dtype = dtype.toStdString();
        auto cpu = EncoderBert::load(dir, onCpu);
        QVERIFY2(cpu.ok(), cpu.error().c_str());
        auto gpu = EncoderBert::load(dir, onGpu);
        QVERIFY2(gpu.ok(), gpu.error().c_str());
        qInfo("encoder on %s", gpu.value()->device().c_str());
        QVERIFY2(gpu.value()->device().starts_with(testDevice()), gpu.value()->device().c_str());
        QVERIFY2(gpu.value()->device().find(dtype.toStdString()) != std::string::npos, gpu.value()->device().c_str());
        const int dim = gpu.value()->dim();
        json fields{{"device", gpu.value()->device()}};
        Diff worstRef, worstCpu;
        for (const char* set : {"passages", "queries"}) {
            std::vector<std::string> texts;
            std::vector<float> want;
            for (const auto& r : ref[set]) {
                texts.push_back(r["text"]);
                const auto v = r["cls"].get<std::vector<float>>();
                want.insert(want.end(), v.begin(), v.end());
            }
            const auto role = std::string(set) == "queries" ? EncodeRole::Query : EncodeRole::Passage;
            const auto got = gpu.value()->encode(texts, role);
            const auto base = cpu.value()->encode(texts, role);
            QCOMPARE(got.size(), want.size());
            QVERIFY(allFinite(got));
            const Diff r = compareRows(got, want, dim), c = compareRows(got, base, dim);
            qInfo("bert-tiny %s %s on %s: vs PyTorch reference worst cosine %.9f, worst |diff| %.3g; "
                  "vs our CPU float32 worst cosine %.9f, worst |diff| %.3g (%zu texts)",
                  set, qPrintable(dtype), testDevice().c_str(), r.worstCos, r.worstAbs, c.worstCos, c.worstAbs,
                  texts.size());
            fields[set] = {{"texts", texts.size()},
                           {"ref_worst_cos", r.worstCos},
                           {"ref_worst_abs", r.worstAbs},
                           {"cpu_worst_cos", c.worstCos},
                           {"cpu_worst_abs", c.worstAbs}};
            worstRef = {std::min(worstRef.worstCos, r.worstCos), std::max(worstRef.worstAbs, r.worstAbs)};
            worstCpu = {std::min(worstCpu.worstCos, c.worstCos), std::max(worstCpu.worstAbs, c.worstAbs)};
        }
        fields["batches"] = gpu.value()->stats().batches;
        record("bert_tiny", dtype, fields);
        QVERIFY(gpu.value()->stats().batches > 1);
        if (!isHalf(dtype)) {
            QVERIFY2(worstRef.worstCos >= 0.99999,
                     qPrintable(QString("worst cosine %1").arg(worstRef.worstCos, 0, 'g', 9)));
            QVERIFY2(worstRef.worstAbs <= 1e-4, qPrintable(QString("worst |diff| %1").arg(worstRef.worstAbs)));
            QVERIFY2(worstCpu.worstCos >= 0.99999,
                     qPrintable(QString("vs CPU: worst cosine %1").arg(worstCpu.worstCos, 0, 'g', 9)));
            QVERIFY2(worstCpu.worstAbs <= 1e-4, qPrintable(QString("vs CPU: worst |diff| %1").arg(worstCpu.worstAbs)));
        } else {
            QVERIFY2(worstRef.worstCos >= 0.999,
                     qPrintable(QString("worst cosine %1").arg(worstRef.worstCos, 0, 'g', 9)));
            QVERIFY2(worstCpu.worstCos >= 0.999,
                     qPrintable(QString("vs CPU: worst cosine %1").arg(worstCpu.worstCos, 0, 'g', 9)));
        }
    }

    // b) all-MiniLM-L6-v2 on 300 real QASPER texts, when the model cache has it. The device run
    // carries a float16 copy (scripts/device/pack_minilm.sh): the strict check is then against the
    // CPU float32 embeddings of the same weights; against the float32-weight goldens the cosine
    // bound stays and |diff| is allowed 1e-3 (float16 weights alone move it by ~3e-4).
    void realMiniLm_data() {
        QTest::addColumn<QString>("dtype");
        QTest::newRow("float32") << "float32";
        QTest::newRow("float16") << "float16";
        QTest::newRow("bfloat16") << "bfloat16";
    }
    void realMiniLm() {
        QFETCH(QString, dtype);
        const auto model = findFetchedModel("all-MiniLM-L6-v2");
        if (!model || !model->problem.empty()) {
            const std::string why = !model ? "not in " + modelCacheDir() : model->problem;
            qInfo("all-MiniLM-L6-v2: %s; the real-model case is skipped", why.c_str());
            record("minilm", dtype, {{"skipped", why}});
            QSKIP("all-MiniLM-L6-v2 is not in the model cache (optional on the GPU machine)");
        }
        const std::string goldens = kData + "/real-models";
        std::vector<std::string> texts;
        for (const auto& item : readJson(goldens + "/texts.json"))
            texts.push_back(item.at("text").get<std::string>());
        auto file = SafetensorsFile::open(goldens + "/minilm/embeddings.safetensors");
        QVERIFY2(file.ok(), file.error().c_str());
        auto want = file.value()->readFloat32("passage");
        QVERIFY2(want.ok(), want.error().c_str());
        auto weights = SafetensorsFile::open(model->dir + "/model.safetensors");
        QVERIFY2(weights.ok(), weights.error().c_str());
        const auto* probe = weights.value()->find("embeddings.word_embeddings.weight");
        const bool halfWeights = probe && probe->dtype != DType::F32;

        BertOptions options;
        options.device = "cpu";
        options.dtype = "float32";
        if (m_miniLmCpu.empty() || m_miniLmDir != model->path) {
            auto cpu = EncoderBert::load(model->path, options);
            QVERIFY2(cpu.ok(), cpu.error().c_str());
            QElapsedTimer t;
            t.start();
            m_miniLmCpu = cpu.value()->encode(texts, EncodeRole::Passage);
            m_miniLmDir = model->path;
            qInfo("all-MiniLM-L6-v2 (%s weights): %zu texts on the CPU in float32 in %.2f s",
                  halfWeights ? "float16" : "float32", texts.size(), t.elapsed() / 1000.0);
        }
        options.device = testDevice();
        options.dtype = dtype.toStdString();
        auto gpu = EncoderBert::load(model->path, options);
        QVERIFY2(gpu.ok(), gpu.error().c_str());
        const int dim = gpu.value()->dim();
        QCOMPARE(want->size(), texts.size() * static_cast<size_t>(dim));
        gpu.value()->encode({texts[0]}, EncodeRole::Passage); // warm-up (kernels, allocator)
        QElapsedTimer t;
        t.start();
        const auto got = gpu.value()->encode(texts, EncodeRole::Passage);
        const double seconds = t.elapsed() / 1000.0;
        QVERIFY(allFinite(got));
        const Diff c = compareRows(got, m_miniLmCpu, dim), g = compareRows(got, want.value(), dim);
        const Diff base = compareRows(m_miniLmCpu, want.value(), dim);
        qInfo("all-MiniLM-L6-v2 %s on %s (%s weights), %zu texts in %.3f s: vs CPU float32 worst cosine %.9f, "
              "worst |diff| %.3g; vs sentence-transformers goldens worst cosine %.9f, worst |diff| %.3g "
              "(CPU float32 vs goldens: %.9f, %.3g)",
              qPrintable(dtype), testDevice().c_str(), halfWeights ? "float16" : "float32", texts.size(), seconds,
              c.worstCos, c.worstAbs, g.worstCos, g.worstAbs, base.worstCos, base.worstAbs);
        record("minilm", dtype,
               {{"device", gpu.value()->device()},
                {"weights", halfWeights ? "float16" : "float32"},
                {"texts", texts.size()},
                {"seconds", seconds},
                {"cpu_worst_cos", c.worstCos},
                {"cpu_worst_abs", c.worstAbs},
                {"golden_worst_cos", g.worstCos},
                {"golden_worst_abs", g.worstAbs},
                {"cpu_vs_golden_worst_cos", base.worstCos},
                {"cpu_vs_golden_worst_abs", base.worstAbs}});
        if (!isHalf(dtype)) {
            QVERIFY2(c.worstCos >= 0.99999, qPrintable(QString("vs CPU: worst cosine %1").arg(c.worstCos, 0, 'g', 9)));
            QVERIFY2(c.worstAbs <= 1e-4, qPrintable(QString("vs CPU: worst |diff| %1").arg(c.worstAbs)));
            QVERIFY2(g.worstCos >= 0.99999,
                     qPrintable(QString("vs goldens: worst cosine %1").arg(g.worstCos, 0, 'g', 9)));
            QVERIFY2(g.worstAbs <= (halfWeights ? 1e-3 : 1e-4),
                     qPrintable(QString("vs goldens: worst |diff| %1").arg(g.worstAbs)));
        } else {
            QVERIFY2(c.worstCos >= 0.999, qPrintable(QString("vs CPU: worst cosine %1").arg(c.worstCos, 0, 'g', 9)));
            QVERIFY2(g.worstCos >= 0.999,
                     qPrintable(QString("vs goldens: worst cosine %1").arg(g.worstCos, 0, 'g', 9)));
        }
    }

    // c) The tiny Hugging Face causal LMs: every position's logits of the reference sequences,
    // batched (padded) teacher-forced NLL, and greedy decoding with the KV cache.
    void causalLm_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("dtype");
        for (const char* m : {"llama-tiny", "qwen2-tiny", "gpt2-tiny"})
            for (const char* t : {"float32", "float16", "bfloat16"})
                QTest::newRow(qPrintable(QString("%1 %2").arg(m, t))) << m << t;
    }
    void causalLm() {
        QFETCH(QString, model);
        QFETCH(QString, dtype);
        const std::string dir = kData + "/" + model.toStdString();
        auto cpu = CausalLm::load(dir, LmOptions{"cpu", "float32"});
        QVERIFY2(cpu.ok(), cpu.error().c_str());
        auto gpu = CausalLm::load(dir, LmOptions{testDevice(), dtype.toStdString()});
        QVERIFY2(gpu.ok(), gpu.error().c_str());
        QVERIFY2(gpu.value()->device().starts_with(testDevice()), gpu.value()->device().c_str());
        const json ref = readJson(dir + "/reference.json");
        const int V = cpu.value()->config().vocabSize;
        double worst = 0, worstRef = 0;
        int lastSame = 0;
        std::vector<std::vector<std::int32_t>> all;
        json perSequence = json::array();
        for (const auto& r : ref) {
            const auto ids = r["ids"].get<std::vector<std::int32_t>>();
            all.push_back(ids);
            const auto a = cpu.value()->logits(ids), b = gpu.value()->logits(ids);
            QCOMPARE(b.size(), a.size());
            QVERIFY(allFinite(b));
            double w = 0;
            for (size_t i = 0; i < a.size(); ++i)
                w = std::max(w, static_cast<double>(std::fabs(a[i] - b[i])));
            size_t k = 0;
            for (const auto& row : r["logits"])
                for (const auto& v : row)
                    worstRef = std::max(worstRef, std::fabs(b[k++] - v.get<double>()));
            const float* lastA = a.data() + (ids.size() - 1) * V;
            const float* lastB = b.data() + (ids.size() - 1) * V;
            const int argA = argmaxRow(lastA, V), argB = argmaxRow(lastB, V);
            std::vector<float> sorted(lastA, lastA + V);
            std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
            lastSame += argA == argB;
            perSequence.push_back({{"tokens", ids.size()},
                                   {"max_abs", w},
                                   {"last_argmax_cpu", argA},
                                   {"last_argmax_cuda", argB},
                                   {"cpu_top2_gap", sorted[0] - sorted[1]}});
            worst = std::max(worst, w);
        }
        // Batched, padded NLL on the GPU against the CPU's.
        const auto nllA = cpu.value()->tokenNll(all), nllB = gpu.value()->tokenNll(all);
        double worstNll = 0;
        QCOMPARE(nllB.size(), nllA.size());
        for (size_t s = 0; s < nllA.size(); ++s) {
            QCOMPARE(nllB[s].size(), nllA[s].size());
            for (size_t t = 0; t < nllA[s].size(); ++t)
                worstNll =
                    std::max(worstNll, std::isfinite(nllB[s][t]) ? std::fabs(nllA[s][t] - nllB[s][t]) : INFINITY);
        }
        const std::vector<std::int32_t> prompt(all[0].begin(), all[0].begin() + 4);
        const auto genA = cpu.value()->generate(prompt, 16), genB = gpu.value()->generate(prompt, 16);
        const bool sameGen = genA == genB;
        size_t agree = 0;
        while (agree < std::min(genA.size(), genB.size()) && genA[agree] == genB[agree])
            ++agree;
        qInfo("%s %s on %s: worst logit |diff| vs CPU float32 %.3g (vs reference.json %.3g), last-position argmax "
              "equal on %d of %zu sequences, worst NLL |diff| %.3g, greedy %zu tokens %s (first %zu agree)",
              qPrintable(model), qPrintable(dtype), testDevice().c_str(), worst, worstRef, lastSame, all.size(),
              worstNll, genB.size(), sameGen ? "identical" : "DIFFERENT", agree);
        record("causal_lm", QString("%1 %2").arg(model, dtype),
               {{"device", gpu.value()->device()},
                {"max_abs_vs_cpu", worst},
                {"max_abs_vs_reference", worstRef},
                {"last_argmax_equal", lastSame},
                {"sequences", all.size()},
                {"nll_max_abs", worstNll},
                {"greedy_identical", sameGen},
                {"greedy_agree_prefix", agree},
                {"greedy_cpu", genA},
                {"greedy_cuda", genB},
                {"per_sequence", perSequence}});
        QCOMPARE(lastSame, static_cast<int>(all.size()));
        if (!isHalf(dtype)) {
            QVERIFY2(worst <= 1e-3, qPrintable(QString("worst logit |diff| %1").arg(worst)));
            QVERIFY2(worstNll <= 1e-3, qPrintable(QString("worst NLL |diff| %1").arg(worstNll)));
            QVERIFY2(sameGen, "greedy generation on CUDA float32 differs from the CPU's");
        }
    }

    // The llama2.c checkpoint with its tokenizer (../shared/models/stories260K, when present): the
    // float64 reference greedy story on CUDA.
    void stories260K_data() {
        QTest::addColumn<QString>("dtype");
        QTest::newRow("float32") << "float32";
        QTest::newRow("float16") << "float16";
        QTest::newRow("bfloat16") << "bfloat16";
    }
    void stories260K() {
        QFETCH(QString, dtype);
        if (!fs::exists(kStories + "/stories260K.bin")) {
            record("stories260K", dtype, {{"skipped", kStories + " not present"}});
            QSKIP("stories260K checkpoint not present (optional)");
        }
        auto lm = CausalLm::load(kStories + "/stories260K.bin", LmOptions{testDevice(), dtype.toStdString()});
        QVERIFY2(lm.ok(), lm.error().c_str());
        const json ref = readJson(kStories + "/reference_greedy.json");
        const auto want = ref["token_ids"].get<std::vector<std::int32_t>>();
        const auto gen = lm.value()->generate({1}, static_cast<int>(want.size()) - 1);
        std::vector<std::int32_t> all{1};
        all.insert(all.end(), gen.begin(), gen.end());
        size_t agree = 0;
        while (agree < std::min(all.size(), want.size()) && all[agree] == want[agree])
            ++agree;
        const std::string text = lm.value()->tokenizer() ? lm.value()->tokenizer()->decode(gen) : "";
        qInfo("stories260K %s on %s: %zu of %zu reference tokens agree; text: %s", qPrintable(dtype),
              testDevice().c_str(), agree, want.size(), text.c_str());
        record("stories260K", dtype,
               {{"device", lm.value()->device()}, {"agree", agree}, {"tokens", want.size()}, {"text", text}});
        if (!isHalf(dtype)) {
            QCOMPARE(all, want);
            QCOMPARE(text, ref["text"].get<std::string>());
        }
    }

    // d) UAE-BERT fine-tuning on CUDA, bfloat16 autocast on and off; the CPU run gives the float32
    // loss values beside them (and what the store records as its device).
    void bertTraining_data() {
        QTest::addColumn<QString>("device");
        QTest::addColumn<bool>("mixed");
        const QString dev = QString::fromStdString(testDevice());
        QTest::newRow(qPrintable(dev + ", bf16 autocast")) << dev << true;
        QTest::newRow(qPrintable(dev + ", float32")) << dev << false;
        QTest::newRow("cpu, float32 (reference)") << "cpu" << false;
    }
    void bertTraining() {
        QFETCH(QString, device);
        QFETCH(bool, mixed);
        QVERIFY(m_haveData);
        const QString row = QString("%1-%2").arg(device, mixed ? "bf16" : "fp32");
        auto store = labeledStore("train-" + row);
        TrainConfig c;
        c.encoder = uae::EncoderKind::Bert;
        c.modelDir = kData + "/bert-tiny";
        c.device = device.toStdString();
        c.mixedPrecision = mixed;
        c.split = c.evalSplit = "fixture";
        c.epochs = 1;
        c.batchQuestions = 2;
        c.accumulate = 1;
        c.evalEvery = 0;
        c.lr = 1e-3;
        c.maxTokens = 64;
        std::vector<MetricPoint> live;
        QElapsedTimer t;
        t.start();
        const auto r =
            runTrainJob(*store, m_data, m_data, c, JobContext{}, [&](const MetricPoint& p) { live.push_back(p); });
        const double seconds = t.elapsed() / 1000.0;
        std::vector<double> losses;
        for (const auto& p : live)
            if (p.name == "loss")
                losses.push_back(p.value);
        const auto run = store->run(r.runId);
        const std::string recorded = run.ok() ? run->device : "(no run: " + run.error() + ")";
        const json config =
            run.ok() && !run->configJson.empty() ? json::parse(run->configJson, nullptr, false) : json();
        QString lossText;
        for (double l : losses)
            lossText += QString::number(l, 'g', 7) + " ";
        qInfo("BERT training on %s (%s): %s in %.2f s, %ld steps, losses [ %s], eval MAP %.4f -> %.4f, stored device "
              "'%s'%s",
              qPrintable(device), mixed ? "bf16 autocast" : "float32", uae::toString(r.status), seconds, r.steps,
              qPrintable(lossText), r.baseMap, r.evalMap, recorded.c_str(),
              r.error.empty() ? "" : (" error: " + r.error).c_str());
        record("bert_training", row,
               {{"status", uae::toString(r.status)},
                {"error", r.error},
                {"seconds", seconds},
                {"steps", r.steps},
                {"losses", losses},
                {"base_map", r.baseMap},
                {"eval_map", r.evalMap},
                {"eval_recall1", r.evalRecall1},
                {"examples_per_second", r.examplesPerSecond},
                {"stored_device", recorded},
                {"stored_mixed_precision", config.is_object() ? config.value("mixed_precision", json()) : json()}});
        QVERIFY2(r.status == uae::RunStatus::Finished, r.error.c_str());
        QVERIFY(r.steps > 0);
        QVERIFY(!losses.empty());
        for (double l : losses)
            QVERIFY2(std::isfinite(l), qPrintable("loss " + QString::number(l)));
        QVERIFY(std::isfinite(r.evalMap));
        QVERIFY(run.ok());
        QVERIFY(config.is_object());
        QCOMPARE(config.value("device", std::string()), device.toStdString());
        QCOMPARE(config.value("mixed_precision", !mixed), mixed);
        if (device.toStdString() == testDevice()) {
            QVERIFY2(recorded.starts_with(testDevice().substr(0, 4)), recorded.c_str());
            // The trained checkpoint loads and encodes on the GPU.
            auto folder = trainedModelPath(store->path(), r.runId);
            QVERIFY2(folder.ok(), folder.error().c_str());
            BertOptions o;
            o.device = testDevice();
            o.dtype = "float32";
            o.method = "uae";
            auto trained = EncoderBert::load(folder.value(), o);
            QVERIFY2(trained.ok(), trained.error().c_str());
            QVERIFY(allFinite(trained.value()->encode({m_data.questions[0].text}, EncodeRole::Query)));
        } else {
            // The device the run used, not the process's default (a GPU exists here).
            QVERIFY2(recorded.starts_with("cpu"), recorded.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestGpu)
#include "tst_gpu.moc"
