#include "uae/lm_tokenizer.h"

#include "bpe_merge.h"
#include "special_tokens.h"
#include "unicode_util.h"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <optional>

namespace fs = std::filesystem;

namespace uae {

namespace {

bool isLetter(char32_t c) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return true;
    default:
        return false;
    }
}

bool isNumber(char32_t c) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
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
            unicode::append(t[static_cast<size_t>(b)],
                            printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + extra++));
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

// Length of a contraction ('s 't 're 've 'm 'll 'd) at i, 0 when there is none.
size_t contractionAt(const std::vector<char32_t>& cps, size_t i, bool anyCase) {
    if (cps[i] != U'\'' || i + 1 >= cps.size())
        return 0;
    auto at = [&](size_t k) -> char32_t {
        if (k >= cps.size())
            return 0;
        return anyCase && cps[k] < 128 ? static_cast<char32_t>(std::tolower(static_cast<int>(cps[k]))) : cps[k];
    };
    const char32_t a = at(i + 1), b = at(i + 2);
    if (a == U's' || a == U't' || a == U'm' || a == U'd')
        return 2;
    if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l'))
        return 3;
    return 0;
}

// \s+(?!\S) then \s+: a whitespace run leaves its last character to the next piece when a
// non-space follows and the run is longer than one. Returns the end of the match at i.
size_t whitespaceEnd(const std::vector<char32_t>& cps, size_t i) {
    size_t j = i;
    while (j < cps.size() && unicode::isWhitespace(cps[j]))
        ++j;
    if (j < cps.size() && j - i > 1)
        --j;
    return j;
}

std::string joined(const std::vector<char32_t>& cps, size_t from, size_t to) {
    std::string s;
    for (size_t k = from; k < to; ++k)
        unicode::append(s, cps[k]);
    return s;
}

// Sequence[Digits(individual_digits), ByteLevel(use_regex, no prefix space)], as SmolLM2 ships.
bool isDigitsThenByteLevel(const nlohmann::json& pre) {
    if (!pre.is_object() || pre.value("type", "") != "Sequence")
        return false;
    const auto& seq = pre.value("pretokenizers", nlohmann::json::array());
    return seq.size() == 2 && seq[0].value("type", "") == "Digits" && seq[0].value("individual_digits", false) &&
           seq[1].value("type", "") == "ByteLevel" && seq[1].value("use_regex", true) &&
           !seq[1].value("add_prefix_space", false);
}

} // namespace

std::vector<std::string> TokenizerByteBpe::splitGpt2(const std::string& text) {
    const auto cps = unicode::decode(text);
    const size_t n = cps.size();
    std::vector<std::string> out;
    auto ws = [&](size_t k) { return unicode::isWhitespace(cps[k]); };
    size_t i = 0;
    while (i < n) {
        size_t j = i + contractionAt(cps, i, false);
        const size_t body = (cps[i] == U' ' && i + 1 < n) ? i + 1 : i;
        if (j == i) {
            // ?\p{L}+ | ?\p{N}+ | ?[^\s\p{L}\p{N}]+ | whitespace
            auto run = [&](auto&& cls) {
                size_t k = body;
                while (k < n && cls(cps[k]))
                    ++k;
                return k;
            };
            auto other = [&](char32_t c) { return !unicode::isWhitespace(c) && !isLetter(c) && !isNumber(c); };
            if (isLetter(cps[body]))
                j = run(isLetter);
            else if (isNumber(cps[body]))
                j = run(isNumber);
            else if (!ws(body))
                j = run(other);
            else
                j = whitespaceEnd(cps, i);
        }
        out.push_back(joined(cps, i, j));
        i = j;
    }
    return out;
}

