// Conformance on the real pretrained weights (BGE-small-en-v1.5, all-MiniLM-L6-v2, SmolLM2-135M-
// Instruct Q4_1 GGUF) against what the reference libraries compute on them: tokenizers,
// sentence-transformers, the gguf package and transformers' LlamaForCausalLM. Goldens come from
// scripts/reference/real_model_goldens.py; the models from scripts/fetch-models.sh (both README
// set-up commands run it). A missing model fails the test: it is never skipped.
#include "uae/answering.h"
#include "uae/causal_lm.h"
#include "uae/encoder_bert.h"
#include "uae/gguf.h"
#include "uae/lm_tokenizer.h"
#include "uae/model_registry.h"
#include "uae/qasper.h"
#include "uae/safetensors.h"
#include "uae/sha256.h"
#include "uae/tokenizer_wordpiece.h"

#include <QFile>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace uae;
using nlohmann::json;

namespace {

const std::string kGoldens = UAE_TEST_DATA_DIR "/real-models";

json readJson(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path + ": cannot open");
    return json::parse(in);
}

std::vector<std::string> goldenTexts() {
    std::vector<std::string> texts;
    for (const auto& item : readJson(kGoldens + "/texts.json"))
        texts.push_back(item.at("text").get<std::string>());
    return texts;
}

// The fetched model, or a failure telling how to fetch it.
std::string modelPath(const std::string& name) {
    auto m = findFetchedModel(name);
    if (!m || !m->problem.empty())
        return {};
    return m->path;
}

#define REQUIRE_MODEL(var, name)                                                                                       \
    const std::string var = modelPath(name);                                                                           \
    if (var.empty())                                                                                                   \
        QFAIL(qPrintable(QString("model %1 is not fetched in %2: run scripts/fetch-models.sh")                         \
                             .arg(QString::fromStdString(name), QString::fromStdString(modelCacheDir()))));

std::vector<std::int32_t> ids(const json& j) {
    return j.get<std::vector<std::int32_t>>();
}

} // namespace

class TestRealModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bertTokenizer_data();
    void bertTokenizer();
    void bertEmbeddings_data();
    void bertEmbeddings();
    void ggufDequantisation();
    void llmTokenizer();
    void llmLogits();
    void llmGreedy();
    void llmChatReader();
};

// BGE-small-en-v1.5 rows join when its weights and goldens exist: no PyPI wheel bundles it, so
// only a copied Hugging Face cache entry provides it (scripts/fetch-models.sh says so).
bool haveBge() {
    const bool have =
        findFetchedModel("bge-small-en-v1.5") && QFile::exists(QString::fromStdString(kGoldens + "/bge-small"));
    if (!have)
        qInfo("bge-small-en-v1.5: not fetched (no PyPI wheel bundles it); its rows are left out");
    return have;
}

void TestRealModels::bertTokenizer_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("golden");
    if (haveBge())
        QTest::newRow("bge-small-en-v1.5") << "bge-small-en-v1.5"
                                           << "bge-small";
    QTest::newRow("all-MiniLM-L6-v2") << "all-MiniLM-L6-v2"
                                      << "minilm";
}

void TestRealModels::bertTokenizer() {
    QFETCH(QString, model);
    QFETCH(QString, golden);
    REQUIRE_MODEL(dir, model.toStdString());
    auto tok = TokenizerWordPiece::fromModelDir(dir);
    QVERIFY2(tok.ok(), tok.error().c_str());
    const auto texts = goldenTexts();
    const auto want = readJson(kGoldens + "/" + golden.toStdString() + "/tokens.json").at("ids");
    QCOMPARE(want.size(), texts.size());
    int same = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
        const auto got = tok.value()->encode(texts[i], 0).ids; // 0: no truncation, as the reference
        if (got == ids(want[i]))
            ++same;
        else
            qWarning("text %zu differs: %zu ids, tokenizers has %zu", i, got.size(), want[i].size());
    }
    qInfo("%s: uae tokenize equals tokenizers on %d of %zu QASPER texts", qPrintable(model), same, texts.size());
    QCOMPARE(same, static_cast<int>(texts.size()));
}

