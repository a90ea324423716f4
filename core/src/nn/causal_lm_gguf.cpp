#include "causal_lm_gguf.h"

#include "uae/gguf.h"
#include "weight_fetch.h"

namespace uae::detail {

namespace {

// Tensors taken from the file into LibTorch, each checked against the shape the config implies;
// the first problem is kept as a message naming the file and the tensor.
class GgufFetch : public FirstError {
public:
    GgufFetch(const GgufFile& file, torch::Device device, torch::ScalarType dtype)
        : m_file(file), m_device(device), m_dtype(dtype) {}

    bool has(const std::string& name) const { return m_file.findTensor(name) != nullptr; }

    // shape in PyTorch order ([out, in] for a linear layer): GGUF's dims reversed.
    torch::Tensor operator()(const std::string& name, std::vector<std::int64_t> shape) {
        if (!error().empty())
            return {};
        const GgufTensor* t = m_file.findTensor(name);
        if (!t)
            return failed(m_file.path() + ": lacks tensor '" + name + "'");
        const std::vector<std::int64_t> torchShape(t->dims.rbegin(), t->dims.rend());
        if (torchShape != shape)
            return failed(m_file.path() + ": tensor '" + name + "' has shape " + shapeText(torchShape) +
                          " but the llama.* keys imply " + shapeText(shape));
        auto values = m_file.readFloat32(name);
        if (!values)
            return failed(values.error());
        auto view = torch::from_blob(values->data(), shape, torch::TensorOptions().dtype(torch::kFloat));
        return view.to(m_device, m_dtype, false, true); // always a copy: `values` dies here
    }

private:
    const GgufFile& m_file;
    torch::Device m_device;
    torch::ScalarType m_dtype;
};

// llama.cpp's converter reorders the rows of Q and K within each head so that ggml's rotary
// embedding can rotate adjacent pairs (x[2i], x[2i+1]); Hugging Face rotates halves
// (x[i], x[i + d/2]). Undo it: rows [h, d/2, 2] back to [h, 2, d/2].
torch::Tensor unpermuteRows(const torch::Tensor& w, std::int64_t heads) {
    if (!w.defined())
        return w;
    const std::int64_t rows = w.size(0), cols = w.size(1);
    return w.view({heads, rows / heads / 2, 2, cols}).transpose(1, 2).reshape({rows, cols}).contiguous();
}

Status checkKey(const GgufFile& f, const std::string& key, std::int64_t value, std::int64_t expected) {
    if (value != expected)
        return fail(f.path() + ": " + key + " is " + std::to_string(value) + ", expected " + std::to_string(expected) +
                    " (head size hidden/heads); other head sizes are not supported");
    return Ok{};
}

// RoPE base and scaling, RMSNorm epsilon, and the head size the keys must agree on.
Status readRopeAndNorm(const GgufFile& f, CausalLmConfig& c) {
    if (f.find("llama.rope.freq_base")) {
        auto theta = f.getFloat("llama.rope.freq_base");
        if (!theta)
            return fail(theta.error());
        c.ropeTheta = theta.value();
    }
    if (f.find("llama.attention.layer_norm_rms_epsilon")) {
        auto eps = f.getFloat("llama.attention.layer_norm_rms_epsilon");
        if (!eps)
            return fail(eps.error());
        c.normEps = eps.value();
    }
    for (const char* key : {"llama.rope.dimension_count", "llama.attention.key_length", "llama.attention.value_length"})
        if (f.find(key)) {
            auto v = f.getInt(key);
            if (!v)
                return fail(v.error());
            if (auto s = checkKey(f, key, v.value(), c.hidden / c.heads); !s)
                return fail(s.error());
        }
    if (f.find("llama.rope.scaling.type")) {
        auto type = f.getString("llama.rope.scaling.type");
        if (!type)
            return fail(type.error());
        if (type.value() == "linear") {
            auto factor = f.getFloat("llama.rope.scaling.factor");
            if (!factor)
                return fail(factor.error());
            c.ropeScaling = "linear";
            c.ropeFactor = factor.value();
        } else if (type.value() != "none") {
            return fail(f.path() + ": llama.rope.scaling.type '" + type.value() +
                        "' is not supported (none, linear are)");
        }
    }
    if (f.findTensor("rope_freqs.weight"))
        return fail(f.path() + ": per-frequency RoPE factors (rope_freqs.weight, Llama 3.1 scaling) are not supported");
    return Ok{};
}

} // namespace

Result<CausalLmConfig> ggufLlamaConfig(const GgufFile& f) {
    auto arch = f.getString("general.architecture");
    if (!arch)
        return fail(arch.error());
    if (arch.value() != "llama")
        return fail(f.path() + ": general.architecture is '" + arch.value() +
                    "'; only 'llama' GGUF files are supported");
    CausalLmConfig c;
    c.family = "llama";
    auto integer = [&](const std::string& key, int& out, std::int64_t fallback, bool required) -> Status {
        if (!f.find(key) && !required) {
            out = static_cast<int>(fallback);
            return Ok{};
        }
        auto v = f.getInt(key);
        if (!v)
            return fail(v.error());
        if (v.value() <= 0 || v.value() > (1 << 24))
            return fail(f.path() + ": " + key + " = " + std::to_string(v.value()) + " is out of range");
        out = static_cast<int>(v.value());
        return Ok{};
    };
    for (auto [key, out, fallback, required] : {std::tuple{"llama.embedding_length", &c.hidden, 0, true},
                                                {"llama.block_count", &c.layers, 0, true},
                                                {"llama.attention.head_count", &c.heads, 0, true},
                                                {"llama.feed_forward_length", &c.intermediate, 0, true},
                                                {"llama.context_length", &c.maxPositions, 2048, false}}) {
        if (auto s = integer(key, *out, fallback, required); !s)
            return fail(s.error());
    }
    if (auto s = integer("llama.attention.head_count_kv", c.kvHeads, c.heads, false); !s)
        return fail(s.error());
    if (c.hidden % c.heads || c.heads % c.kvHeads || (c.hidden / c.heads) % 2)
        return fail(f.path() + ": llama.attention.head_count must divide llama.embedding_length into even head sizes "
                               "and be a multiple of llama.attention.head_count_kv");
    if (auto s = readRopeAndNorm(f, c); !s)
        return fail(s.error());
    const GgufTensor* emb = f.findTensor("token_embd.weight");
    if (!emb || emb->dims.size() != 2)
        return fail(f.path() + ": lacks a 2-D tensor 'token_embd.weight'");
    c.vocabSize = static_cast<int>(emb->dims[1]);
    c.tiedHead = f.findTensor("output.weight") == nullptr;
    c.ropeInterleaved = false; // rows are un-permuted to Hugging Face's layout on load
    return c;
}

Result<std::unique_ptr<DecoderModel>> loadGgufDecoder(const GgufFile& file, torch::Device device,
                                                      torch::ScalarType dtype) {
    auto config = ggufLlamaConfig(file);
    if (!config)
        return fail(config.error());
    const CausalLmConfig c = config.value();
    const std::int64_t D = c.hidden, I = c.intermediate, V = c.vocabSize, kv = D / c.heads * c.kvHeads;
    GgufFetch f(file, device, dtype);
    LlamaWeights w;
    w.embedding = f("token_embd.weight", {V, D});
    w.finalNorm = f("output_norm.weight", {D});
    w.head = c.tiedHead ? w.embedding : f("output.weight", {V, D});
    for (int i = 0; i < c.layers && f.error().empty(); ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LlamaLayer L;
        L.attnNorm = f(p + "attn_norm.weight", {D});
        L.wq = unpermuteRows(f(p + "attn_q.weight", {D, D}), c.heads);
        L.wk = unpermuteRows(f(p + "attn_k.weight", {kv, D}), c.kvHeads);
        L.wv = f(p + "attn_v.weight", {kv, D});
        L.wo = f(p + "attn_output.weight", {D, D});
        L.ffnNorm = f(p + "ffn_norm.weight", {D});
        L.gate = f(p + "ffn_gate.weight", {I, D});
        L.up = f(p + "ffn_up.weight", {I, D});
        L.down = f(p + "ffn_down.weight", {D, I});
        w.layers.push_back(std::move(L));
    }
    if (!f.error().empty())
        return fail(f.error());
    return std::unique_ptr<DecoderModel>(std::make_unique<LlamaModel>(c, std::move(w)));
}

} // namespace uae::detail
