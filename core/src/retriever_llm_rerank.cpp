#include "uae/retriever_llm_rerank.h"

#include "uae/causal_lm.h"
#include "uae/lm_tokenizer.h"
#include "uae/qasper.h"
#include "uae/scorer_lm.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <numeric>

namespace uae {

RetrieverLlmRerank::RetrieverLlmRerank(std::unique_ptr<Retriever> base, std::shared_ptr<CausalLm> lm,
                                       std::string modelName, int k, int maxTokensPerBatch)
    : m_base(std::move(base)), m_lm(std::move(lm)), m_modelName(std::move(modelName)), m_k(k),
      m_maxTokensPerBatch(maxTokensPerBatch) {}

std::string RetrieverLlmRerank::configJson() const {
    return nlohmann::json{{"reranker", "upr"},
                          {"model", m_modelName},
                          {"k", m_k},
                          {"device", m_lm->device()},
                          {"base", nlohmann::json::parse(m_base->configJson())},
                          {"base_method", m_base->method()},
                          {"prompt", "Passage: {c}\\nPlease write a question based on this passage.\\nQuestion: {q}"}}
        .dump();
}

Ranking RetrieverLlmRerank::rank(const RetrievalQuery& query) {
    const auto start = std::chrono::steady_clock::now();
    Ranking base = m_base->rank(query);
    const size_t k = std::min(base.order.size(), static_cast<size_t>(std::max(m_k, 0)));
    const auto target = m_lm->tokenizer()->encode(" " + query.text, false);
    std::vector<std::vector<std::int32_t>> prefixes;
    for (size_t r = 0; r < k; ++r)
        prefixes.push_back(
            promptWithPassage(*m_lm, "Passage: ", query.paper->paragraphs[static_cast<size_t>(base.order[r])].text,
                              "\nPlease write a question based on this passage.\nQuestion:", target.size()));
    const auto nll = targetNll(*m_lm, prefixes, target, m_maxTokensPerBatch);
    std::vector<size_t> top(k);
    std::iota(top.begin(), top.end(), 0);
    std::stable_sort(top.begin(), top.end(), [&](size_t a, size_t b) { return nll[a] < nll[b]; });
    Ranking out;
    for (size_t r : top) {
        out.order.push_back(base.order[r]);
        out.scores.push_back(static_cast<float>(-nll[r]));
    }
    // The rest keep the base order, scored strictly below the re-ranked head.
    float floor = out.scores.empty() ? 0.0f : out.scores.back();
    for (size_t r = k; r < base.order.size(); ++r) {
        floor -= 1.0f;
        out.order.push_back(base.order[r]);
        out.scores.push_back(floor);
    }
    out.latencyMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    out.queryLatencyMs = out.latencyMs; // the full per-query cost: BM25 and every LLM forward

    return out;
}

} // namespace uae
