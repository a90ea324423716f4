#include "uae/tokenizer_wordpiece.h"

#include "special_tokens.h"
#include "unicode_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace uae {

TokenizerWordPiece::TokenizerWordPiece(std::vector<std::string> vocab, WordPieceConfig config)
    : m_vocab(std::move(vocab)), m_config(std::move(config)) {
    m_ids.reserve(m_vocab.size());
    // A token listed twice maps to its last line, as Hugging Face's vocab loaders do.
    for (size_t i = 0; i < m_vocab.size(); ++i)
        m_ids[m_vocab[i]] = static_cast<std::int32_t>(i);
    m_unk = idOf(m_config.unkToken);
    m_cls = idOf(m_config.clsToken);
    m_sep = idOf(m_config.sepToken);
    m_pad = std::max(0, idOf(m_config.padToken));
    for (const auto& t :
         {m_config.unkToken, m_config.clsToken, m_config.sepToken, m_config.padToken, m_config.maskToken})
        if (idOf(t) >= 0 &&
            std::find(m_config.specialTokens.begin(), m_config.specialTokens.end(), t) == m_config.specialTokens.end())
            m_config.specialTokens.push_back(t);
    // Longest first, so "[MASK]" never loses to a shorter special that prefixes it.
    std::sort(m_config.specialTokens.begin(), m_config.specialTokens.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::int32_t TokenizerWordPiece::idOf(const std::string& token) const {
    auto it = m_ids.find(token);
    return it == m_ids.end() ? -1 : it->second;
}

std::string TokenizerWordPiece::normalize(const std::string& text) const {
    std::u32string cps;
    for (char32_t c : unicode::decode(text)) {
        if (m_config.cleanText) {
            if (c == 0 || c == 0xFFFD || unicode::isControl(c))
                continue;
            if (unicode::isWhitespace(c))
                c = U' ';
        }
        if (m_config.handleChineseChars && unicode::isChinese(c)) {
            cps += U' ';
            cps += c;
            cps += U' ';
        } else {
            cps += c;
        }
    }
    std::string s;
    for (char32_t c : cps)
        unicode::append(s, c);
    // Same order as the tokenizers library: strip accents (NFD, drop Mn), then lower-case.
    if (m_config.stripAccents.value_or(m_config.lowercase)) {
        std::string stripped;
        for (char32_t c : unicode::decode(unicode::nfd(s)))
            if (!unicode::isNonspacingMark(c))
                unicode::append(stripped, c);
        s = std::move(stripped);
    }
    if (m_config.lowercase) {
        std::u32string lower;
        for (char32_t c : unicode::decode(s))
            unicode::appendLower(lower, c);
        s.clear();
        for (char32_t c : lower)
            unicode::append(s, c);
    }
    return s;
}

void TokenizerWordPiece::wordPieces(const std::string& word, std::vector<std::string>& out) const {
    const auto cps = unicode::decode(word);
    if (static_cast<int>(cps.size()) > m_config.maxInputCharsPerWord) {
        out.push_back(m_config.unkToken);
        return;
    }
    // Byte offset of every code point, so substrings never split a character.
    std::vector<size_t> offsets;
    std::string rebuilt;
    for (char32_t c : cps) {
        offsets.push_back(rebuilt.size());
        unicode::append(rebuilt, c);
    }
    offsets.push_back(rebuilt.size());
    std::vector<std::string> pieces;
    size_t start = 0;
    while (start < cps.size()) {
        size_t end = cps.size();
        std::string found;
        while (end > start) {
            std::string sub = rebuilt.substr(offsets[start], offsets[end] - offsets[start]);
            if (start > 0)
                sub = m_config.continuingPrefix + sub;
            if (m_ids.count(sub)) {
                found = std::move(sub);
                break;
            }
            --end;
        }
        if (found.empty()) {
            out.push_back(m_config.unkToken);
            return;
        }
        pieces.push_back(std::move(found));
        start = end;
    }
    out.insert(out.end(), pieces.begin(), pieces.end());
}

std::vector<std::string> TokenizerWordPiece::tokenize(const std::string& text) const {
    std::vector<std::string> out;
    auto plain = [&](const std::string& segment) {
        std::string word;
        auto flush = [&] {
            if (!word.empty())
                wordPieces(word, out);
            word.clear();
        };
        for (char32_t c : unicode::decode(normalize(segment))) {
            if (unicode::isWhitespace(c)) {
                flush();
            } else if (unicode::isPunctuation(c)) {
                flush();
                unicode::append(word, c);
                flush();
            } else {
                unicode::append(word, c);
            }
        }
        flush();
    };
    // Special tokens are matched in the raw text, before normalisation (added tokens with
    // normalized = false in tokenizer.json).
    SpecialTokenFinder specials(text, m_config.specialTokens);
    size_t pos = 0;
    while (pos < text.size()) {
        const auto [best, special] = specials.next(pos);
        if (!special) {
            plain(text.substr(pos));
            break;
        }
        plain(text.substr(pos, best - pos));
        out.push_back(*special);
        pos = best + special->size();
    }
    return out;
}

Encoding TokenizerWordPiece::withSpecials(std::vector<std::string> a, const std::vector<std::string>* b) const {
    Encoding e;
    auto add = [&](const std::string& tok, std::int32_t type) {
        const std::int32_t id = idOf(tok);
        e.ids.push_back(id >= 0 ? id : m_unk);
        e.typeIds.push_back(type);
        e.tokens.push_back(tok);
    };
    add(m_config.clsToken, 0);
    for (const auto& t : a)
        add(t, 0);
    add(m_config.sepToken, 0);
    if (b) {
        for (const auto& t : *b)
            add(t, 1);
        add(m_config.sepToken, 1);
    }
    return e;
}

Encoding TokenizerWordPiece::encode(const std::string& text, int maxLength) const {
    auto tokens = tokenize(text);
    if (maxLength > 2 && static_cast<int>(tokens.size()) > maxLength - 2)
        tokens.resize(static_cast<size_t>(maxLength - 2));
    return withSpecials(std::move(tokens), nullptr);
}

Encoding TokenizerWordPiece::encodePair(const std::string& a, const std::string& b, int maxLength) const {
    auto ta = tokenize(a), tb = tokenize(b);
    const size_t budget = maxLength > 3 ? static_cast<size_t>(maxLength - 3) : 0;
    if (budget > 0 && ta.size() + tb.size() > budget) {
        // Hugging Face "longest_first": when the shorter side fits in half the budget it stays
        // whole and the longer one takes the rest; otherwise the first side gets half the
        // budget and the second the other half (plus the odd token).
        const size_t shorter = std::min(ta.size(), tb.size());
        size_t n1 = 0, n2 = 0;
        if (2 * shorter <= budget) {
            n1 = ta.size() <= tb.size() ? ta.size() : budget - shorter;
            n2 = ta.size() <= tb.size() ? budget - shorter : tb.size();
        } else {
            n1 = budget / 2;
            n2 = n1 + budget % 2;
        }
        ta.resize(std::min(ta.size(), n1));
        tb.resize(std::min(tb.size(), n2));
    }
    return withSpecials(std::move(ta), &tb);
}

namespace {

Result<nlohmann::json> readJson(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return fail(path + ": cannot open");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        return fail(path + ": malformed JSON: " + e.what());
    }
}

} // namespace

Result<std::unique_ptr<TokenizerWordPiece>> TokenizerWordPiece::fromVocabFile(const std::string& path,
                                                                              WordPieceConfig config) {
    std::ifstream in(path);
    if (!in)
        return fail(path + ": missing or unreadable vocabulary");
    std::vector<std::string> vocab;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        vocab.push_back(line);
    }
    if (vocab.empty())
        return fail(path + ": vocabulary is empty");
    auto tok = std::make_unique<TokenizerWordPiece>(std::move(vocab), std::move(config));
    for (const auto* t : {&tok->m_config.unkToken, &tok->m_config.clsToken, &tok->m_config.sepToken})
        if (tok->idOf(*t) < 0)
            return fail(path + ": vocabulary lacks the special token " + *t);
    return tok;
}

