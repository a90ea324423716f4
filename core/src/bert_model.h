#pragma once
// Private: BertModel forward in LibTorch with Hugging Face semantics (absolute position and token
// type embeddings, post-LayerNorm encoder, GELU, additive attention mask).
#include "uae/bert_config.h"
#include "uae/model_files.h"

#include <torch/torch.h>

#include <vector>

namespace uae::detail {

class BertModel {
public:
    // Validates every tensor's presence and shape against the config; accepts a "bert." prefix
    // and the old LayerNorm gamma/beta names.
    static Result<BertModel> load(const WeightSet& weights, const std::string& dir, const BertConfig& config,
                                  torch::Device device, torch::ScalarType dtype);
    // ids, typeIds: int64 [B, T]; mask: [B, T] with 1 for real tokens. Returns [B, T, H].
    torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& typeIds, const torch::Tensor& mask) const;

private:
    struct Layer {
        torch::Tensor q, qb, k, kb, v, vb, ao, aob, ln1, ln1b, in, inb, out, outb, ln2, ln2b;
    };
    BertConfig m_config;
    torch::Tensor m_word, m_position, m_type, m_embLn, m_embLnb;
    std::vector<Layer> m_layers;
};

} // namespace uae::detail
