// UAE-BERT: a BERT-family checkpoint (BGE, MiniLM, E5, ...) fine-tuned whole. Checkpoints are
// Hugging Face folders, so a trained model loads anywhere a BERT does.
#include "train_encoders.h"

#include "encoder_bert_impl.h"
#include "torch_placement.h"
#include "uae/encoder_towers.h"
#include "uae/safetensors.h"

#include <ATen/autocast_mode.h>
#include <nlohmann/json.hpp>
#include <torch/version.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <type_traits>

namespace fs = std::filesystem;

namespace uae::detail {

namespace {

// bfloat16 autocast on CUDA for the forward pass: no loss scaling needed, float32 master weights.
class AutocastScope {
public:
    explicit AutocastScope(bool on) : m_on(on) {
        if (!m_on)
            return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
        at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
#endif
    }
    ~AutocastScope() {
        if (!m_on)
            return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
        at::autocast::set_enabled(false);
#endif
        at::autocast::clear_cache();
    }
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_on;
};

// Files of a Hugging Face folder besides the weights, copied into every checkpoint.
// The optimizer keys its state by parameter: a string in LibTorch 1.13, a pointer in 2.x.
template <class Map> typename Map::key_type stateKey(const Map&, const torch::Tensor& p) {
    using Key = typename Map::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream s;
        s << p.unsafeGetTensorImpl();
        return s.str();
    } else {
        return static_cast<Key>(p.unsafeGetTensorImpl());
    }
}

const char* const kModelFiles[] = {"config.json",
                                   "vocab.txt",
                                   "tokenizer.json",
                                   "tokenizer_config.json",
                                   "special_tokens_map.json",
                                   "modules.json",
                                   "config_sentence_transformers.json",
                                   "sentence_bert_config.json",
                                   "1_Pooling/config.json"};

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class BertTrainer final : public EncoderTrainer {
public:
    // passageTower: set for towers query (the frozen base, behind a lock and the cache), else null.
    BertTrainer(const TrainConfig& config, std::string dir, BertConfig bert,
                std::shared_ptr<const TokenizerWordPiece> tok, BertModel model, Placement where, const Dataset& train,
                std::shared_ptr<Encoder> passageTower)
        : m_config(config), m_dir(std::move(dir)), m_bert(std::move(bert)), m_tokenizer(std::move(tok)),
          m_model(std::move(model)), m_where(where), m_train(train), m_passageTower(std::move(passageTower)) {
        m_maxLength = std::min({m_tokenizer->modelMaxLength(), m_bert.maxPositions, std::max(8, config.maxTokens)});
        std::vector<torch::Tensor> decay, noDecay;
        for (auto& [name, t] : m_model.namedParameters()) {
            t.requires_grad_(true);
            m_params.push_back(t);
            // As Hugging Face fine-tuning scripts do: no weight decay on biases and LayerNorm.
            (name.ends_with(".bias") || name.find("LayerNorm") != std::string::npos ? noDecay : decay).push_back(t);
        }
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                       torch::optim::AdamWOptions(config.lr).weight_decay(config.weightDecay)));
        groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                         torch::optim::AdamWOptions(config.lr).weight_decay(0.0)));
        m_optimizer = std::make_unique<torch::optim::AdamW>(std::move(groups));
    }

    // AdamW moments as safetensors (exp_avg/<name>, exp_avg_sq/<name>, the step in the metadata):
    // the same file under LibTorch 1.13 and 2.x, whose own optimizer archives differ.
    Status restoreOptimizer(const std::string& folder) {
        const std::string path = (fs::path(folder) / "optimizer.safetensors").string();
        auto file = SafetensorsFile::open(path);
        if (!file)
            return fail(file.error());
        const auto meta = file.value()->metadata();
        if (!meta.count("step"))
            return fail(path + ": metadata lacks 'step'");
        const std::int64_t step = std::stoll(meta.at("step"));
        auto& state = m_optimizer->state();
        for (const auto& [name, param] : m_model.namedParameters()) {
            auto m = file.value()->readFloat32("exp_avg/" + name), v = file.value()->readFloat32("exp_avg_sq/" + name);
            if (!m || !v || m->size() != static_cast<size_t>(param.numel()) || v->size() != m->size())
                return fail(path + ": moments of '" + name + "' missing or of the wrong size");
            auto s = std::make_unique<torch::optim::AdamWParamState>();
            s->step(step);
            s->exp_avg(torch::from_blob(m->data(), param.sizes(), torch::kFloat).clone().to(param.device()));
            s->exp_avg_sq(torch::from_blob(v->data(), param.sizes(), torch::kFloat).clone().to(param.device()));
            state[stateKey(state, param)] = std::move(s);
        }
        return Ok{};
    }

    std::pair<torch::Tensor, torch::Tensor> embed(const std::vector<const TrainGroup*>& groups) override {
        std::vector<const Encoding*> questions, passages;
        std::vector<std::string> passageTexts;
        for (const TrainGroup* g : groups) {
            const Question& q = m_train.questions[static_cast<size_t>(g->question)];
            questions.push_back(&encoded(q.id, m_bert.queryInstruction + q.text));
            for (int p : g->paragraphs) {
                const auto& text = m_train.paperOf(q).paragraphs[static_cast<size_t>(p)].text;
                if (m_passageTower)
                    passageTexts.push_back(text);
                else
                    passages.push_back(&encoded(q.id + "#" + std::to_string(p), text));
            }
        }
        AutocastScope autocast(m_where.device.is_cuda() && m_config.mixedPrecision);
        auto eq = embedSorted(questions);
        auto ep = m_passageTower ? frozenPassages(passageTexts) : embedSorted(passages);
        return {eq, ep};
    }

    std::int64_t dim() const override { return m_bert.hiddenSize; }

    std::vector<torch::Tensor> parameters() override { return m_params; }

    void optimizerStep(double lr, long) override {
        for (auto& group : m_optimizer->param_groups())
            static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        m_optimizer->step();
    }

    std::function<BackgroundEval::Metrics()> snapshotEval(const Dataset& eval, long limit) override {
        auto impl = std::make_unique<EncoderBert::Impl>();
        impl->dir = m_dir;
        impl->config = m_bert;
        impl->options.method = "uae";
        impl->options.maxBatch = 32;
        impl->tokenizer = m_tokenizer;
        impl->model = m_model.snapshot();
        impl->device = m_where.device;
        impl->dtype = torch::kFloat;
        impl->maxLength = m_maxLength;
        std::shared_ptr<Encoder> encoder = std::make_shared<EncoderBert>(std::move(impl));
        if (m_passageTower) // the trained query tower against the frozen base's passages
            encoder = std::make_shared<EncoderTowers>(encoder, m_passageTower);
        return [&eval, encoder, limit] { return evaluateEncoder(eval, encoder, limit); };
    }

    // epoch-<n>.tmp/ is filled, renamed to epoch-<n>/, then `latest` is switched to it atomically;
    // older epochs are removed only after that, so a crash leaves the previous checkpoint usable.
    Status save(const LoopState& state) override {
        const fs::path root = m_config.checkpoint;
        const std::string name = "epoch-" + std::to_string(state.epoch);
        const fs::path tmp = root / (name + ".tmp"), final_ = root / name;
        std::error_code ec;
        fs::remove_all(tmp, ec);
        fs::create_directories(tmp / "1_Pooling", ec);
        if (ec)
            return fail(tmp.string() + ": cannot create: " + ec.message());
        std::vector<std::vector<float>> values;
        std::vector<TensorToWrite> tensors;
        for (const auto& [tensorName, t] : m_model.namedParameters()) {
            auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
            values.emplace_back(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
            tensors.push_back({tensorName, c.sizes().vec(), nullptr});
        }
        for (size_t i = 0; i < tensors.size(); ++i)
            tensors[i].values = values[i].data();
        if (auto s = writeSafetensors((tmp / "model.safetensors").string(), tensors, {{"format", "pt"}}); !s)
            return s;
        for (const char* file : kModelFiles)
            if (fs::exists(fs::path(m_dir) / file)) {
                fs::copy_file(fs::path(m_dir) / file, tmp / file, fs::copy_options::overwrite_existing, ec);
                if (ec)
                    return fail((tmp / file).string() + ": cannot copy from " + m_dir + ": " + ec.message());
            }
        const TowersFile towers{m_passageTower ? "query" : "both", m_passageTower ? m_config.modelDir : ""};
        if (auto s = towers.write(tmp.string()); !s)
            return s;
        {
            std::vector<std::vector<float>> moments;
            std::vector<TensorToWrite> entries;
            std::int64_t step = 0;
            const auto& state = m_optimizer->state();
            for (const auto& [tensorName, t] : m_model.namedParameters()) {
                auto it = state.find(stateKey(state, t));
                if (it == state.end())
                    continue; // no step taken yet
                const auto& s = static_cast<const torch::optim::AdamWParamState&>(*it->second);
                step = s.step();
                for (const auto& [prefix, moment] :
                     {std::pair{"exp_avg/", s.exp_avg()}, std::pair{"exp_avg_sq/", s.exp_avg_sq()}}) {
                    auto c = moment.detach().to(torch::kCPU, torch::kFloat).contiguous();
                    moments.emplace_back(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
                    entries.push_back({prefix + tensorName, c.sizes().vec(), nullptr});
                }
            }
            for (size_t i = 0; i < entries.size(); ++i)
                entries[i].values = moments[i].data();
            if (auto s = writeSafetensors((tmp / "optimizer.safetensors").string(), entries,
                                          {{"step", std::to_string(step)}});
                !s)
                return s;
        }
        const auto stateJson = nlohmann::json{
            {"epoch", state.epoch},
            {"step", state.step},
            {"rng", state.rng},
            {"config", state.config},
            {"base_model", m_dir}}.dump(1);
        std::ofstream(tmp / "trainer_state.json") << stateJson;
        fs::remove_all(final_, ec);
        fs::rename(tmp, final_, ec);
        if (ec)
            return fail(final_.string() + ": cannot rename from " + tmp.string() + ": " + ec.message());
        {
            std::ofstream out(root / "latest.tmp", std::ios::trunc);
            out << name << "\n";
            if (!out.flush())
                return fail((root / "latest.tmp").string() + ": write failed");
        }
        fs::rename(root / "latest.tmp", root / "latest", ec);
        if (ec)
            return fail((root / "latest").string() + ": " + ec.message());
        for (const auto& entry : fs::directory_iterator(root))
            if (entry.is_directory() && entry.path().filename() != name &&
                entry.path().filename().string().starts_with("epoch-"))
                fs::remove_all(entry.path(), ec);
        return Ok{};
    }

    std::string device() const override {
        return m_where.device.str() +
               (m_where.device.is_cuda() && m_config.mixedPrecision ? " bf16-autocast" : " float32");
    }

private:
    // The frozen tower's vectors [n, dim] on the training device, outside the autograd graph.
    torch::Tensor frozenPassages(const std::vector<std::string>& texts) {
        auto values = m_passageTower->encode(texts, EncodeRole::Passage);
        const auto n = static_cast<std::int64_t>(texts.size());
        return torch::from_blob(values.data(), {n, static_cast<std::int64_t>(m_passageTower->dim())}, torch::kFloat)
            .clone()
            .to(m_where.device);
    }

    const Encoding& encoded(const std::string& key, const std::string& text) {
        auto it = m_encodings.find(key);
        if (it == m_encodings.end())
            it = m_encodings.emplace(key, m_tokenizer->encode(text, m_maxLength)).first;
        return it->second;
    }

    // Length-sorted chunks so padding stays small; rows come back in input order.
    torch::Tensor embedSorted(const std::vector<const Encoding*>& encodings) {
        std::vector<size_t> order(encodings.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return encodings[a]->ids.size() > encodings[b]->ids.size(); });
        std::vector<torch::Tensor> parts;
        constexpr size_t chunk = 32;
        for (size_t s = 0; s < order.size(); s += chunk) {
            std::vector<const Encoding*> batch;
            for (size_t i = s; i < std::min(order.size(), s + chunk); ++i)
                batch.push_back(encodings[order[i]]);
            const auto tb = padBatch(batch, m_tokenizer->padId(), m_where.device);
            parts.push_back(m_model.embed(tb.ids, tb.types, tb.mask));
        }
        std::vector<std::int64_t> inverse(order.size());
        for (size_t i = 0; i < order.size(); ++i)
            inverse[order[i]] = static_cast<std::int64_t>(i);
        return torch::cat(parts).index_select(0, torch::tensor(inverse).to(m_where.device)).to(torch::kCPU);
    }

    TrainConfig m_config;
    std::string m_dir;
    BertConfig m_bert;
    std::shared_ptr<const TokenizerWordPiece> m_tokenizer;
    BertModel m_model;
    Placement m_where;
    const Dataset& m_train;
    int m_maxLength = 256;
    std::vector<torch::Tensor> m_params;
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
    std::map<std::string, Encoding> m_encodings; // tokenized once per question and paragraph
    std::shared_ptr<Encoder> m_passageTower;
};

