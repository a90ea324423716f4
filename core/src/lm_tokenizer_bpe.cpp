#include "uae/lm_tokenizer.h"

#include "unicode_util.h"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

namespace fs = std::filesystem;

namespace uae {

namespace {

bool isLetter(char32_t c) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return true;
    default:
        return false;
    }
}

bool isNumber(char32_t c) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

// GPT-2's reversible map from bytes to printable characters (bytes_to_unicode).
const std::array<std::string, 256>& byteToChar() {
    static const std::array<std::string, 256> table = [] {
        std::array<std::string, 256> t;
        int extra = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            unicode::append(t[static_cast<size_t>(b)], printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + extra++));
        }
        return t;
    }();
    return table;
}

const std::unordered_map<std::string, unsigned char>& charToByte() {
    static const auto map = [] {
        std::unordered_map<std::string, unsigned char> m;
        for (int b = 0; b < 256; ++b)
            m[byteToChar()[static_cast<size_t>(b)]] = static_cast<unsigned char>(b);
        return m;
    }();
    return map;
}

} // namespace

std::vector<std::string> TokenizerByteBpe::splitGpt2(const std::string& text) {
    const auto cps = unicode::decode(text);
    const size_t n = cps.size();
    std::vector<std::string> out;
    auto emit = [&](size_t from, size_t to) {
        std::string s;
        for (size_t k = from; k < to; ++k)
            unicode::append(s, cps[k]);
        out.push_back(std::move(s));
    };
    auto ws = [&](size_t k) { return unicode::isWhitespace(cps[k]); };
    size_t i = 0;
    while (i < n) {
        // 's 't 're 've 'm 'll 'd
        if (cps[i] == U'\'' && i + 1 < n) {
            const char32_t a = cps[i + 1], b = i + 2 < n ? cps[i + 2] : 0;
            size_t len = 0;
            if (a == U's' || a == U't' || a == U'm' || a == U'd')
                len = 2;
            else if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l'))
                len = 3;
            if (len) {
                emit(i, i + len);
                i += len;
                continue;
            }
        }
        const size_t body = (cps[i] == U' ' && i + 1 < n) ? i + 1 : i;
        // ?\p{L}+ and ?\p{N}+
        for (auto cls : {isLetter, isNumber}) {
            if (body < n && cls(cps[body])) {
                size_t j = body;
                while (j < n && cls(cps[j]))
                    ++j;
                emit(i, j);
                i = j;
                goto next;
            }
        }
        // ?[^\s\p{L}\p{N}]+
        if (body < n && !ws(body) && !isLetter(cps[body]) && !isNumber(cps[body])) {
            size_t j = body;
            while (j < n && !ws(j) && !isLetter(cps[j]) && !isNumber(cps[j]))
                ++j;
            emit(i, j);
            i = j;
            continue;
        }
        {
            // \s+(?!\S) then \s+: a whitespace run leaves its last character to the next token
            // when a non-space follows (and the run is longer than one).
            size_t j = i;
            while (j < n && ws(j))
                ++j;
            if (j < n && j - i > 1)
                --j;
            emit(i, j);
            i = j;
        }
    next:;
    }
    return out;
}

void TokenizerByteBpe::init(std::vector<std::pair<std::string, std::int32_t>> vocab,
                            std::vector<std::pair<std::string, std::string>> merges) {
    std::int32_t size = 0;
    for (const auto& [t, id] : vocab)
        size = std::max(size, id + 1);
    m_tokens.assign(static_cast<size_t>(size), std::string());
    for (auto& [t, id] : vocab) {
        m_ids[t] = id;
        m_tokens[static_cast<size_t>(id)] = t;
    }
    for (size_t r = 0; r < merges.size(); ++r)
        m_ranks.emplace(merges[r].first + " " + merges[r].second, static_cast<int>(r));
}

void TokenizerByteBpe::bpe(const std::string& word, std::vector<std::int32_t>& out) const {
    std::vector<std::string> parts;
    for (unsigned char b : word)
        parts.push_back(byteToChar()[b]);
    while (parts.size() > 1) {
        int best = std::numeric_limits<int>::max();
        size_t at = 0;
        for (size_t k = 0; k + 1 < parts.size(); ++k) {
            auto it = m_ranks.find(parts[k] + " " + parts[k + 1]);
            if (it != m_ranks.end() && it->second < best) {
                best = it->second;
                at = k;
            }
        }
        if (best == std::numeric_limits<int>::max())
            break;
        const std::string left = parts[at], right = parts[at + 1];
        std::vector<std::string> merged;
        for (size_t k = 0; k < parts.size(); ++k) {
            if (k + 1 < parts.size() && parts[k] == left && parts[k + 1] == right) {
                merged.push_back(left + right);
                ++k;
            } else {
                merged.push_back(parts[k]);
            }
        }
        parts = std::move(merged);
    }
    for (const auto& p : parts) {
        auto it = m_ids.find(p);
        if (it != m_ids.end())
            out.push_back(it->second);
    }
}

