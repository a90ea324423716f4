#include "uae/job_train.h"

#include "uae/device.h"
#include "uae/encoder_glove.h"
#include "uae/metrics.h"
#include "uae/qasper.h"
#include "uae/safetensors.h"
#include "uae_loss_tensor.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

namespace uae {

std::string TrainConfig::toJson() const {
    return nlohmann::json{{"encoder", "glove+projection"}, {"glove", gloveDir}, {"split", split},
                          {"eval_split", evalSplit}, {"labels", {{"scorer", scorer}, {"prompt_version", promptVersion}}},
                          {"loss", uaeLossName(loss.variant)}, {"tau_s", loss.tauS}, {"tau_t", loss.tauT},
                          {"lambda", loss.lambda}, {"epochs", epochs}, {"batch_questions", batchQuestions},
                          {"max_candidates", maxCandidates}, {"lr", lr}, {"weight_decay", weightDecay},
                          {"warmup_fraction", warmupFraction}, {"clip", clip}, {"seed", seed},
                          {"checkpoint", checkpoint}, {"optimizer", "AdamW"}, {"schedule", "linear warm-up, linear decay"}}
        .dump();
}

std::string checkpointPath(const std::string& workspacePath, std::int64_t runId) {
    const auto dir = std::filesystem::absolute(workspacePath).parent_path() / "checkpoints";
    return (dir / ("run-" + std::to_string(runId) + ".safetensors")).string();
}

namespace {

// GloVe mean vectors of every paragraph of every paper of a split, encoded once.
struct PoolVectors {
    torch::Tensor rows;            // [paragraphs, d]
    std::vector<std::int64_t> first; // first row of each paper
};

PoolVectors encodePools(EncoderGlove& glove, const Dataset& data) {
    std::vector<std::string> texts;
    PoolVectors p;
    for (const auto& paper : data.papers) {
        p.first.push_back(static_cast<std::int64_t>(texts.size()));
        for (const auto& para : paper.paragraphs)
            texts.push_back(para.text);
    }
    auto v = glove.encode(texts, EncodeRole::Passage);
    p.rows = torch::from_blob(v.data(), {static_cast<std::int64_t>(texts.size()), glove.dim()}, torch::kFloat).clone();
    return p;
}

torch::Tensor encodeQuestions(EncoderGlove& glove, const Dataset& data) {
    std::vector<std::string> texts;
    for (const auto& q : data.questions)
        texts.push_back(q.text);
    auto v = glove.encode(texts, EncodeRole::Query);
    return torch::from_blob(v.data(), {static_cast<std::int64_t>(texts.size()), glove.dim()}, torch::kFloat).clone();
}

struct Example {
    std::int64_t question;             // row in the question vectors
    std::vector<std::int64_t> rows;    // candidate rows in the pool vectors
    std::vector<double> utilities;
    std::vector<bool> gold;
};

// Recall@1 and MAP of the projected encoder on every question with gold evidence.
std::pair<double, double> evaluate(const Dataset& data, const torch::Tensor& q, const PoolVectors& pools,
                                   const torch::Tensor& wq, const torch::Tensor& wp) {
    torch::NoGradGuard noGrad;
    auto eq = torch::nn::functional::normalize(torch::matmul(q, wq.t()), torch::nn::functional::NormalizeFuncOptions().dim(1));
    auto ep = torch::nn::functional::normalize(torch::matmul(pools.rows, wp.t()), torch::nn::functional::NormalizeFuncOptions().dim(1));
    double r1 = 0, map = 0;
    long n = 0;
    for (size_t i = 0; i < data.questions.size(); ++i) {
        const Question& question = data.questions[i];
        if (!question.hasTextEvidence())
            continue;
        const auto size = static_cast<std::int64_t>(data.paperOf(question).paragraphs.size());
        auto scores = torch::matmul(ep.narrow(0, pools.first[static_cast<size_t>(question.paper)], size),
                                    eq[static_cast<std::int64_t>(i)]).contiguous();
        std::vector<float> s(scores.data_ptr<float>(), scores.data_ptr<float>() + size);
        std::vector<int> order(s.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return s[static_cast<size_t>(a)] > s[static_cast<size_t>(b)]; });
        const auto m = retrievalMetrics(order, question.gold);
        r1 += m[Metric::Recall1];
        map += m[Metric::Map];
        ++n;
    }
    return {n ? r1 / n : 0.0, n ? map / n : 0.0};
}

} // namespace

