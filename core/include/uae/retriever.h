#pragma once
// One interface for every retrieval method the workbench compares (BM25, static embeddings, BERT /
// BGE, UAE, LLM re-ranking): score one question against its candidate pool.
#include <memory>
#include <string>
#include <vector>

namespace uae {

struct Paper;

struct RetrievalQuery {
    std::string questionId;
    std::string text;
    const Paper* paper = nullptr; // the pool is paper->paragraphs; also the cache key for encoders
};

// order[r] = paragraph index at rank r (best first); scores[r] its score. Every pool paragraph
// appears exactly once (a search of a stored, possibly approximate, index returns its top k only). Two times are
// measured:
// - latencyMs: the whole rank() call, including any pool encoding done for this question (a
//   dense retriever encodes a paper's paragraphs at its first question, unless cached); the pool
//   encoding is also summed in Retriever::preparationMs().
// - queryLatencyMs: the query path as the paper deploys it: the question encoded by the model
//   (never read from a cache) and scored against the pool's precomputed vectors; pool encoding
//   excluded (BM25 likewise excludes building its pool's inverted index). Where nothing can be
//   precomputed (LLM re-ranking: base retriever and the LLM's forward passes) it is the whole call.
struct Ranking {
    std::vector<int> order;
    std::vector<float> scores;
    double latencyMs = 0.0;
    double queryLatencyMs = 0.0;
};

// Not thread-safe: one instance per worker thread. Implementations may cache per-paper state.
class Retriever {
public:
    virtual ~Retriever() = default;
    virtual std::string method() const = 0;
    // Settings that identify this retriever in a stored run (JSON object text).
    virtual std::string configJson() const = 0;
    virtual Ranking rank(const RetrievalQuery& query) = 0;
    virtual double preparationMs() const { return 0.0; }
    // See Encoder::warning(): what the user should be told before the run starts.
    virtual std::string warning() const { return {}; }
};

// Stable ordering used by every retriever: higher score first, ties by document order.
std::vector<int> sortByScore(const std::vector<float>& scores);

} // namespace uae
