#pragma once
// Tokenizers of causal LMs: text <-> ids, with the model's BOS/EOS. Immutable after load.
#include "uae/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace uae {

class LmTokenizer {
public:
    virtual ~LmTokenizer() = default;
    virtual std::vector<std::int32_t> encode(const std::string& text, bool addBos) const = 0;
    virtual std::string decode(const std::vector<std::int32_t>& ids) const = 0;
    virtual std::int32_t bosId() const = 0;
    virtual std::int32_t eosId() const = 0;
    virtual int vocabSize() const = 0;
};

// llama2.c's tokenizer.bin: int32 max_token_length, then per token: float32 merge score,
// int32 length, bytes. SentencePiece-style BPE: a leading space is added, characters are looked
// up (unknown bytes fall back to <0xNN> tokens at id 3 + byte), then the pair whose merge has the
// highest score is merged until none is left. BOS = 1, EOS = 2.
class TokenizerLlama2c final : public LmTokenizer {
public:
    static Result<std::unique_ptr<TokenizerLlama2c>> load(const std::string& path, int vocabSize);
    std::vector<std::int32_t> encode(const std::string& text, bool addBos) const override;
    // Pieces concatenated as they are (byte tokens become their byte).
    std::string decode(const std::vector<std::int32_t>& ids) const override;
    std::int32_t bosId() const override { return 1; }
    std::int32_t eosId() const override { return 2; }
    int vocabSize() const override { return static_cast<int>(m_pieces.size()); }

private:
    std::vector<std::string> m_pieces;
    std::vector<float> m_scores;
    std::unordered_map<std::string, std::int32_t> m_ids;
};

} // namespace uae
