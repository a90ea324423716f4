#include "uae/bm25.h"

#include "uae/qasper.h"
#include "uae/text.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace uae {

std::string Bm25Retriever::configJson() const {
    return nlohmann::json{{"k1", m_config.k1}, {"b", m_config.b}, {"stopwords", m_config.removeStopWords}}.dump();
}

std::vector<float> Bm25Retriever::scores(const std::vector<std::string>& paragraphs, const std::string& query) const {
    auto tokenize = [&](const std::string& s) {
        return m_config.removeStopWords ? text::contentWords(s) : text::words(s);
    };
    const size_t n = paragraphs.size();
    std::vector<std::unordered_map<std::string, int>> tf(n);
    std::unordered_map<std::string, int> df;
    std::vector<double> length(n);
    double totalLength = 0;
    for (size_t i = 0; i < n; ++i) {
        for (auto& w : tokenize(paragraphs[i]))
            ++tf[i][w];
        for (const auto& [w, c] : tf[i])
            ++df[w];
        length[i] = 0;
        for (const auto& [w, c] : tf[i])
            length[i] += c;
        totalLength += length[i];
    }
    const double avgdl = n ? std::max(totalLength / static_cast<double>(n), 1e-9) : 1.0;
    // Repeated query terms count once per occurrence, as in Okapi's query-term sum.
    std::vector<float> out(n, 0.0f);
    for (const auto& term : tokenize(query)) {
        auto d = df.find(term);
        if (d == df.end())
            continue;
        const double idf = std::log(1.0 + (static_cast<double>(n) - d->second + 0.5) / (d->second + 0.5));
        for (size_t i = 0; i < n; ++i) {
            auto t = tf[i].find(term);
            if (t == tf[i].end())
                continue;
            const double f = t->second;
            const double norm = m_config.k1 * (1.0 - m_config.b + m_config.b * length[i] / avgdl);
            out[i] += static_cast<float>(idf * f * (m_config.k1 + 1.0) / (f + norm));
        }
    }
    return out;
}

Ranking Bm25Retriever::rank(const RetrievalQuery& query) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> texts;
    texts.reserve(query.paper->paragraphs.size());
    for (const auto& p : query.paper->paragraphs)
        texts.push_back(p.text);
    Ranking r;
    const auto s = scores(texts, query.text);
    r.order = sortByScore(s);
    for (int i : r.order)
        r.scores.push_back(s[i]);
    r.latencyMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    r.queryLatencyMs = r.latencyMs; // nothing is precomputed
    return r;
}

} // namespace uae
