#pragma once
// Utility from a causal LM: mean NLL of the answer tokens (only those) after a fixed, versioned
// prompt. Plain (lm-v1:MODEL), for base models:
//   without passage: "Question: {q}\nAnswer:" + " {a}"
//   with passage:    "Context: {c}\nQuestion: {q}\nAnswer:" + " {a}"
// Chat (lm-chat-v1:MODEL), for instruct models with ChatML turns (SmolLM2-Instruct, Qwen):
//   "<|im_start|>user\n[Context: {c}\n]Question: {q}<|im_end|>\n<|im_start|>assistant\n" + "{a}"
// The no-passage baseline is the first sequence of each call, scored once per question and answer.
// The passage is cut (from its end) so prompt and answer fit the model's context. Sequences
// are scored in length-sorted batches under a token budget.
#include "uae/utility.h"

#include <cstdint>
#include <memory>
#include <vector>
#include <string>

namespace uae {

class CausalLm;

struct LmScorerConfig {
    int maxTokensPerBatch = 4096;
    int maxAnswerTokens = 64;
    bool chat = false; // ChatML turns (instruct models)
};

class ScorerLm final : public UtilityScorer {
public:
    // lm must have a tokenizer. modelName identifies the model in the prompt version.
    ScorerLm(std::shared_ptr<CausalLm> lm, std::string modelName, LmScorerConfig config = {});
    std::string name() const override { return "lm"; }
    std::string promptVersion() const override { return (m_config.chat ? "lm-chat-v1:" : "lm-v1:") + m_modelName; }
    std::string configJson() const override;
    void preparePaper(const Paper&) override {}
    std::vector<double> answerNll(const std::string& question, const std::string& answer,
                                  const std::vector<std::string>& passages) override;
    long tokensScored() const override { return m_tokens; }

private:
    std::shared_ptr<CausalLm> m_lm;
    long m_tokens = 0;
    std::string m_modelName;
    LmScorerConfig m_config;
};

// Mean NLL of the `target` tokens after each prefix (token ids, BOS included), scored in
// length-sorted batches of at most maxTokensPerBatch padded tokens. Callers keep prefix + target
// within the model's context.
std::vector<double> targetNll(CausalLm& lm, const std::vector<std::vector<std::int32_t>>& prefixes,
                              const std::vector<std::int32_t>& target, int maxTokensPerBatch);

// BOS + head + passage (cut to fit) + tail, so that the result plus `reserve` tokens fits the
// model's context.
std::vector<std::int32_t> promptWithPassage(const CausalLm& lm, const std::string& head, const std::string& passage,
                                            const std::string& tail, size_t reserve);

} // namespace uae
