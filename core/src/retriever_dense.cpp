#include "uae/retriever_dense.h"

#include "uae/encoder.h"
#include "uae/qasper.h"

#include <faiss/IndexFlat.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

namespace uae {

namespace {
double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}
} // namespace

struct RetrieverDense::Impl {
    // One flat inner-product index per paper: pools are tens to hundreds of paragraphs, where
    // exact search is both fastest and exact.
    std::unordered_map<const Paper*, std::unique_ptr<faiss::IndexFlatIP>> indexes;
};

RetrieverDense::RetrieverDense(std::shared_ptr<Encoder> encoder)
    : m_impl(std::make_unique<Impl>()), m_encoder(std::move(encoder)) {}

RetrieverDense::~RetrieverDense() = default;

std::string RetrieverDense::method() const {
    return m_encoder->name();
}

std::string RetrieverDense::configJson() const {
    auto j = nlohmann::json::parse(m_encoder->configJson());
    j["index"] = "faiss.IndexFlatIP";
    return j.dump();
}

std::string RetrieverDense::warning() const {
    return m_encoder->warning();
}

Ranking RetrieverDense::rank(const RetrievalQuery& query) {
    const Paper* paper = query.paper;
    auto& index = m_impl->indexes[paper];
    const auto called = std::chrono::steady_clock::now();
    if (!index) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::string> texts;
        for (const auto& p : paper->paragraphs)
            texts.push_back(p.text);
        const auto vectors = m_encoder->encode(texts, EncodeRole::Passage);
        if (const auto row = firstNonFiniteRow(vectors, m_encoder->dim()))
            throw std::runtime_error(m_encoder->name() + " gave a vector with NaN or infinity for paragraph " +
                                     std::to_string(*row) + " of paper " + paper->id);
        index = std::make_unique<faiss::IndexFlatIP>(m_encoder->dim());
        index->add(static_cast<std::int64_t>(texts.size()), vectors.data());
        m_preparationMs += msSince(start);
    }
    // The query path: the pool's vectors are ready; the question is encoded here (a caching
    // encoder never serves questions from its cache), then searched.
    const auto start = std::chrono::steady_clock::now();
    const auto q = m_encoder->encode({query.text}, EncodeRole::Query);
    if (firstNonFiniteRow(q, m_encoder->dim()))
        throw std::runtime_error(m_encoder->name() + " gave a vector with NaN or infinity for question " +
                                 query.questionId);
    const auto n = static_cast<std::int64_t>(index->ntotal);
    std::vector<float> distances(static_cast<size_t>(n));
    std::vector<std::int64_t> labels(static_cast<size_t>(n));
    Ranking r;
    if (n > 0)
        index->search(1, q.data(), n, distances.data(), labels.data());
    // FAISS breaks ties arbitrarily; re-sort stably so equal scores keep document order,
    // the rule every retriever follows.
    std::vector<float> byParagraph(static_cast<size_t>(n), 0.0f);
    for (std::int64_t i = 0; i < n; ++i)
        if (labels[i] >= 0)
            byParagraph[static_cast<size_t>(labels[i])] = distances[i];
    r.order = sortByScore(byParagraph);
    for (int i : r.order)
        r.scores.push_back(byParagraph[i]);
    r.queryLatencyMs = msSince(start);
    r.latencyMs = msSince(called);
    return r;
}

} // namespace uae
