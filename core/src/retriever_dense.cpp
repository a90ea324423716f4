#include "uae/retriever_dense.h"

#include "uae/encoder.h"
#include "uae/qasper.h"

#include <faiss/IndexFlat.h>
#include <nlohmann/json.hpp>

#include <algorithm>
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
    // A stored index for one pool (the corpus), searched to a fixed depth.
    const Paper* storedPool = nullptr;
    std::shared_ptr<VectorIndex> stored;
    IndexSearchParams params;
    int depth = 0;
    std::string how;
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
    if (const auto& s = m_impl->stored) {
        const auto& m = s->meta();
        j["index"] = {{"factory", m.factory},
                      {"nprobe", m_impl->params.nprobe},
                      {"ef_search", m_impl->params.efSearch},
                      {"depth", m_impl->depth},
                      {"file", m.file},
                      {"opened", m_impl->how},
                      {"build_seconds", m.buildSeconds},
                      {"memory_bytes", m.memoryBytes},
                      {"created", m.created},
                      {"corpus_fingerprint", m.corpusFingerprint},
                      {"encoder_fingerprint", m.encoderFingerprint}};
    }
    return j.dump();
}

std::string RetrieverDense::warning() const {
    return m_encoder->warning();
}

void RetrieverDense::useIndex(const Paper* pool, std::shared_ptr<VectorIndex> index, IndexSearchParams params,
                              int depth, double openedMs, std::string how) {
    m_impl->storedPool = pool;
    m_impl->stored = std::move(index);
    m_impl->params = params;
    m_impl->depth = depth;
    m_impl->how = std::move(how);
    m_preparationMs += openedMs;
}

// Only the top `depth` come back (an approximate index cannot rank the rest), as a corpus run keeps.
Ranking RetrieverDense::searchIndex(const RetrievalQuery& query) {
    const auto start = std::chrono::steady_clock::now();
    const auto q = m_encoder->encode({query.text}, EncodeRole::Query);
    if (firstNonFiniteRow(q, m_encoder->dim()))
        throw std::runtime_error(m_encoder->name() + " gave a vector with NaN or infinity for question " +
                                 query.questionId);
    std::vector<float> scores;
    std::vector<std::int64_t> labels;
    if (auto s = m_impl->stored->search(q.data(), 1, m_impl->depth, m_impl->params, scores, labels); !s)
        throw std::runtime_error(s.error());
    std::vector<std::pair<float, int>> found;
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0)
            found.emplace_back(scores[i], static_cast<int>(labels[i]));
    // Ties in document order, the rule every retriever follows (FAISS breaks them arbitrarily).
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    Ranking r;
    for (const auto& [score, paragraph] : found) {
        r.order.push_back(paragraph);
        r.scores.push_back(score);
    }
    r.queryLatencyMs = r.latencyMs = msSince(start);
    return r;
}

Ranking RetrieverDense::rank(const RetrievalQuery& query) {
    const Paper* paper = query.paper;
    if (m_impl->stored && paper == m_impl->storedPool)
        return searchIndex(query);
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
