#include "uae/term_highlight.h"

#include "uae/text.h"

#include <cctype>
#include <string>
#include <unordered_set>

namespace uae {

namespace {

// As text::words splits: ASCII letters and digits, and bytes >= 0x80 inside words.
bool isWordByte(unsigned char c) {
    return std::isalnum(c) || c >= 0x80;
}

std::string lowered(std::string_view word) {
    std::string out(word);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x80)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::unordered_set<std::string> answerTerms(const Question& q) {
    std::unordered_set<std::string> terms;
    for (const Reference& ref : q.references) {
        // Yes/No and unanswerable references hold no words of the paragraph worth marking.
        if (ref.type == AnswerType::Boolean || ref.type == AnswerType::None)
            continue;
        for (std::string& w : text::contentWords(ref.answer))
            terms.insert(std::move(w));
    }
    return terms;
}

} // namespace

std::vector<TermSpan> highlightTerms(std::string_view paragraph, const Question& q) {
    const auto questionWords = text::contentWords(q.text);
    const std::unordered_set<std::string> questionTerms(questionWords.begin(), questionWords.end());
    const std::unordered_set<std::string> answers = answerTerms(q);
    std::vector<TermSpan> spans;
    std::size_t i = 0;
    while (i < paragraph.size()) {
        if (!isWordByte(static_cast<unsigned char>(paragraph[i]))) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < paragraph.size() && isWordByte(static_cast<unsigned char>(paragraph[end])))
            ++end;
        const std::string word = lowered(paragraph.substr(i, end - i));
        const bool inQuestion = questionTerms.count(word) > 0;
        const bool inAnswer = answers.count(word) > 0;
        if ((inQuestion || inAnswer) && !text::isStopWord(word))
            spans.push_back({i, end - i,
                             inQuestion && inAnswer ? TermKind::Both
                             : inQuestion           ? TermKind::Question
                                                    : TermKind::Answer});
        i = end;
    }
    return spans;
}

} // namespace uae
