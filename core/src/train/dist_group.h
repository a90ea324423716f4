#pragma once
// Private: a process group for data-parallel training over LibTorch's c10d (Gloo for CPU tensors,
// NCCL for CUDA ones when the build has it). Rendezvous through a TCP store on MASTER_ADDR:
// MASTER_PORT served by rank 0. Every collective must be called by every rank in the same order;
// one that does not complete within the timeout (a rank died or hangs) throws, so a surviving
// rank ends with an error instead of waiting forever. Used from the training thread only.
#include "uae/distributed.h"
#include "uae/result.h"

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <vector>

namespace uae::detail {

class DistGroup {
public:
    // Connects to the group; blocks until all worldSize ranks have joined or the timeout passes.
    // cuda: use NCCL (an error when the build lacks it).
    static Result<std::unique_ptr<DistGroup>> connect(const DistributedEnv& env, bool cuda,
                                                      std::chrono::seconds timeout);
    virtual ~DistGroup() = default;

    int rank() const { return m_rank; }
    int worldSize() const { return m_world; }

    // In place: each tensor becomes the sum of its values over all ranks.
    virtual void allReduceSum(std::vector<torch::Tensor>& tensors) = 0;
    // Every rank's `t` (same shape on all ranks), in rank order.
    virtual std::vector<torch::Tensor> allGather(const torch::Tensor& t) = 0;
    // In place: rank 0's values on every rank.
    virtual void broadcastFromRank0(std::vector<torch::Tensor>& tensors) = 0;

protected:
    DistGroup(int rank, int world) : m_rank(rank), m_world(world) {}

private:
    int m_rank, m_world;
};

} // namespace uae::detail
