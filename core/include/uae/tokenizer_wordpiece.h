#pragma once
// BERT WordPiece tokenization with Hugging Face semantics: BertNormalizer (clean text, CJK
// isolation, accent stripping, lower-casing), BertPreTokenizer (whitespace + punctuation split),
// greedy longest-match WordPiece with "##" continuations, special tokens matched in raw text.
#include "uae/result.h"
#include "uae/tokenizer.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace uae {

struct WordPieceConfig {
    bool cleanText = true;
    bool handleChineseChars = true;
    std::optional<bool> stripAccents; // unset: follows lowercase, as in Hugging Face
    bool lowercase = true;
    std::string unkToken = "[UNK]";
    std::string clsToken = "[CLS]";
    std::string sepToken = "[SEP]";
    std::string padToken = "[PAD]";
    std::string maskToken = "[MASK]";
    std::string continuingPrefix = "##";
    int maxInputCharsPerWord = 100;
    int modelMaxLength = 512;
    std::vector<std::string> specialTokens; // matched verbatim before normalisation
};

class TokenizerWordPiece final : public Tokenizer {
public:
    // vocab.txt: one token per line, id = line number.
    static Result<std::unique_ptr<TokenizerWordPiece>> fromVocabFile(const std::string& path,
                                                                     WordPieceConfig config = {});
    // A Hugging Face tokenizer.json with a WordPiece model and Bert normalizer/pre-tokenizer.
    static Result<std::unique_ptr<TokenizerWordPiece>> fromTokenizerJson(const std::string& path);
    // A model folder: tokenizer.json when present, else vocab.txt (+ tokenizer_config.json).
    static Result<std::unique_ptr<TokenizerWordPiece>> fromModelDir(const std::string& dir);

    TokenizerWordPiece(std::vector<std::string> vocab, WordPieceConfig config);

    Encoding encode(const std::string& text, int maxLength = 0) const override;
    Encoding encodePair(const std::string& a, const std::string& b, int maxLength = 0) const override;
    int vocabSize() const override { return static_cast<int>(m_vocab.size()); }
    std::int32_t padId() const override { return m_pad; }
    int modelMaxLength() const override { return m_config.modelMaxLength; }

    // Word pieces of a text, without special tokens or truncation.
    std::vector<std::string> tokenize(const std::string& text) const;
    std::int32_t idOf(const std::string& token) const;
    const WordPieceConfig& config() const { return m_config; }

private:
    std::string normalize(const std::string& text) const;
    void wordPieces(const std::string& word, std::vector<std::string>& out) const;
    Encoding withSpecials(std::vector<std::string> a, const std::vector<std::string>* b) const;

    std::vector<std::string> m_vocab;
    std::unordered_map<std::string, std::int32_t> m_ids;
    WordPieceConfig m_config;
    std::int32_t m_unk = 0, m_cls = 0, m_sep = 0, m_pad = 0;
};

} // namespace uae
