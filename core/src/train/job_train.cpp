#include "uae/job_train.h"

#include "dist_group.h"
#include "job_run.h"
#include "train_encoders.h"
#include "train_labels.h"
#include "train_step.h"
#include "uae/device.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <numeric>
#include <random>
#include <sstream>

namespace uae {

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

using Metrics = detail::BackgroundEval::Metrics;

// Resuming: the run's own settings and loop state, its id kept.
Result<detail::LoopState> resumeState(Store& store, TrainConfig& config) {
    const std::string which = "run " + std::to_string(config.resumeRun);
    auto previous = store.run(config.resumeRun);
    if (!previous)
        return fail(previous.error());
    if (previous->kind != RunKind::Train)
        return fail(which + " is a " + toString(previous->kind) + " run, not a training run");
    auto state = detail::readLoopState(store.path(), config.resumeRun);
    if (!state)
        return fail(which + " cannot be resumed: " + state.error());
    if (auto s = detail::applySavedConfig(state->config, config); !s)
        return fail(which + ": checkpoint settings are unreadable: " + s.error());
    return state;
}

Result<std::vector<detail::TrainGroup>> trainingGroups(const Store& store, const Dataset& train,
                                                       const TrainConfig& config) {
    if (auto s = detail::noLabelRunInProgress(store, config); !s)
        return fail(s.error());
    auto labels = store.labels(LabelKey{config.scorer, config.promptVersion}, config.split);
    if (!labels)
        return fail(labels.error());
    if (labels->empty())
        return fail("no " + config.scorer + " labels (" + config.promptVersion + ") for split '" + config.split +
                    "' in " + store.path() + ": run uae label first");
    if (auto s = detail::labelsMatchData(store, train, config, labels.value()); !s)
        return fail(s.error());
    auto groups = detail::buildGroups(train, labels.value(), config.maxCandidates);
    if (groups.empty())
        return fail("the " + config.split + " labels cover no question with two or more candidates");
    return groups;
}

// One training run's loop: epochs of shuffled batches, optimizer steps, metrics, evaluations on
// a weight snapshot in the background, a checkpoint per epoch.
class TrainLoop {
public:
    TrainLoop(Store& store, const Dataset& eval, const TrainConfig& config, const JobContext& ctx,
              const std::function<void(const MetricPoint&)>& onMetric, detail::EncoderTrainer& trainer,
              const std::vector<detail::TrainGroup>& groups, TrainResult& out, detail::DistGroup* group)
        : m_store(store), m_eval(eval), m_config(config), m_ctx(ctx), m_onMetric(onMetric), m_trainer(trainer),
          m_groups(groups), m_out(out), m_group(group) {}

    Result<RunStatus> run(const detail::LoopState& resumed, std::mt19937& rng) {
        try {
            auto ended = loop(resumed, rng);
            m_background.collect(true, deliverer());
            return ended;
        } catch (...) {
            try { // the pending eval must end first; the loop's error is the one to report
                m_background.collect(true, [](std::int64_t, Metrics) {});
            } catch (...) {
            }
            throw;
        }
    }

private:
    // Rank 0 (or the only process) writes metrics, evaluations and checkpoints.
    bool writer() const { return !m_group || m_group->rank() == 0; }

    void startEval(std::int64_t step) {
        if (writer())
            m_background.start(step, m_trainer.snapshotEval(m_eval, m_config.evalLimit), deliverer());
    }

    void emit(std::int64_t step, const std::string& name, double value) {
        if (!writer())
            return;
        if (auto s = m_store.addMetric(m_out.runId, step, name, value); !s)
            throw std::runtime_error(s.error()); // leaves the loop; recordRun marks the run failed
        if (m_onMetric)
            m_onMetric(MetricPoint{step, name, value, m_out.runId});
    }

    std::function<void(std::int64_t, Metrics)> deliverer() {
        return [this](std::int64_t step, Metrics m) {
            emit(step, "eval_recall@1", m.first);
            emit(step, "eval_map", m.second);
            m_out.evalRecall1 = m.first, m_out.evalMap = m.second;
        };
    }

