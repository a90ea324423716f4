#pragma once
// The expensive baseline: re-rank a base retriever's top K by an answer-free LLM score, the mean
// log-likelihood of the question given the passage (UPR, Sachan et al. 2022):
//   "Passage: {c}\nPlease write a question based on this passage.\nQuestion:" + " {q}"
// Below the top K the base order is kept. Latency includes the base retriever.
#include "uae/retriever.h"

#include <memory>

namespace uae {

class CausalLm;

class RetrieverLlmRerank final : public Retriever {
public:
    RetrieverLlmRerank(std::unique_ptr<Retriever> base, std::shared_ptr<CausalLm> lm, std::string modelName, int k,
                       int maxTokensPerBatch = 4096);
    std::string method() const override { return "llm-rerank"; }
    std::string configJson() const override;
    Ranking rank(const RetrievalQuery& query) override;

private:
    std::unique_ptr<Retriever> m_base;
    std::shared_ptr<CausalLm> m_lm;
    std::string m_modelName;
    int m_k;
    int m_maxTokensPerBatch;
};

} // namespace uae
