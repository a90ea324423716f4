#pragma once
// Private: the batched form of uae_loss.h for the trainer.
#include "uae/uae_loss.h"

#include <torch/torch.h>

namespace uae::detail {

// scores [B, N] = cosines / tau_S; teacher [B, N] (rows sum to 1 over own candidates, 0 elsewhere);
// gold [B, N] bool; valid [B, N] bool (padding false). Returns {mean loss over groups, mean KL}.
std::pair<torch::Tensor, torch::Tensor> uaeLossBatch(const torch::Tensor& scores, const torch::Tensor& teacher,
                                                     const torch::Tensor& gold, const torch::Tensor& valid,
                                                     const UaeLossConfig& config);
// The same per group: {loss [B], KL [B]} (data-parallel training sums rows over ranks).
std::pair<torch::Tensor, torch::Tensor> uaeLossRows(const torch::Tensor& scores, const torch::Tensor& teacher,
                                                    const torch::Tensor& gold, const torch::Tensor& valid,
                                                    const UaeLossConfig& config);

} // namespace uae::detail
