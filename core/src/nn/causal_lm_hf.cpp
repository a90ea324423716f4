#include "causal_lm_hf.h"

#include "uae/model_files.h"
#include "json_field.h"
#include "weight_fetch.h"

#include <nlohmann/json.hpp>

#include <fstream>

using nlohmann::json;

namespace uae::detail {

namespace {

Result<CausalLmConfig> readConfig(const std::string& dir, json& j) {
    const std::string path = dir + "/config.json";
    std::ifstream in(path);
    if (!in)
        return fail(path + ": cannot open");
    try {
        j = json::parse(in);
        CausalLmConfig c;
        const auto type = jsonField<std::string>(j, "model_type", "");
        if (type == "gpt2") {
            c.family = "gpt2";
            c.vocabSize = jsonRequired<int>(j, "vocab_size");
            c.hidden = jsonRequired<int>(j, "n_embd");
            c.layers = jsonRequired<int>(j, "n_layer");
            c.heads = c.kvHeads = jsonRequired<int>(j, "n_head");
            c.intermediate = j.value("n_inner", json()).is_number() ? j["n_inner"].get<int>() : 4 * c.hidden;
            c.maxPositions = jsonField<int>(j, "n_positions", 1024);
            c.normEps = jsonField<double>(j, "layer_norm_epsilon", 1e-5);
            if (j.value("activation_function", "gelu_new") != "gelu_new")
                return fail(path + ": GPT-2 activation '" + j.value("activation_function", "") + "' is not supported");
            return c;
        }
        if (type != "llama" && type != "mistral" && type != "qwen2")
            return fail(path + ": model_type '" + type + "' is not supported (llama, mistral, qwen2, gpt2 are)");
        c.vocabSize = jsonRequired<int>(j, "vocab_size");
        c.hidden = jsonRequired<int>(j, "hidden_size");
        c.intermediate = jsonRequired<int>(j, "intermediate_size");
        c.layers = jsonRequired<int>(j, "num_hidden_layers");
        c.heads = jsonRequired<int>(j, "num_attention_heads");
        c.kvHeads = jsonField<int>(j, "num_key_value_heads", c.heads);
        c.maxPositions = jsonField<int>(j, "max_position_embeddings", 4096);
        c.normEps = jsonField<double>(j, "rms_norm_eps", 1e-6);
        c.ropeTheta = jsonField<double>(j, "rope_theta", 10000.0);
        c.tiedHead = jsonField<bool>(j, "tie_word_embeddings", false);
        if (j.value("hidden_act", "silu") != "silu")
            return fail(path + ": hidden_act '" + j.value("hidden_act", "") + "' is not supported (silu is)");
        if (const auto& rs = j.value("rope_scaling", json()); rs.is_object()) {
            c.ropeScaling = rs.value("rope_type", rs.value("type", ""));
            c.ropeFactor = rs.value("factor", 1.0);
            c.lowFreqFactor = rs.value("low_freq_factor", 1.0);
            c.highFreqFactor = rs.value("high_freq_factor", 4.0);
            c.originalMaxPositions = rs.value("original_max_position_embeddings", 8192);
            if (c.ropeScaling != "linear" && c.ropeScaling != "llama3" && c.ropeScaling != "default")
                return fail(path + ": rope_scaling type '" + c.ropeScaling + "' is not supported (linear, llama3 are)");
            if (c.ropeScaling == "default")
                c.ropeScaling.clear();
        }
        for (auto [name, v] : {std::pair{"vocab_size", c.vocabSize},
                               {"hidden_size", c.hidden},
                               {"intermediate_size", c.intermediate},
                               {"num_hidden_layers", c.layers},
                               {"num_attention_heads", c.heads},
                               {"num_key_value_heads", c.kvHeads},
                               {"max_position_embeddings", c.maxPositions}})
            if (v <= 0)
                return fail(path + ": " + name + " must be positive, is " + std::to_string(v));
        if (c.hidden % c.heads || c.heads % c.kvHeads)
            return fail(path +
                        ": num_attention_heads must divide hidden_size and be a multiple of num_key_value_heads");
        return c;
    } catch (const std::exception& e) { // JsonFieldError names the field
        return fail(path + ": " + e.what());
    }
}

} // namespace

Result<std::unique_ptr<DecoderModel>> loadHfDecoder(const std::string& dir, torch::Device device,
                                                    torch::ScalarType dtype) {
    json j;
    auto config = readConfig(dir, j);
    if (!config)
        return fail(config.error());
    CausalLmConfig c = config.value();
    auto weights = WeightSet::open(dir);
    if (!weights)
        return fail(weights.error());
    const std::int64_t D = c.hidden, I = c.intermediate, V = c.vocabSize;
    if (c.family == "gpt2") {
        const std::string prefix = weights->find("transformer.wte.weight") ? "transformer." : "";
        WeightFetch f(weights.value(), dir, device, dtype, prefix);
        Gpt2Weights w;
        w.wte = f("wte.weight", {V, D});
        w.wpe = f("wpe.weight", {c.maxPositions, D});
        w.lnf = f("ln_f.weight", {D});
        w.lnfb = f("ln_f.bias", {D});
        for (int i = 0; i < c.layers && f.error().empty(); ++i) {
            const std::string p = "h." + std::to_string(i) + ".";
            Gpt2Layer L;
            L.ln1 = f(p + "ln_1.weight", {D}), L.ln1b = f(p + "ln_1.bias", {D});
            L.qkv = f(p + "attn.c_attn.weight", {D, 3 * D}, true), L.qkvb = f(p + "attn.c_attn.bias", {3 * D});
            L.proj = f(p + "attn.c_proj.weight", {D, D}, true), L.projb = f(p + "attn.c_proj.bias", {D});
            L.ln2 = f(p + "ln_2.weight", {D}), L.ln2b = f(p + "ln_2.bias", {D});
            L.fc = f(p + "mlp.c_fc.weight", {D, I}, true), L.fcb = f(p + "mlp.c_fc.bias", {I});
            L.out = f(p + "mlp.c_proj.weight", {I, D}, true), L.outb = f(p + "mlp.c_proj.bias", {D});
            w.layers.push_back(std::move(L));
        }
        if (!f.error().empty())
            return fail(f.error());
        return std::unique_ptr<DecoderModel>(std::make_unique<Gpt2Model>(c, std::move(w)));
    }
    WeightFetch f(weights.value(), dir, device, dtype, "");
    const std::int64_t kv = D / c.heads * c.kvHeads;
    c.qkvBias = f.has("model.layers.0.self_attn.q_proj.bias");
    LlamaWeights w;
    w.embedding = f("model.embed_tokens.weight", {V, D});
    w.finalNorm = f("model.norm.weight", {D});
    // Some tied checkpoints still carry lm_head.weight; an untied one must.
    w.head = (!c.tiedHead || f.has("lm_head.weight")) ? f("lm_head.weight", {V, D}) : w.embedding;
    for (int i = 0; i < c.layers && f.error().empty(); ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        LlamaLayer L;
        L.attnNorm = f(p + "input_layernorm.weight", {D});
        L.wq = f(p + "self_attn.q_proj.weight", {D, D});
        L.wk = f(p + "self_attn.k_proj.weight", {kv, D});
        L.wv = f(p + "self_attn.v_proj.weight", {kv, D});
        L.wo = f(p + "self_attn.o_proj.weight", {D, D});
        if (c.qkvBias) {
            L.bq = f(p + "self_attn.q_proj.bias", {D});
            L.bk = f(p + "self_attn.k_proj.bias", {kv});
            L.bv = f(p + "self_attn.v_proj.bias", {kv});
        }
        L.ffnNorm = f(p + "post_attention_layernorm.weight", {D});
        L.gate = f(p + "mlp.gate_proj.weight", {I, D});
        L.up = f(p + "mlp.up_proj.weight", {I, D});
        L.down = f(p + "mlp.down_proj.weight", {D, I});
        w.layers.push_back(std::move(L));
    }
    if (!f.error().empty())
        return fail(f.error());
    return std::unique_ptr<DecoderModel>(std::make_unique<LlamaModel>(c, std::move(w)));
}

} // namespace uae::detail
