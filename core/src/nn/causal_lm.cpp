#include "uae/causal_lm.h"

#include "causal_lm_gguf.h"
#include "causal_lm_hf.h"
#include "llama_model.h"
#include "torch_placement.h"
#include "uae/gguf.h"
#include "uae/lm_tokenizer.h"
#include "uae/model_files.h"
#include "uae/model_registry.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace uae {

struct CausalLm::Impl {
    std::unique_ptr<LmTokenizer> tokenizer;
    std::unique_ptr<detail::DecoderModel> model;
    torch::Device device{torch::kCPU};
    torch::ScalarType dtype = torch::kFloat;
};

namespace {

// llama2.c legacy checkpoint: 7 int32 (dim, hidden, layers, heads, kv heads, vocab, seq_len; a
// negative vocab means a separate classifier), then float32 tensors in run.c's order.
Result<std::pair<CausalLmConfig, detail::LlamaWeights>> readLlama2c(const std::string& path, torch::Device device,
                                                                    torch::ScalarType dtype) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        return fail(path + ": cannot open checkpoint");
    const auto size = static_cast<std::int64_t>(in.tellg());
    in.seekg(0);
    std::int32_t h[7] = {};
    in.read(reinterpret_cast<char*>(h), sizeof h);
    if (!in)
        return fail(path + ": too short for a llama2.c header");
    CausalLmConfig c;
    c.hidden = h[0], c.intermediate = h[1], c.layers = h[2], c.heads = h[3], c.kvHeads = h[4];
    c.tiedHead = h[5] > 0;
    c.vocabSize = std::abs(h[5]);
    c.maxPositions = h[6];
    c.ropeInterleaved = true;
    for (int v : {c.hidden, c.intermediate, c.layers, c.heads, c.kvHeads, c.vocabSize, c.maxPositions})
        if (v <= 0 || v > 1 << 20)
            return fail(path + ": implausible header (dim " + std::to_string(c.hidden) + ", layers " +
                        std::to_string(c.layers) + ", vocab " + std::to_string(c.vocabSize) +
                        "): not a llama2.c checkpoint?");
    if (c.hidden % c.heads || c.heads % c.kvHeads)
        return fail(path + ": heads do not divide the model size");
    const std::int64_t D = c.hidden, H = c.intermediate, L = c.layers, V = c.vocabSize;
    const std::int64_t kv = D / c.heads * c.kvHeads, headDim = D / c.heads;
    const std::int64_t floats = V * D + L * (D + D * D + 2 * kv * D + D * D + D + 3 * H * D) + D +
                                static_cast<std::int64_t>(c.maxPositions) * headDim + (c.tiedHead ? 0 : V * D);
    if (size != 28 + 4 * floats)
        return fail(path + ": " + std::to_string(size) + " bytes, but its header implies " +
                    std::to_string(28 + 4 * floats) + " (truncated or a different llama2.c version)");
    auto read = [&](std::vector<std::int64_t> shape) {
        auto t = torch::empty(shape, torch::kFloat);
        in.read(reinterpret_cast<char*>(t.data_ptr<float>()), static_cast<std::streamsize>(t.numel() * 4));
        return t;
    };
    auto emb = read({V, D});
    auto attnNorm = read({L, D}), wq = read({L, D, D}), wk = read({L, kv, D}), wv = read({L, kv, D}),
         wo = read({L, D, D}), ffnNorm = read({L, D}), w1 = read({L, H, D}), w2 = read({L, D, H}), w3 = read({L, H, D}),
         finalNorm = read({D});
    read({c.maxPositions, headDim}); // freq_cis real and imag: recomputed from theta instead
    auto head = c.tiedHead ? emb : read({V, D});
    if (!in)
        return fail(path + ": read failed");
    auto to = [&](const torch::Tensor& t) { return t.to(device, dtype); };
    detail::LlamaWeights w;
    w.embedding = to(emb);
    w.head = c.tiedHead ? w.embedding : to(head);
    w.finalNorm = to(finalNorm);
    for (std::int64_t l = 0; l < L; ++l) {
        detail::LlamaLayer layer;
        layer.attnNorm = to(attnNorm[l]), layer.wq = to(wq[l]), layer.wk = to(wk[l]), layer.wv = to(wv[l]);
        layer.wo = to(wo[l]), layer.ffnNorm = to(ffnNorm[l]), layer.gate = to(w1[l]), layer.down = to(w2[l]);
        layer.up = to(w3[l]);
        w.layers.push_back(std::move(layer));
    }
    return std::make_pair(c, std::move(w));
}

