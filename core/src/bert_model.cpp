#include "bert_model.h"

#include <torch/version.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace uae::detail {

namespace {

torch::ScalarType torchType(DType t) {
    switch (t) {
    case DType::F16: return torch::kHalf;
    case DType::BF16: return torch::kBFloat16;
    case DType::F64: return torch::kDouble;
    default: return torch::kFloat;
    }
}

class Loader {
public:
    Loader(const WeightSet& w, std::string dir, torch::Device device, torch::ScalarType dtype)
        : m_w(w), m_dir(std::move(dir)), m_device(device), m_dtype(dtype) {
        for (const auto& n : w.names())
            if (n.starts_with("bert.")) {
                m_prefix = "bert.";
                break;
            }
    }

    // Looks the tensor up (with old gamma/beta aliases), checks its shape, converts it.
    torch::Tensor get(const std::string& name, std::vector<std::int64_t> shape) {
        const SafetensorsFile* file = nullptr;
        std::string key = m_prefix + name;
        const TensorInfo* t = m_w.find(key, &file);
        for (auto [from, to] : {std::pair{".weight", ".gamma"}, {".bias", ".beta"}})
            if (!t && name.find("LayerNorm") != std::string::npos && name.ends_with(from)) {
                key = m_prefix + name.substr(0, name.size() - std::strlen(from)) + to;
                t = m_w.find(key, &file);
            }
        if (!t) {
            if (m_error.empty())
                m_error = m_dir + ": checkpoint lacks tensor '" + m_prefix + name + "'";
            return {};
        }
        if (t->shape != shape) {
            if (m_error.empty()) {
                auto str = [](const std::vector<std::int64_t>& s) {
                    std::string r = "[";
                    for (size_t i = 0; i < s.size(); ++i)
                        r += (i ? ", " : "") + std::to_string(s[i]);
                    return r + "]";
                };
                m_error = file->path() + ": tensor '" + key + "' has shape " + str(t->shape) +
                          " but config.json implies " + str(shape);
            }
            return {};
        }
        if (t->dtype != DType::F32 && t->dtype != DType::F16 && t->dtype != DType::BF16) {
            m_error = file->path() + ": tensor '" + key + "' is " + dtypeName(t->dtype) + ", not a float type";
            return {};
        }
        // from_blob views the mapped file; the copy to the target device/dtype owns its memory.
        auto view = torch::from_blob(const_cast<std::uint8_t*>(file->data(*t)), shape,
                                     torch::TensorOptions().dtype(torchType(t->dtype)));
        return view.to(m_device, m_dtype, /*non_blocking=*/false, /*copy=*/true);
    }

    const std::string& error() const { return m_error; }

private:
    const WeightSet& m_w;
    std::string m_dir;
    torch::Device m_device;
    torch::ScalarType m_dtype;
    std::string m_prefix;
    std::string m_error;
};

} // namespace

Result<BertModel> BertModel::load(const WeightSet& weights, const std::string& dir, const BertConfig& c,
                                  torch::Device device, torch::ScalarType dtype) {
    Loader l(weights, dir, device, dtype);
    BertModel m;
    m.m_config = c;
    const std::int64_t h = c.hiddenSize, inter = c.intermediateSize;
    m.m_word = l.get("embeddings.word_embeddings.weight", {c.vocabSize, h});
    m.m_position = l.get("embeddings.position_embeddings.weight", {c.maxPositions, h});
    m.m_type = l.get("embeddings.token_type_embeddings.weight", {c.typeVocabSize, h});
    m.m_embLn = l.get("embeddings.LayerNorm.weight", {h});
    m.m_embLnb = l.get("embeddings.LayerNorm.bias", {h});
    for (int i = 0; i < c.numLayers && l.error().empty(); ++i) {
        const std::string p = "encoder.layer." + std::to_string(i) + ".";
        Layer L;
        L.q = l.get(p + "attention.self.query.weight", {h, h});
        L.qb = l.get(p + "attention.self.query.bias", {h});
        L.k = l.get(p + "attention.self.key.weight", {h, h});
        L.kb = l.get(p + "attention.self.key.bias", {h});
        L.v = l.get(p + "attention.self.value.weight", {h, h});
        L.vb = l.get(p + "attention.self.value.bias", {h});
        L.ao = l.get(p + "attention.output.dense.weight", {h, h});
        L.aob = l.get(p + "attention.output.dense.bias", {h});
        L.ln1 = l.get(p + "attention.output.LayerNorm.weight", {h});
        L.ln1b = l.get(p + "attention.output.LayerNorm.bias", {h});
        L.in = l.get(p + "intermediate.dense.weight", {inter, h});
        L.inb = l.get(p + "intermediate.dense.bias", {inter});
        L.out = l.get(p + "output.dense.weight", {h, inter});
        L.outb = l.get(p + "output.dense.bias", {h});
        L.ln2 = l.get(p + "output.LayerNorm.weight", {h});
        L.ln2b = l.get(p + "output.LayerNorm.bias", {h});
        m.m_layers.push_back(std::move(L));
    }
    if (!l.error().empty())
        return fail(l.error());
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
