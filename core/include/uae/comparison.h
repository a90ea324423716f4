#pragma once
// Comparing stored retrieval runs question by question: per-metric wins/ties/losses of B against
// A and the paired bootstrap interval of B - A (what `uae compare` prints and the GUI's compare
// view shows), and a bootstrap interval for one run's mean.
#include "uae/bootstrap.h"
#include "uae/evaluation.h"
#include "uae/store.h"

#include <string>

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

// Per-query latency of the query path (QuestionResult::queryLatencyMs: for a dense retriever the
// question's encoding and scoring against precomputed passage vectors; for LLM re-ranking the
// whole re-ranking) of two runs, over the questions both runs timed (matched by id, with or
// without text evidence), and how many times slower B is than A.
struct LatencyComparison {
    long questions = 0;          // timed in both runs; 0: no comparison (e.g. runs stored before it was timed)
    double meanA = 0, meanB = 0; // ms per query
    double ratio = 0;            // meanB / meanA (> 1: B is slower); 0 when not comparable

    bool comparable() const { return questions > 0 && meanA > 0 && meanB > 0; }
    bool bSlower() const { return ratio > 1; }
    // How many times slower the slower run is than the faster one (>= 1; 0 when not comparable).
    double factor() const { return !comparable() ? 0 : bSlower() ? ratio : 1 / ratio; }
};
LatencyComparison compareQueryLatency(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b);

// Why two runs cannot be compared at all (they rank different splits: no question is shared);
// empty when they can.
std::string incomparable(const RunInfo& a, const RunInfo& b);
// What a reader of a comparison must be told: a run that did not finish, and question sets that
// differ (the means are then taken over the shared questions only, see sharedQuestions).
std::vector<std::string> comparisonNotes(const RunInfo& a, const RunInfo& b, const std::vector<QuestionResult>& ra,
                                         const std::vector<QuestionResult>& rb);
// Both runs cut to the questions both ranked, each in its own order.
std::pair<std::vector<QuestionResult>, std::vector<QuestionResult>>
sharedQuestions(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b);
// Several runs compared together (the GUI's compare view): cuts every run's results to the
// questions all of them ranked, each in its own order, and returns what the reader must be told
// (runs that did not finish; different question sets, with the count every figure is over).
std::vector<std::string> cutToCommonQuestions(const std::vector<RunInfo>& runs,
                                              std::vector<std::vector<QuestionResult>>& results);
// A run exported or compared before it finished: what the user is warned of (empty when finished).
std::string partialRunNote(const RunInfo& run, size_t questions);

} // namespace uae
