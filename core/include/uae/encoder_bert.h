#pragma once
// BERT-family bi-encoder (BGE, MiniLM, E5, GTE, ...) in LibTorch, from a Hugging Face folder or
// cache. Weights are shared and immutable after load; encode() is not thread-safe (one encoder
// per worker). LibTorch stays behind this header.
#include "uae/bert_config.h"
#include "uae/encoder.h"
#include "uae/result.h"

#include <memory>
#include <optional>
#include <string>

namespace uae {

class Tokenizer;

struct BertOptions {
    std::string device = "auto";    // auto (CUDA when available) | cpu | cuda | cuda:N
    std::string dtype = "auto";     // auto (float16 on CUDA, float32 on CPU) | float32 | float16 | bfloat16
    int maxBatch = 64;              // sequences per forward pass
    int maxTokensPerBatch = 8192;   // padded tokens per forward pass (length-sorted batches)
    int maxLength = 0;              // 0: the tokenizer's limit, capped by the position table
    std::optional<Pooling> pooling; // overrides the checkpoint's
    std::optional<std::string> queryInstruction; // overrides the checkpoint's
    std::string method = "bert";                 // the retrieval method name runs are stored under
};

struct EncodeStats {
    long sequences = 0;
    long batches = 0;
    long tokens = 0;       // real tokens
    long paddedTokens = 0; // tokens computed, padding included
};

class EncoderBert final : public Encoder {
public:
    static Result<std::unique_ptr<EncoderBert>> load(const std::string& pathOrId, const BertOptions& options = {});
    struct Impl; // defined inside the core (LibTorch); the trainer builds encoders from weights in memory
    explicit EncoderBert(std::unique_ptr<Impl> impl);
    ~EncoderBert() override;

    // "bert", or "uae" for a checkpoint the UAE trainer wrote.
    std::string name() const override;
    std::string configJson() const override;
    int dim() const override;
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override;

    const Tokenizer& tokenizer() const;
    const BertConfig& config() const;
    std::string device() const;
    EncodeStats stats() const;
    // Embeddings from given token ids (one sequence per row, no padding), for conformance tests.
    std::vector<float> encodeIds(const std::vector<std::vector<std::int32_t>>& ids);
    // The weights' stamp (files, sizes, times; set by whoever loaded them): fingerprint() is the
    // config plus it, so a stored index of a model retrained in place is rebuilt, cached or not.
    void setWeightsStamp(std::string stamp) { m_weightsStamp = std::move(stamp); }
    std::string fingerprint() const override { return configJson() + m_weightsStamp; }

private:
    std::unique_ptr<Impl> m;
    std::string m_weightsStamp;
};

} // namespace uae
