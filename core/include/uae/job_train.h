#pragma once
// UAE training (GloVe bi-encoder with trainable query and passage projections) on stored utility
// labels with Utility-Modulated InfoNCE: batches of questions, each with its candidate group
// (capped by teacher rank) and every other question's candidates as in-batch negatives; AdamW,
// warm-up then linear decay, gradient clipping, a seed. Dev Recall@1 and MAP are measured before
// training and after every epoch; all metrics go to the store as they happen.
#include "uae/job.h"
#include "uae/store.h"
#include "uae/uae_loss.h"

#include <cstdint>
#include <functional>
#include <string>

namespace uae {

struct Dataset;

struct TrainConfig {
    std::string gloveDir;
    std::string split = "train";
    std::string evalSplit = "dev";
    std::string scorer = "dirichlet";                      // labels: scorer and prompt version
    std::string promptVersion = "dirichlet-v1:mu=100";
    UaeLossConfig loss;
    int epochs = 15;
    int batchQuestions = 32;
    int maxCandidates = 32; // per question, the teacher's top candidates
    double lr = 2e-3;
    double weightDecay = 0.01;
    double warmupFraction = 0.1;
    double clip = 1.0;
    int seed = 13;
    std::string checkpoint; // where the trained projections are written (temp file + rename)
    std::int64_t resumeRun = 0; // continue this run from its last checkpoint (same run, same history)

    std::string toJson() const;
};

struct TrainResult {
    std::int64_t runId = 0;
    std::string status;
    std::string error;
    long steps = 0;
    double examplesPerSecond = 0;
    double baseRecall1 = 0, baseMap = 0;  // eval split, before training (plain GloVe)
    double evalRecall1 = 0, evalMap = 0;  // after the last epoch
};

// Checkpoints (projections, AdamW moments, step, epoch, shuffling RNG state) are written after
// every epoch; a resumed run restarts from the last one, drops metrics logged after it, and ends
// with the same model and metrics as an uninterrupted run with the same seed.
// Checkpoints of a training run live next to the workspace: <workspace dir>/checkpoints/run-<id>.safetensors
std::string checkpointPath(const std::string& workspacePath, std::int64_t runId);

TrainResult runTrainJob(Store& store, const Dataset& train, const Dataset& eval, TrainConfig config,
                        const JobContext& ctx, const std::function<void(const MetricPoint&)>& onMetric = {});

} // namespace uae
