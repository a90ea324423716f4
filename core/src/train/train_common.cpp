#include "train_common.h"

#include "uae/evaluation.h"
#include "uae/metrics.h"
#include "uae/retriever_dense.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace uae::detail {

std::vector<TrainGroup> buildGroups(const Dataset& train, const std::vector<LabelRow>& labels, int maxCandidates) {
    std::map<std::string, std::vector<const LabelRow*>> byQuestion;
    for (const auto& l : labels)
        byQuestion[l.question].push_back(&l);
    std::vector<TrainGroup> groups;
    for (size_t i = 0; i < train.questions.size(); ++i) {
        const Question& q = train.questions[i];
        auto it = byQuestion.find(q.id);
        if (it == byQuestion.end() || it->second.size() < 2)
            continue;
        auto rows = it->second;
        std::stable_sort(rows.begin(), rows.end(),
                         [](const LabelRow* a, const LabelRow* b) { return a->utility > b->utility; });
        rows.resize(std::min(rows.size(), static_cast<size_t>(std::max(2, maxCandidates))));
        TrainGroup g;
        g.question = static_cast<std::int64_t>(i);
        for (const auto* r : rows) {
            g.paragraphs.push_back(r->paragraph);
            g.utilities.push_back(r->utility);
            g.gold.push_back(std::find(q.gold.begin(), q.gold.end(), r->paragraph) != q.gold.end());
        }
        groups.push_back(std::move(g));
    }
    return groups;
}

BatchTargets batchTargets(const std::vector<TrainGroup>& groups, const std::vector<size_t>& order, size_t begin,
                          size_t end, double tauT) {
    BatchTargets t;
    std::int64_t n = 0;
    for (size_t e = begin; e < end; ++e) {
        t.groups.push_back(&groups[order[e]]);
        n += static_cast<std::int64_t>(groups[order[e]].paragraphs.size());
    }
    const auto B = static_cast<std::int64_t>(end - begin);
    t.teacher = torch::zeros({B, n}, torch::kFloat);
    t.gold = torch::zeros({B, n}, torch::kBool);
    std::int64_t offset = 0;
    for (std::int64_t b = 0; b < B; ++b) {
        const TrainGroup& g = *t.groups[static_cast<size_t>(b)];
        const auto k = static_cast<std::int64_t>(g.paragraphs.size());
        auto u = torch::tensor(g.utilities, torch::kDouble);
        t.teacher[b].narrow(0, offset, k).copy_(torch::softmax(u / tauT, 0));
        for (std::int64_t c = 0; c < k; ++c)
            if (g.gold[static_cast<size_t>(c)])
                t.gold[b][offset + c] = true;
        offset += k;
    }
    return t;
}

double learningRate(double peak, long step, long total, long warmup) {
    if (step <= warmup)
        return peak * static_cast<double>(step) / static_cast<double>(std::max(1L, warmup));
    return peak * std::max(0.0, static_cast<double>(total - step) / static_cast<double>(std::max(1L, total - warmup)));
}

Status applySavedConfig(const std::string& savedJson, TrainConfig& c) {
    // Every setting comes back from the checkpoint; what to resume, where its checkpoint is and the
    // device it continues on stay the caller's (a run started on a GPU can finish on a CPU).
    const auto resumeRun = c.resumeRun;
    const auto checkpoint = c.checkpoint;
    const auto device = c.device;
    const auto cacheDir = c.cacheDir;
    const auto distributed = c.distributed; // how the process was launched, not the run's
    const auto distTimeout = c.distTimeout;
    c.negatives = "gathered"; // runs from before the setting ran in one process: the same
    c.towers = "both";        // runs from before the towers setting trained the whole model
    auto s = fieldsFromJson(c.fields(), savedJson, "saved configuration");
    c.resumeRun = resumeRun;
    c.checkpoint = checkpoint;
    c.device = device;
    c.cacheDir = cacheDir;
    c.distributed = distributed;
    c.distTimeout = distTimeout;
    return s;
}

BackgroundEval::~BackgroundEval() {
    if (m_result.valid())
        m_result.wait();
}

void BackgroundEval::start(std::int64_t step, std::function<Metrics()> evaluate,
                           const std::function<void(std::int64_t, Metrics)>& deliver) {
    collect(true, deliver);
    m_step = step;
    m_result = std::async(std::launch::async, [fn = std::move(evaluate)] {
        torch::NoGradGuard noGrad; // grad mode is per thread
        return fn();
    });
}

void BackgroundEval::collect(bool wait, const std::function<void(std::int64_t, Metrics)>& deliver) {
    if (!m_result.valid())
        return;
    if (!wait && m_result.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return;
    deliver(m_step, m_result.get()); // rethrows what the evaluation threw
}

BackgroundEval::Metrics evaluateEncoder(const Dataset& data, std::shared_ptr<Encoder> encoder, long limit) {
    RetrieverDense retriever(std::move(encoder));
    JobContext quiet;
    const auto outcome = evaluate(data, retriever, quiet, {}, limit);
    return {outcome.summary.mean[Metric::Recall1], outcome.summary.mean[Metric::Map]};
}

} // namespace uae::detail
