#pragma once
#include "uae/retriever.h"

#include "uae/vector_index.h"

#include <memory>

namespace uae {

class Encoder;

// Bi-encoder retrieval: encodes a paper's pool once (cached per paper for the retriever's
// lifetime), holds it in a FAISS inner-product index and searches it with the encoded question.
// Vectors are L2-normalised, so inner product = cosine similarity.
class RetrieverDense final : public Retriever {
public:
    explicit RetrieverDense(std::shared_ptr<Encoder> encoder);
    ~RetrieverDense() override;
    std::string method() const override;
    std::string configJson() const override;
    Ranking rank(const RetrievalQuery& query) override;
    double preparationMs() const override { return m_preparationMs; }
    std::string warning() const override;
    // Questions of `pool` are searched in `index` (built from this encoder's vectors of
    // pool->paragraphs, in order) for their top `depth` only, with `params`; `openedMs` (loading or
    // building it) counts as preparation. `how` ("loaded", "built") goes into configJson().
    void useIndex(const Paper* pool, std::shared_ptr<VectorIndex> index, IndexSearchParams params, int depth,
                  double openedMs, std::string how);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::shared_ptr<Encoder> m_encoder;
    double m_preparationMs = 0.0;
    Ranking searchIndex(const RetrievalQuery& query);
};

} // namespace uae
