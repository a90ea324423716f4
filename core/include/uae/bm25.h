#pragma once
#include "uae/retriever.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace uae {

struct Bm25Config {
    double k1 = 1.2;
    double b = 0.75;
    bool removeStopWords = true;
};

// Okapi BM25 with statistics (N, df, avgdl) computed per paper over its pool, since each QASPER
// question only ranks its own paper's paragraphs.
//   score(q, d) = sum_{t in q} idf(t) * tf(t,d) (k1 + 1) / (tf(t,d) + k1 (1 - b + b |d| / avgdl))
//   idf(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))       (non-negative, Lucene's form)
// A pool is tokenised once into an inverted index (postings per term), kept for the retriever's
// lifetime, so a question costs the postings of its terms rather than a pass over the pool: what
// makes BM25 usable on a whole corpus. Building it counts as preparation, as a dense retriever's
// pool encoding does.
class Bm25Retriever final : public Retriever {
public:
    explicit Bm25Retriever(Bm25Config config = {}) : m_config(config) {}
    std::string method() const override { return "bm25"; }
    std::string configJson() const override;
    Ranking rank(const RetrievalQuery& query) override;
    double preparationMs() const override { return m_preparationMs; }

    // Scores of every paragraph of the pool for the query text, in pool order.
    std::vector<float> scores(const std::vector<std::string>& paragraphs, const std::string& query) const;

    struct Index;

private:
    Bm25Config m_config;
    std::unordered_map<const Paper*, std::shared_ptr<const Index>> m_indexes;
    double m_preparationMs = 0.0;
};

} // namespace uae
