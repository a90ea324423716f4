#pragma once
// Utility of a candidate passage for a question, as UAE's teacher signal:
//   u(c) = ln PPL(a | q) - ln PPL(a | q, c)
//        = meanNLL(answer | question) - meanNLL(answer | question + passage)
// averaged over the question's answerable references; the teacher distribution over a question's
// candidates is softmax(u / tauT). A scorer supplies the mean per-token NLL of an answer given a
// context (an LLM with a prompt template, or the Dirichlet unigram LM).
#include <string>
#include <vector>

namespace uae {

struct Paper;
struct Question;

class UtilityScorer {
public:
    virtual ~UtilityScorer() = default;
    virtual std::string name() const = 0;
    // Identifies the prompt template and settings: labels of different versions never mix.
    virtual std::string promptVersion() const = 0;
    virtual std::string configJson() const = 0;
    // Called once per paper before its questions are scored (collection statistics, caches).
    virtual void preparePaper(const Paper& paper) = 0;
    // Mean per-token NLL (nats) of `answer` after `question` and, per entry, a passage; an empty
    // passage means the question alone. One value per passage, same order.
    virtual std::vector<double> answerNll(const std::string& question, const std::string& answer,
                                          const std::vector<std::string>& passages) = 0;
    // Tokens run through a model so far (prompt and answer of every sequence); 0 for scorers
    // without one. What the label job's tokens/s divides.
    virtual long tokensScored() const { return 0; }
};

// The reference answers used for utility: the answerable ones, built as the official evaluator
// builds them (extractive spans joined with ", "). Empty: the question is skipped.
std::vector<std::string> utilityAnswers(const Question& q);

// What a question's labels are computed on: its paper's paragraphs (section and text, in order),
// the question and its utility answers, hashed (16 hex digits). Labels whose stored hash differs
// from the data's are stale: the label job computes them again and training refuses them.
std::string labelSourceHash(const Question& q, const Paper& paper);

// Softmax of u / tau, numerically stable.
std::vector<double> teacherDistribution(const std::vector<double>& utilities, double tau);

// Spearman's rank correlation of two equally long lists (ties take their mean rank); 0 when
// either list is constant or shorter than 2.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

} // namespace uae
