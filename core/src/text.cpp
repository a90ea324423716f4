#include "uae/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>
#include <unordered_set>

namespace uae::text {

namespace {

bool isWordByte(unsigned char c) {
    return std::isalnum(c) || c >= 0x80;
}

const std::unordered_set<std::string_view>& stopWords() {
    // The classic English stop list used by Lucene/Pyserini's BM25 defaults, plus a few QASPER
    // question words that carry no topic ("what", "which", "how", ...).
    static const std::unordered_set<std::string_view> words = {
        "a",     "an",   "and",  "are",   "as",    "at",   "be",   "but",  "by",    "for",  "if",    "in",   "into",
        "is",    "it",   "no",   "not",   "of",    "on",   "or",   "such", "that",  "the",  "their", "then", "there",
        "these", "they", "this", "to",    "was",   "will", "with", "what", "which", "who",  "whom",  "how",  "do",
        "does",  "did",  "were", "been",  "being", "have", "has",  "had",  "its",   "from", "than",  "so",   "can",
        "any",   "all",  "some", "other", "also",  "we",   "our",  "i",    "you"};
    return words;
}

} // namespace

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (unsigned char c : s) {
        if (isWordByte(c)) {
            cur.push_back(c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty())
        out.push_back(std::move(cur));
    return out;
}

bool isStopWord(std::string_view word) {
    return stopWords().count(word) > 0;
}

std::vector<std::string> contentWords(std::string_view s) {
    auto all = words(s);
    std::erase_if(all, [](const std::string& w) { return isStopWord(w); });
    return all;
}

std::string normalizeForMatch(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (unsigned char c : s) {
        if (std::isspace(c)) {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c));
    }
    return out;
}

std::string normalizeAnswer(std::string_view s) {
    std::string noPunct;
    noPunct.reserve(s.size());
    for (unsigned char c : s)
        if (!(c < 0x80 && std::ispunct(c)))
            noPunct.push_back(c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c));
    std::istringstream in(noPunct);
    std::string word, out;
    while (in >> word) {
        if (word == "a" || word == "an" || word == "the")
            continue;
        if (!out.empty())
            out.push_back(' ');
        out += word;
    }
    return out;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

} // namespace uae::text
