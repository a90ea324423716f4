#include "uae/bert_config.h"

#include "json_field.h"

#include <nlohmann/json.hpp>

#include <climits>
#include <cstdint>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using nlohmann::json;
using uae::detail::jsonField;

namespace uae {

const char* poolingName(Pooling p) {
    return p == Pooling::Cls ? "cls" : "mean";
}

namespace {

const char* kBgeInstruction = "Represent this sentence for searching relevant passages: ";

Result<json> readJson(const fs::path& path) {
    std::ifstream in(path);
    if (!in)
        return fail(path.string() + ": cannot open");
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        return fail(path.string() + ": malformed JSON: " + e.what());
    }
}

// Reads the sentence-transformers description of pooling and prompts, when the folder has one.
Status readSentenceTransformers(const fs::path& dir, BertConfig& c) {
    std::error_code ec;
    if (fs::exists(dir / "modules.json", ec)) {
        auto modules = readJson(dir / "modules.json");
        if (!modules)
            return fail(modules.error());
        for (const auto& m : modules.value()) {
            if (m.value("type", "").find("Pooling") == std::string::npos)
                continue;
            const fs::path poolingConfig = dir / m.value("path", "") / "config.json";
            auto p = readJson(poolingConfig);
            if (!p)
                return fail(p.error());
            if (p->value("pooling_mode_mean_tokens", false))
                c.pooling = Pooling::Mean;
            else if (p->value("pooling_mode_cls_token", false))
                c.pooling = Pooling::Cls;
            else
                return fail(poolingConfig.string() + ": only CLS or mean pooling is supported");
        }
    }
    if (fs::exists(dir / "sentence_bert_config.json", ec)) {
        auto sb = readJson(dir / "sentence_bert_config.json");
        if (!sb)
            return fail(sb.error());
        if (const auto& n = sb->value("max_seq_length", json()); n.is_number_integer()) {
            if (n.get<long long>() <= 0 || n.get<long long>() > 1 << 20)
                return fail((dir / "sentence_bert_config.json").string() + ": max_seq_length " + n.dump() +
                            " is out of range");
            c.maxSeqLength = n.get<int>();
        }
        if (const auto& lower = sb->value("do_lower_case", json()); lower.is_boolean())
            c.lowerCaseInput = lower.get<bool>();
    }
    if (fs::exists(dir / "config_sentence_transformers.json", ec)) {
        auto st = readJson(dir / "config_sentence_transformers.json");
        if (!st)
            return fail(st.error());
        if (auto prompts = st->value("prompts", json::object());
            prompts.contains("query") && prompts["query"].is_string())
            c.queryInstruction = prompts["query"].get<std::string>();
    }
    return Ok{};
}

// The size fields must be JSON integers that fit an int: get<int>() of 1e30 or of 2^40 would not.
Status checkIntegerFields(const json& j, const fs::path& path) {
    for (const char* key : {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                            "intermediate_size", "max_position_embeddings", "type_vocab_size"}) {
        const auto it = j.find(key);
        if (it == j.end())
            continue;
        const bool fits = it->is_number_unsigned() ? it->get<std::uint64_t>() <= INT_MAX
                                                   : it->is_number_integer() && it->get<std::int64_t>() >= INT_MIN &&
                                                         it->get<std::int64_t>() <= INT_MAX;
        if (!fits)
            return fail(path.string() + ": " + key + " must be an integer, is " + it->dump());
    }
    return Ok{};
}

} // namespace

Result<BertConfig> BertConfig::load(const std::string& dirPath) {
    const fs::path dir(dirPath);
    const fs::path path = dir / "config.json";
    auto root = readJson(path);
    if (!root)
        return fail(root.error());
    const json& j = root.value();
    if (!j.is_object())
        return fail(path.string() + ": is " + j.type_name() + ", expected a JSON object");
    BertConfig c;
    std::string nameOrPath;
    try {
        const auto type = jsonField<std::string>(j, "model_type", "bert");
        if (type != "bert")
            return fail(path.string() + ": model_type '" + type + "' is not supported (bert is)");
        const auto position = jsonField<std::string>(j, "position_embedding_type", "absolute");
        if (position != "absolute")
            return fail(path.string() + ": position_embedding_type '" + position + "' is not supported (absolute is)");
        if (auto s = checkIntegerFields(j, path); !s)
            return fail(s.error());
        c.vocabSize = jsonField(j, "vocab_size", c.vocabSize);
        c.hiddenSize = jsonField(j, "hidden_size", c.hiddenSize);
        c.numLayers = jsonField(j, "num_hidden_layers", c.numLayers);
        c.numHeads = jsonField(j, "num_attention_heads", c.numHeads);
        c.intermediateSize = jsonField(j, "intermediate_size", c.intermediateSize);
        c.maxPositions = jsonField(j, "max_position_embeddings", c.maxPositions);
        c.typeVocabSize = jsonField(j, "type_vocab_size", c.typeVocabSize);
        c.layerNormEps = jsonField(j, "layer_norm_eps", c.layerNormEps);
        c.hiddenAct = jsonField(j, "hidden_act", c.hiddenAct);
        nameOrPath = jsonField<std::string>(j, "_name_or_path", "");
    } catch (const std::exception& e) { // JsonFieldError names the field
        return fail(path.string() + ": " + e.what());
    }
    for (auto [name, v] : {std::pair{"vocab_size", c.vocabSize},
                           {"hidden_size", c.hiddenSize},
                           {"num_hidden_layers", c.numLayers},
                           {"num_attention_heads", c.numHeads},
                           {"intermediate_size", c.intermediateSize},
                           {"max_position_embeddings", c.maxPositions},
                           {"type_vocab_size", c.typeVocabSize}})
        if (v <= 0)
            return fail(path.string() + ": " + name + " must be positive, is " + std::to_string(v));
    if (c.hiddenSize % c.numHeads != 0)
        return fail(path.string() + ": hidden_size " + std::to_string(c.hiddenSize) +
                    " is not a multiple of num_attention_heads " + std::to_string(c.numHeads));
    if (c.hiddenAct != "gelu" && c.hiddenAct != "gelu_new" && c.hiddenAct != "gelu_pytorch_tanh" &&
        c.hiddenAct != "relu")
        return fail(path.string() + ": hidden_act '" + c.hiddenAct + "' is not supported");
    const std::string name =
        nameOrPath + " " + dir.filename().string() + " " + dir.parent_path().parent_path().filename().string();
    if (name.find("bge-") != std::string::npos && name.find("-en") != std::string::npos)
        c.queryInstruction = kBgeInstruction;
    try { // the sentence-transformers files name themselves in their errors; a wrong type here:
        if (auto st = readSentenceTransformers(dir, c); !st)
            return fail(st.error());
    } catch (const json::exception& e) {
        return fail(dirPath + ": sentence-transformers files (modules.json, 1_Pooling, ...): " + e.what());
    }
    return c;
}

} // namespace uae