std::vector<std::string> TokenizerByteBpe::splitLlama3(const std::string& text, int maxDigits) {
    const auto cps = unicode::decode(text);
    const size_t n = cps.size();
    std::vector<std::string> out;
    auto emit = [&](size_t from, size_t to) { out.push_back(joined(cps, from, to)); };
    auto ws = [&](size_t k) { return unicode::isWhitespace(cps[k]); };
    auto newline = [&](size_t k) { return cps[k] == U'\r' || cps[k] == U'\n'; };
    size_t i = 0;
    while (i < n) {
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (const size_t len = contractionAt(cps, i, true)) {
            emit(i, i + len);
            i += len;
            continue;
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        {
            size_t body = i;
            if (!isLetter(cps[i]) && !newline(i) && !isNumber(cps[i]) && i + 1 < n && isLetter(cps[i + 1]))
                body = i + 1;
            if (isLetter(cps[body])) {
                size_t j = body;
                while (j < n && isLetter(cps[j]))
                    ++j;
                emit(i, j);
                i = j;
                continue;
            }
        }
        // \p{N}{1,maxDigits}
        if (isNumber(cps[i])) {
            size_t j = i;
            while (j < n && isNumber(cps[j]) && static_cast<int>(j - i) < maxDigits)
                ++j;
            emit(i, j);
            i = j;
            continue;
        }
        // ?[^\s\p{L}\p{N}]+[\r\n]*
        {
            const size_t body = (cps[i] == U' ' && i + 1 < n) ? i + 1 : i;
            if (!ws(body) && !isLetter(cps[body]) && !isNumber(cps[body])) {
                size_t j = body;
                while (j < n && !ws(j) && !isLetter(cps[j]) && !isNumber(cps[j]))
                    ++j;
                while (j < n && newline(j))
                    ++j;
                emit(i, j);
                i = j;
                continue;
            }
        }
        // \s*[\r\n]+ : the whitespace run up to its last line break; else \s+(?!\S), then \s+
        size_t j = i;
        while (j < n && ws(j))
            ++j;
        size_t lastBreak = n;
        for (size_t k = i; k < j; ++k)
            if (newline(k))
                lastBreak = k;
        if (lastBreak != n) {
            emit(i, lastBreak + 1);
            i = lastBreak + 1;
            continue;
        }
        j = whitespaceEnd(cps, i);
        emit(i, j);
        i = j;
    }
    return out;
}

std::vector<std::string> TokenizerByteBpe::splitDigitsGpt2(const std::string& text) {
    const auto cps = unicode::decode(text);
    std::vector<std::string> out;
    size_t from = 0;
    auto flush = [&](size_t to) {
        if (to > from)
            for (auto& piece : splitGpt2(joined(cps, from, to)))
                out.push_back(std::move(piece));
    };
    for (size_t k = 0; k < cps.size(); ++k)
        if (isNumber(cps[k])) {
            flush(k);
            out.push_back(joined(cps, k, k + 1));
            from = k + 1;
        }
    flush(cps.size());
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
    std::string whole;
    if (m_split == Split::SentencePiece) {
        for (char32_t c : unicode::decode(word)) {
            parts.emplace_back();
            unicode::append(parts.back(), c);
        }
        whole = word;
    } else {
        for (unsigned char b : word) {
            parts.push_back(byteToChar()[b]);
            whole += parts.back();
        }
    }
    if (m_ignoreMerges)
        if (auto it = m_ids.find(whole); it != m_ids.end()) {
            out.push_back(it->second);
            return;
        }
    parts = bpe::mergeByRank(std::move(parts), m_ranks);
    bool lastWasUnk = false;
    for (const auto& p : parts) {
        if (auto it = m_ids.find(p); it != m_ids.end()) {
            out.push_back(it->second);
            lastWasUnk = false;
            continue;
        }
        // Only SentencePiece-style vocabularies can miss a character: bytes, else <unk>.
        bool allBytes = m_byteFallback;
        std::vector<std::int32_t> bytes;
        for (unsigned char b : p) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            auto it = m_ids.find(name);
            allBytes = allBytes && it != m_ids.end();
            if (it != m_ids.end())
                bytes.push_back(it->second);
        }
        if (allBytes) {
            out.insert(out.end(), bytes.begin(), bytes.end());
            lastWasUnk = false;
        } else if (m_unk >= 0 && !(m_fuseUnk && lastWasUnk)) {
            out.push_back(m_unk);
            lastWasUnk = true;
        }
    }
}

