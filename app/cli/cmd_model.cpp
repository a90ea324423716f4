// uae tokenize / uae embed: the model pieces made checkable from outside, one text per stdin line.
#include "cli_common.h"

#include "uae/causal_lm.h"
#include "uae/device.h"
#include "uae/lm_tokenizer.h"
#include "uae/encoder_bert.h"
#include "uae/tokenizer_wordpiece.h"
#include "uae/tool_configs.h"
#include "uae/model_files.h"
#include "uae/model_registry.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace uae::cli {

namespace {

std::vector<std::string> stdinLines() {
    std::vector<std::string> lines;
    for (std::string line; std::getline(std::cin, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

} // namespace

namespace {

std::string jsonIds(const std::vector<std::int32_t>& ids) {
    std::string out = "[";
    for (size_t i = 0; i < ids.size(); ++i)
        out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "]";
}

} // namespace

// The tool's settings from the command line; false after printing why they are refused.
bool toolConfig(const Args& args, const std::string& command, ModelToolConfig& c) {
    if (!parseConfig(args, command, c))
        return false;
    if (c.model.empty()) {
        std::fprintf(stderr, "uae %s: --model is required\n", command.c_str());
        return false;
    }
    configureThreads(commonOptions().threads);
    return true;
}

int runTokenize(const Args& args) {
    ModelToolConfig c;
    if (!toolConfig(args, "tokenize", c))
        return 2;
    const std::string model = c.model;
    // A causal LM checkpoint file (or a fetched GGUF model's name): its own tokenizer, BOS added
    // as the model expects.
    const auto fetched = findFetchedModel(model);
    if (std::filesystem::is_regular_file(model) || (fetched && fetched->kind == "gguf")) {
        auto tok = loadLmTokenizer(model);
        if (!tok) {
            std::fprintf(stderr, "uae tokenize: %s\n", tok.error().c_str());
            return 1;
        }
        for (const auto& line : stdinLines())
            std::printf("%s\n", jsonIds(tok.value()->encode(line, true)).c_str());
        return 0;
    }
    auto dir = resolveModelDir(model);
    if (!dir) {
        std::fprintf(stderr, "uae tokenize: %s\n", dir.error().c_str());
        return 1;
    }
    // A causal LM folder (byte-level BPE): its ids as the model reads them.
    auto bpe = TokenizerByteBpe::fromDir(dir.value());
    if (bpe) {
        for (const auto& line : stdinLines())
            std::printf("%s\n", jsonIds(bpe.value()->encode(line, true)).c_str());
        return 0;
    }
    auto tok = TokenizerWordPiece::fromModelDir(dir.value());
    if (!tok) {
        // A broken BPE tokenizer is reported as such, not as "model type 'BPE' is not WordPiece".
        const std::string& why = TokenizerByteBpe::holdsBpe(dir.value()) ? bpe.error() : tok.error();
        std::fprintf(stderr, "uae tokenize: %s\n", why.c_str());
        return 1;
    }
    const int maxLength = c.maxLength;
    for (const auto& line : stdinLines())
        std::printf("%s\n", jsonIds(tok.value()->encode(line, maxLength).ids).c_str());
    return 0;
}

int runGenerate(const Args& args) {
    ModelToolConfig c;
    if (!toolConfig(args, "generate", c))
        return 2;
    auto lm = CausalLm::load(c.model, LmOptions{c.device, c.dtype});
    if (!lm) {
        std::fprintf(stderr, "uae generate: %s\n", lm.error().c_str());
        return 1;
    }
    const LmTokenizer* tok = lm.value()->tokenizer();
    if (!tok) {
        std::fprintf(stderr, "uae generate: %s: no tokenizer this build can read\n", c.model.c_str());
        return 1;
    }
    const auto prompt = tok->encode(c.prompt, true);
    if (const int room = lm.value()->config().maxPositions; static_cast<int>(prompt.size()) >= room) {
        std::fprintf(stderr, "uae generate: --prompt is %zu tokens; %s reads at most %d, leaving no room to generate\n",
                     prompt.size(), c.model.c_str(), room - 1);
        return 1;
    }
    const auto ids = lm.value()->generate(prompt, c.maxNewTokens);
    std::printf("%s\n%s\n", jsonIds(ids).c_str(), tok->decode(ids).c_str());
    return 0;
}

int runEmbed(const Args& args) {
    ModelToolConfig c;
    if (!toolConfig(args, "embed", c))
        return 2;
    BertOptions options;
    options.device = c.device;
    options.dtype = c.dtype;
    options.maxBatch = c.batch;
    auto encoder = EncoderBert::load(c.model, options);
    if (!encoder) {
        std::fprintf(stderr, "uae embed: %s\n", encoder.error().c_str());
        return 1;
    }
    const auto lines = stdinLines();
    const auto vectors = encoder.value()->encode(lines, args.has("query") ? EncodeRole::Query : EncodeRole::Passage);
    const int dim = encoder.value()->dim();
    if (const auto row = firstNonFiniteRow(vectors, dim)) { // JSON has no NaN: refuse, naming the line
        std::fprintf(stderr, "uae embed: %s gave NaN or infinity for input line %zu\n", c.model.c_str(), *row + 1);
        return 1;
    }
    for (size_t r = 0; r < lines.size(); ++r) {
        std::string out = "[";
        char buf[32];
        for (int d = 0; d < dim; ++d) {
            std::snprintf(buf, sizeof buf, "%s%.8g", d ? "," : "", vectors[r * dim + d]);
            out += buf;
        }
        std::printf("%s]\n", out.c_str());
    }
    return 0;
}

namespace {

Command toolCommand(CLI::App& root, const std::string& name, const std::string& summary,
                    std::function<int(const Args&)> run) {
    Command c;
    newCommand(root, name, summary, c.args).fields(ModelToolConfig{}.fields());
    c.run = std::move(run);
    return c;
}

} // namespace

Command addTokenize(CLI::App& root) {
    return toolCommand(root, "tokenize", "stdin lines to JSON token id arrays, as the model reads them", runTokenize);
}

Command addGenerate(CLI::App& root) {
    return toolCommand(root, "generate", "greedy continuation of --prompt: the ids (JSON), then the text", runGenerate);
}

Command addEmbed(CLI::App& root) {
    Command c = toolCommand(root, "embed", "stdin lines to JSON vectors", runEmbed);
    c.args->flag("query", "encode as queries (the model's query prefix)");
    return c;
}

} // namespace uae::cli