    // The eval of a checkpoint's step may have been in flight when the process died: redo it.
    void evalAtStart(std::int64_t step) {
        bool have = false;
        for (const auto& m : m_store.metrics(m_out.runId).value()) {
            if (m.step == 0 && m.name == "eval_recall@1")
                m_out.baseRecall1 = m.value;
            else if (m.step == 0 && m.name == "eval_map")
                m_out.baseMap = m.value;
            if (m.step == step && m.name == "eval_recall@1")
                m_out.evalRecall1 = m.value, have = true;
            else if (m.step == step && m.name == "eval_map")
                m_out.evalMap = m.value;
        }
        if (have)
            return;
        deliverer()(step, m_trainer.snapshotEval(m_eval, m_config.evalLimit)());
        if (step == 0)
            m_out.baseRecall1 = m_out.evalRecall1, m_out.baseMap = m_out.evalMap;
    }

    Result<RunStatus> loop(const detail::LoopState& resumed, std::mt19937& rng) {
        if (writer())
            evalAtStart(resumed.step);
        const size_t batch = static_cast<size_t>(m_config.batchQuestions);
        const long batchesPerEpoch = static_cast<long>((m_groups.size() + batch - 1) / batch);
        m_total = (batchesPerEpoch + m_config.accumulate - 1) / m_config.accumulate * m_config.epochs;
        m_warmup = std::max(1L, static_cast<long>(m_config.warmupFraction * static_cast<double>(m_total)));
        m_out.steps = resumed.step;
        m_start = std::chrono::steady_clock::now();
        const std::string configJson = m_config.toJson();
        for (int epoch = resumed.epoch; epoch < m_config.epochs; ++epoch) {
            if (!epochOf(epoch, rng))
                return RunStatus::Cancelled; // a cancelled epoch is not a checkpoint
            startEval(m_out.steps);
            std::ostringstream state;
            state << rng;
            if (writer())
                if (auto s = m_trainer.save(detail::LoopState{epoch + 1, m_out.steps, state.str(), configJson}); !s)
                    return fail(s.error());
        }
        return RunStatus::Finished;
    }

    // One pass; false when cancelled.
    bool epochOf(int epoch, std::mt19937& rng) {
        // A fresh permutation of the fixed group list: epoch e's order depends only on the RNG
        // state, which checkpoints carry, so a resumed run sees the same batches.
        std::vector<size_t> order(m_groups.size());
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        const size_t batch = static_cast<size_t>(m_config.batchQuestions);
        long micro = 0;
        for (size_t b = 0; b < m_groups.size(); b += batch, ++micro) {
            if (m_ctx.cancelled())
                return false;
            m_background.collect(false, deliverer());
            const long inStep = micro % m_config.accumulate;
            accumulateBatch(order, b, std::min(m_groups.size(), b + batch), inStep == 0);
            const bool lastOfEpoch = b + batch >= m_groups.size();
            if (inStep + 1 < m_config.accumulate && !lastOfEpoch)
                continue;
            optimizerStep(epoch, static_cast<double>(inStep + 1));
            if (m_config.evalEvery > 0 && m_out.steps % m_config.evalEvery == 0 && !lastOfEpoch)
                startEval(m_out.steps);
        }
        return true;
    }

    void accumulateBatch(const std::vector<size_t>& order, size_t from, size_t to, bool zeroGrads) {
        if (zeroGrads)
            for (auto& p : m_trainer.parameters())
                if (p.grad().defined())
                    p.mutable_grad().zero_();
        // τ_T acts in the teacher rows the step builds (see uae_loss.h); with a group this rank
        // adds its share of the global batch (train_step.h).
        const auto part = detail::backwardBatch(m_trainer, m_groups, order, from, to, m_config, m_group,
                                                static_cast<double>(m_config.accumulate));
        m_lossSum += part.loss;
        m_klSum += part.kl;
        m_seen += static_cast<long>(to - from); // the global batch: throughput of the whole group
    }

