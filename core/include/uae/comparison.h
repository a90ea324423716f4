#pragma once
// Comparing stored retrieval runs question by question: per-metric wins/ties/losses of B against
// A and the paired bootstrap interval of B - A (what `uae compare` prints and the GUI's compare
// view shows), and a bootstrap interval for one run's mean.
#include "uae/bootstrap.h"
#include "uae/evaluation.h"

#include <vector>

namespace uae {

struct MeanInterval {
    double mean = 0, low = 0, high = 0;
    long n = 0;
};

struct PairedComparison {
    Metric metric = Metric::Map;
    long wins = 0, ties = 0, losses = 0; // B against A
    PairedDifference difference;         // B - A
    long questions = 0;                  // evaluated in both runs
};

// Questions with text evidence present in both runs, matched by id.
PairedComparison comparePaired(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b,
                               Metric metric);
// Mean of a metric over a run's evaluated questions with a 95% bootstrap interval.
MeanInterval meanInterval(const std::vector<QuestionResult>& run, Metric metric);

} // namespace uae
