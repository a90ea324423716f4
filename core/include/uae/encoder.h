#pragma once
// A bi-encoder maps texts to L2-normalised vectors; questions and passages may be encoded
// differently (BGE's query instruction, UAE's two projections). Implementations: EncoderGlove
// (static word vectors), EncoderBert (BERT family in LibTorch; also the trained UAE-BERT, named
// "uae"), EncoderUaeGlove (trained UAE projections over GloVe) and CachingEncoder (a persistent
// embedding cache around any of them).
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace uae {

enum class EncodeRole { Query, Passage };

class Encoder {
public:
    virtual ~Encoder() = default;
    virtual std::string name() const = 0;
    virtual std::string configJson() const = 0;
    virtual int dim() const = 0;
    // Row-major [texts.size() x dim()], each row L2-normalised (the GloVe-based encoders give an
    // all-zero row to a text without a known word). Not thread-safe unless the implementation
    // says so.
    virtual std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) = 0;
    // Something the user should know that did not stop the encoder (a damaged cache file that was
    // repaired); empty when all is well.
    virtual std::string warning() const { return {}; }
    // Everything that changes the vectors (config and weights), so a stored index built from them
    // is rebuilt when it changes (vector_index.h). The default, configJson(), names the model but
    // not its weights: encoders with weights at hand say more.
    virtual std::string fingerprint() const { return configJson(); }
};

// The first row of a [rows x dim] block holding a NaN or an infinity: a vector that would rank
// believably while meaning nothing, so callers refuse it.
inline std::optional<size_t> firstNonFiniteRow(const std::vector<float>& v, int dim) {
    for (size_t i = 0; i < v.size(); ++i)
        if (!std::isfinite(v[i]))
            return i / static_cast<size_t>(dim > 0 ? dim : 1);
    return std::nullopt;
}

} // namespace uae
