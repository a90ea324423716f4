#pragma once
// Text utilities shared by retrievers, evidence mapping and metrics.
#include <string>
#include <string_view>
#include <vector>

namespace uae::text {

// Lower-cased alphanumeric word tokens (ASCII letters/digits; other bytes split words, except that
// bytes >= 0x80 are kept inside words so UTF-8 letters are not broken apart).
std::vector<std::string> words(std::string_view s);

// words() without common English stop words: the tokenization BM25 and GloVe use.
std::vector<std::string> contentWords(std::string_view s);
bool isStopWord(std::string_view word);

// Whitespace-collapsed, lower-cased form used to compare evidence strings with paragraphs.
std::string normalizeForMatch(std::string_view s);

// The official QASPER / SQuAD answer normalisation: lower-case, drop ASCII punctuation, drop the
// articles a/an/the, collapse whitespace.
std::string normalizeAnswer(std::string_view s);

std::string trim(std::string_view s);

} // namespace uae::text