std::vector<std::int32_t> TokenizerByteBpe::encode(const std::string& text, bool addBos) const {
    std::vector<std::int32_t> ids;
    if (addBos && m_addBos && m_bos >= 0)
        ids.push_back(m_bos);
    SpecialTokenFinder specials(text, m_specials);
    size_t pos = 0;
    while (pos <= text.size()) {
        const auto [best, special] = specials.next(pos);
        std::string plain = text.substr(pos, special ? best - pos : std::string::npos);
        if (m_nfc && !plain.empty()) {
            // By length, not NUL-terminated: text may contain U+0000.
            utf8proc_uint8_t* nfc = nullptr;
            const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(plain.data()),
                                          static_cast<utf8proc_ssize_t>(plain.size()), &nfc,
                                          static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
            if (len >= 0)
                plain.assign(reinterpret_cast<const char*>(nfc), static_cast<size_t>(len));
            std::free(nfc);
        }
        std::vector<std::string> words;
        if (m_split == Split::SentencePiece) {
            if (!plain.empty()) {
                std::string spaced;
                for (char c : plain)
                    spaced += c == ' ' ? std::string("\u2581") : std::string(1, c);
                if ((m_prepend == Prepend::Always || (m_prepend == Prepend::First && pos == 0)) &&
                    !(m_metaspace && spaced.starts_with("\u2581")))
                    spaced.insert(0, "\u2581");
                if (m_metaspaceSplit) { // each word starts at a "▁"
                    size_t start = 0;
                    for (size_t at = spaced.find("\u2581", 1); at != std::string::npos;
                         at = spaced.find("\u2581", at + 1)) {
                        words.push_back(spaced.substr(start, at - start));
                        start = at;
                    }
                    words.push_back(spaced.substr(start));
                } else {
                    words.push_back(spaced);
                }
            }
        } else {
            words = m_split == Split::Gpt2         ? splitGpt2(plain)
                    : m_split == Split::DigitsGpt2 ? splitDigitsGpt2(plain)
                                                   : splitLlama3(plain, m_split == Split::Qwen2 ? 1 : 3);
        }
        for (const auto& word : words)
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
        if (m_split == Split::SentencePiece) {
            unsigned byte = 0;
            if (t.size() == 6 && t.starts_with("<0x") && t.back() == '>' &&
                std::sscanf(t.c_str(), "<0x%2X>", &byte) == 1) {
                out.push_back(static_cast<char>(byte));
                continue;
            }
            for (size_t at = 0; at < t.size();) {
                if (t.compare(at, 3, "\u2581") == 0) {
                    out.push_back(' ');
                    at += 3;
                } else {
                    out.push_back(t[at++]);
                }
            }
            continue;
        }
        for (char32_t c : unicode::decode(t)) {
            std::string ch;
            unicode::append(ch, c);
            auto it = charToByte().find(ch);
            if (it != charToByte().end())
                out.push_back(static_cast<char>(it->second));
        }
    }
    // SentencePiece decoders drop the space the prepended "▁" became.
    if (m_split == Split::SentencePiece && m_prepend != Prepend::Never && out.starts_with(' '))
        out.erase(0, 1);
    return out;
}

