#pragma once
#include "uae/encoder.h"
#include "uae/result.h"

#include <memory>
#include <string>
#include <unordered_map>

namespace uae {

// Static-embedding bi-encoder: lower-cased word tokens (stop words dropped), looked up in a GloVe
// table, mean-pooled and L2-normalised. The weights are immutable after load and may be shared.
class EncoderGlove final : public Encoder {
public:
    // dir holds vocab.txt (row i = line i) and one safetensors file with a 2-D F32/F16/BF16 tensor
    // named "embeddings" [vocab x dim]. Errors name the file and the problem.
    static Result<std::unique_ptr<EncoderGlove>> load(const std::string& dir);
    // For tests and trained projections: build from an in-memory table.
    EncoderGlove(std::vector<std::string> vocab, std::vector<float> table, int dim, std::string source);

    std::string name() const override { return "glove"; }
    std::string configJson() const override;
    std::string fingerprint() const override; // config + sha256 of the vocabulary and table
    int dim() const override { return m_dim; }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override;

    int vocabSize() const { return static_cast<int>(m_vocab.size()); }
    int lookup(const std::string& word) const;

private:
    std::vector<std::string> m_vocab;
    std::unordered_map<std::string, int> m_index;
    std::vector<float> m_table; // [vocab x dim]
    int m_dim = 0;
    std::string m_source;
};

} // namespace uae