std::vector<std::int32_t> TokenizerByteBpe::encode(const std::string& text, bool addBos) const {
    std::vector<std::int32_t> ids;
    if (addBos && m_addBos && m_bos >= 0)
        ids.push_back(m_bos);
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t best = std::string::npos;
        const std::string* special = nullptr;
        for (const auto& s : m_specials)
            if (const size_t at = text.find(s, pos); at < best)
                best = at, special = &s;
        const std::string plain = text.substr(pos, special ? best - pos : std::string::npos);
        for (const auto& word : splitGpt2(plain))
            bpe(word, ids);
        if (!special)
            break;
        ids.push_back(m_ids.at(*special));
        pos = best + special->size();
    }
    return ids;
}

std::string TokenizerByteBpe::decode(const std::vector<std::int32_t>& ids) const {
    std::string out;
    for (auto id : ids) {
        if (id < 0 || id >= vocabSize())
            continue;
        const std::string& t = m_tokens[static_cast<size_t>(id)];
        if (std::find(m_specials.begin(), m_specials.end(), t) != m_specials.end())
            continue;
        for (char32_t c : unicode::decode(t)) {
            std::string ch;
            unicode::append(ch, c);
            auto it = charToByte().find(ch);
            if (it != charToByte().end())
                out.push_back(static_cast<char>(it->second));
        }
    }
    return out;
}

Result<std::unique_ptr<TokenizerByteBpe>> TokenizerByteBpe::fromTokenizerJson(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return fail(path + ": cannot open");
    try {
        const auto j = nlohmann::json::parse(in);
        const auto& model = j.at("model");
        if (model.value("type", "") != "BPE")
            return fail(path + ": model type '" + model.value("type", "?") + "' is not BPE");
        const auto& pre = j.value("pre_tokenizer", nlohmann::json());
        if (!pre.is_object() || pre.value("type", "") != "ByteLevel" || !pre.value("use_regex", true) ||
            pre.value("add_prefix_space", false))
            return fail(path + ": only GPT-2's ByteLevel pre-tokenizer (regex, no prefix space) is supported so far");
        std::vector<std::pair<std::string, std::int32_t>> vocab;
        for (const auto& [t, id] : model.at("vocab").items())
            vocab.emplace_back(t, id.get<std::int32_t>());
        std::vector<std::pair<std::string, std::string>> merges;
        for (const auto& m : model.at("merges")) {
            if (m.is_array()) {
                merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
            } else {
                const auto s = m.get<std::string>();
                const auto sp = s.find(' ');
                if (sp == std::string::npos)
                    return fail(path + ": merge '" + s + "' has no space");
                merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
            }
        }
        auto tok = std::unique_ptr<TokenizerByteBpe>(new TokenizerByteBpe());
        for (const auto& t : j.value("added_tokens", nlohmann::json::array())) {
            vocab.emplace_back(t.at("content").get<std::string>(), t.at("id").get<std::int32_t>());
            if (t.value("special", false))
                tok->m_specials.push_back(t.at("content").get<std::string>());
        }
        tok->init(std::move(vocab), std::move(merges));
        if (!tok->m_specials.empty())
            tok->m_bos = tok->m_eos = tok->m_ids.at(tok->m_specials.front());
        return tok;
    } catch (const nlohmann::json::exception& e) {
        return fail(path + ": " + e.what());
    }
}

Result<std::unique_ptr<TokenizerByteBpe>> TokenizerByteBpe::fromVocabAndMerges(const std::string& vocabJson,
                                                                               const std::string& mergesPath) {
    std::ifstream vin(vocabJson), min(mergesPath);
    if (!vin)
        return fail(vocabJson + ": cannot open");
    if (!min)
        return fail(mergesPath + ": cannot open");
    auto tok = std::unique_ptr<TokenizerByteBpe>(new TokenizerByteBpe());
    std::vector<std::pair<std::string, std::int32_t>> vocab;
    try {
        const auto j = nlohmann::json::parse(vin); // named: items() must not outlive it
        for (const auto& [t, id] : j.items())
            vocab.emplace_back(t, id.get<std::int32_t>());
    } catch (const nlohmann::json::exception& e) {
        return fail(vocabJson + ": " + e.what());
    }
    std::vector<std::pair<std::string, std::string>> merges;
    for (std::string line; std::getline(min, line);) {
        if (line.starts_with("#version") || line.empty())
            continue;
        const auto sp = line.find(' ');
        if (sp == std::string::npos)
            return fail(mergesPath + ": line '" + line + "' is not a merge");
        merges.emplace_back(line.substr(0, sp), line.substr(sp + 1));
    }
    tok->init(std::move(vocab), std::move(merges));
    if (auto it = tok->m_ids.find("<|endoftext|>"); it != tok->m_ids.end()) {
        tok->m_specials.push_back(it->first);
        tok->m_bos = tok->m_eos = it->second;
    }
    return tok;
}

Result<std::unique_ptr<TokenizerByteBpe>> TokenizerByteBpe::fromDir(const std::string& dir) {
    const fs::path d(dir);
    if (fs::exists(d / "tokenizer.json"))
        return fromTokenizerJson((d / "tokenizer.json").string());
    for (auto [v, m] : {std::pair{"vocab.json", "merges.txt"}, {"encoder.json", "vocab.bpe"}})
        if (fs::exists(d / v) && fs::exists(d / m))
            return fromVocabAndMerges((d / v).string(), (d / m).string());
    return fail(dir + ": no tokenizer.json, vocab.json + merges.txt, or encoder.json + vocab.bpe");
}

} // namespace uae