namespace {

using Split = TokenizerByteBpe::Split;

// How a tokenizer.json cuts text before the merges: its normalizer and pre-tokenizer.
struct PreTokenizing {
    Split split = Split::Gpt2;
    bool nfc = false;
    // SentencePiece-style only:
    bool metaspace = false;               // a Metaspace pre-tokenizer (else Llama 2's normalizers)
    std::string prependScheme = "always"; // always | first | never
    bool metaspaceSplit = false;
};

// Llama 2's converter: normalizer Prepend("▁") then Replace(" " -> "▁"), no pre-tokenizer.
bool isLegacySpm(const nlohmann::json& norm, const nlohmann::json& pre) {
    if (!norm.is_object() || norm.value("type", "") != "Sequence" || !pre.is_null())
        return false;
    const auto& n = norm.value("normalizers", nlohmann::json::array());
    return n.size() == 2 && n[0].value("type", "") == "Prepend" && n[0].value("prepend", "") == "\u2581" &&
           n[1].value("type", "") == "Replace" && n[1].value("content", "") == "\u2581" &&
           n[1].value("pattern", nlohmann::json::object()).value("String", "") == " ";
}

// Sequence[Split(regex), ByteLevel(no regex)], as Llama 3 and Qwen2 ship.
bool isSplitThenByteLevel(const nlohmann::json& pre) {
    return pre.is_object() && pre.value("type", "") == "Sequence" &&
           pre.value("pretokenizers", nlohmann::json()).size() == 2 &&
           pre["pretokenizers"][0].value("type", "") == "Split" &&
           pre["pretokenizers"][1].value("type", "") == "ByteLevel" &&
           !pre["pretokenizers"][1].value("use_regex", true);
}

// The Split pre-tokenizer's regex, matched against the patterns this build knows (written out by
// hand over Unicode categories).
Result<Split> splitOfPattern(const nlohmann::json& pre, const std::string& path) {
    static const std::string kLlama3 =
        R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
    static const std::string kQwen2 =
        R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
    const std::string pattern = pre["pretokenizers"][0].value("pattern", nlohmann::json::object()).value("Regex", "");
    if (pattern == kLlama3)
        return Split::Llama3;
    if (pattern == kQwen2)
        return Split::Qwen2;
    return fail(path +
                ": the pre-tokenizer split pattern is not one this build knows (GPT-2, Llama 3, Qwen2): " + pattern);
}

// A Metaspace pre-tokenizer's settings (split stays SentencePiece).
Status readMetaspace(const nlohmann::json& pre, const nlohmann::json& norm, const std::string& path, PreTokenizing& p) {
    if (pre.value("replacement", "\u2581") != "\u2581")
        return fail(path + ": Metaspace replacement other than U+2581 is not supported");
    p.prependScheme = pre.value("prepend_scheme", pre.value("add_prefix_space", true) ? "always" : "never");
    p.metaspace = true;
    p.metaspaceSplit = pre.value("split", true);
    if (norm.is_object())
        return fail(path + ": a normalizer before Metaspace is not supported");
    return Ok{};
}

Result<PreTokenizing> readPreTokenizing(const nlohmann::json& j, const std::string& path) {
    const auto& pre = j.value("pre_tokenizer", nlohmann::json());
    const std::string preType = pre.is_object() ? pre.value("type", "") : "";
    const auto& norm = j.value("normalizer", nlohmann::json());
    PreTokenizing p;
    if (isLegacySpm(norm, pre) || preType == "Metaspace") {
        p.split = Split::SentencePiece;
        if (preType == "Metaspace")
            if (auto s = readMetaspace(pre, norm, path, p); !s)
                return fail(s.error());
    } else if (preType == "ByteLevel" && pre.value("use_regex", true) && !pre.value("add_prefix_space", false)) {
        p.split = Split::Gpt2;
    } else if (isDigitsThenByteLevel(pre)) { // SmolLM2
        p.split = Split::DigitsGpt2;
    } else if (isSplitThenByteLevel(pre)) {
        auto split = splitOfPattern(pre, path);
        if (!split)
            return fail(split.error());
        p.split = split.value();
    } else {
        return fail(path + ": pre-tokenizer '" + preType +
                    "' is not supported (byte-level BPE of GPT-2, Llama 3 or Qwen2 is)");
    }
    if (norm.is_object() && p.split != Split::SentencePiece) {
        if (norm.value("type", "") != "NFC")
            return fail(path + ": normalizer '" + norm.value("type", "") + "' is not supported (none or NFC is)");
        p.nfc = true;
    }
    return p;
}

// model.vocab followed by added_tokens, the merges ("a b" strings or [a, b] pairs), and the added
// tokens marked special, in file order.
struct VocabAndMerges {
    std::vector<std::pair<std::string, std::int32_t>> vocab;
    std::vector<std::pair<std::string, std::string>> merges;
    std::vector<std::string> specials;
};

// One model.merges entry: "left right" or [left, right].
Result<std::pair<std::string, std::string>> readMerge(const nlohmann::json& m, size_t i, const std::string& path) {
    const std::string where = path + ": model.merges[" + std::to_string(i) + "] ";
    if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())
        return std::pair{m[0].get<std::string>(), m[1].get<std::string>()};
    if (!m.is_string())
        return fail(where + "is not a \"left right\" string or a [left, right] pair: " + m.dump());
    const auto s = m.get<std::string>();
    const auto sp = s.find(' ');
    if (sp == std::string::npos)
        return fail(where + "'" + s + "' has no space");
    return std::pair{s.substr(0, sp), s.substr(sp + 1)};
}

// Ids index a table: beyond this a file is damaged, not large (the largest vocabularies hold ~260k).
constexpr std::int64_t kMaxTokenId = 10'000'000;

Result<VocabAndMerges> readVocabAndMerges(const nlohmann::json& j, const std::string& path) {
    const auto& model = j.at("model");
    for (const char* key : {"vocab", "merges"})
        if (!model.contains(key))
            return fail(path + ": model." + key + " is missing (a BPE tokenizer.json lists its vocabulary and merges)");
    if (!model["vocab"].is_object())
        return fail(path + ": model.vocab is not an object of token: id (found " +
                    std::string(model["vocab"].type_name()) + ")");
    if (!model["merges"].is_array())
        return fail(path + ": model.merges is not a list of merges (found " + std::string(model["merges"].type_name()) +
                    ")");
    VocabAndMerges v;
    auto addToken = [&](const std::string& t, const nlohmann::json& id, const std::string& field) -> Status {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > kMaxTokenId)
            return fail(path + ": " + field + " id " + id.dump() + " of '" + t + "' is not an id in 0.." +
                        std::to_string(kMaxTokenId));
        v.vocab.emplace_back(t, id.get<std::int32_t>());
        return Ok{};
    };
    for (const auto& [t, id] : model["vocab"].items())
        if (auto s = addToken(t, id, "model.vocab"); !s)
            return fail(s.error());
    for (size_t i = 0; i < model["merges"].size(); ++i) {
        auto m = readMerge(model["merges"][i], i, path);
        if (!m)
            return fail(m.error());
        v.merges.push_back(std::move(m.value()));
    }
    for (const auto& t : j.value("added_tokens", nlohmann::json::array())) {
        if (auto s = addToken(t.at("content").get<std::string>(), t.at("id"), "added_tokens"); !s)
            return fail(s.error());
        if (t.value("special", false))
            v.specials.push_back(t.at("content").get<std::string>());
    }
    return v;
}

