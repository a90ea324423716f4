// LLM costs side by side: per-query latency of the LLM re-ranker against the bi-encoder query
// path (BERT-base-sized encoder + FAISS search over the question's pool), and teacher-forced
// scoring throughput (tokens/s) on fixed token ids that llm_eager.py runs in PyTorch eager.
//
// usage: bench_llm LM_DIR BERT_DIR QASPER_DIR QUESTIONS RERANK_K THREADS OUT_PREFIX
#include "uae/bm25.h"
#include "uae/causal_lm.h"
#include "uae/device.h"
#include "uae/encoder_bert.h"
#include "uae/lm_tokenizer.h"
#include "uae/qasper.h"
#include "uae/retriever_llm_rerank.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

using namespace uae;

namespace {
double secondsSince(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
} // namespace

int main(int argc, char** argv) {
    uae::ensureThreadingEnvironment(argv);
    if (argc != 8) {
        std::fprintf(stderr, "usage: %s LM_DIR BERT_DIR QASPER_DIR QUESTIONS RERANK_K THREADS OUT_PREFIX\n", argv[0]);
        return 2;
    }
    const std::string lmDir = argv[1], bertDir = argv[2], dataDir = argv[3], out = argv[7];
    const int questions = std::stoi(argv[4]), k = std::stoi(argv[5]), threads = std::stoi(argv[6]);
    configureThreads(threads);
    auto data = loadQasper(dataDir, "dev");
    auto lm = CausalLm::load(lmDir, LmOptions{"cpu", "float32"});
    BertOptions bertOptions;
    bertOptions.device = "cpu";
    auto bert = EncoderBert::load(bertDir, bertOptions);
    if (!data || !lm || !bert) {
        std::fprintf(stderr, "%s\n", (!data ? data.error() : !lm ? lm.error() : bert.error()).c_str());
        return 1;
    }
    std::shared_ptr<CausalLm> model(std::move(lm.value()));
    RetrieverLlmRerank rerank(std::make_unique<Bm25Retriever>(), model, "random-0.5B", k);
    // Pool vectors stand in for the cached passage embeddings of a real run.
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    bert.value()->encode({"warm-up question"}, EncodeRole::Query); // first-call allocations out of the timing
    double biTotal = 0, llmTotal = 0;
    long poolSizes = 0;
    for (int i = 0; i < questions; ++i) {
        const Question& q = data->questions[static_cast<size_t>(i * 37 % data->questions.size())];
        const Paper& paper = data->paperOf(q);
        std::vector<float> pool(paper.paragraphs.size() * 768);
        for (auto& x : pool)
            x = normal(rng);
        auto t0 = std::chrono::steady_clock::now();
        const auto qv = bert.value()->encode({q.text}, EncodeRole::Query);
        std::vector<float> scores(paper.paragraphs.size(), 0.0f);
        for (size_t p = 0; p < scores.size(); ++p)
            for (int d = 0; d < 768; ++d)
                scores[p] += qv[static_cast<size_t>(d)] * pool[p * 768 + static_cast<size_t>(d)];
        biTotal += secondsSince(t0);
        t0 = std::chrono::steady_clock::now();
        rerank.rank(RetrievalQuery{q.id, q.text, &paper});
        llmTotal += secondsSince(t0);
        poolSizes += static_cast<long>(paper.paragraphs.size());
    }
    // Teacher forcing: 4 sequences of 128 real QASPER tokens.
    std::vector<std::vector<std::int32_t>> seqs;
    for (size_t p = 0; seqs.size() < 4; p += 7) {
        auto ids = model->tokenizer()->encode(
            data->papers[p].paragraphs[0].text + " " + data->papers[p].paragraphs[1].text, false);
        if (ids.size() >= 128)
            seqs.emplace_back(ids.begin(), ids.begin() + 128);
    }
    {
        std::ofstream f(out + ".ids.jsonl");
        for (const auto& s : seqs) {
            f << '[';
            for (size_t i = 0; i < s.size(); ++i)
                f << (i ? "," : "") << s[i];
            f << "]\n";
        }
    }
    model->tokenNll({seqs[0]}); // warm-up
    auto t0 = std::chrono::steady_clock::now();
    const auto nll = model->tokenNll(seqs);
    const double tfSeconds = secondsSince(t0);
    double meanNll = 0;
    for (const auto& row : nll)
        for (double v : row)
            meanNll += v / static_cast<double>(row.size() * nll.size());
    std::printf("{\"questions\": %d, \"rerank_k\": %d, \"mean_pool\": %.1f, \"threads\": %d, "
                "\"biencoder_query_ms\": %.2f, \"llm_rerank_query_ms\": %.1f, \"latency_ratio\": %.1f, "
                "\"teacher_forced_tokens\": %d, \"teacher_forced_s\": %.3f, \"teacher_forced_tps\": %.1f, "
                "\"mean_nll\": %.6f}\n",
                questions, k, static_cast<double>(poolSizes) / questions, threads, 1000 * biTotal / questions,
                1000 * llmTotal / questions, llmTotal / biTotal, 4 * 128, tfSeconds, 4 * 128 / tfSeconds, meanNll);
    return 0;
}
