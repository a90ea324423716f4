#pragma once
// Answers from retrieved paragraphs, scored with the official QASPER Answer-F1, so Token F1 can
// compare retrieval methods as the paper does. Two readers: an LLM (greedy generation from a
// fixed prompt) and, without one, an extractive reader (the sentence of the top paragraphs that
// shares most content words with the question).
#include <memory>
#include <string>
#include <vector>

namespace uae {

class CausalLm;
struct Paper;
struct Question;

// The official token F1: answers normalised (lower-case, ASCII punctuation and a/an/the dropped),
// bags of tokens compared; 0 when nothing is shared.
double tokenF1(const std::string& prediction, const std::string& reference);
// Max over the question's references, as the official evaluator computes "Answer F1".
double answerF1(const std::string& prediction, const Question& q);

class AnswerReader {
public:
    virtual ~AnswerReader() = default;
    virtual std::string name() const = 0;
    virtual std::string configJson() const = 0;
    // paragraphs: indices into paper.paragraphs, best first.
    virtual std::string answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) = 0;
};

class ReaderExtractive final : public AnswerReader {
public:
    std::string name() const override { return "extractive"; }
    std::string configJson() const override;
    std::string answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) override;
};

// "Context: {p1}\n\n{p2}...\nQuestion: {q}\nAnswer:" then greedy decoding up to maxNewTokens,
// cut before the first stop string (default: a line break).
class ReaderLm final : public AnswerReader {
public:
    ReaderLm(std::shared_ptr<CausalLm> lm, std::string modelName, int maxNewTokens = 32,
             std::vector<std::string> stops = {"\n"});
    std::string name() const override { return "lm:" + m_modelName; }
    std::string configJson() const override;
    std::string answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) override;

private:
    std::shared_ptr<CausalLm> m_lm;
    std::string m_modelName;
    int m_maxNewTokens;
    std::vector<std::string> m_stops;
};

} // namespace uae