std::string findLlama2cTokenizer(const fs::path& checkpoint) {
    const fs::path dir = checkpoint.parent_path();
    if (fs::exists(dir / "tokenizer.bin"))
        return (dir / "tokenizer.bin").string();
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().starts_with("tok") && e.path().extension() == ".bin")
            return e.path().string();
    return {};
}

// A fetched model's name stands for its GGUF file (uae generate --model SmolLM2-135M-Instruct).
std::string resolveLmPath(const std::string& pathOrName) {
    std::error_code ec;
    if (!fs::exists(pathOrName, ec))
        if (auto fetched = findFetchedModel(pathOrName); fetched && fetched->kind == "gguf")
            return fetched->path;
    return pathOrName;
}

bool isGguf(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec) && fs::path(path).extension() == ".gguf";
}

// The GGUF's own tokenizer, refused when it has more tokens than the embedding table (ids past
// it would fail deep inside LibTorch).
Result<std::unique_ptr<LmTokenizer>> ggufTokenizer(const GgufFile& file, int vocabSize) {
    auto tok = TokenizerByteBpe::fromGguf(file);
    if (!tok)
        return fail(tok.error());
    if (vocabSize > 0 && tok.value()->vocabSize() > vocabSize)
        return fail(file.path() + ": the tokenizer has " + std::to_string(tok.value()->vocabSize()) +
                    " tokens but token_embd.weight has " + std::to_string(vocabSize) + " rows");
    return std::unique_ptr<LmTokenizer>(std::move(tok.value()));
}

} // namespace

Result<std::unique_ptr<LmTokenizer>> loadLmTokenizer(const std::string& pathOrName) {
    const std::string path = resolveLmPath(pathOrName);
    if (isGguf(path)) {
        auto file = GgufFile::open(path);
        if (!file)
            return fail(file.error());
        return ggufTokenizer(*file.value(), 0);
    }
    std::ifstream in(path, std::ios::binary);
    std::int32_t h[7] = {};
    if (!in.read(reinterpret_cast<char*>(h), sizeof h) || fs::path(path).extension() != ".bin")
        return fail(path + ": not a llama2.c checkpoint (.bin) or a GGUF file (.gguf)");
    const std::string tokPath = findLlama2cTokenizer(path);
    if (tokPath.empty())
        return fail(path + ": no tokenizer.bin or tok*.bin beside the checkpoint");
    auto tok = TokenizerLlama2c::load(tokPath, std::abs(h[5]));
    if (!tok)
        return fail(tok.error());
    return std::unique_ptr<LmTokenizer>(std::move(tok.value()));
}

