#pragma once
// Private: the few Unicode facts BERT-style normalisation needs, on top of utf8proc.
#include <cstdint>
#include <string>
#include <vector>

namespace uae::unicode {

// UTF-8 -> code points; invalid bytes become U+FFFD (which BERT's clean_text then drops).
std::vector<char32_t> decode(const std::string& s);
void append(std::string& out, char32_t cp);

bool isWhitespace(char32_t c);  // Unicode White_Space, as Rust's char::is_whitespace
bool isControl(char32_t c);     // category C*, except \t \n \r
bool isPunctuation(char32_t c); // ASCII punctuation or category P*
bool isChinese(char32_t c);     // the CJK blocks BERT isolates
bool isNonspacingMark(char32_t c);
std::string nfd(const std::string& s);
void appendLower(std::u32string& out, char32_t c); // full lower-case mapping

} // namespace uae::unicode