Result<std::string> latestBertFolder(const std::string& root) {
    const fs::path latest = fs::path(root) / "latest";
    if (!fs::exists(latest))
        return fail(root + ": no complete checkpoint yet (no 'latest' file)");
    std::string name = readText(latest);
    name.erase(name.find_last_not_of(" \n\r\t") + 1);
    const fs::path folder = fs::path(root) / name;
    if (name.empty() || !fs::is_directory(folder))
        return fail(latest.string() + ": names '" + name + "', which is not a checkpoint folder");
    return folder.string();
}

// towers query: the base model as `uae eval --method bert` runs it (same vectors, same cache file),
// shared by the training thread and the background evaluation; towers both: none. Only the
// writing rank appends to the cache file: the others read it and keep their own vectors in memory.
Result<std::shared_ptr<Encoder>> frozenPassageTower(const TrainConfig& config, bool writer) {
    if (config.towers != "query")
        return std::shared_ptr<Encoder>();
    BertOptions options;
    options.device = config.device;
    auto base = loadBaseBert(config.modelDir, options, config.cacheDir,
                             writer ? CacheAccess::ReadWrite : CacheAccess::ReadOnly);
    if (!base)
        return fail("the frozen passage tower: " + base.error());
    return std::shared_ptr<Encoder>(std::make_shared<LockedEncoder>(base.value()));
}

} // namespace

