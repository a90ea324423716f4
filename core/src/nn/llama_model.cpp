#include "llama_model.h"

#include <cmath>
#include <limits>

namespace uae::detail {

namespace {

torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& w, double eps) {
    // In float32 as Hugging Face's LlamaRMSNorm does, then back to the model's dtype.
    auto xf = x.to(torch::kFloat);
    auto y = xf * torch::rsqrt(xf.pow(2).mean(-1, true) + eps);
    return y.to(x.scalar_type()) * w;
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
    return b.defined() ? torch::linear(x, w, b) : torch::linear(x, w);
}

} // namespace

torch::Tensor attentionBias(std::int64_t B, std::int64_t T, std::int64_t start, const torch::Tensor& keyMask,
                            const torch::Device& device) {
    const std::int64_t total = start + T;
    auto opts = torch::TensorOptions().dtype(torch::kFloat).device(device);
    auto qpos = torch::arange(start, total, opts).unsqueeze(1), kpos = torch::arange(0, total, opts).unsqueeze(0);
    const float lowest = std::numeric_limits<float>::lowest();
    auto bias = torch::zeros({T, total}, opts).masked_fill(kpos > qpos, lowest).view({1, 1, T, total});
    if (keyMask.defined())
        bias = bias.masked_fill(keyMask.view({B, 1, 1, total}).eq(0), lowest);
    return bias;
}

std::pair<torch::Tensor, torch::Tensor> cacheAppend(KvCache* cache, size_t l, torch::Tensor k, torch::Tensor v) {
    if (!cache)
        return {k, v};
    if (cache->k.size() <= l) {
        cache->k.push_back(k);
        cache->v.push_back(v);
    } else {
        cache->k[l] = torch::cat({cache->k[l], k}, 2);
        cache->v[l] = torch::cat({cache->v[l], v}, 2);
    }
    return {cache->k[l], cache->v[l]};
}

torch::Tensor LlamaModel::rope(const torch::Tensor& x, std::int64_t start) const {
    // x: [B, H, T, d]
    const std::int64_t T = x.size(2), d = x.size(3), half = d / 2;
    auto opts = torch::TensorOptions().dtype(torch::kFloat).device(x.device());
    auto inv = torch::pow(m_config.ropeTheta, -torch::arange(0, half, opts) * 2.0 / static_cast<double>(d));
    if (m_config.ropeScaling == "linear") {
        inv = inv / m_config.ropeFactor;
    } else if (m_config.ropeScaling == "llama3") {
        // Long wavelengths are slowed by the factor, short ones kept, the band between blended.
        const double old = m_config.originalMaxPositions, lowWave = old / m_config.lowFreqFactor,
                     highWave = old / m_config.highFreqFactor;
        auto wave = 2.0 * M_PI / inv;
        auto smooth = ((old / wave) - m_config.lowFreqFactor) / (m_config.highFreqFactor - m_config.lowFreqFactor);
        auto blended = (1.0 - smooth) * inv / m_config.ropeFactor + smooth * inv;
        inv = torch::where(wave < highWave, inv, torch::where(wave > lowWave, inv / m_config.ropeFactor, blended));
    }
    auto pos = torch::arange(start, start + T, opts);
    auto angles = torch::outer(pos, inv); // [T, half]
    auto cos = angles.cos().to(x.scalar_type()), sin = angles.sin().to(x.scalar_type());
    if (m_config.ropeInterleaved) {
        auto pairs = x.view({x.size(0), x.size(1), T, half, 2});
        auto a = pairs.select(-1, 0), b = pairs.select(-1, 1);
        return torch::stack({a * cos - b * sin, a * sin + b * cos}, -1).view(x.sizes());
    }
    auto a = x.narrow(-1, 0, half), b = x.narrow(-1, half, half);
    return torch::cat({a * cos - b * sin, b * cos + a * sin}, -1);
}

