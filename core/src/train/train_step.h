#pragma once
// Private: the loss of one batch and its backward pass, in one process or spread over the ranks
// of a data-parallel group.
//
// Data-parallel semantics. The global batch (the same shuffled questions on every rank: same seed,
// same RNG) is cut into worldSize contiguous shards, one per rank. In-batch negatives:
// - Gathered (the default): each rank all-gathers every rank's candidate embeddings, so its
//   questions are scored against all candidates of the global batch, exactly as one process
//   with the whole batch scores them. The loss is the mean over the global batch's questions;
//   each rank's share is the sum of its rows / B. The gradient that flows into other ranks'
//   candidates is all-reduced and handed back to the rank that computed them, which backprops
//   it through its own encoder; parameter gradients are then all-reduced (summed). The result is
//   the 1-process gradient up to float rounding, so N ranks train the model one process would,
//   and a resumed run may even use another number of ranks.
// - Local: each rank's questions see only its own shard's candidates (no gather, as plain DDP
//   does): less traffic, but fewer negatives per question and a result that depends on the
//   number of ranks.
#include "train_common.h"
#include "train_encoders.h"

#include <string>

namespace uae::detail {

class DistGroup;

// What one batch contributed (its share on this rank; summed over ranks for the global value).
struct BatchLoss {
    double loss = 0;
    double kl = 0;
};

// groups[order[from..to)] is the global batch; its loss / scale is backpropagated into the
// trainer's parameters (gradients add up). group null: one process, the whole batch here.
BatchLoss backwardBatch(EncoderTrainer& trainer, const std::vector<TrainGroup>& groups,
                        const std::vector<size_t>& order, size_t from, size_t to, const TrainConfig& config,
                        DistGroup* group, double scale);

// Gradients summed over ranks (undefined ones as zeros, so every rank joins every collective).
void allReduceGradients(EncoderTrainer& trainer, DistGroup& group);

} // namespace uae::detail