Result<LoopState> readLoopState(const std::string& workspacePath, std::int64_t runId) {
    const std::string glove = checkpointPath(workspacePath, runId);
    if (fs::exists(glove)) {
        auto file = SafetensorsFile::open(glove);
        if (!file)
            return fail(file.error());
        const auto meta = file.value()->metadata();
        for (const char* key : {"epoch", "step", "rng", "config"})
            if (!meta.count(key))
                return fail(glove + ": checkpoint metadata lacks '" + key + "'");
        return LoopState{std::stoi(meta.at("epoch")), std::stol(meta.at("step")), meta.at("rng"), meta.at("config")};
    }
    auto folder = latestBertFolder(bertCheckpointDir(workspacePath, runId));
    if (!folder)
        return fail("run " + std::to_string(runId) + " has no usable checkpoint yet: " + folder.error());
    const std::string statePath = folder.value() + "/trainer_state.json";
    const auto j = nlohmann::json::parse(readText(statePath), nullptr, false);
    if (j.is_discarded() || !j.contains("step") || !j.contains("config"))
        return fail(statePath + ": not a valid trainer state");
    return LoopState{j.value("epoch", 0), j.value("step", 0L), j.value("rng", ""), j.value("config", "")};
}

Result<std::string> trainedBertFolder(const std::string& workspacePath, std::int64_t runId) {
    return latestBertFolder(bertCheckpointDir(workspacePath, runId));
}

