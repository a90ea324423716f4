#include "uae/bm25.h"

#include "uae/qasper.h"
#include "uae/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <unordered_map>

namespace uae {

std::string Bm25Retriever::configJson() const {
    return nlohmann::json{{"k1", m_config.k1}, {"b", m_config.b}, {"stopwords", m_config.removeStopWords}}.dump();
}

// Postings in increasing document order, so each document's score sums its query terms in query
// order: scores are bit-identical to scoring every document term by term.
struct Bm25Retriever::Index {
    std::unordered_map<std::string, std::vector<std::pair<int, int>>> postings; // term -> (doc, tf)
    std::vector<double> length;
    double avgdl = 1.0;
};

namespace {

std::vector<std::string> tokenize(const Bm25Config& config, const std::string& s) {
    return config.removeStopWords ? text::contentWords(s) : text::words(s);
}

std::shared_ptr<const Bm25Retriever::Index> buildIndex(const Bm25Config& config,
                                                       const std::vector<const std::string*>& paragraphs) {
    auto index = std::make_shared<Bm25Retriever::Index>();
    const size_t n = paragraphs.size();
    index->length.assign(n, 0.0);
    double totalLength = 0;
    for (size_t i = 0; i < n; ++i) {
        std::unordered_map<std::string, int> tf;
        for (auto& w : tokenize(config, *paragraphs[i]))
            ++tf[w];
        for (const auto& [w, c] : tf) {
            index->postings[w].emplace_back(static_cast<int>(i), c);
            index->length[i] += c;
        }
        totalLength += index->length[i];
    }
    index->avgdl = n ? std::max(totalLength / static_cast<double>(n), 1e-9) : 1.0;
    return index;
}

std::vector<float> scoreIndex(const Bm25Config& config, const Bm25Retriever::Index& index, const std::string& query) {
    const size_t n = index.length.size();
    // Repeated query terms count once per occurrence, as in Okapi's query-term sum.
    std::vector<float> out(n, 0.0f);
    for (const auto& term : tokenize(config, query)) {
        auto p = index.postings.find(term);
        if (p == index.postings.end())
            continue;
        const double df = static_cast<double>(p->second.size());
        const double idf = std::log(1.0 + (static_cast<double>(n) - df + 0.5) / (df + 0.5));
        for (const auto& [i, tf] : p->second) {
            const double f = tf;
            const double norm = config.k1 * (1.0 - config.b + config.b * index.length[i] / index.avgdl);
            out[i] += static_cast<float>(idf * f * (config.k1 + 1.0) / (f + norm));
        }
    }
    return out;
}

double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

std::vector<float> Bm25Retriever::scores(const std::vector<std::string>& paragraphs, const std::string& query) const {
    std::vector<const std::string*> texts;
    for (const auto& p : paragraphs)
        texts.push_back(&p);
    return scoreIndex(m_config, *buildIndex(m_config, texts), query);
}

Ranking Bm25Retriever::rank(const RetrievalQuery& query) {
    const auto start = std::chrono::steady_clock::now();
    const auto& pool = query.paper->paragraphs;
    auto& index = m_indexes[query.paper];
    // The pointer is the key, as for the dense retriever's per-paper indexes; a pool of another
    // size at the same address (a data set read again) is indexed again.
    if (!index || index->length.size() != pool.size()) {
        std::vector<const std::string*> texts;
        texts.reserve(pool.size());
        for (const auto& p : pool)
            texts.push_back(&p.text);
        index = buildIndex(m_config, texts);
        m_preparationMs += msSince(start);
    }
    const auto queryStart = std::chrono::steady_clock::now();
    Ranking r;
    const auto s = scoreIndex(m_config, *index, query.text);
    r.order = sortByScore(s);
    for (int i : r.order)
        r.scores.push_back(s[i]);
    r.queryLatencyMs = msSince(queryStart);
    r.latencyMs = msSince(start);
    return r;
}

} // namespace uae