Result<std::unique_ptr<TokenizerWordPiece>> TokenizerWordPiece::fromTokenizerJson(const std::string& path) {
    auto root = readJson(path);
    if (!root)
        return fail(root.error());
    const auto& j = root.value();
    try {
        const auto& model = j.at("model");
        if (model.value("type", "") != "WordPiece")
            return fail(path + ": model type '" + model.value("type", "?") + "' is not WordPiece");
        WordPieceConfig c;
        c.unkToken = model.value("unk_token", c.unkToken);
        c.continuingPrefix = model.value("continuing_subword_prefix", c.continuingPrefix);
        c.maxInputCharsPerWord = model.value("max_input_chars_per_word", c.maxInputCharsPerWord);
        if (const auto& n = j.value("normalizer", nlohmann::json()); n.is_object()) {
            if (n.value("type", "") != "BertNormalizer")
                return fail(path + ": normalizer '" + n.value("type", "?") + "' is not supported (BertNormalizer is)");
            c.cleanText = n.value("clean_text", true);
            c.handleChineseChars = n.value("handle_chinese_chars", true);
            c.lowercase = n.value("lowercase", true);
            if (n.contains("strip_accents") && n["strip_accents"].is_boolean())
                c.stripAccents = n["strip_accents"].get<bool>();
        } else {
            c.cleanText = c.handleChineseChars = c.lowercase = false;
        }
        for (const auto& t : j.value("added_tokens", nlohmann::json::array()))
            if (t.value("special", false))
                c.specialTokens.push_back(t.at("content").get<std::string>());
        if (const auto& pp = j.value("post_processor", nlohmann::json()); pp.is_object()) {
            if (pp.contains("cls") && pp["cls"].is_array())
                c.clsToken = pp["cls"][0].get<std::string>(); // BertProcessing
            if (pp.contains("sep") && pp["sep"].is_array())
                c.sepToken = pp["sep"][0].get<std::string>();
        }
        if (const auto& tr = j.value("truncation", nlohmann::json()); tr.is_object() && tr.contains("max_length")) {
            // Found by fuzz_wordpiece: a float beyond long's range converted to an integer is UB.
            const auto& m = tr["max_length"];
            if (!m.is_number_integer() || m.get<std::int64_t>() < 1 || m.get<std::int64_t>() > (1 << 20))
                return fail(path + ": truncation.max_length " + m.dump() + " is not an integer in 1..1048576");
            c.modelMaxLength = static_cast<int>(m.get<std::int64_t>());
        }
        std::vector<std::string> vocab;
        // WordPiece ids are dense (0..entries-1). Found by fuzz_wordpiece: one id near the old
        // bound of 10^7 made a vector of ten million empty tokens (seconds and hundreds of MB).
        const auto entries = static_cast<std::int64_t>(model.at("vocab").size());
        for (const auto& [token, id] : model.at("vocab").items()) {
            if (!id.is_number_integer()) // a float id (7.6e123) converted to an integer is UB
                return fail(path + ": token '" + token + "' has id " + id.dump() + " (ids are integers)");
            const auto i = id.get<std::int64_t>();
            if (i < 0 || i >= entries)
                return fail(path + ": token '" + token + "' has id " + std::to_string(i) + ", outside 0.." +
                            std::to_string(entries - 1) + " (the vocabulary's " + std::to_string(entries) +
                            " entries)");
            if (vocab.size() <= static_cast<size_t>(i))
                vocab.resize(static_cast<size_t>(i) + 1);
            vocab[static_cast<size_t>(i)] = token;
        }
        if (vocab.empty())
            return fail(path + ": empty vocabulary");
        auto tok = std::make_unique<TokenizerWordPiece>(std::move(vocab), std::move(c));
        if (tok->idOf(tok->m_config.clsToken) < 0 || tok->idOf(tok->m_config.sepToken) < 0 || tok->m_unk < 0)
            return fail(path + ": vocabulary lacks [CLS], [SEP] or the unknown token");
        return tok;
    } catch (const nlohmann::json::exception& e) {
        return fail(path + ": unexpected layout: " + e.what());
    }
}