// The special token a post-processor template starts with (Llama 3's <|begin_of_text|>): the
// BOS. None when there is no such template.
std::optional<std::string> templateBos(const nlohmann::json& j) {
    const auto& pp = j.value("post_processor", nlohmann::json());
    if (!pp.is_object())
        return std::nullopt;
    const bool sequence = pp.value("type", "") == "Sequence" && pp.contains("processors");
    if (sequence && (!pp["processors"].is_array() || pp["processors"].empty()))
        return std::nullopt; // back() of an empty array is undefined
    const auto& tpl = sequence ? pp["processors"].back() : pp;
    if (tpl.value("type", "") == "TemplateProcessing" && tpl.contains("single") && !tpl["single"].empty() &&
        tpl["single"][0].contains("SpecialToken"))
        return tpl["single"][0]["SpecialToken"].value("id", "");
    return std::nullopt;
}

} // namespace

Result<std::unique_ptr<TokenizerByteBpe>> TokenizerByteBpe::fromTokenizerJson(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return fail(path + ": cannot open");
    try {
        const auto j = nlohmann::json::parse(in);
        const auto& model = j.at("model");
        if (model.value("type", "") != "BPE")
            return fail(path + ": model type '" + model.value("type", "?") + "' is not BPE");
        auto pre = readPreTokenizing(j, path);
        if (!pre)
            return fail(pre.error());
        auto words = readVocabAndMerges(j, path);
        if (!words)
            return fail(words.error());
        auto tok = std::unique_ptr<TokenizerByteBpe>(new TokenizerByteBpe());
        tok->m_split = pre->split;
        tok->m_nfc = pre->nfc;
        tok->m_metaspace = pre->metaspace;
        tok->m_metaspaceSplit = pre->metaspaceSplit;
        const std::string& scheme = pre->prependScheme;
        tok->m_prepend = scheme == "first" ? Prepend::First : scheme == "never" ? Prepend::Never : Prepend::Always;
        if (tok->m_split == Split::SentencePiece) {
            tok->m_byteFallback = model.value("byte_fallback", false);
            tok->m_fuseUnk = model.value("fuse_unk", false);
        }
        tok->m_ignoreMerges = model.value("ignore_merges", false);
        tok->m_specials = std::move(words->specials);
        tok->init(std::move(words->vocab), std::move(words->merges));
        if (const auto& unk = model.value("unk_token", nlohmann::json()); unk.is_string())
            if (auto it = tok->m_ids.find(unk.get<std::string>()); it != tok->m_ids.end())
                tok->m_unk = it->second;
        if (!tok->m_specials.empty())
            tok->m_bos = tok->m_eos = tok->m_ids.at(tok->m_specials.front());
        if (const auto bos = templateBos(j))
            if (auto it = tok->m_ids.find(*bos); it != tok->m_ids.end()) {
                tok->m_bos = it->second;
                tok->m_addBos = true;
            }
        if (tok->m_split == Split::SentencePiece) // Llama 2 / Mistral: <s> ... </s>
            if (auto it = tok->m_ids.find("</s>"); it != tok->m_ids.end())
                tok->m_eos = it->second;
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

bool TokenizerByteBpe::holdsBpe(const std::string& dir) {
    const fs::path d(dir);
    if (std::ifstream in(d / "tokenizer.json"); in) {
        try {
            const auto j = nlohmann::json::parse(in);
            return j.contains("model") && j["model"].is_object() && j["model"].value("type", "") == "BPE";
        } catch (const nlohmann::json::exception&) {
            return false;
        }
    }
    for (auto [v, m] : {std::pair{"vocab.json", "merges.txt"}, {"encoder.json", "vocab.bpe"}})
        if (fs::exists(d / v) && fs::exists(d / m))
            return true;
    return false;
}

} // namespace uae
