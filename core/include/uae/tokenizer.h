#pragma once
// Text -> token ids for a bi-encoder. The one implementation is TokenizerWordPiece (BERT
// family); causal LMs' tokenizers (TokenizerByteBpe from tokenizer.json or GGUF,
// TokenizerLlama2c) implement LmTokenizer (lm_tokenizer.h) instead. Immutable after load, safe to
// share across threads.
#include <cstdint>
#include <string>
#include <vector>

namespace uae {

// Token ids, token type ids (segment 0 or 1) and the token strings, all the same length. No
// padding here, so no attention mask: the encoder pads and masks when it batches.
struct Encoding {
    std::vector<std::int32_t> ids;
    std::vector<std::int32_t> typeIds;
    std::vector<std::string> tokens;
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;
    // With the model's special tokens. A maxLength with room for text besides the special tokens
    // (> 2 for BERT) truncates the text so the result fits, specials kept; 0 (or less room) does
    // not truncate.
    virtual Encoding encode(const std::string& text, int maxLength = 0) const = 0;
    // A text pair ([CLS] a [SEP] b [SEP] for BERT), truncated longest-first as Hugging Face does
    // when maxLength leaves room for text (> 3 for BERT).
    virtual Encoding encodePair(const std::string& a, const std::string& b, int maxLength = 0) const = 0;
    virtual int vocabSize() const = 0;
    virtual std::int32_t padId() const = 0;
    // The checkpoint's token limit: tokenizer_config.json's model_max_length, else the
    // tokenizer.json truncation length, else 512.
    virtual int modelMaxLength() const = 0;
};

} // namespace uae