TrainResult runTrainJob(Store& store, const Dataset& train, const Dataset& eval, TrainConfig config,
                        const JobContext& ctx, const std::function<void(const MetricPoint&)>& onMetric) {
    TrainResult out;
    auto fail = [&](std::string error) {
        out.status = "failed";
        out.error = std::move(error);
        if (out.runId)
            store.finishRun(out.runId, out.status, out.error);
        return out;
    };
    // Resuming: the run's own settings and checkpoint, the run id kept.
    std::map<std::string, std::string> resumeMeta;
    std::shared_ptr<SafetensorsFile> resumeFile;
    if (config.resumeRun) {
        auto previous = store.run(config.resumeRun);
        if (!previous)
            return fail(previous.error());
        if (previous->kind != "train")
            return fail("run " + std::to_string(config.resumeRun) + " is a " + previous->kind + " run, not a training run");
        const std::string path = checkpointPath(store.path(), config.resumeRun);
        auto file = SafetensorsFile::open(path);
        if (!file)
            return fail("run " + std::to_string(config.resumeRun) + " has no usable checkpoint yet: " + file.error());
        resumeFile = file.value();
        resumeMeta = resumeFile->metadata();
        const auto saved = nlohmann::json::parse(resumeMeta.at("config"));
        config.epochs = saved.value("epochs", config.epochs);
        config.batchQuestions = saved.value("batch_questions", config.batchQuestions);
        config.maxCandidates = saved.value("max_candidates", config.maxCandidates);
        config.lr = saved.value("lr", config.lr);
        config.weightDecay = saved.value("weight_decay", config.weightDecay);
        config.warmupFraction = saved.value("warmup_fraction", config.warmupFraction);
        config.clip = saved.value("clip", config.clip);
        config.seed = saved.value("seed", config.seed);
        config.loss.tauS = saved.value("tau_s", config.loss.tauS);
        config.loss.tauT = saved.value("tau_t", config.loss.tauT);
        config.loss.lambda = saved.value("lambda", config.loss.lambda);
        parseUaeLoss(saved.value("loss", "soft"), config.loss.variant);
        config.checkpoint = path;
        config.gloveDir = resumeMeta.count("glove") ? resumeMeta.at("glove") : config.gloveDir;
        config.split = saved.value("split", config.split);
        config.evalSplit = saved.value("eval_split", config.evalSplit);
        const auto labelsKey = saved.value("labels", nlohmann::json::object());
        config.scorer = labelsKey.value("scorer", config.scorer);
        config.promptVersion = labelsKey.value("prompt_version", config.promptVersion);
    }
    auto glove = EncoderGlove::load(config.gloveDir);
    if (!glove)
        return fail(glove.error());
    auto labels = store.labels(LabelKey{config.scorer, config.promptVersion}, config.split);
    if (!labels)
        return fail(labels.error());
    if (labels->empty())
        return fail("no " + config.scorer + " labels (" + config.promptVersion + ") for split '" + config.split +
                    "' in " + store.path() + ": run uae label first");
    if (config.resumeRun) {
        out.runId = config.resumeRun;
        if (auto s = store.reopenRun(out.runId, std::stoll(resumeMeta.at("step"))); !s)
            return fail(s.error());
    } else {
        auto run = store.beginRun("train", "uae", config.split, config.toJson(), currentDevice().name);
        if (!run)
            return fail(run.error());
        out.runId = run.value();
        if (config.checkpoint.empty())
            config.checkpoint = checkpointPath(store.path(), out.runId);
    }
    torch::manual_seed(static_cast<std::uint64_t>(config.seed));
    std::mt19937 rng(static_cast<unsigned>(config.seed));
    try {
        auto emit = [&](std::int64_t step, const std::string& name, double value) {
            if (auto s = store.addMetric(out.runId, step, name, value); !s)
                throw std::runtime_error(s.error());
            if (onMetric)
                onMetric(MetricPoint{step, name, value});
        };
        const auto trainQ = encodeQuestions(*glove.value(), train), evalQ = encodeQuestions(*glove.value(), eval);
        const auto trainPools = encodePools(*glove.value(), train), evalPools = encodePools(*glove.value(), eval);
        std::map<std::string, std::vector<const LabelRow*>> byQuestion;
        for (const auto& l : *labels)
            byQuestion[l.question].push_back(&l);
        std::vector<Example> examples;
        for (size_t i = 0; i < train.questions.size(); ++i) {
            const Question& q = train.questions[i];
            auto it = byQuestion.find(q.id);
            if (it == byQuestion.end() || it->second.size() < 2)
                continue;
            auto rows = it->second;
            std::stable_sort(rows.begin(), rows.end(), [](const LabelRow* a, const LabelRow* b) { return a->utility > b->utility; });
            rows.resize(std::min(rows.size(), static_cast<size_t>(config.maxCandidates)));
            Example e{static_cast<std::int64_t>(i), {}, {}, {}};
            for (const auto* r : rows) {
                e.rows.push_back(trainPools.first[static_cast<size_t>(q.paper)] + r->paragraph);
                e.utilities.push_back(r->utility);
                e.gold.push_back(std::find(q.gold.begin(), q.gold.end(), r->paragraph) != q.gold.end());
            }
            examples.push_back(std::move(e));
        }
        const int d = glove.value()->dim();
        auto wq = torch::eye(d).requires_grad_(true), wp = torch::eye(d).requires_grad_(true);
        // AdamW written out (as torch.optim.AdamW computes it) so its moments go into checkpoints
        // the same way under LibTorch 1.13 and 2.x.
        auto mq = torch::zeros({d, d}), vq = torch::zeros({d, d}), mp = torch::zeros({d, d}), vp = torch::zeros({d, d});
        int startEpoch = 0;
        auto tensorOf = [&](const char* name) {
            auto v = resumeFile->readFloat32(name);
            if (!v || v->size() != static_cast<size_t>(d * d))
                throw std::runtime_error(config.checkpoint + ": tensor '" + name + "' missing or of the wrong size");
            return torch::from_blob(v->data(), {d, d}, torch::kFloat).clone();
        };
        if (resumeFile) {
            torch::NoGradGuard noGrad;
            wq.copy_(tensorOf("query_projection"));
            wp.copy_(tensorOf("passage_projection"));
            mq = tensorOf("adam_m_query"), vq = tensorOf("adam_v_query");
            mp = tensorOf("adam_m_passage"), vp = tensorOf("adam_v_passage");
            startEpoch = std::stoi(resumeMeta.at("epoch"));
            out.steps = std::stol(resumeMeta.at("step"));
            std::istringstream(resumeMeta.at("rng")) >> rng;
        }
        const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        auto adamw = [&](torch::Tensor& p, torch::Tensor& m, torch::Tensor& v, double lr, long t) {
            torch::NoGradGuard noGrad;
            const auto& g = p.grad();
            p.mul_(1.0 - lr * config.weightDecay);
            m.mul_(beta1).add_(g, 1.0 - beta1);
            v.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
            const double bc1 = 1.0 - std::pow(beta1, static_cast<double>(t)), bc2 = 1.0 - std::pow(beta2, static_cast<double>(t));
            p.addcdiv_(m, v.sqrt() / std::sqrt(bc2) + eps, -lr / bc1);
        };
        const long killAfter = [] {
            const char* v = std::getenv("UAE_FAULT_KILL_AFTER_STEPS"); // fault injection for the resume test
            return v ? std::atol(v) : -1L;
        }();
        const long perEpoch = static_cast<long>((examples.size() + config.batchQuestions - 1) / config.batchQuestions);
        const long total = perEpoch * config.epochs;
        const long warmup = std::max(1L, static_cast<long>(config.warmupFraction * static_cast<double>(total)));
        auto [r1, map] = evaluate(eval, evalQ, evalPools, wq, wp);
        out.evalRecall1 = r1, out.evalMap = map;
        if (!resumeFile) {
            emit(0, "eval_recall@1", r1);
            emit(0, "eval_map", map);
        }
        for (const auto& m : store.metrics(out.runId).value())
            if (m.step == 0 && m.name == "eval_recall@1")
                out.baseRecall1 = m.value;
            else if (m.step == 0 && m.name == "eval_map")
                out.baseMap = m.value;
        const auto start = std::chrono::steady_clock::now();
        long seen = 0;
        out.status = "finished";
        for (int epoch = startEpoch; epoch < config.epochs && out.status == "finished"; ++epoch) {
            // A fresh permutation of the fixed example list: epoch e's order depends only on the
            // RNG state, which checkpoints carry, so a resumed run sees the same batches.
            std::vector<size_t> order(examples.size());
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng);
            for (size_t b = 0; b < examples.size(); b += static_cast<size_t>(config.batchQuestions)) {
                if (ctx.cancelled()) {
                    out.status = "cancelled";
                    break;
                }
                const size_t end = std::min(examples.size(), b + static_cast<size_t>(config.batchQuestions));
                std::vector<std::int64_t> qRows, cRows;
                for (size_t e = b; e < end; ++e) {
                    qRows.push_back(examples[order[e]].question);
                    cRows.insert(cRows.end(), examples[order[e]].rows.begin(), examples[order[e]].rows.end());
                }
                const auto B = static_cast<std::int64_t>(end - b), N = static_cast<std::int64_t>(cRows.size());
                auto teacher = torch::zeros({B, N}, torch::kFloat);
                auto gold = torch::zeros({B, N}, torch::kBool);
                std::int64_t offset = 0;
                for (size_t e = b; e < end; ++e) {
                    const auto& ex = examples[order[e]];
                    const auto n = static_cast<std::int64_t>(ex.rows.size());
                    auto u = torch::tensor(ex.utilities, torch::kDouble);
                    teacher[static_cast<std::int64_t>(e - b)].narrow(0, offset, n).copy_(torch::softmax(u / config.loss.tauT, 0));
                    for (std::int64_t k = 0; k < n; ++k)
                        if (ex.gold[static_cast<size_t>(k)])
                            gold[static_cast<std::int64_t>(e - b)][offset + k] = true;
                    offset += n;
                }
                auto opts = torch::nn::functional::NormalizeFuncOptions().dim(1);
                auto eq = torch::nn::functional::normalize(torch::matmul(trainQ.index_select(0, torch::tensor(qRows)), wq.t()), opts);
                auto ep = torch::nn::functional::normalize(torch::matmul(trainPools.rows.index_select(0, torch::tensor(cRows)), wp.t()), opts);
                auto scores = torch::matmul(eq, ep.t()) / config.loss.tauS;
                auto [loss, kl] = detail::uaeLossBatch(scores, teacher, gold, torch::ones({B, N}, torch::kBool), config.loss);
                if (wq.grad().defined()) {
                    wq.mutable_grad().zero_();
                    wp.mutable_grad().zero_();
                }
                loss.backward();
                const double gradNorm = torch::nn::utils::clip_grad_norm_(std::vector<torch::Tensor>{wq, wp}, config.clip);
                const long step = out.steps + 1;
                const double lr = config.lr * (step <= warmup ? static_cast<double>(step) / warmup
                                                              : std::max(0.0, static_cast<double>(total - step) / std::max(1L, total - warmup)));
                adamw(wq, mq, vq, lr, step);
                adamw(wp, mp, vp, lr, step);
                out.steps = step;
                if (killAfter >= 0 && step == killAfter)
                    std::raise(SIGKILL);
                seen += B;
                const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                out.examplesPerSecond = secs > 0 ? seen / secs : 0;
                if (step % 10 == 0 || step == total) {
                    emit(step, "loss", loss.item<double>());
                    emit(step, "kl_teacher", kl.item<double>());
                    emit(step, "lr", lr);
                    emit(step, "grad_norm", gradNorm);
                    emit(step, "examples_per_s", out.examplesPerSecond);
                }
                char msg[96];
                std::snprintf(msg, sizeof msg, "epoch %d, loss %.4f, %.0f questions/s", epoch + 1, loss.item<double>(), out.examplesPerSecond);
                ctx.progress(step, total, msg);
            }
            if (out.status != "finished")
                break;
            std::tie(r1, map) = evaluate(eval, evalQ, evalPools, wq, wp);
            emit(out.steps, "eval_recall@1", r1);
            emit(out.steps, "eval_map", map);
            out.evalRecall1 = r1, out.evalMap = map;
            // A checkpoint after every epoch, written atomically.
            std::filesystem::create_directories(std::filesystem::path(config.checkpoint).parent_path());
            auto toVector = [](const torch::Tensor& t) {
                auto c = t.detach().contiguous();
                return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
            };
            if (out.status != "finished")
                break; // a cancelled epoch is not a checkpoint
            const std::int64_t dd = d;
            const auto q = toVector(wq), p = toVector(wp), m1 = toVector(mq), v1 = toVector(vq), m2 = toVector(mp),
                       v2 = toVector(vp);
            std::ostringstream rngState;
            rngState << rng;
            if (auto s = writeSafetensors(config.checkpoint,
                                          {{"query_projection", {dd, dd}, q.data()}, {"passage_projection", {dd, dd}, p.data()},
                                           {"adam_m_query", {dd, dd}, m1.data()}, {"adam_v_query", {dd, dd}, v1.data()},
                                           {"adam_m_passage", {dd, dd}, m2.data()}, {"adam_v_passage", {dd, dd}, v2.data()}},
                                          {{"glove", config.gloveDir}, {"epoch", std::to_string(epoch + 1)},
                                           {"step", std::to_string(out.steps)}, {"rng", rngState.str()},
                                           {"config", config.toJson()}}); !s)
                throw std::runtime_error(s.error());
        }
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    if (auto s = store.finishRun(out.runId, out.status, out.error); !s)
        out.error = s.error();
    return out;
}

} // namespace uae
