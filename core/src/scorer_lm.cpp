#include "uae/scorer_lm.h"

#include "uae/causal_lm.h"
#include "uae/lm_tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

namespace uae {

ScorerLm::ScorerLm(std::shared_ptr<CausalLm> lm, std::string modelName, LmScorerConfig config)
    : m_lm(std::move(lm)), m_modelName(std::move(modelName)), m_config(config) {}

std::string ScorerLm::configJson() const {
    return nlohmann::json{{"scorer", "lm"},
                          {"model", m_modelName},
                          {"device", m_lm->device()},
                          {"prompt", m_config.chat ? "<|im_start|>user\\n[Context: {passage}\\n]Question: "
                                                     "{question}<|im_end|>\\n<|im_start|>assistant\\n{answer}"
                                                   : "[Context: {passage}\\n]Question: {question}\\nAnswer: {answer}"},
                          {"max_tokens_per_batch", m_config.maxTokensPerBatch},
                          {"max_answer_tokens", m_config.maxAnswerTokens}}
        .dump();
}

std::vector<std::int32_t> promptWithPassage(const CausalLm& lm, const std::string& head, const std::string& passage,
                                            const std::string& tail, size_t reserve) {
    const LmTokenizer& tok = *lm.tokenizer();
    auto ids = tok.encode(head, true);
    auto p = passage.empty() ? std::vector<std::int32_t>{} : tok.encode(passage, false);
    const auto t = tok.encode(tail, false);
    const size_t room = static_cast<size_t>(lm.config().maxPositions);
    const size_t fixed = ids.size() + t.size() + reserve;
    p.resize(std::min(p.size(), fixed < room ? room - fixed : 0));
    ids.insert(ids.end(), p.begin(), p.end());
    ids.insert(ids.end(), t.begin(), t.end());
    return ids;
}

std::vector<double> targetNll(CausalLm& lm, const std::vector<std::vector<std::int32_t>>& prefixes,
                              const std::vector<std::int32_t>& target, int maxTokensPerBatch) {
    std::vector<double> out(prefixes.size(), 0.0);
    if (target.empty())
        return out;
    std::vector<size_t> order(prefixes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return prefixes[a].size() > prefixes[b].size(); });
    size_t start = 0;
    while (start < order.size()) {
        const size_t longest = prefixes[order[start]].size() + target.size();
        size_t end = start + 1;
        while (end < order.size() && (end - start + 1) * longest <= static_cast<size_t>(std::max(maxTokensPerBatch, 1)))
            ++end;
        std::vector<std::vector<std::int32_t>> batch;
        for (size_t k = start; k < end; ++k) {
            auto seq = prefixes[order[k]];
            seq.insert(seq.end(), target.begin(), target.end());
            batch.push_back(std::move(seq));
        }
        const auto nll = lm.tokenNll(batch);
        for (size_t k = start; k < end; ++k) {
            const auto& row = nll[k - start];
            // Positions predicting the target: the last target.size() entries.
            double sum = 0;
            for (size_t t = row.size() - target.size(); t < row.size(); ++t)
                sum += row[t];
            out[order[k]] = sum / static_cast<double>(target.size());
        }
        start = end;
    }
    return out;
}

std::vector<double> ScorerLm::answerNll(const std::string& question, const std::string& answer,
                                        const std::vector<std::string>& passages) {
    auto target = m_lm->tokenizer()->encode(m_config.chat ? answer : " " + answer, false);
    if (target.size() > static_cast<size_t>(m_config.maxAnswerTokens))
        target.resize(static_cast<size_t>(m_config.maxAnswerTokens));
    const std::string open = m_config.chat ? "<|im_start|>user\n" : "";
    const std::string close = m_config.chat ? "<|im_end|>\n<|im_start|>assistant\n" : "\nAnswer:";
    const std::string tail = "\nQuestion: " + question + close;
    std::vector<std::vector<std::int32_t>> prefixes;
    for (const auto& p : passages)
        prefixes.push_back(p.empty()
                               ? promptWithPassage(*m_lm, open + "Question: " + question + close, "", "", target.size())
                               : promptWithPassage(*m_lm, open + "Context: ", p, tail, target.size()));
    for (const auto& prefix : prefixes)
        m_tokens += static_cast<long>(prefix.size() + target.size());
    return targetNll(*m_lm, prefixes, target, m_config.maxTokensPerBatch);
}

} // namespace uae
