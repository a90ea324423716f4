#pragma once
// A UAE model over static word vectors: GloVe mean-pooled text vectors x (dim d) mapped by a
// trained projection, separate for questions and passages (both start as the identity), then
// L2-normalised: E_q(t) = norm(W_q x), E_p(t) = norm(W_p x). Checkpoints are safetensors with
// the two [d x d] matrices and the GloVe folder in their metadata.
#include "uae/encoder.h"
#include "uae/result.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace uae {

class EncoderGlove;

class EncoderUaeGlove final : public Encoder {
public:
    EncoderUaeGlove(std::shared_ptr<EncoderGlove> glove, std::vector<float> queryProjection,
                    std::vector<float> passageProjection, std::string source);
    // checkpoint: written by the trainer; gloveDir overrides the folder named in its metadata.
    static Result<std::unique_ptr<EncoderUaeGlove>> load(const std::string& checkpoint,
                                                         const std::string& gloveDir = {});
    Status save(const std::string& path, const std::map<std::string, std::string>& metadata) const;

    std::string name() const override { return "uae"; }
    std::string configJson() const override;
    std::string fingerprint() const override; // + the projections and the GloVe table
    int dim() const override;
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override;

private:
    std::shared_ptr<EncoderGlove> m_glove;
    std::vector<float> m_query, m_passage; // [d x d], row-major, y = W x
    std::string m_source;
};

} // namespace uae