Result<std::unique_ptr<TokenizerWordPiece>> TokenizerWordPiece::fromModelDir(const std::string& dir) {
    const fs::path d(dir);
    int maxLength = 0;
    WordPieceConfig c;
    if (fs::exists(d / "tokenizer_config.json")) {
        auto cfg = readJson((d / "tokenizer_config.json").string());
        if (!cfg)
            return fail(cfg.error());
        const auto& j = cfg.value();
        const std::string where = (d / "tokenizer_config.json").string();
        if (!j.is_object())
            return fail(where + ": is " + j.type_name() + ", expected a JSON object");
        try {
            c.lowercase = j.value("do_lower_case", c.lowercase);
            c.handleChineseChars = j.value("tokenize_chinese_chars", c.handleChineseChars);
        } catch (const nlohmann::json::exception& e) {
            return fail(where + ": " + e.what());
        }
        if (j.contains("strip_accents") && j["strip_accents"].is_boolean())
            c.stripAccents = j["strip_accents"].get<bool>();
        // Some configs say 1e30 for "no limit": the model's position table decides then. Clamped
        // before the cast: a double outside int's range cast to int is undefined.
        if (j.contains("model_max_length") && j["model_max_length"].is_number())
            maxLength = static_cast<int>(std::clamp(j["model_max_length"].get<double>(), 0.0, 1e6));
    }
    Result<std::unique_ptr<TokenizerWordPiece>> tok = fail("");
    if (fs::exists(d / "tokenizer.json"))
        tok = fromTokenizerJson((d / "tokenizer.json").string());
    else if (fs::exists(d / "vocab.txt"))
        tok = fromVocabFile((d / "vocab.txt").string(), c);
    else
        return fail(dir + ": no tokenizer.json or vocab.txt");
    if (tok && maxLength > 0)
        tok.value()->m_config.modelMaxLength = maxLength;
    return tok;
}

} // namespace uae
