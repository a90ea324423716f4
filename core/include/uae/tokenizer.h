#pragma once
// Text -> token ids for a model. Implementations: TokenizerWordPiece (BERT family); the
// byte-level BPE of causal LMs comes later. Immutable after load, safe to share across threads.
#include <cstdint>
#include <string>
#include <vector>

namespace uae {

// ids, token type ids and attention mask, all the same length (no padding here).
struct Encoding {
    std::vector<std::int32_t> ids;
    std::vector<std::int32_t> typeIds;
    std::vector<std::string> tokens;
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;
    // With the model's special tokens; maxLength > 0 truncates so the result fits (specials kept).
    virtual Encoding encode(const std::string& text, int maxLength = 0) const = 0;
    // A text pair ([CLS] a [SEP] b [SEP] for BERT), truncated longest-first as Hugging Face does.
    virtual Encoding encodePair(const std::string& a, const std::string& b, int maxLength = 0) const = 0;
    virtual int vocabSize() const = 0;
    virtual std::int32_t padId() const = 0;
    virtual int modelMaxLength() const = 0;
};

} // namespace uae
