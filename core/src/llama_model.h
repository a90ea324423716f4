#pragma once
// Private: Llama-family decoder forward in LibTorch (RMSNorm, RoPE, grouped-query attention,
// SwiGLU, tied or separate head) with an optional KV cache.
#include "uae/causal_lm.h"

#include <torch/torch.h>

#include <vector>

namespace uae::detail {

struct LlamaLayer {
    torch::Tensor attnNorm, wq, wk, wv, wo, bq, bk, bv, ffnNorm, gate, up, down;
};

struct LlamaWeights {
    torch::Tensor embedding, finalNorm, head; // head [V, D] (the embedding when tied)
    std::vector<LlamaLayer> layers;
};

// Keys and values of earlier positions, per layer: [B, kvHeads, T, headDim].
struct KvCache {
    std::vector<torch::Tensor> k, v;
    std::int64_t length = 0;
};

class LlamaModel {
public:
    LlamaModel() = default;
    LlamaModel(CausalLmConfig config, LlamaWeights weights) : m_config(std::move(config)), m_w(std::move(weights)) {}
    // ids [B, T] int64 at positions cache.length .. cache.length + T - 1; keyMask [B, cache.length + T]
    // (1 = real token) or undefined for no padding. Returns logits [B, T, V] in float32.
    torch::Tensor forward(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& keyMask) const;
    const CausalLmConfig& config() const { return m_config; }

private:
    torch::Tensor rope(const torch::Tensor& x, std::int64_t start) const;
    CausalLmConfig m_config;
    LlamaWeights m_w;
};

} // namespace uae::detail
