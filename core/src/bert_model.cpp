#include "bert_model.h"

#include "weight_fetch.h"

#include <torch/version.h>

#include <cmath>
#include <limits>

namespace uae::detail {

Result<BertModel> BertModel::load(const WeightSet& weights, const std::string& dir, const BertConfig& c,
                                  torch::Device device, torch::ScalarType dtype) {
    std::string prefix;
    for (const auto& n : weights.names())
        if (n.starts_with("bert.")) {
            prefix = "bert.";
            break;
        }
    WeightFetch fetch(weights, dir, device, dtype, prefix);
    // Old checkpoints name LayerNorm parameters gamma/beta.
    auto get = [&](const std::string& name, std::vector<std::int64_t> shape) {
        std::vector<std::string> aliases;
        if (name.find("LayerNorm") != std::string::npos)
            aliases.push_back(name.substr(0, name.rfind('.')) + (name.ends_with(".weight") ? ".gamma" : ".beta"));
        return fetch(name, std::move(shape), false, aliases);
    };
    BertModel m;
    m.m_config = c;
    const std::int64_t h = c.hiddenSize, inter = c.intermediateSize;
    m.m_word = get("embeddings.word_embeddings.weight", {c.vocabSize, h});
    m.m_position = get("embeddings.position_embeddings.weight", {c.maxPositions, h});
    m.m_type = get("embeddings.token_type_embeddings.weight", {c.typeVocabSize, h});
    m.m_embLn = get("embeddings.LayerNorm.weight", {h});
    m.m_embLnb = get("embeddings.LayerNorm.bias", {h});
    for (int i = 0; i < c.numLayers && fetch.error().empty(); ++i) {
        const std::string p = "encoder.layer." + std::to_string(i) + ".";
        Layer L;
        L.q = get(p + "attention.self.query.weight", {h, h});
        L.qb = get(p + "attention.self.query.bias", {h});
        L.k = get(p + "attention.self.key.weight", {h, h});
        L.kb = get(p + "attention.self.key.bias", {h});
        L.v = get(p + "attention.self.value.weight", {h, h});
        L.vb = get(p + "attention.self.value.bias", {h});
        L.ao = get(p + "attention.output.dense.weight", {h, h});
        L.aob = get(p + "attention.output.dense.bias", {h});
        L.ln1 = get(p + "attention.output.LayerNorm.weight", {h});
        L.ln1b = get(p + "attention.output.LayerNorm.bias", {h});
        L.in = get(p + "intermediate.dense.weight", {inter, h});
        L.inb = get(p + "intermediate.dense.bias", {inter});
        L.out = get(p + "output.dense.weight", {h, inter});
        L.outb = get(p + "output.dense.bias", {h});
        L.ln2 = get(p + "output.LayerNorm.weight", {h});
        L.ln2b = get(p + "output.LayerNorm.bias", {h});
        m.m_layers.push_back(std::move(L));
    }
    if (!fetch.error().empty())
        return fail(fetch.error());
    return m;
}

torch::Tensor BertModel::forward(const torch::Tensor& ids, const torch::Tensor& typeIds, const torch::Tensor& mask) const {
    const auto& c = m_config;
    const std::int64_t B = ids.size(0), T = ids.size(1), H = c.hiddenSize, heads = c.numHeads, d = H / heads;
    auto positions = torch::arange(T, ids.options());
    auto x = torch::embedding(m_word, ids) + torch::embedding(m_position, positions).unsqueeze(0) +
             torch::embedding(m_type, typeIds);
    x = torch::layer_norm(x, {H}, m_embLn, m_embLnb, c.layerNormEps);
    // Additive mask as Hugging Face builds it: 0 for tokens, the dtype's lowest value for padding.
    const double lowest = x.scalar_type() == torch::kHalf       ? -65504.0
                          : x.scalar_type() == torch::kBFloat16 ? -3.3895313892515355e38
                                                                : std::numeric_limits<float>::lowest();
    auto bias = (1.0 - mask.to(x.scalar_type())).mul(lowest).view({B, 1, 1, T});
    const double scale = 1.0 / std::sqrt(static_cast<double>(d));
    auto split = [&](const torch::Tensor& t) { return t.view({B, T, heads, d}).transpose(1, 2); };
    for (const Layer& L : m_layers) {
        auto q = split(torch::linear(x, L.q, L.qb));
        auto k = split(torch::linear(x, L.k, L.kb));
        auto v = split(torch::linear(x, L.v, L.vb));
#if TORCH_VERSION_MAJOR >= 2
        auto ctx = at::scaled_dot_product_attention(q, k, v, bias);
#else
        auto scores = torch::matmul(q, k.transpose(-1, -2)).mul(scale).add(bias);
        auto ctx = torch::matmul(torch::softmax(scores, -1), v);
#endif
        ctx = ctx.transpose(1, 2).reshape({B, T, H});
        auto a = torch::layer_norm(torch::linear(ctx, L.ao, L.aob) + x, {H}, L.ln1, L.ln1b, c.layerNormEps);
        auto i = torch::linear(a, L.in, L.inb);
        if (c.hiddenAct == "gelu")
            i = torch::gelu(i);
        else if (c.hiddenAct == "relu")
            i = torch::relu(i);
        else
            i = torch::gelu(i, "tanh");
        x = torch::layer_norm(torch::linear(i, L.out, L.outb) + a, {H}, L.ln2, L.ln2b, c.layerNormEps);
    }
    (void)scale;
    return x;
}

} // namespace uae::detail
