// Real pretrained models, measured on fixed QASPER inputs that real_models_eager.py runs through
// the reference libraries (sentence-transformers, transformers eager) on the same threads:
//   - bi-encoder encoding throughput (passages/s) of a BERT-family model;
//   - the bi-encoder query path (encode one question + search its paper's pool), per question;
//   - teacher-forced scoring throughput (tokens/s) of a causal LM (e.g. SmolLM2 GGUF).
// Writes OUT.texts.jsonl and OUT.ids.jsonl for the Python side; prints one JSON object.
//
// usage: bench_real_models BERT_MODEL LM_MODEL QASPER_DIR THREADS OUT_PREFIX [PASSAGES=256] [QUERIES=100]
#include "uae/causal_lm.h"
#include "uae/device.h"
#include "uae/encoder_bert.h"
#include "uae/lm_tokenizer.h"
#include "uae/qasper.h"
#include "uae/retriever_dense.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

using namespace uae;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Every k-th non-empty paragraph of dev, so lengths vary as in a real corpus.
std::vector<std::string> benchPassages(const Dataset& data, size_t n) {
    std::vector<std::string> all;
    for (const auto& paper : data.papers)
        for (const auto& p : paper.paragraphs)
            if (!p.text.empty())
                all.push_back(p.text);
    std::vector<std::string> out;
    const size_t step = std::max<size_t>(1, all.size() / n);
    for (size_t i = 0; i < all.size() && out.size() < n; i += step)
        out.push_back(all[i]);
    return out;
}

nlohmann::json encodeThroughput(EncoderBert& bert, const std::vector<std::string>& texts, const std::string& out) {
    {
        std::ofstream f(out + ".texts.jsonl");
        for (const auto& t : texts)
            f << nlohmann::json(t).dump() << '\n';
    }
    bert.encode({texts[0]}, EncodeRole::Passage); // first-call allocations out of the timing
    const auto before = bert.stats();
    const auto t0 = Clock::now();
    bert.encode(texts, EncodeRole::Passage);
    const double s = secondsSince(t0);
    const auto after = bert.stats();
    return {{"passages", texts.size()},
            {"seconds", s},
            {"pps", texts.size() / s},
            {"tokens", after.tokens - before.tokens},
            {"padded_tokens", after.paddedTokens - before.paddedTokens}};
}

nlohmann::json queryLatency(std::shared_ptr<EncoderBert> bert, const Dataset& data, int queries) {
    RetrieverDense dense(bert);
    std::vector<double> ms;
    for (size_t i = 0; i < data.questions.size() && static_cast<int>(ms.size()) < queries; i += 7) {
        const Question& q = data.questions[i];
        const RetrievalQuery query{q.id, q.text, &data.paperOf(q)};
        dense.rank(query); // encodes the paper's pool once: the index a real run already holds
        const auto t0 = Clock::now();
        dense.rank(query);
        ms.push_back(1000 * secondsSince(t0));
    }
    std::sort(ms.begin(), ms.end());
    double mean = 0;
    for (double v : ms)
        mean += v / static_cast<double>(ms.size());
    return {{"queries", ms.size()},
            {"mean_ms", mean},
            {"median_ms", ms[ms.size() / 2]},
            {"p90_ms", ms[ms.size() * 9 / 10]}};
}

nlohmann::json teacherForced(CausalLm& lm, const std::vector<std::string>& texts, const std::string& out) {
    std::vector<std::vector<std::int32_t>> seqs;
    for (const auto& t : texts) {
        auto ids = lm.tokenizer()->encode(t, false);
        if (ids.size() >= 128)
            seqs.emplace_back(ids.begin(), ids.begin() + 128);
        if (seqs.size() == 8)
            break;
    }
    {
        std::ofstream f(out + ".ids.jsonl");
        for (const auto& s : seqs)
            f << nlohmann::json(s).dump() << '\n';
    }
    lm.tokenNll({seqs[0]}); // warm-up
    const auto t0 = Clock::now();
    const auto nll = lm.tokenNll(seqs);
    const double s = secondsSince(t0);
    double mean = 0;
    for (const auto& row : nll)
        for (double v : row)
            mean += v / static_cast<double>(row.size() * nll.size());
    const long tokens = static_cast<long>(seqs.size()) * 128;
    return {{"sequences", seqs.size()}, {"tokens", tokens}, {"seconds", s}, {"tps", tokens / s}, {"mean_nll", mean}};
}

} // namespace

int main(int argc, char** argv) {
    ensureThreadingEnvironment(argv);
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s BERT_MODEL LM_MODEL QASPER_DIR THREADS OUT_PREFIX [PASSAGES] [QUERIES]\n",
                     argv[0]);
        return 2;
    }
    const std::string bertName = argv[1], lmName = argv[2], dataDir = argv[3], out = argv[5];
    const int threads = std::stoi(argv[4]);
    const size_t passages = argc > 6 ? std::stoul(argv[6]) : 256;
    const int queries = argc > 7 ? std::stoi(argv[7]) : 100;
    configureThreads(threads);
    auto data = loadQasper(dataDir, "dev");
    BertOptions options;
    options.device = "cpu";
    options.dtype = "float32";
    auto bert = EncoderBert::load(bertName, options);
    auto lm = CausalLm::load(lmName, LmOptions{"cpu", "float32"});
    if (!data || !bert || !lm) {
        std::fprintf(stderr, "%s\n", (!data ? data.error() : !bert ? bert.error() : lm.error()).c_str());
        return 1;
    }
    std::shared_ptr<EncoderBert> encoder(std::move(bert.value()));
    const auto texts = benchPassages(data.value(), passages);
    nlohmann::json r;
    r["threads"] = threads;
    r["torch"] = currentDevice().torchVersion;
    r["bert_model"] = bertName;
    r["lm_model"] = lmName;
    r["encode"] = encodeThroughput(*encoder, texts, out);
    r["query"] = queryLatency(encoder, data.value(), queries);
    r["teacher_forced"] = teacherForced(*lm.value(), texts, out);
    std::printf("%s\n", r.dump().c_str());
    return 0;
}
