#pragma once
// Tokenizers of causal LMs: text <-> ids, with the model's BOS/EOS. Immutable after load.
#include "uae/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace uae {

class GgufFile;

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

// BPE from Hugging Face tokenizer.json files. Byte-level, as in GPT-2, Llama 3 and Qwen2 (a
// ByteLevel pre-tokenizer, alone or after a Split by the model's regex; or GPT-2's vocab.json +
// merges.txt): text split into pre-tokens, bytes mapped to printable characters, merges applied by
// rank. SentencePiece-style, as in Llama 2, Mistral and TinyLlama (spaces become "▁", a "▁" is
// prepended, either by a Prepend + Replace normalizer or a Metaspace pre-tokenizer): merges over
// Unicode characters, characters outside the vocabulary falling back to <0xNN> byte tokens (or
// <unk>). Special tokens are matched in raw text; a BOS from the post-processor template is added
// when asked for.
class TokenizerByteBpe final : public LmTokenizer {
public:
    static Result<std::unique_ptr<TokenizerByteBpe>> fromTokenizerJson(const std::string& path);
    static Result<std::unique_ptr<TokenizerByteBpe>> fromVocabAndMerges(const std::string& vocabJson,
                                                                        const std::string& merges);
    // A folder: tokenizer.json, else vocab.json (or encoder.json) + merges.txt (or vocab.bpe).
    static Result<std::unique_ptr<TokenizerByteBpe>> fromDir(const std::string& dir);
    // Whether a folder holds a BPE tokenizer (tokenizer.json whose model.type is BPE, or the
    // vocab + merges pair), so that fromDir's error, not another tokenizer's, is the one to report.
    static bool holdsBpe(const std::string& dir);
    // A GGUF file's own tokenizer (tokenizer.ggml.model = gpt2): tokens, merges, token types
    // (control and user-defined tokens are matched whole in text), BOS/EOS, add_bos_token, and the
    // pre-tokenizer named by tokenizer.ggml.pre (gpt-2/default, llama-bpe, qwen2, smollm).
    static Result<std::unique_ptr<TokenizerByteBpe>> fromGguf(const GgufFile& file);

    std::vector<std::int32_t> encode(const std::string& text, bool addBos) const override;
    std::string decode(const std::vector<std::int32_t>& ids) const override;
    std::int32_t bosId() const override { return m_bos; }
    std::int32_t eosId() const override { return m_eos; }
    int vocabSize() const override { return static_cast<int>(m_tokens.size()); }

    // GPT-2's pre-tokenization regex, hand-written over Unicode categories:
    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    static std::vector<std::string> splitGpt2(const std::string& text);
    // The Llama 3 pattern (maxDigits 3) and Qwen2's (maxDigits 1):
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,D}|
    // ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    static std::vector<std::string> splitLlama3(const std::string& text, int maxDigits);
    // SmolLM2's Digits(individual_digits) then GPT-2's pattern: each \p{N} alone, the rest by splitGpt2.
    static std::vector<std::string> splitDigitsGpt2(const std::string& text);

    enum class Split { Gpt2, DigitsGpt2, Llama3, Qwen2, SentencePiece };

private:
    void init(std::vector<std::pair<std::string, std::int32_t>> vocab,
              std::vector<std::pair<std::string, std::string>> merges);
    void bpe(const std::string& word, std::vector<std::int32_t>& out) const;

    std::vector<std::string> m_tokens;
    std::unordered_map<std::string, std::int32_t> m_ids;
    std::unordered_map<std::string, int> m_ranks; // "left right" -> merge rank
    std::vector<std::string> m_specials;
    std::int32_t m_bos = -1, m_eos = -1;
    bool m_addBos = false;
    Split m_split = Split::Gpt2;
    bool m_nfc = false;          // Qwen2 normalises to NFC first
    bool m_ignoreMerges = false; // Llama 3: a pre-token found whole in the vocabulary is one token
    // SentencePiece-style only:
    enum class Prepend { Always, First, Never };
    Prepend m_prepend = Prepend::Always; // "▁" before each text segment, only the first, or none
    bool m_metaspace = false;            // Metaspace prepends only where the text lacks a leading "▁"
    bool m_metaspaceSplit = false;       // Metaspace split=true: merges never cross a "▁"
    bool m_byteFallback = false;
    std::int32_t m_unk = -1;
    bool m_fuseUnk = false;
};

} // namespace uae
