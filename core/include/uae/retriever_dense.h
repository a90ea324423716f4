#pragma once
#include "uae/retriever.h"

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

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::shared_ptr<Encoder> m_encoder;
    double m_preparationMs = 0.0;
};

} // namespace uae
