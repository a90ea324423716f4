#pragma once
// Private: the encoder-specific half of the UAE trainer. The training loop (job_train.cpp) owns
// batching, the loss, the schedule, metrics and checkpoint timing; an EncoderTrainer owns the
// weights, their optimizer state, the student scores and the checkpoint format.
#include "train_common.h"
#include "uae/result.h"

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace uae::detail {

// Where a checkpoint leaves the training loop: restored with the weights.
struct LoopState {
    int epoch = 0;      // epochs completed
    long step = 0;      // optimizer steps taken
    std::string rng;    // the shuffling RNG, as std::mt19937 prints itself
    std::string config; // the run's TrainConfig::toJson()
};

class EncoderTrainer {
public:
    virtual ~EncoderTrainer() = default;
    // Unit-length embeddings of the groups' questions [B, d] and of all their candidates laid side
    // by side [N, d] (as batchTargets orders them); the student scores are their cosines / tau_S.
    // The candidates need no gradient when their tower is frozen.
    virtual std::pair<torch::Tensor, torch::Tensor> embed(const std::vector<const TrainGroup*>& groups) = 0;
    virtual std::int64_t dim() const = 0; // d
    virtual std::vector<torch::Tensor> parameters() = 0;
    // One AdamW step on the accumulated gradients at learning rate lr (step t counts from 1).
    virtual void optimizerStep(double lr, long t) = 0;
    // Evaluation of a copy of the current weights, safe to run in another thread.
    virtual std::function<BackgroundEval::Metrics()> snapshotEval(const Dataset& eval, long limit) = 0;
    // Checkpoint with optimizer state, written so a crash never leaves a half checkpoint.
    virtual Status save(const LoopState& state) = 0;
    virtual std::string device() const = 0;
};

// Reads the loop state of a run's checkpoint (either format) without loading weights.
Result<LoopState> readLoopState(const std::string& workspacePath, std::int64_t runId);

// The newest complete BERT checkpoint folder of a run.
Result<std::string> trainedBertFolder(const std::string& workspacePath, std::int64_t runId);

// resume: restore weights and optimizer state from the run's checkpoint. writer: false on the
// data-parallel ranks other than 0, which must leave every file as rank 0 writes it.
Result<std::unique_ptr<EncoderTrainer>> makeGloveTrainer(const TrainConfig& config, const Dataset& train, bool resume);
Result<std::unique_ptr<EncoderTrainer>> makeBertTrainer(const TrainConfig& config, const Dataset& train, bool resume,
                                                        bool writer);

} // namespace uae::detail
