#pragma once
// Which words of a paragraph to highlight for a question: the question's terms and the reference
// answers' tokens, matched as text::contentWords does (lower-cased, stop words dropped), so the
// highlight shows the words BM25 and GloVe see. Plain functions over UTF-8 text.
#include "uae/qasper.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace uae {

enum class TermKind { Question, Answer, Both };

// One highlighted word: byte offset and length in the paragraph's UTF-8 text.
struct TermSpan {
    std::size_t begin = 0;
    std::size_t length = 0;
    TermKind kind = TermKind::Question;
};

// The spans of `paragraph` (in text order, not overlapping) that are a content word of q's text
// or of one of its reference answers ("Unanswerable", "Yes" and "No" answers add no tokens).
std::vector<TermSpan> highlightTerms(std::string_view paragraph, const Question& q);

} // namespace uae
