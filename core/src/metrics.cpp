#include "uae/metrics.h"

#include "uae/qasper.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

namespace uae {

const char* metricName(Metric m) {
    switch (m) {
    case Metric::Recall1:
        return "recall@1";
    case Metric::Recall3:
        return "recall@3";
    case Metric::Recall5:
        return "recall@5";
    case Metric::Mrr:
        return "mrr";
    case Metric::Map:
        return "map";
    case Metric::Ndcg10:
        return "ndcg@10";
    case Metric::EvidenceF1:
        return "evidence_f1";
    case Metric::Count:
        break;
    }
    return "?";
}

MetricValues retrievalMetrics(const std::vector<int>& order, const std::vector<int>& gold) {
    MetricValues m;
    if (gold.empty())
        return m;
    const std::unordered_set<int> rel(gold.begin(), gold.end());
    const double numRel = static_cast<double>(rel.size());
    long found = 0;
    double sumPrecision = 0, dcg = 0;
    for (size_t r = 0; r < order.size(); ++r) {
        const long rank = static_cast<long>(r) + 1;
        if (rel.count(order[r])) {
            ++found;
            sumPrecision += static_cast<double>(found) / rank;
            if (m[Metric::Mrr] == 0)
                m[Metric::Mrr] = 1.0 / rank;
            if (rank <= 10)
                dcg += 1.0 / std::log2(rank + 1.0);
        }
        if (rank == 1)
            m[Metric::Recall1] = found / numRel;
        if (rank == 3)
            m[Metric::Recall3] = found / numRel;
        if (rank == 5)
            m[Metric::Recall5] = found / numRel;
    }
    // Pools shorter than the cutoff: trec_eval's recall_k counts what was retrieved.
    if (order.size() < 3)
        m[Metric::Recall3] = found / numRel;
    if (order.size() < 5)
        m[Metric::Recall5] = found / numRel;
    m[Metric::Map] = sumPrecision / numRel;
    double ideal = 0;
    for (long r = 1; r <= std::min<long>(10, static_cast<long>(rel.size())); ++r)
        ideal += 1.0 / std::log2(r + 1.0);
    m[Metric::Ndcg10] = ideal > 0 ? dcg / ideal : 0;
    return m;
}

double paragraphF1(const std::vector<std::string>& predicted, const std::vector<std::string>& gold) {
    if (predicted.empty() && gold.empty())
        return 1.0;
    const std::set<std::string> g(gold.begin(), gold.end());
    const std::set<std::string> p(predicted.begin(), predicted.end());
    long same = 0;
    for (const auto& s : p)
        same += g.count(s) ? 1 : 0;
    if (same == 0)
        return 0.0;
    // The official script divides by the list lengths, duplicates included.
    const double precision = static_cast<double>(same) / static_cast<double>(predicted.size());
    const double recall = static_cast<double>(same) / static_cast<double>(gold.size());
    return 2 * precision * recall / (precision + recall);
}

double evidenceF1(const std::vector<std::string>& predicted, const std::vector<Reference>& refs) {
    double best = 0;
    for (const auto& ref : refs) {
        std::vector<std::string> gold;
        for (const auto& e : ref.evidence)
            gold.push_back(e.text);
        best = std::max(best, paragraphF1(predicted, gold));
    }
    return best;
}

} // namespace uae