    // Every rank's gradients and loss shares summed, so all ranks take the same step.
    void reduceAcrossRanks() {
        if (!m_group)
            return;
        detail::allReduceGradients(m_trainer, *m_group);
        std::vector<torch::Tensor> sums{
            torch::tensor({m_lossSum, m_klSum}, torch::kDouble).to(m_trainer.parameters().front().device())};
        m_group->allReduceSum(sums);
        m_lossSum = sums[0][0].item<double>(), m_klSum = sums[0][1].item<double>();
    }

    void optimizerStep(int epoch, double parts) {
        reduceAcrossRanks();
        const double gradNorm = torch::nn::utils::clip_grad_norm_(m_trainer.parameters(), m_config.clip);
        const long step = m_out.steps + 1;
        const double lr = detail::learningRate(m_config.lr, step, m_total, m_warmup);
        m_trainer.optimizerStep(lr, step);
        m_out.steps = step;
        m_ctx.milestone("train.step", step);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        m_out.examplesPerSecond = secs > 0 ? static_cast<double>(m_seen) / secs : 0;
        if (step % 10 == 0 || step == m_total) {
            emit(step, "loss", m_lossSum / parts);
            emit(step, "kl_teacher", m_klSum / parts);
            emit(step, "lr", lr);
            emit(step, "grad_norm", gradNorm);
            emit(step, "examples_per_s", m_out.examplesPerSecond);
        }
        char msg[96];
        std::snprintf(msg, sizeof msg, "epoch %d, loss %.4f, %.1f questions/s", epoch + 1, m_lossSum / parts,
                      m_out.examplesPerSecond);
        m_ctx.progress(step, m_total, msg);
        m_lossSum = m_klSum = 0;
    }

    Store& m_store;
    const Dataset& m_eval;
    const TrainConfig& m_config;
    const JobContext& m_ctx;
    const std::function<void(const MetricPoint&)>& m_onMetric;
    detail::EncoderTrainer& m_trainer;
    const std::vector<detail::TrainGroup>& m_groups;
    TrainResult& m_out;
    detail::DistGroup* m_group; // null: one process
    detail::BackgroundEval m_background;
    long m_total = 0, m_warmup = 1, m_seen = 0;
    double m_lossSum = 0, m_klSum = 0;
    std::chrono::steady_clock::time_point m_start;
};

// Joins the launcher's group when the config asks for it; null for one process. On CUDA each rank
// takes the GPU of its local rank.
Result<std::unique_ptr<detail::DistGroup>> joinGroup(TrainConfig& config) {
    if (!config.distributed)
        return std::unique_ptr<detail::DistGroup>();
    auto env = distributedEnv();
    if (!env)
        return fail(env.error());
    const bool cuda = config.encoder == EncoderKind::Bert && torch::cuda::is_available() &&
                      (config.device == "auto" || config.device == "cuda");
    if (cuda)
        config.device = "cuda:" + std::to_string(env->localRank);
    else if (config.encoder == EncoderKind::Bert && config.device.rfind("cuda", 0) == 0)
        return fail("--distributed with --device " + config.device +
                    ": name no GPU index (each rank takes "
                    "cuda:LOCAL_RANK) or use --device cpu");
    return detail::DistGroup::connect(env.value(), cuda, std::chrono::seconds(config.distTimeout));
}

// Rank 0's run id on every rank (0: rank 0 could not open the run).
std::int64_t shareRunId(detail::DistGroup& group, std::int64_t id, const std::string& device) {
    std::vector<torch::Tensor> t{torch::tensor({static_cast<long>(id)}, torch::kLong).to(torch::Device(device))};
    group.broadcastFromRank0(t);
    return t[0][0].item<std::int64_t>();
}

// A new run, or the resumed one taken up again.
Result<std::int64_t> openRun(Store& store, const TrainConfig& config, const detail::LoopState& resumed) {
    if (config.resumeRun) {
        if (auto s = store.reopenRun(config.resumeRun, resumed.step); !s) { // it may be "running" again: close it
            (void)store.finishRun(config.resumeRun, RunStatus::Failed, s.error());
            return fail(s.error());
        }
        return config.resumeRun;
    }
    // The device is known once the trainer exists; until then the run names what was asked.
    const bool bert = config.encoder == EncoderKind::Bert;
    return store.beginRun(RunKind::Train, bert ? "uae-bert" : "uae", config.split, config.toJson(), config.device);
}

// The trainer and its loop; with a group, rank 0's weights on every rank first.
Result<RunStatus> trainBody(Store& store, const Dataset& train, const Dataset& eval, const TrainConfig& config,
                            const detail::LoopState& resumed, const JobContext& ctx,
                            const std::function<void(const MetricPoint&)>& onMetric,
                            const std::vector<detail::TrainGroup>& groups, detail::DistGroup* group, TrainResult& out) {
    torch::manual_seed(static_cast<std::uint64_t>(config.seed));
    std::mt19937 rng(static_cast<unsigned>(config.seed));
    if (config.resumeRun)
        std::istringstream(resumed.rng) >> rng;
    const bool bert = config.encoder == EncoderKind::Bert;
    auto made = bert ? detail::makeBertTrainer(config, train, config.resumeRun != 0, !group || group->rank() == 0)
                     : detail::makeGloveTrainer(config, train, config.resumeRun != 0);
    if (!made)
        return fail(made.error());
    if (!group || group->rank() == 0)
        if (auto s = store.setRunDevice(out.runId, made.value()->device()); !s)
            return fail(s.error());
    if (group) {
        torch::NoGradGuard noGrad;
        auto params = made.value()->parameters();
        group->broadcastFromRank0(params);
    }
    return TrainLoop(store, eval, config, ctx, onMetric, *made.value(), groups, out, group).run(resumed, rng);
}

} // namespace

