#pragma once
// Retrieval metrics with trec_eval's definitions (binary relevance), so `trec_eval -m map
// -m recip_rank -m recall.1,3,5 -m ndcg_cut.10` on our exported run + qrels reproduces them, and
// the official QASPER Evidence-F1.
#include <array>
#include <string>
#include <vector>

namespace uae {

struct Reference;

enum class Metric { Recall1, Recall3, Recall5, Mrr, Map, Ndcg10, EvidenceF1, Count };
constexpr int kMetricCount = static_cast<int>(Metric::Count);
const char* metricName(Metric m); // "recall@1", ..., "evidence_f1"

struct MetricValues {
    std::array<double, kMetricCount> v{};
    double& operator[](Metric m) { return v[static_cast<int>(m)]; }
    double operator[](Metric m) const { return v[static_cast<int>(m)]; }
};

// order: paragraph indices best first; gold: relevant paragraph indices (any order, no dupes).
// Recall@k = |gold in top k| / |gold|; MRR = 1 / rank of the first gold; MAP = mean over gold of
// precision at its rank (0 for gold not retrieved); nDCG@10 with gain 1 and discount log2(rank+1).
// EvidenceF1 is left 0 here (it needs the reference strings).
MetricValues retrievalMetrics(const std::vector<int>& order, const std::vector<int>& gold);

// Official QASPER paragraph F1 between predicted and gold evidence strings (set semantics;
// both empty = 1).
double paragraphF1(const std::vector<std::string>& predicted, const std::vector<std::string>& gold);

// Max over annotators, text evidence only (the evaluator's --text_evidence_only), as the official
// script computes it; unanswerable references carry empty evidence.
double evidenceF1(const std::vector<std::string>& predicted, const std::vector<Reference>& refs);

} // namespace uae