void TestRealModels::bertEmbeddings_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("golden");
    QTest::addColumn<bool>("query");
    if (haveBge()) {
        QTest::newRow("bge-small passages") << "bge-small-en-v1.5"
                                            << "bge-small" << false;
        QTest::newRow("bge-small queries (instruction)") << "bge-small-en-v1.5"
                                                         << "bge-small" << true;
    }
    QTest::newRow("MiniLM passages") << "all-MiniLM-L6-v2"
                                     << "minilm" << false;
}

void TestRealModels::bertEmbeddings() {
    QFETCH(QString, model);
    QFETCH(QString, golden);
    QFETCH(bool, query);
    REQUIRE_MODEL(dir, model.toStdString());
    BertOptions options;
    options.device = "cpu";
    options.dtype = "float32";
    auto encoder = EncoderBert::load(dir, options);
    QVERIFY2(encoder.ok(), encoder.error().c_str());
    auto file = SafetensorsFile::open(kGoldens + "/" + golden.toStdString() + "/embeddings.safetensors");
    QVERIFY2(file.ok(), file.error().c_str());
    auto want = file.value()->readFloat32(query ? "query" : "passage");
    QVERIFY2(want.ok(), want.error().c_str());
    const auto texts = goldenTexts();
    const int dim = encoder.value()->dim();
    QCOMPARE(want->size(), texts.size() * static_cast<size_t>(dim));
    const auto got = encoder.value()->encode(texts, query ? EncodeRole::Query : EncodeRole::Passage);
    double worstCos = 1, worstAbs = 0;
    for (size_t r = 0; r < texts.size(); ++r) {
        double dot = 0, ng = 0, nw = 0;
        for (int d = 0; d < dim; ++d) {
            const double g = got[r * dim + d], w = (*want)[r * dim + d];
            dot += g * w, ng += g * g, nw += w * w;
            worstAbs = std::max(worstAbs, std::fabs(g - w));
        }
        worstCos = std::min(worstCos, dot / std::sqrt(ng * nw));
    }
    qInfo("%s %s: %zu QASPER texts, worst cosine %.9f, worst |diff| %.3g against sentence-transformers",
          qPrintable(model), query ? "queries" : "passages", texts.size(), worstCos, worstAbs);
    QVERIFY(worstCos >= 0.99999);
    QVERIFY(worstAbs <= 1e-4);
}

void TestRealModels::ggufDequantisation() {
    REQUIRE_MODEL(path, std::string("SmolLM2-135M-Instruct"));
    auto file = GgufFile::open(path);
    QVERIFY2(file.ok(), file.error().c_str());
    const auto want = readJson(kGoldens + "/smollm2/dequant.json");
    auto samples = SafetensorsFile::open(kGoldens + "/smollm2/dequant_samples.safetensors");
    QVERIFY2(samples.ok(), samples.error().c_str());
    QCOMPARE(file.value()->tensors().size(), want.size());
    double worst = 0;
    int identical = 0;
    std::map<std::string, int> types;
    for (const auto& w : want) {
        const std::string name = w.at("name");
        const GgufTensor* t = file.value()->findTensor(name);
        QVERIFY2(t, name.c_str());
        QCOMPARE(std::string(ggmlTypeName(t->type)), w.at("type").get<std::string>());
        auto values = file.value()->readFloat32(name);
        QVERIFY2(values.ok(), values.error().c_str());
        QCOMPARE(static_cast<std::int64_t>(values->size()), w.at("numel").get<std::int64_t>());
        auto sample = samples.value()->readFloat32(name);
        QVERIFY2(sample.ok(), sample.error().c_str());
        for (size_t k = 0; k < sample->size(); ++k) {
            const size_t at = k * values->size() / sample->size();
            worst = std::max(worst, static_cast<double>(std::fabs((*values)[at] - (*sample)[k])));
        }
        if (sha256Hex(values->data(), values->size() * sizeof(float)) == w.at("sha256").get<std::string>())
            ++identical;
        ++types[ggmlTypeName(t->type)];
    }
    std::string mix;
    for (const auto& [type, n] : types)
        mix += " " + type + " x" + std::to_string(n);
    qInfo("SmolLM2 GGUF: %d of %zu tensors (%s) bit-identical to gguf.quants.dequantize; worst |diff| on samples %.3g",
          identical, want.size(), mix.c_str() + 1, worst);
    QVERIFY(worst <= 1e-6);
    QCOMPARE(identical, static_cast<int>(want.size()));
}