TrainResult runTrainJob(Store& store, const Dataset& train, const Dataset& eval, TrainConfig config,
                        const JobContext& ctx, const std::function<void(const MetricPoint&)>& onMetric) {
    TrainResult out;
    detail::LoopState resumed;
    if (config.resumeRun) {
        auto state = resumeState(store, config);
        if (!state)
            return detail::failedBeforeRun(std::move(out), state.error());
        resumed = state.value();
    }
    if (auto s = config.validate(); !s)
        return detail::failedBeforeRun(std::move(out), s.error());
    if (config.encoder != EncoderKind::Bert && config.towers == "query")
        return detail::failedBeforeRun(std::move(out), "--towers query is for BERT-family encoders (UAE-GloVe "
                                                       "trains both projections)");
    config.towers = config.resolvedTowers(); // the run stores what auto chose
    auto groups = trainingGroups(store, train, config);
    if (!groups)
        return detail::failedBeforeRun(std::move(out), groups.error());
    auto joined = joinGroup(config);
    if (!joined)
        return detail::failedBeforeRun(std::move(out), joined.error());
    detail::DistGroup* group = joined.value().get();
    const bool writer = !group || group->rank() == 0;
    auto run = writer ? openRun(store, config, resumed) : Result<std::int64_t>(std::int64_t{0});
    if (group) { // every rank learns the run id, or that rank 0 failed to open it
        const bool cuda = config.encoder == EncoderKind::Bert && config.device.rfind("cuda:", 0) == 0;
        const auto id = shareRunId(*group, run ? run.value() : 0, cuda ? config.device : "cpu");
        if (!writer)
            run = id ? Result<std::int64_t>(id) : Result<std::int64_t>(fail("rank 0 could not open the run"));
    }
    if (!run)
        return detail::failedBeforeRun(std::move(out), run.error());
    out.runId = run.value();
    if (config.checkpoint.empty())
        config.checkpoint = config.encoder == EncoderKind::Bert ? bertCheckpointDir(store.path(), out.runId)
                                                                : checkpointPath(store.path(), out.runId);
    auto body = [&](TrainResult& out) {
        return trainBody(store, train, eval, config, resumed, ctx, onMetric, groups.value(), group, out);
    };
    if (writer)
        return detail::recordRun(store, std::move(out), body);
    return detail::runUnrecorded(std::move(out), body); // the store is rank 0's to write
}

} // namespace uae
