#include "uae/lm_tokenizer.h"

#include "bpe_merge.h"

#include <cstdio>
#include <cstring>
#include <fstream>

namespace uae {

namespace {
constexpr std::int32_t kMaxTokenLength = 65536;
} // namespace

Result<std::unique_ptr<TokenizerLlama2c>> TokenizerLlama2c::load(const std::string& path, int vocabSize) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(path + ": cannot open tokenizer");
    if (vocabSize <= 0)
        return fail(path + ": the checkpoint's vocab_size is " + std::to_string(vocabSize) + ", not a token count");
    std::int32_t maxLength = 0;
    if (!in.read(reinterpret_cast<char*>(&maxLength), 4))
        return fail(path + ": the file ends inside the header (max_token_length, 4 bytes)");
    // llama2.c's own tokenizers say 7 (tok512) to 27 (Llama 2); longer pieces mean another format.
    if (maxLength <= 0 || maxLength > kMaxTokenLength)
        return fail(path + ": header max_token_length = " + std::to_string(maxLength) + " is not in 1.." +
                    std::to_string(kMaxTokenLength) + " (not a llama2.c tokenizer.bin?)");
    auto tok = std::make_unique<TokenizerLlama2c>();
    for (int i = 0; i < vocabSize; ++i) {
        float score = 0;
        std::int32_t length = 0;
        const std::string where = path + ": token " + std::to_string(i) + " of " + std::to_string(vocabSize);
        if (!in.read(reinterpret_cast<char*>(&score), 4) || !in.read(reinterpret_cast<char*>(&length), 4))
            return fail(where + ": the file ends before its score and length (truncated, or the checkpoint's "
                                "vocab_size does not match this tokenizer)");
        if (length < 0 || length > maxLength)
            return fail(where + ": length = " + std::to_string(length) + " is not in 0..max_token_length (" +
                        std::to_string(maxLength) + ")");
        std::string piece(static_cast<size_t>(length), '\0');
        if (!in.read(piece.data(), length))
            return fail(where + ": the file ends inside its " + std::to_string(length) + " bytes (truncated)");
        tok->m_ids.emplace(piece, i);
        tok->m_pieces.push_back(std::move(piece));
        tok->m_scores.push_back(score);
    }
    // <unk>, <s>, </s> come first in every llama2.c vocabulary; encode() relies on them. Checked
    // after the header and pieces, so a damaged file is named for what is wrong with it first.
    if (vocabSize < 3)
        return fail(path + ": vocabulary size " + std::to_string(vocabSize) + " is too small (at least 3)");
    return tok;
}

std::vector<std::int32_t> TokenizerLlama2c::encode(const std::string& text, bool addBos) const {
    std::vector<std::int32_t> ids;
    if (addBos)
        ids.push_back(bosId());
    std::vector<std::int32_t> t;
    if (!text.empty()) {
        auto space = m_ids.find(" ");
        if (space != m_ids.end())
            t.push_back(space->second); // SentencePiece's dummy prefix
    }
    // One token per UTF-8 character when the vocabulary has it, else one per byte.
    for (size_t i = 0; i < text.size();) {
        size_t n = 1;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xC0)
            n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        n = std::min(n, text.size() - i);
        auto it = m_ids.find(text.substr(i, n));
        if (it != m_ids.end()) {
            t.push_back(it->second);
        } else {
            // <0xNN> byte tokens sit at 3 + byte; a vocabulary without them falls back to <unk> (0).
            for (size_t b = 0; b < n; ++b) {
                const auto id = static_cast<std::int32_t>(static_cast<unsigned char>(text[i + b])) + 3;
                t.push_back(id < vocabSize() ? id : 0);
            }
        }
        i += n;
    }
    bpe::mergeByScore(t, m_pieces, m_scores, m_ids);
    ids.insert(ids.end(), t.begin(), t.end());
    return ids;
}

std::string TokenizerLlama2c::decode(const std::vector<std::int32_t>& ids) const {
    std::string out;
    for (auto id : ids) {
        if (id < 0 || id >= vocabSize() || id == bosId() || id == eosId())
            continue;
        const std::string& p = m_pieces[static_cast<size_t>(id)];
        unsigned byte = 0;
        if (p.size() == 6 && std::sscanf(p.c_str(), "<0x%02X>", &byte) == 1)
            out.push_back(static_cast<char>(byte));
        else
            out += p;
    }
    return out;
}

} // namespace uae