void TestRealModels::llmTokenizer() {
    REQUIRE_MODEL(path, std::string("SmolLM2-135M-Instruct"));
    auto tok = loadLmTokenizer(path);
    QVERIFY2(tok.ok(), tok.error().c_str());
    const auto golden = readJson(kGoldens + "/smollm2/tokens.json");
    auto texts = goldenTexts();
    for (const auto& extra : golden.at("texts"))
        texts.push_back(extra.get<std::string>());
    const auto& want = golden.at("ids");
    QCOMPARE(want.size(), texts.size());
    int same = 0, roundTrips = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
        const auto got = tok.value()->encode(texts[i], true);
        if (got == ids(want[i]))
            ++same;
        else
            qWarning("text %zu differs (%zu ids, reference %zu): %.60s", i, got.size(), want[i].size(),
                     texts[i].c_str());
        if (tok.value()->decode(got) == texts[i])
            ++roundTrips;
    }
    qInfo("SmolLM2 tokenizer: equal to the Hugging Face tokenizer on %d of %zu texts; decode(encode(t)) == t for %d",
          same, texts.size(), roundTrips);
    QCOMPARE(same, static_cast<int>(texts.size()));
}

void TestRealModels::llmLogits() {
    REQUIRE_MODEL(path, std::string("SmolLM2-135M-Instruct"));
    auto lm = CausalLm::load(path, LmOptions{"cpu", "float32"});
    QVERIFY2(lm.ok(), lm.error().c_str());
    const auto prompts = readJson(kGoldens + "/smollm2/prompts.json");
    auto file = SafetensorsFile::open(kGoldens + "/smollm2/logits.safetensors");
    QVERIFY2(file.ok(), file.error().c_str());
    auto subset = file.value()->readFloat32("subset_ids");
    QVERIFY2(subset.ok(), subset.error().c_str());
    const int V = lm.value()->config().vocabSize;
    double worst = 0;
    for (size_t p = 0; p < prompts.size(); ++p) {
        const auto seq = ids(prompts[p].at("ids"));
        const auto got = lm.value()->logits(seq);
        QCOMPARE(got.size(), seq.size() * static_cast<size_t>(V));
        auto sub = file.value()->readFloat32("prompt" + std::to_string(p) + ".subset");
        auto last = file.value()->readFloat32("prompt" + std::to_string(p) + ".last");
        QVERIFY(sub.ok() && last.ok());
        const size_t S = subset->size();
        for (size_t t = 0; t < seq.size(); ++t)
            for (size_t k = 0; k < S; ++k)
                worst = std::max(worst, std::fabs(double(got[t * V + size_t((*subset)[k])]) - (*sub)[t * S + k]));
        for (int v = 0; v < V; ++v)
            worst = std::max(worst, std::fabs(double(got[(seq.size() - 1) * V + v]) - (*last)[v]));
    }
    qInfo("SmolLM2 logits on %zu prompts: worst |diff| %.3g against transformers LlamaForCausalLM (float32, same "
          "dequantised weights)",
          prompts.size(), worst);
    QVERIFY(worst <= 1e-3);
}

