#pragma once
// Answers from retrieved paragraphs, scored with the official QASPER Answer-F1, so Token F1 can
// compare retrieval methods as the paper does. Two readers: an LLM (greedy generation from a
// fixed prompt) and, without one, an extractive reader (the sentence of the top paragraphs that
// shares most content words with the question).
#include <map>
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

// Answers each distinct input once: a greedy reader gives the same answer to the same question and
// paragraphs, and methods often agree on a question's top k (the paper pipeline answers eight
// rankings of the same questions). Not thread-safe.
class MemoReader final : public AnswerReader {
public:
    explicit MemoReader(std::shared_ptr<AnswerReader> inner) : m_inner(std::move(inner)) {}
    std::string name() const override { return m_inner->name(); }
    std::string configJson() const override { return m_inner->configJson(); }
    std::string answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) override;
    long hits() const { return m_hits; }

private:
    std::shared_ptr<AnswerReader> m_inner;
    std::map<std::pair<std::string, std::vector<int>>, std::string> m_answers;
    long m_hits = 0;
};

class ReaderExtractive final : public AnswerReader {
public:
    std::string name() const override { return "extractive"; }
    std::string configJson() const override;
    std::string answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) override;
};

// The reader's prompt, versioned; the version is stored with the answer run (reader_config):
//   answer-v1 (base models):
//     "Context: {p1}\n\n{p2}...\nQuestion: {q}\nAnswer:"
//   answer-chat-v1 (instruct models, the ChatML turns of the scorer's lm-chat-v1):
//     "<|im_start|>user\nAnswer the question in a few words, using the context.\nContext: {p1}\n\n{p2}...
//      \nQuestion: {q}<|im_end|>\n<|im_start|>assistant\n"
// head + the paragraphs (cut from their end to fit the model's context) + tail.
struct AnswerPrompt {
    std::string version;
    std::string head;
    std::string tail;
};
AnswerPrompt answerPrompt(bool chat, const std::string& question);

// The generated text up to its first stop string (stops found after leading white space, so an
// answer that opens with a line break is not cut to nothing), trimmed.
std::string cutAtStop(const std::string& generated, const std::vector<std::string>& stops);

// Greedy decoding from answerPrompt() up to maxNewTokens, stopping as soon as the text holds a
// stop string (default: a line break) or the model ends its turn (EOS; <|im_end|> in chat).
class ReaderLm final : public AnswerReader {
public:
    ReaderLm(std::shared_ptr<CausalLm> lm, std::string modelName, int maxNewTokens = 32,
             std::vector<std::string> stops = {"\n"}, bool chat = false);
    std::string name() const override { return "lm:" + m_modelName; }
    std::string promptVersion() const { return answerPrompt(m_chat, {}).version + ":" + m_modelName; }
    std::string configJson() const override;
    std::string answer(const Question& q, const Paper& paper, const std::vector<int>& paragraphs) override;

private:
    std::shared_ptr<CausalLm> m_lm;
    std::string m_modelName;
    int m_maxNewTokens;
    std::vector<std::string> m_stops;
    bool m_chat;
};

} // namespace uae
