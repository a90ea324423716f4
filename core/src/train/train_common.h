#pragma once
// Private: what the UAE trainers (GloVe projections, BERT) share: the training groups built from
// stored labels, the teacher and gold targets of a batch, the learning-rate schedule, the saved
// settings a resumed run takes back, and evaluation that runs beside training.
#include "uae/encoder.h"
#include "uae/job_train.h"
#include "uae/qasper.h"

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <future>
#include <vector>

namespace uae::detail {

// One question with its candidate group: the teacher's top candidates (capped), best first.
struct TrainGroup {
    std::int64_t question = 0; // index in the split's questions
    std::vector<int> paragraphs;
    std::vector<double> utilities;
    std::vector<bool> gold;
};

std::vector<TrainGroup> buildGroups(const Dataset& train, const std::vector<LabelRow>& labels, int maxCandidates);

// The candidates of groups[order[begin..end)] laid side by side; row b of the teacher holds
// softmax(u / tau_T) over its own candidates and 0 over the others (in-batch negatives).
struct BatchTargets {
    torch::Tensor teacher; // [B, N] float
    torch::Tensor gold;    // [B, N] bool
    std::vector<const TrainGroup*> groups;
};
BatchTargets batchTargets(const std::vector<TrainGroup>& groups, const std::vector<size_t>& order, size_t begin,
                          size_t end, double tauT);

// Linear warm-up to the peak, then linear decay to 0 at the last step.
double learningRate(double peak, long step, long total, long warmup);

// A resumed run takes its settings back from the checkpoint's saved configuration.
Status applySavedConfig(const std::string& savedJson, TrainConfig& config);

// Evaluation on the held-out split on a snapshot of the weights, in a worker thread, so training
// does not wait for it. Results are handed over on the training thread (the store is not shared
// between threads).
class BackgroundEval {
public:
    using Metrics = std::pair<double, double>; // Recall@1, MAP
    ~BackgroundEval();
    // Waits for the previous evaluation first when it is still running.
    void start(std::int64_t step, std::function<Metrics()> evaluate,
               const std::function<void(std::int64_t, Metrics)>& deliver);
    // Hands over a finished evaluation; with wait, blocks until the running one ends.
    void collect(bool wait, const std::function<void(std::int64_t, Metrics)>& deliver);

private:
    std::int64_t m_step = 0;
    std::future<Metrics> m_result;
};

// Recall@1 and MAP of an encoder on the first `limit` questions (0: all) with text evidence.
BackgroundEval::Metrics evaluateEncoder(const Dataset& data, std::shared_ptr<Encoder> encoder, long limit);

} // namespace uae::detail