// transformers was told not to stop at EOS, the workbench stops there: ids are compared up to
// it. A step where the reference's two best logits are closer than the logits agree (1e-3) is a
// numerical tie that float32 rounding in another BLAS may break either way: a continuation is
// compared up to its first tie, and how many are identical all through is reported.
void TestRealModels::llmGreedy() {
    REQUIRE_MODEL(path, std::string("SmolLM2-135M-Instruct"));
    auto lm = CausalLm::load(path, LmOptions{"cpu", "float32"});
    QVERIFY2(lm.ok(), lm.error().c_str());
    const auto prompts = readJson(kGoldens + "/smollm2/prompts.json");
    int whole = 0;
    for (const auto& p : prompts) {
        const auto want = ids(p.at("greedy"));
        const auto margins = p.at("margins").get<std::vector<double>>();
        const auto got = lm.value()->generate(ids(p.at("ids")), static_cast<int>(want.size()));
        size_t firstTie = want.size();
        for (size_t t = 0; t < margins.size(); ++t)
            if (margins[t] < 1e-3) {
                firstTie = t;
                break;
            }
        size_t same = 0;
        while (same < got.size() && same < want.size() && got[same] == want[same])
            ++same;
        const bool stoppedAtEos = same == got.size() && !got.empty() && got.back() == lm.value()->tokenizer()->eosId();
        if (same == want.size() || stoppedAtEos) {
            ++whole;
            if (got.size() == want.size())
                QCOMPARE(lm.value()->tokenizer()->decode(got), p.at("greedy_text").get<std::string>());
            continue;
        }
        qInfo("prompt %.30s: identical for %zu tokens, then a tie (reference top-2 margin %.2g at step %zu)",
              p.at("prompt").get<std::string>().c_str(), same, firstTie < margins.size() ? margins[firstTie] : -1.0,
              firstTie);
        QVERIFY2(same >= firstTie, "greedy continuation differs before any numerical tie");
    }
    qInfo("SmolLM2 greedy: %d of %zu 64-token continuations identical to greedy decoding over transformers' "
          "LlamaForCausalLM",
          whole, prompts.size());
}

// The instruct model as the answer reader, in its chat turns: a short answer taken from the
// context, ended by the model's end of turn or the line-break stop, long before the token limit.
void TestRealModels::llmChatReader() {
    REQUIRE_MODEL(path, std::string("SmolLM2-135M-Instruct"));
    auto lm = CausalLm::load(path, LmOptions{"cpu", "float32"});
    QVERIFY2(lm.ok(), lm.error().c_str());
    Paper paper;
    paper.paragraphs = {{"Data", "We evaluate on the Penn Treebank, a corpus of Wall Street Journal articles.", {}, {}},
                        {"Results", "Our parser reaches an F1 score of 92.1 on the test set.", {}, {}}};
    Question q;
    q.text = "Which corpus do they evaluate on?";
    q.references = {Reference{}};
    q.references[0].answer = "the Penn Treebank";
    ReaderLm reader(std::shared_ptr<CausalLm>(std::move(lm.value())), "SmolLM2-135M-Instruct", 48, {"\n"}, true);
    QCOMPARE(reader.promptVersion(), std::string("answer-chat-v1:SmolLM2-135M-Instruct"));
    const std::string a = reader.answer(q, paper, {0, 1});
    qInfo("SmolLM2 chat reader: \"%s\" (Token F1 %.2f)", a.c_str(), answerF1(a, q));
    QVERIFY(!a.empty());
    QVERIFY(a.find("<|im_end|>") == std::string::npos && a.find('\n') == std::string::npos);
    QVERIFY(a.find("<|im_start|>") == std::string::npos);
    QVERIFY(answerF1(a, q) > 0);
}

QTEST_GUILESS_MAIN(TestRealModels)
#include "tst_real_models.moc"
