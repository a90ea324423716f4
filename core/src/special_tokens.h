#pragma once
// Private: finding special tokens in raw text, for the tokenizers that match them before
// normalisation. Each token's next occurrence is cached and searched again only once the scan has
// passed it, so a whole text costs one pass per token instead of one per match (a text made of
// thousands of special tokens stayed quadratic with a fresh search of every token per match).
#include <string>
#include <vector>

namespace uae {

class SpecialTokenFinder {
public:
    // Both must outlive the finder. Empty tokens never match.
    SpecialTokenFinder(const std::string& text, const std::vector<std::string>& tokens)
        : m_text(text), m_tokens(tokens), m_next(tokens.size(), kUnknown) {}

    struct Match {
        std::size_t at = std::string::npos; // npos: no token at or after the position
        const std::string* token = nullptr;
    };

    // The earliest occurrence at or after pos; among tokens starting there, the first listed.
    Match next(std::size_t pos) {
        Match best;
        for (std::size_t k = 0; k < m_tokens.size(); ++k) {
            if (m_tokens[k].empty())
                continue;
            if (m_next[k] == kUnknown || (m_next[k] != std::string::npos && m_next[k] < pos))
                m_next[k] = m_text.find(m_tokens[k], pos);
            if (m_next[k] < best.at) {
                best.at = m_next[k];
                best.token = &m_tokens[k];
            }
        }
        return best;
    }

private:
    static constexpr std::size_t kUnknown = std::string::npos - 1;
    const std::string& m_text;
    const std::vector<std::string>& m_tokens;
    std::vector<std::size_t> m_next;
};

} // namespace uae