torch::Tensor LlamaModel::forward(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& keyMask) const {
    const auto& c = m_config;
    const std::int64_t B = ids.size(0), T = ids.size(1), d = c.hidden / c.heads;
    const std::int64_t start = cache ? cache->length : 0, total = start + T, rep = c.heads / c.kvHeads;
    auto x = torch::embedding(m_w.embedding, ids);
    auto bias = attentionBias(B, T, start, keyMask, ids.device());
    for (size_t l = 0; l < m_w.layers.size(); ++l) {
        const auto& L = m_w.layers[l];
        auto h = rmsNorm(x, L.attnNorm, c.normEps);
        auto q = linear(h, L.wq, L.bq).view({B, T, c.heads, d}).transpose(1, 2);
        auto k = linear(h, L.wk, L.bk).view({B, T, c.kvHeads, d}).transpose(1, 2);
        auto v = linear(h, L.wv, L.bv).view({B, T, c.kvHeads, d}).transpose(1, 2);
        q = rope(q, start);
        k = rope(k, start);
        std::tie(k, v) = cacheAppend(cache, l, k, v);
        // Grouped-query attention: kv head j serves query heads j*rep .. j*rep + rep - 1. The
        // query heads of a group are one broadcast dimension, so keys and values are not copied.
        auto qg = q.to(torch::kFloat).view({B, c.kvHeads, rep, T, d});
        auto scores =
            torch::matmul(qg, k.to(torch::kFloat).unsqueeze(2).transpose(-1, -2)) / std::sqrt(static_cast<double>(d)) +
            bias.unsqueeze(1);
        auto ctx =
            torch::matmul(torch::softmax(scores, -1).to(v.scalar_type()), v.unsqueeze(2)).view({B, c.heads, T, d});
        x = x + torch::linear(ctx.transpose(1, 2).reshape({B, T, c.hidden}), L.wo);
        h = rmsNorm(x, L.ffnNorm, c.normEps);
        x = x + torch::linear(torch::silu(torch::linear(h, L.gate)) * torch::linear(h, L.up), L.down);
    }
    if (cache)
        cache->length = total;
    x = rmsNorm(x, m_w.finalNorm, c.normEps);
    return torch::linear(x, m_w.head).to(torch::kFloat);
}

torch::Tensor Gpt2Model::forward(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& keyMask) const {
    const auto& c = m_config;
    const std::int64_t B = ids.size(0), T = ids.size(1), D = c.hidden, d = D / c.heads;
    const std::int64_t start = cache ? cache->length : 0;
    auto x = torch::embedding(m_w.wte, ids) + torch::embedding(m_w.wpe, torch::arange(start, start + T, ids.options()));
    auto bias = attentionBias(B, T, start, keyMask, ids.device());
    for (size_t l = 0; l < m_w.layers.size(); ++l) {
        const auto& L = m_w.layers[l];
        auto h = torch::layer_norm(x, {D}, L.ln1, L.ln1b, c.normEps);
        auto qkv = torch::linear(h, L.qkv, L.qkvb).split(D, -1);
        auto heads = [&](const torch::Tensor& t) { return t.view({B, T, c.heads, d}).transpose(1, 2); };
        auto q = heads(qkv[0]);
        auto [k, v] = cacheAppend(cache, l, heads(qkv[1]), heads(qkv[2]));
        auto scores = torch::matmul(q.to(torch::kFloat), k.to(torch::kFloat).transpose(-1, -2)) /
                          std::sqrt(static_cast<double>(d)) +
                      bias;
        auto ctx = torch::matmul(torch::softmax(scores, -1).to(v.scalar_type()), v);
        x = x + torch::linear(ctx.transpose(1, 2).reshape({B, T, D}), L.proj, L.projb);
        h = torch::layer_norm(x, {D}, L.ln2, L.ln2b, c.normEps);
        x = x + torch::linear(torch::gelu(torch::linear(h, L.fc, L.fcb), "tanh"), L.out, L.outb);
    }
    if (cache)
        cache->length = start + T;
    x = torch::layer_norm(x, {D}, m_w.lnf, m_w.lnfb, c.normEps);
    return torch::linear(x, m_w.wte).to(torch::kFloat);
}

} // namespace uae::detail
