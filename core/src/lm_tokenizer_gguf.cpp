// The byte-level BPE tokenizer stored in a GGUF file's metadata (tokenizer.ggml.*), as llama.cpp
// writes it when converting a Hugging Face model whose tokenizer.json is a GPT-2-style BPE.
#include "uae/lm_tokenizer.h"

#include "uae/gguf.h"

#include <map>

namespace uae {

namespace {

// tokenizer.ggml.token_type values (llama.cpp's llama_token_type).
constexpr std::int64_t kControl = 3, kUserDefined = 4;

// llama.cpp's pre-tokenizer names, mapped onto the split patterns this build implements.
Result<TokenizerByteBpe::Split> splitFor(const GgufFile& f, const std::string& pre) {
    using Split = TokenizerByteBpe::Split;
    static const std::map<std::string, Split> known = {
        {"default", Split::Gpt2},     {"gpt-2", Split::Gpt2},    {"gpt2", Split::Gpt2},  {"smollm", Split::DigitsGpt2},
        {"llama-bpe", Split::Llama3}, {"llama3", Split::Llama3}, {"qwen2", Split::Qwen2}};
    if (auto it = known.find(pre); it != known.end())
        return it->second;
    return fail(f.path() + ": tokenizer.ggml.pre '" + pre +
                "' is not supported (default, gpt-2, smollm, llama-bpe, qwen2 are)");
}

Result<std::vector<std::pair<std::string, std::string>>> readMerges(const GgufFile& f) {
    auto merges = f.getStrings("tokenizer.ggml.merges");
    if (!merges)
        return fail(merges.error());
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(merges->size());
    for (size_t i = 0; i < merges->size(); ++i) {
        const std::string& m = (*merges)[i];
        const auto sp = m.find(' ');
        if (sp == std::string::npos || sp == 0 || sp + 1 == m.size())
            return fail(f.path() + ": tokenizer.ggml.merges[" + std::to_string(i) + "] '" + m +
                        "' is not 'left right'");
        out.emplace_back(m.substr(0, sp), m.substr(sp + 1));
    }
    return out;
}

Result<std::int32_t> tokenId(const GgufFile& f, const std::string& key, size_t vocab) {
    if (!f.find(key))
        return -1;
    auto id = f.getInt(key);
    if (!id)
        return fail(id.error());
    if (id.value() < 0 || static_cast<std::uint64_t>(id.value()) >= vocab)
        return fail(f.path() + ": " + key + " = " + std::to_string(id.value()) + " is outside the vocabulary (" +
                    std::to_string(vocab) + " tokens)");
    return static_cast<std::int32_t>(id.value());
}

} // namespace

Result<std::unique_ptr<TokenizerByteBpe>> TokenizerByteBpe::fromGguf(const GgufFile& f) {
    auto model = f.getString("tokenizer.ggml.model");
    if (!model)
        return fail(model.error());
    if (model.value() != "gpt2")
        return fail(f.path() + ": tokenizer.ggml.model '" + model.value() +
                    "' is not supported (gpt2, the byte-level BPE, is)");
    auto tokens = f.getStrings("tokenizer.ggml.tokens");
    if (!tokens)
        return fail(tokens.error());
    auto merges = readMerges(f);
    if (!merges)
        return fail(merges.error());
    std::vector<std::int64_t> types;
    if (f.find("tokenizer.ggml.token_type")) {
        auto t = f.getInts("tokenizer.ggml.token_type");
        if (!t)
            return fail(t.error());
        if (t->size() != tokens->size())
            return fail(f.path() + ": tokenizer.ggml.token_type has " + std::to_string(t->size()) + " entries for " +
                        std::to_string(tokens->size()) + " tokens");
        types = std::move(t.value());
    }
    auto tok = std::unique_ptr<TokenizerByteBpe>(new TokenizerByteBpe());
    std::string pre = "default";
    if (f.find("tokenizer.ggml.pre")) {
        auto named = f.getString("tokenizer.ggml.pre");
        if (!named)
            return fail(named.error());
        pre = named.value();
    }
    auto split = splitFor(f, pre);
    if (!split)
        return fail(split.error());
    tok->m_split = split.value();
    std::vector<std::pair<std::string, std::int32_t>> vocab;
    vocab.reserve(tokens->size());
    for (size_t i = 0; i < tokens->size(); ++i) {
        vocab.emplace_back((*tokens)[i], static_cast<std::int32_t>(i));
        if (!types.empty() && (types[i] == kControl || types[i] == kUserDefined) && !(*tokens)[i].empty())
            tok->m_specials.push_back((*tokens)[i]);
    }
    const size_t n = tokens->size();
    tok->init(std::move(vocab), std::move(merges.value()));
    auto bos = tokenId(f, "tokenizer.ggml.bos_token_id", n), eos = tokenId(f, "tokenizer.ggml.eos_token_id", n);
    if (!bos)
        return fail(bos.error());
    if (!eos)
        return fail(eos.error());
    tok->m_bos = bos.value();
    tok->m_eos = eos.value() >= 0 ? eos.value() : bos.value();
    if (f.find("tokenizer.ggml.add_bos_token")) {
        auto add = f.getBool("tokenizer.ggml.add_bos_token");
        if (!add)
            return fail(add.error());
        tok->m_addBos = add.value() && tok->m_bos >= 0;
    }
    return tok;
}

} // namespace uae
