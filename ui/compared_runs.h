#pragma once
// The numbers of the compare view: for each stored run its summary, four metrics with 95%
// bootstrap intervals, the mean Token F1 of the answers read from it and, for every run but the baseline (the first),
// the paired tests of MAP and R@1 against the baseline. The table model, the charts and the CSV export all read these.
#include "uae/comparison.h"
#include "uae/store.h"
#include "workbench_session.h"

#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace uae::ui {

// The metrics compared, in column and chart order, with their short names.
inline constexpr std::array<Metric, 4> kComparedMetrics{Metric::Recall1, Metric::Map, Metric::Mrr, Metric::Ndcg10};
inline constexpr std::array<const char*, 4> kComparedMetricNames{"R@1", "MAP", "MRR", "nDCG@10"};

struct ComparedRun {
    RunInfo run;
    EvalSummary summary;
    std::array<MeanInterval, 4> metrics; // kComparedMetrics order
    std::optional<PairedComparison> map; // against the baseline; none for the baseline itself
    std::optional<PairedComparison> recall1;
    // The newest answering run read from this run: reader, questions answered, mean Token F1.
    std::string reader;
    long answered = 0;
    double tokenF1 = 0;

    bool hasAnswers() const { return answered > 0; }
    // The query path's mean latency when the run timed it, else the whole call's (older runs).
    double queryMs() const { return summary.queryTimed ? summary.meanQueryLatencyMs : summary.meanLatencyMs; }

    bool isBaseline() const { return !map.has_value(); }
    // "#<id> <method>", as the charts' legends and axes name the run.
    QString label() const;
};

// Compares every run with the first; each run's questions are in stored order (the bootstrap
// resamples them in that order, so the intervals match `uae compare`).
std::vector<ComparedRun> compareRuns(const std::vector<WorkbenchSession::StoredRun>& runs);

} // namespace uae::ui
