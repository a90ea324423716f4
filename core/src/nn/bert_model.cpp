#include "bert_model.h"

#include "weight_fetch.h"

#include <torch/version.h>

#include <algorithm>
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
    for (const Slot& slot : m.slots()) {
        *slot.tensor = get(slot.name, slot.shape);
        if (!fetch.error().empty())
            break;
    }
    if (!fetch.error().empty())
        return fail(fetch.error());
    return m;
}

std::vector<BertModel::Slot> BertModel::slots() {
    const auto& c = m_config;
    const std::int64_t h = c.hiddenSize, inter = c.intermediateSize;
    std::vector<Slot> s{{"embeddings.word_embeddings.weight", {c.vocabSize, h}, &m_word},
                        {"embeddings.position_embeddings.weight", {c.maxPositions, h}, &m_position},
                        {"embeddings.token_type_embeddings.weight", {c.typeVocabSize, h}, &m_type},
                        {"embeddings.LayerNorm.weight", {h}, &m_embLn},
                        {"embeddings.LayerNorm.bias", {h}, &m_embLnb}};
    m_layers.resize(static_cast<size_t>(c.numLayers));
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string p = "encoder.layer." + std::to_string(i) + ".";
        Layer& L = m_layers[static_cast<size_t>(i)];
        s.insert(s.end(), {{p + "attention.self.query.weight", {h, h}, &L.q},
                           {p + "attention.self.query.bias", {h}, &L.qb},
                           {p + "attention.self.key.weight", {h, h}, &L.k},
                           {p + "attention.self.key.bias", {h}, &L.kb},
                           {p + "attention.self.value.weight", {h, h}, &L.v},
                           {p + "attention.self.value.bias", {h}, &L.vb},
                           {p + "attention.output.dense.weight", {h, h}, &L.ao},
                           {p + "attention.output.dense.bias", {h}, &L.aob},
                           {p + "attention.output.LayerNorm.weight", {h}, &L.ln1},
                           {p + "attention.output.LayerNorm.bias", {h}, &L.ln1b},
                           {p + "intermediate.dense.weight", {inter, h}, &L.in},
                           {p + "intermediate.dense.bias", {inter}, &L.inb},
                           {p + "output.dense.weight", {h, inter}, &L.out},
                           {p + "output.dense.bias", {h}, &L.outb},
                           {p + "output.LayerNorm.weight", {h}, &L.ln2},
                           {p + "output.LayerNorm.bias", {h}, &L.ln2b}});
    }
    return s;
}

std::vector<std::pair<std::string, torch::Tensor>> BertModel::namedParameters() const {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const Slot& s : const_cast<BertModel*>(this)->slots())
        out.emplace_back(s.name, *s.tensor);
    return out;
}

BertModel BertModel::snapshot() const {
    BertModel copy = *this; // shares tensors until replaced below
    for (const Slot& s : copy.slots())
        *s.tensor = s.tensor->detach().clone();
    return copy;
}

torch::Tensor BertModel::embed(const torch::Tensor& ids, const torch::Tensor& typeIds,
                               const torch::Tensor& mask) const {
    auto hidden = forward(ids, typeIds, mask).to(torch::kFloat);
    torch::Tensor pooled;
    if (m_config.pooling == Pooling::Cls) {
        pooled = hidden.select(1, 0);
    } else {
        auto m = mask.to(torch::kFloat).unsqueeze(-1);
        pooled = (hidden * m).sum(1) / m.sum(1).clamp_min(1e-9);
    }
    return torch::nn::functional::normalize(pooled, torch::nn::functional::NormalizeFuncOptions().p(2).dim(1));
}

TokenBatch padBatch(const std::vector<const Encoding*>& encodings, std::int32_t padId, torch::Device device) {
    size_t longest = 1;
    for (const Encoding* e : encodings)
        longest = std::max(longest, e->ids.size());
    const auto B = static_cast<std::int64_t>(encodings.size()), T = static_cast<std::int64_t>(longest);
    TokenBatch out;
    out.ids = torch::full({B, T}, padId, torch::kLong);
    out.types = torch::zeros({B, T}, torch::kLong);
    out.mask = torch::zeros({B, T}, torch::kLong);
    auto ia = out.ids.accessor<std::int64_t, 2>(), ta = out.types.accessor<std::int64_t, 2>(),
         ma = out.mask.accessor<std::int64_t, 2>();
    for (std::int64_t b = 0; b < B; ++b) {
        const Encoding& e = *encodings[static_cast<size_t>(b)];
        for (size_t t = 0; t < e.ids.size(); ++t) {
            ia[b][static_cast<std::int64_t>(t)] = e.ids[t];
            ta[b][static_cast<std::int64_t>(t)] = e.typeIds[t];
            ma[b][static_cast<std::int64_t>(t)] = 1;
        }
        out.tokens += static_cast<long>(e.ids.size());
    }
    out.ids = out.ids.to(device);
    out.types = out.types.to(device);
    out.mask = out.mask.to(device);
    return out;
}

torch::Tensor BertModel::forward(const torch::Tensor& ids, const torch::Tensor& typeIds,
                                 const torch::Tensor& mask) const {
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
