#pragma once
// UAE training on stored utility labels with Utility-Modulated InfoNCE, for two encoders: the
// GloVe bi-encoder with trainable query and passage projections (the embedded default) and a
// BERT-family checkpoint fine-tuned whole. Batches of questions, each with its candidate group
// (capped by teacher rank) and every other question's candidates as in-batch negatives; AdamW,
// warm-up then linear decay, gradient clipping and accumulation, a seed, bfloat16 autocast on
// CUDA. Recall@1 and MAP on the held-out split are measured before training, after every epoch
// and every `evalEvery` steps, on a snapshot of the weights in a worker thread so training goes
// on meanwhile; all metrics go to the store as they happen.
#include "uae/config_fields.h"
#include "uae/job.h"
#include "uae/run_types.h"
#include "uae/store.h"
#include "uae/uae_loss.h"

#include <cstdint>
#include <functional>
#include <string>

namespace uae {

struct Dataset;

struct TrainConfig : Configurable<TrainConfig> {
    EncoderKind encoder = EncoderKind::Glove;
    std::string gloveDir;
    std::string modelDir;        // bert: a Hugging Face folder or id
    std::string device = "auto"; // bert: auto | cpu | cuda[:N]
    bool mixedPrecision = true;  // bert on CUDA: bfloat16 autocast (master weights stay float32)
    int maxTokens = 256;         // bert: passages truncated to this many tokens
    // bert: which towers learn. query: the passage tower stays the frozen base model, its vectors
    // come from the embedding cache (computed once, shared with the base's own eval runs), and
    // only the query encoder is fine-tuned, so a corpus encoded with the base stays valid. both:
    // the whole bi-encoder (GPU machines). auto: query on the CPU, both on CUDA; a run stores
    // what auto chose.
    std::string towers = "auto";
    std::string split = "train";
    std::string evalSplit = "dev";
    std::string scorer = "dirichlet"; // labels: scorer and prompt version
    std::string promptVersion = "dirichlet-v1:mu=100";
    UaeLossConfig loss;
    int epochs = 15;
    int batchQuestions = 32;
    int maxCandidates = 32; // per question, the teacher's top candidates
    int accumulate = 1;     // batches whose gradients add up before one optimizer step
    int evalEvery = 0;      // also evaluate every N optimizer steps (0: after each epoch only)
    long evalLimit = 0;     // evaluate on the first N questions of the eval split (0: all)
    double lr = 2e-3;
    double weightDecay = 0.01;
    double warmupFraction = 0.1;
    double clip = 1.0;
    int seed = 13;
    std::string checkpoint;     // where the model is written; empty: the workspace layout's place (not a setting)
    std::string cacheDir;       // towers query: the persistent embedding cache (not a setting; empty: in memory)
    std::int64_t resumeRun = 0; // continue this run from its last checkpoint (same run, same history)
    // Data-parallel training (distributed.h; not a setting: the launcher's). Each rank takes a
    // shard of every batch; rank 0 alone writes the run, its metrics and checkpoints, the others
    // open the workspace read-only. negatives (a setting): gathered = every question sees the
    // whole global batch's candidates, as in one process (the result equals a 1-process run);
    // local = only its own rank's shard (less traffic, depends on the number of ranks).
    bool distributed = false;
    std::string negatives = "gathered";
    int distTimeout = 600; // seconds a collective may wait for the other ranks before failing

    // The preset both front ends start from: GloVe's defaults above, or BERT's (a forward pass per
    // candidate: smaller groups and batches, a fine-tuning learning rate, one epoch, a bounded eval).
    static TrainConfig forEncoder(EncoderKind encoder);
    // A BERT-family model (folder, id or fetched name, e.g. all-MiniLM-L6-v2, bge-small-en-v1.5):
    // the BERT preset with the model and the passage length it was trained for (its
    // sentence-transformers max_seq_length, else its position limit).
    static TrainConfig forModel(const std::string& model);
    // What both front ends start from: forModel for BERT with a model named, else forEncoder.
    static TrainConfig preset(EncoderKind encoder, const std::string& model);
    // "query" or "both": what towers auto means on the device this config names (GloVe: both).
    std::string resolvedTowers() const;
    static const std::vector<Field<TrainConfig>>& fieldTable();
    static std::string jsonExtra();
};

struct TrainResult {
    std::int64_t runId = 0;
    RunStatus status = RunStatus::Running;
    std::string error;
    long steps = 0;
    double examplesPerSecond = 0;
    double baseRecall1 = 0, baseMap = 0; // eval split, before training (plain GloVe)
    double evalRecall1 = 0, evalMap = 0; // after the last epoch
};

// Checkpoints (projections, AdamW moments, step, epoch, shuffling RNG state) are written after
// every epoch; a resumed run restarts from the last one, drops metrics logged after it, and ends
// with the same model and metrics as an uninterrupted run with the same seed.
// Checkpoints of a training run live in the workspace's own folder beside it, <dir>/<name>.files/
// checkpoints/: run-<id>.safetensors for UAE-GloVe; for BERT the folder run-<id>/, holding one
// Hugging Face model folder per epoch (epoch-<n>/) and a file `latest` naming the newest complete one.
std::string checkpointPath(const std::string& workspacePath, std::int64_t runId);
std::string bertCheckpointDir(const std::string& workspacePath, std::int64_t runId);
// What `uae eval --method uae --run N` loads: the GloVe checkpoint file or the latest BERT folder.
Result<std::string> trainedModelPath(const std::string& workspacePath, std::int64_t runId);

TrainResult runTrainJob(Store& store, const Dataset& train, const Dataset& eval, TrainConfig config,
                        const JobContext& ctx, const std::function<void(const MetricPoint&)>& onMetric = {});

} // namespace uae
