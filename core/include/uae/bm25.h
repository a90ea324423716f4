#pragma once
#include "uae/retriever.h"

#include <string>
#include <unordered_map>

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
class Bm25Retriever final : public Retriever {
public:
    explicit Bm25Retriever(Bm25Config config = {}) : m_config(config) {}
    std::string method() const override { return "bm25"; }
    std::string configJson() const override;
    Ranking rank(const RetrievalQuery& query) override;

    // Scores of every paragraph of the pool for the query text, in pool order.
    std::vector<float> scores(const std::vector<std::string>& paragraphs, const std::string& query) const;

private:
    Bm25Config m_config;
};

} // namespace uae
