#include "uae/job_train.h"

#include "train_encoders.h"
#include "uae_loss_tensor.h"
#include "uae/device.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <random>
#include <sstream>

namespace uae {

std::string TrainConfig::toJson() const {
    return nlohmann::json{{"encoder", encoder}, {"glove", gloveDir}, {"model", modelDir}, {"device", device},
                          {"mixed_precision", mixedPrecision}, {"max_tokens", maxTokens}, {"split", split},
                          {"eval_split", evalSplit}, {"labels", {{"scorer", scorer}, {"prompt_version", promptVersion}}},
                          {"loss", uaeLossName(loss.variant)}, {"tau_s", loss.tauS}, {"tau_t", loss.tauT},
                          {"lambda", loss.lambda}, {"epochs", epochs}, {"batch_questions", batchQuestions},
                          {"accumulate", accumulate}, {"max_candidates", maxCandidates}, {"lr", lr},
                          {"weight_decay", weightDecay}, {"warmup_fraction", warmupFraction}, {"clip", clip},
                          {"seed", seed}, {"eval_every", evalEvery}, {"eval_limit", evalLimit},
                          {"checkpoint", checkpoint}, {"optimizer", "AdamW"}, {"schedule", "linear warm-up, linear decay"}}
        .dump();
}

std::string checkpointPath(const std::string& workspacePath, std::int64_t runId) {
    const auto dir = std::filesystem::absolute(workspacePath).parent_path() / "checkpoints";
    return (dir / ("run-" + std::to_string(runId) + ".safetensors")).string();
}

std::string bertCheckpointDir(const std::string& workspacePath, std::int64_t runId) {
    const auto dir = std::filesystem::absolute(workspacePath).parent_path() / "checkpoints";
    return (dir / ("run-" + std::to_string(runId))).string();
}

Result<std::string> trainedModelPath(const std::string& workspacePath, std::int64_t runId) {
    const std::string glove = checkpointPath(workspacePath, runId);
    if (std::filesystem::exists(glove))
        return glove;
    auto bert = detail::trainedBertFolder(workspacePath, runId);
    if (!bert)
        return fail("run " + std::to_string(runId) + " has no checkpoint next to " + workspacePath + " (" + glove +
                    " is missing; " + bert.error() + ")");
    return bert;
}

namespace {

long envLong(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::atol(v) : -1L;
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
    detail::LoopState resumed;
    if (config.resumeRun) {
        auto previous = store.run(config.resumeRun);
        if (!previous)
            return fail(previous.error());
        if (previous->kind != "train")
            return fail("run " + std::to_string(config.resumeRun) + " is a " + previous->kind + " run, not a training run");
        auto state = detail::readLoopState(store.path(), config.resumeRun);
        if (!state)
            return fail("run " + std::to_string(config.resumeRun) + " cannot be resumed: " + state.error());
        resumed = state.value();
        try {
            detail::applySavedConfig(resumed.config, config);
        } catch (const std::exception& e) {
            return fail("run " + std::to_string(config.resumeRun) + ": checkpoint settings are unreadable: " + e.what());
        }
    }
    if (config.encoder != "glove" && config.encoder != "bert")
        return fail("unknown encoder '" + config.encoder + "' (glove or bert)");
    config.accumulate = std::max(1, config.accumulate);
    auto labels = store.labels(LabelKey{config.scorer, config.promptVersion}, config.split);
    if (!labels)
        return fail(labels.error());
    if (labels->empty())
        return fail("no " + config.scorer + " labels (" + config.promptVersion + ") for split '" + config.split +
                    "' in " + store.path() + ": run uae label first");
    const auto groups = detail::buildGroups(train, labels.value(), config.maxCandidates);
    if (groups.empty())
        return fail("the " + config.split + " labels cover no question with two or more candidates");
    const bool bert = config.encoder == "bert";
    if (config.resumeRun) {
        out.runId = config.resumeRun;
        config.checkpoint = bert ? bertCheckpointDir(store.path(), out.runId) : checkpointPath(store.path(), out.runId);
        if (auto s = store.reopenRun(out.runId, resumed.step); !s)
            return fail(s.error());
    } else {
        auto run = store.beginRun("train", bert ? "uae-bert" : "uae", config.split, config.toJson(), currentDevice().name);
        if (!run)
            return fail(run.error());
        out.runId = run.value();
        if (config.checkpoint.empty())
            config.checkpoint = bert ? bertCheckpointDir(store.path(), out.runId) : checkpointPath(store.path(), out.runId);
    }
    torch::manual_seed(static_cast<std::uint64_t>(config.seed));
    std::mt19937 rng(static_cast<unsigned>(config.seed));
    if (config.resumeRun)
        std::istringstream(resumed.rng) >> rng;
    auto made = bert ? detail::makeBertTrainer(config, train, config.resumeRun != 0)
                     : detail::makeGloveTrainer(config, train, config.resumeRun != 0);
    if (!made)
        return fail(made.error());
    auto& trainer = *made.value();
    if (auto s = store.setRunDevice(out.runId, trainer.device()); !s) // known only now, and on resume
        return fail(s.error());
    const std::string configJson = config.toJson();
    detail::BackgroundEval background;
    try {
        auto emit = [&](std::int64_t step, const std::string& name, double value) {
            if (auto s = store.addMetric(out.runId, step, name, value); !s)
                throw std::runtime_error(s.error());
            if (onMetric)
                onMetric(MetricPoint{step, name, value, out.runId});
        };
        auto deliver = [&](std::int64_t step, detail::BackgroundEval::Metrics m) {
            emit(step, "eval_recall@1", m.first);
            emit(step, "eval_map", m.second);
            out.evalRecall1 = m.first, out.evalMap = m.second;
        };
        // The eval of a checkpoint's step may have been in flight when the process died: redo it.
        bool haveCheckpointEval = false;
        for (const auto& m : store.metrics(out.runId).value()) {
            if (m.step == 0 && m.name == "eval_recall@1")
                out.baseRecall1 = m.value;
            else if (m.step == 0 && m.name == "eval_map")
                out.baseMap = m.value;
            if (m.step == resumed.step && m.name == "eval_recall@1")
                out.evalRecall1 = m.value, haveCheckpointEval = true;
            else if (m.step == resumed.step && m.name == "eval_map")
                out.evalMap = m.value;
        }
        if (!haveCheckpointEval) {
            deliver(resumed.step, trainer.snapshotEval(eval, config.evalLimit)()); // sets out.eval*
            if (resumed.step == 0)
                out.baseRecall1 = out.evalRecall1, out.baseMap = out.evalMap;
        }
        const long killAfter = envLong("UAE_FAULT_KILL_AFTER_STEPS"); // fault injection for the resume tests
        const size_t batch = static_cast<size_t>(std::max(1, config.batchQuestions));
        const long batchesPerEpoch = static_cast<long>((groups.size() + batch - 1) / batch);
        const long perEpoch = (batchesPerEpoch + config.accumulate - 1) / config.accumulate;
        const long total = perEpoch * config.epochs;
        const long warmup = std::max(1L, static_cast<long>(config.warmupFraction * static_cast<double>(total)));
        out.steps = resumed.step;
        const auto start = std::chrono::steady_clock::now();
        long seen = 0;
        out.status = "finished";
        for (int epoch = resumed.epoch; epoch < config.epochs && out.status == "finished"; ++epoch) {
            // A fresh permutation of the fixed group list: epoch e's order depends only on the
            // RNG state, which checkpoints carry, so a resumed run sees the same batches.
            std::vector<size_t> order(groups.size());
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng);
            long micro = 0;
            double lossSum = 0, klSum = 0;
            for (size_t b = 0; b < groups.size(); b += batch, ++micro) {
                if (ctx.cancelled()) {
                    out.status = "cancelled";
                    break;
                }
                background.collect(false, deliver);
                const auto targets = detail::batchTargets(groups, order, b, std::min(groups.size(), b + batch), config.loss.tauT);
                const long inStep = micro % config.accumulate;
                if (inStep == 0)
                    for (auto& p : trainer.parameters())
                        if (p.grad().defined())
                            p.mutable_grad().zero_();
                auto scores = trainer.scores(targets, config.loss.tauS);
                auto [loss, kl] = detail::uaeLossBatch(scores, targets.teacher, targets.gold,
                                                       torch::ones_like(targets.gold), config.loss);
                (loss / static_cast<double>(config.accumulate)).backward();
                lossSum += loss.item<double>();
                klSum += kl.item<double>();
                seen += static_cast<long>(targets.groups.size());
                const bool lastOfEpoch = b + batch >= groups.size();
                if (inStep + 1 < config.accumulate && !lastOfEpoch)
                    continue;
                const double parts = static_cast<double>(inStep + 1);
                const double gradNorm = torch::nn::utils::clip_grad_norm_(trainer.parameters(), config.clip);
                const long step = out.steps + 1;
                const double lr = detail::learningRate(config.lr, step, total, warmup);
                trainer.optimizerStep(lr, step);
                out.steps = step;
                if (killAfter >= 0 && step == killAfter)
                    std::raise(SIGKILL);
                const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                out.examplesPerSecond = secs > 0 ? static_cast<double>(seen) / secs : 0;
                if (step % 10 == 0 || step == total) {
                    emit(step, "loss", lossSum / parts);
                    emit(step, "kl_teacher", klSum / parts);
                    emit(step, "lr", lr);
                    emit(step, "grad_norm", gradNorm);
                    emit(step, "examples_per_s", out.examplesPerSecond);
                }
                char msg[96];
                std::snprintf(msg, sizeof msg, "epoch %d, loss %.4f, %.1f questions/s", epoch + 1, lossSum / parts,
                              out.examplesPerSecond);
                ctx.progress(step, total, msg);
                lossSum = klSum = 0;
                if (config.evalEvery > 0 && step % config.evalEvery == 0 && !lastOfEpoch)
                    background.start(step, trainer.snapshotEval(eval, config.evalLimit), deliver);
            }
            if (out.status != "finished")
                break; // a cancelled epoch is not a checkpoint
            background.start(out.steps, trainer.snapshotEval(eval, config.evalLimit), deliver);
            if (auto s = trainer.save(detail::LoopState{epoch + 1, out.steps, [&] {
                                                             std::ostringstream r;
                                                             r << rng;
                                                             return r.str();
                                                         }(), configJson});
                !s)
                throw std::runtime_error(s.error());
        }
        background.collect(true, deliver);
    } catch (const std::exception& e) {
        try {
            background.collect(true, [](std::int64_t, detail::BackgroundEval::Metrics) {});
        } catch (...) {
        }
        return fail(e.what());
    }
    if (auto s = store.finishRun(out.runId, out.status, out.error); !s)
        out.error = s.error();
    return out;
}

} // namespace uae
