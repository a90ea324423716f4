#include "train_step.h"

#include "dist_group.h"
#include "uae_loss_tensor.h"

#include <algorithm>

namespace uae::detail {

namespace {

// Rank r's shard of a batch of n questions: contiguous, sizes differing by at most one.
size_t shardStart(size_t n, int rank, int world) {
    return n * static_cast<size_t>(rank) / static_cast<size_t>(world);
}

std::int64_t candidatesOf(const std::vector<TrainGroup>& groups, const std::vector<size_t>& order, size_t from,
                          size_t to) {
    std::int64_t n = 0;
    for (size_t e = from; e < to; ++e)
        n += static_cast<std::int64_t>(groups[order[e]].paragraphs.size());
    return n;
}

BatchLoss lossOf(const torch::Tensor& scores, const BatchTargets& t, const UaeLossConfig& config, double divisor,
                 double scale) {
    auto [rows, kl] = uaeLossRows(scores, t.teacher, t.gold, torch::ones_like(t.gold), config);
    auto loss = rows.sum() / divisor;
    (loss / scale).backward();
    return {loss.item<double>(), kl.sum().item<double>() / divisor};
}

// The shard's questions against every rank's candidates (see train_step.h).
BatchLoss gatheredBatch(EncoderTrainer& trainer, const std::vector<TrainGroup>& groups,
                        const std::vector<size_t>& order, size_t from, size_t to, const TrainConfig& config,
                        DistGroup& group, double scale) {
    const size_t n = to - from;
    const int world = group.worldSize();
    std::vector<std::int64_t> count(static_cast<size_t>(world)); // candidates of each rank's shard
    for (int r = 0; r < world; ++r)
        count[static_cast<size_t>(r)] =
            candidatesOf(groups, order, from + shardStart(n, r, world), from + shardStart(n, r + 1, world));
    const size_t mine = static_cast<size_t>(group.rank());
    const size_t begin = from + shardStart(n, group.rank(), world), end = from + shardStart(n, group.rank() + 1, world);
    std::vector<const TrainGroup*> shard;
    for (size_t e = begin; e < end; ++e)
        shard.push_back(&groups[order[e]]);
    const auto options = trainer.parameters().front().options().dtype(torch::kFloat);
    torch::Tensor eq, ep;
    if (!shard.empty()) {
        std::tie(eq, ep) = trainer.embed(shard);
        eq = eq.to(torch::kFloat), ep = ep.to(torch::kFloat);
    }
    // all_gather wants one shape: pad each shard's candidates to the largest, strip after.
    const std::int64_t most = *std::max_element(count.begin(), count.end());
    auto padded = torch::zeros({most, trainer.dim()}, options);
    if (count[mine] > 0)
        padded.narrow(0, 0, count[mine]).copy_(ep.detach());
    auto parts = group.allGather(padded);
    for (size_t r = 0; r < parts.size(); ++r)
        parts[r] = parts[r].narrow(0, 0, count[r]);
    auto all = torch::cat(parts).requires_grad_(true); // a leaf: its gradient is collected below
    BatchLoss out;
    if (!shard.empty()) {
        const auto targets = batchTargets(groups, order, from, to, config.loss.tauT);
        const auto rowBegin = static_cast<std::int64_t>(begin - from), rows = static_cast<std::int64_t>(shard.size());
        BatchTargets own{targets.teacher.narrow(0, rowBegin, rows), targets.gold.narrow(0, rowBegin, rows), shard};
        out = lossOf(torch::matmul(eq, all.t()) / config.loss.tauS, own, config.loss, static_cast<double>(n), scale);
    }
    // d loss / d (every candidate) from all ranks' questions; this rank's slice goes back
    // through the encoder that produced it.
    auto grad = all.grad().defined() ? all.grad() : torch::zeros_like(all);
    std::vector<torch::Tensor> reduced{grad};
    group.allReduceSum(reduced);
    std::int64_t offset = 0;
    for (size_t r = 0; r < mine; ++r)
        offset += count[r];
    if (count[mine] > 0 && ep.requires_grad())
        ep.backward(reduced[0].narrow(0, offset, count[mine]));
    return out;
}

BatchLoss localBatch(EncoderTrainer& trainer, const std::vector<TrainGroup>& groups, const std::vector<size_t>& order,
                     size_t begin, size_t end, const TrainConfig& config, double divisor, double scale) {
    if (begin == end)
        return {};
    const auto targets = batchTargets(groups, order, begin, end, config.loss.tauT);
    auto [eq, ep] = trainer.embed(targets.groups);
    return lossOf(torch::matmul(eq, ep.t()) / config.loss.tauS, targets, config.loss, divisor, scale);
}

} // namespace

BatchLoss backwardBatch(EncoderTrainer& trainer, const std::vector<TrainGroup>& groups,
                        const std::vector<size_t>& order, size_t from, size_t to, const TrainConfig& config,
                        DistGroup* group, double scale) {
    const size_t n = to - from;
    if (!group)
        return localBatch(trainer, groups, order, from, to, config, static_cast<double>(n), scale);
    if (config.negatives == "gathered")
        return gatheredBatch(trainer, groups, order, from, to, config, *group, scale);
    const int world = group->worldSize(), rank = group->rank();
    return localBatch(trainer, groups, order, from + shardStart(n, rank, world), from + shardStart(n, rank + 1, world),
                      config, static_cast<double>(n), scale);
}

void allReduceGradients(EncoderTrainer& trainer, DistGroup& group) {
    std::vector<torch::Tensor> grads;
    for (auto& p : trainer.parameters()) {
        if (!p.grad().defined())
            p.mutable_grad() = torch::zeros_like(p);
        grads.push_back(p.grad());
    }
    group.allReduceSum(grads);
}

} // namespace uae::detail