CausalLm::CausalLm(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
CausalLm::~CausalLm() = default;

Result<std::unique_ptr<CausalLm>> CausalLm::load(const std::string& pathOrName, const LmOptions& options) {
    const std::string path = resolveLmPath(pathOrName);
    auto where = detail::choosePlacement(options.device, options.dtype);
    if (!where)
        return fail(where.error());
    auto impl = std::make_unique<Impl>();
    impl->device = where->device;
    impl->dtype = where->dtype;
    std::error_code ec;
    try {
        if (fs::is_regular_file(path, ec) && fs::path(path).extension() == ".bin") {
            auto model = readLlama2c(path, impl->device, impl->dtype);
            if (!model)
                return fail(model.error());
            const std::string tokPath = findLlama2cTokenizer(path);
            if (tokPath.empty())
                return fail(path + ": no tokenizer.bin or tok*.bin beside the checkpoint");
            auto tok = TokenizerLlama2c::load(tokPath, model->first.vocabSize);
            if (!tok)
                return fail(tok.error());
            impl->tokenizer = std::move(tok.value());
            impl->model = std::make_unique<detail::LlamaModel>(model->first, std::move(model->second));
        } else if (isGguf(path)) {
            auto file = GgufFile::open(path);
            if (!file)
                return fail(file.error());
            auto model = detail::loadGgufDecoder(*file.value(), impl->device, impl->dtype);
            if (!model)
                return fail(model.error());
            auto tok = ggufTokenizer(*file.value(), model.value()->config().vocabSize);
            if (!tok)
                return fail(tok.error());
            impl->model = std::move(model.value());
            impl->tokenizer = std::move(tok.value());
        } else {
            auto dir = resolveModelDir(path);
            if (!dir)
                return fail(dir.error());
            auto model = detail::loadHfDecoder(dir.value(), impl->device, impl->dtype);
            if (!model)
                return fail(model.error());
            impl->model = std::move(model.value());
            // Optional: models whose tokenizer this build cannot read still score token ids.
            if (auto tok = TokenizerByteBpe::fromDir(dir.value()); tok) {
                // Ids past the embedding table would fail deep inside LibTorch: refuse here.
                if (tok.value()->vocabSize() > impl->model->config().vocabSize)
                    return fail(dir.value() + ": the tokenizer has " + std::to_string(tok.value()->vocabSize()) +
                                " tokens but config.json vocab_size is " +
                                std::to_string(impl->model->config().vocabSize));
                impl->tokenizer = std::move(tok.value());
            }
        }
    } catch (const c10::Error& e) {
        return fail(path + ": " + e.what_without_backtrace());
    }
    return std::unique_ptr<CausalLm>(new CausalLm(std::move(impl)));
}

const CausalLmConfig& CausalLm::config() const {
    return m->model->config();
}
const LmTokenizer* CausalLm::tokenizer() const {
    return m->tokenizer.get();
}
std::string CausalLm::device() const {
    return m->device.str();
}

std::vector<float> CausalLm::logits(const std::vector<std::int32_t>& sequence) {
    c10::InferenceMode guard;
    auto ids = torch::tensor(std::vector<std::int64_t>(sequence.begin(), sequence.end())).view({1, -1}).to(m->device);
    auto out = m->model->forward(ids, nullptr, {}).squeeze(0).to(torch::kCPU).contiguous();
    return std::vector<float>(out.data_ptr<float>(), out.data_ptr<float>() + out.numel());
}

std::vector<std::vector<double>> CausalLm::tokenNll(const std::vector<std::vector<std::int32_t>>& sequences) {
    c10::InferenceMode guard;
    std::vector<std::vector<double>> out(sequences.size());
    if (sequences.empty())
        return out;
    size_t T = 0;
    for (const auto& s : sequences)
        T = std::max(T, s.size());
    const auto B = static_cast<std::int64_t>(sequences.size());
    auto ids = torch::zeros({B, static_cast<std::int64_t>(T)}, torch::kLong);
    auto mask = torch::zeros({B, static_cast<std::int64_t>(T)}, torch::kLong);
    auto ia = ids.accessor<std::int64_t, 2>(), ma = mask.accessor<std::int64_t, 2>();
    for (std::int64_t b = 0; b < B; ++b)
        for (size_t t = 0; t < sequences[static_cast<size_t>(b)].size(); ++t) {
            ia[b][static_cast<std::int64_t>(t)] = sequences[static_cast<size_t>(b)][t];
            ma[b][static_cast<std::int64_t>(t)] = 1;
        }
    ids = ids.to(m->device);
    mask = mask.to(m->device);
    // -log p(next) = logsumexp(logits) - logit(next): no [B, T, V] log-probability tensor is
    // written, which on a 49k-token vocabulary costs as much memory traffic as the head itself.
    auto logits = m->model->forward(ids, nullptr, mask).narrow(1, 0, static_cast<std::int64_t>(T) - 1);
    auto next = ids.narrow(1, 1, static_cast<std::int64_t>(T) - 1).unsqueeze(-1);
    auto nll = torch::logsumexp(logits, -1) - logits.gather(-1, next).squeeze(-1);
    nll = nll.to(torch::kDouble).to(torch::kCPU).contiguous();
    for (std::int64_t b = 0; b < B; ++b) {
        const auto n = sequences[static_cast<size_t>(b)].size();
        const double* p = nll[b].data_ptr<double>();
        out[static_cast<size_t>(b)].assign(p, p + (n > 0 ? n - 1 : 0));
    }
    return out;
}

std::vector<std::int32_t> CausalLm::generate(const std::vector<std::int32_t>& prompt, int maxNew,
                                             const std::vector<std::int32_t>& stopIds,
                                             const std::function<bool(const std::vector<std::int32_t>&)>& done) {
    c10::InferenceMode guard;
    std::vector<std::int32_t> out;
    if (prompt.empty())
        return out;
    detail::KvCache cache;
    auto ids = torch::tensor(std::vector<std::int64_t>(prompt.begin(), prompt.end())).view({1, -1}).to(m->device);
    const int room = m->model->config().maxPositions - static_cast<int>(prompt.size());
    for (int step = 0; step < std::min(maxNew, room); ++step) {
        auto logits = m->model->forward(ids, &cache, {});
        const auto next =
            static_cast<std::int32_t>(logits.select(1, logits.size(1) - 1).argmax(-1).item<std::int64_t>());
        out.push_back(next);
        if ((m->tokenizer && next == m->tokenizer->eosId()) ||
            std::find(stopIds.begin(), stopIds.end(), next) != stopIds.end() || (done && done(out)))
            break;
        ids = torch::full({1, 1}, static_cast<std::int64_t>(next), torch::kLong).to(m->device);
    }
    return out;
}

} // namespace uae
