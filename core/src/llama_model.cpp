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

torch::Tensor LlamaModel::rope(const torch::Tensor& x, std::int64_t start) const {
    // x: [B, H, T, d]
    const std::int64_t T = x.size(2), d = x.size(3), half = d / 2;
    auto opts = torch::TensorOptions().dtype(torch::kFloat).device(x.device());
    auto inv = torch::pow(m_config.ropeTheta, -torch::arange(0, half, opts) * 2.0 / static_cast<double>(d));
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
    // Causal mask over [T, total] plus padding of keys, added to the scores.
    auto opts = torch::TensorOptions().dtype(torch::kFloat).device(ids.device());
    auto qpos = torch::arange(start, total, opts).unsqueeze(1), kpos = torch::arange(0, total, opts).unsqueeze(0);
    const float lowest = std::numeric_limits<float>::lowest();
    auto bias = torch::zeros({T, total}, opts).masked_fill(kpos > qpos, lowest).view({1, 1, T, total});
    if (keyMask.defined())
        bias = bias.masked_fill(keyMask.view({B, 1, 1, total}).eq(0), lowest);
    for (size_t l = 0; l < m_w.layers.size(); ++l) {
        const auto& L = m_w.layers[l];
        auto h = rmsNorm(x, L.attnNorm, c.normEps);
        auto q = linear(h, L.wq, L.bq).view({B, T, c.heads, d}).transpose(1, 2);
        auto k = linear(h, L.wk, L.bk).view({B, T, c.kvHeads, d}).transpose(1, 2);
        auto v = linear(h, L.wv, L.bv).view({B, T, c.kvHeads, d}).transpose(1, 2);
        q = rope(q, start);
        k = rope(k, start);
        if (cache) {
            if (cache->k.size() <= l) {
                cache->k.push_back(k);
                cache->v.push_back(v);
            } else {
                cache->k[l] = torch::cat({cache->k[l], k}, 2);
                cache->v[l] = torch::cat({cache->v[l], v}, 2);
            }
            k = cache->k[l];
            v = cache->v[l];
        }
        // Grouped-query attention: kv head j serves query heads j*rep .. j*rep + rep - 1.
        if (rep > 1) {
            k = k.repeat_interleave(rep, 1);
            v = v.repeat_interleave(rep, 1);
        }
        auto scores = torch::matmul(q.to(torch::kFloat), k.to(torch::kFloat).transpose(-1, -2)) /
                          std::sqrt(static_cast<double>(d)) + bias;
        auto ctx = torch::matmul(torch::softmax(scores, -1).to(v.scalar_type()), v);
        x = x + torch::linear(ctx.transpose(1, 2).reshape({B, T, c.hidden}), L.wo);
        h = rmsNorm(x, L.ffnNorm, c.normEps);
        x = x + torch::linear(torch::silu(torch::linear(h, L.gate)) * torch::linear(h, L.up), L.down);
    }
    if (cache)
        cache->length = total;
    x = rmsNorm(x, m_w.finalNorm, c.normEps);
    return torch::linear(x, m_w.head).to(torch::kFloat);
}

} // namespace uae::detail