Result<std::unique_ptr<EncoderTrainer>> makeBertTrainer(const TrainConfig& config, const Dataset& train, bool resume,
                                                        bool writer) {
    auto base = resolveModelDir(config.modelDir);
    if (!base)
        return fail(base.error());
    std::string weightsDir = base.value();
    if (resume) { // the weights of the last checkpoint, the tokenizer and config of the base
        auto folder = latestBertFolder(config.checkpoint);
        if (!folder)
            return fail(folder.error());
        weightsDir = folder.value();
    }
    auto bert = BertConfig::load(base.value());
    if (!bert)
        return fail(bert.error());
    auto tok = TokenizerWordPiece::fromModelDir(base.value());
    if (!tok)
        return fail(tok.error());
    auto where = choosePlacement(config.device, "float32");
    if (!where)
        return fail(where.error());
    auto weights = WeightSet::open(weightsDir);
    if (!weights)
        return fail(weights.error());
    try {
        auto model = BertModel::load(weights.value(), weightsDir, bert.value(), where->device, torch::kFloat);
        if (!model)
            return fail(model.error());
        auto passageTower = frozenPassageTower(config, writer);
        if (!passageTower)
            return fail(passageTower.error());
        auto t = std::make_unique<BertTrainer>(config, base.value(), bert.value(),
                                               std::shared_ptr<const TokenizerWordPiece>(std::move(tok.value())),
                                               std::move(model.value()), where.value(), train, passageTower.value());
        if (resume)
            if (auto s = t->restoreOptimizer(weightsDir); !s)
                return fail(s.error());
        return std::unique_ptr<EncoderTrainer>(std::move(t));
    } catch (const c10::Error& e) {
        return fail(weightsDir + ": cannot load weights: " + e.what_without_backtrace());
    }
}

} // namespace uae::detail
