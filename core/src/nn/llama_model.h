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

// A decoder-only LM: ids [B, T] at positions cache.length .. cache.length + T - 1; keyMask
// [B, cache.length + T] (1 = real token) or undefined when nothing is padded. Logits [B, T, V], float32.
class DecoderModel {
public:
    virtual ~DecoderModel() = default;
    virtual torch::Tensor forward(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& keyMask) const = 0;
    virtual const CausalLmConfig& config() const = 0;
};

// Additive attention bias: causal over [T, start + T] plus padded keys; [B or 1, 1, T, start + T].
torch::Tensor attentionBias(std::int64_t B, std::int64_t T, std::int64_t start, const torch::Tensor& keyMask,
                            const torch::Device& device);
// Appends k, v to layer l of the cache (when there is one) and returns the full keys and values.
std::pair<torch::Tensor, torch::Tensor> cacheAppend(KvCache* cache, size_t l, torch::Tensor k, torch::Tensor v);

class LlamaModel final : public DecoderModel {
public:
    LlamaModel() = default;
    LlamaModel(CausalLmConfig config, LlamaWeights weights) : m_config(std::move(config)), m_w(std::move(weights)) {}
    torch::Tensor forward(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& keyMask) const override;
    const CausalLmConfig& config() const override { return m_config; }

private:
    torch::Tensor rope(const torch::Tensor& x, std::int64_t start) const;
    CausalLmConfig m_config;
    LlamaWeights m_w;
};

struct Gpt2Layer {
    torch::Tensor ln1, ln1b, qkv, qkvb, proj, projb, ln2, ln2b, fc, fcb, out, outb; // Linear layout [out, in]
};

struct Gpt2Weights {
    torch::Tensor wte, wpe, lnf, lnfb;
    std::vector<Gpt2Layer> layers;
};

// GPT-2: learned positions, pre-LayerNorm blocks, GELU (tanh), head tied to the token embedding.
class Gpt2Model final : public DecoderModel {
public:
    Gpt2Model(CausalLmConfig config, Gpt2Weights weights) : m_config(std::move(config)), m_w(std::move(weights)) {}
    torch::Tensor forward(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& keyMask) const override;
    const CausalLmConfig& config() const override { return m_config; }

private:
    CausalLmConfig m_config;
    Gpt2Weights m_w;
};

} // namespace uae::detail
