#pragma once
// Evaluation of one retriever over a split: per-question rankings and metrics, means over the
// questions that have text evidence, and the official Evidence-F1 over all questions.
#include "uae/job.h"
#include "uae/metrics.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace uae {

struct Dataset;
struct Paper;
struct Question;
class Retriever;

struct QuestionResult {
    std::string questionId;
    std::vector<int> order;               // paragraph indices, best first
    std::vector<float> scores;            // aligned with order
    std::vector<int> gold;                // mapped gold paragraphs (empty: not evaluated for retrieval)
    double latencyMs = 0.0;               // Ranking::latencyMs
    std::optional<double> queryLatencyMs; // Ranking::queryLatencyMs (none: stored before it was measured)
    MetricValues metrics;                 // EvidenceF1 filled for every question
    bool evaluated() const { return !gold.empty(); }
};

struct EvalSummary {
    long questions = 0;            // ranked
    long evaluated = 0;            // with text evidence: the denominator of the means
    MetricValues mean;             // over evaluated questions
    double evidenceF1All = 0;      // official evaluator's mean over all questions ranked
    double meanLatencyMs = 0;      // the whole rank() call, pool encoding for the question included
    double meanQueryLatencyMs = 0; // the query path, over the `queryTimed` questions that have it
    long queryTimed = 0;
    double preparationMs = 0; // pool (passage) encoding, summed over the run
};

// Scores r.order as every ranking is scored: r.gold = q.gold, the retrieval metrics, and
// Evidence-F1 of the top-1 paragraph's text (none when r.order is empty). paper: the pool r.order
// indexes (the question's paper, or the corpus view's single paper).
void scoreRanking(QuestionResult& r, const Question& q, const Paper& paper);

// Means as defined above; used by the job and when summarising stored results.
EvalSummary summarize(const std::vector<QuestionResult>& results);

struct EvalOutcome {
    std::vector<QuestionResult> results;
    EvalSummary summary;
    bool cancelled = false;
};

// Ranks every question (or the first `limit` when > 0). onResult is called per question as it is
// done (to store it); cancellation is polled between questions and keeps what is done. keepRanks
// > 0 cuts each ranking to its first keepRanks before its metrics are computed: a gold paragraph
// below counts as not retrieved, as trec_eval scores a run of that depth.
EvalOutcome evaluate(const Dataset& data, Retriever& retriever, const JobContext& ctx,
                     const std::function<void(const QuestionResult&)>& onResult = {}, long limit = 0,
                     size_t keepRanks = 0);

} // namespace uae
