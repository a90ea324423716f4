#pragma once
// Private: BertModel forward in LibTorch with Hugging Face semantics (absolute position and token
// type embeddings, post-LayerNorm encoder, GELU, additive attention mask).
#include "uae/bert_config.h"
#include "uae/model_files.h"
#include "uae/tokenizer.h"

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
    // L2-normalised float32 sentence embeddings [B, H] pooled as the config says.
    torch::Tensor embed(const torch::Tensor& ids, const torch::Tensor& typeIds, const torch::Tensor& mask) const;

    // Every weight under its Hugging Face name (no "bert." prefix), in checkpoint order; the
    // tensors are the model's own, so the trainer can make them require gradients.
    std::vector<std::pair<std::string, torch::Tensor>> namedParameters() const;
    // An independent copy of the weights (detached), for evaluating a snapshot while training goes on.
    BertModel snapshot() const;
    const BertConfig& config() const { return m_config; }

private:
    struct Layer {
        torch::Tensor q, qb, k, kb, v, vb, ao, aob, ln1, ln1b, in, inb, out, outb, ln2, ln2b;
    };
    struct Slot {
        std::string name;
        std::vector<std::int64_t> shape;
        torch::Tensor* tensor;
    };
    std::vector<Slot> slots();

    BertConfig m_config;
    torch::Tensor m_word, m_position, m_type, m_embLn, m_embLnb;
    std::vector<Layer> m_layers;
};

// Right-padded id, type and mask tensors for a batch of encodings.
struct TokenBatch {
    torch::Tensor ids, types, mask;
    long tokens = 0; // real tokens
};
TokenBatch padBatch(const std::vector<const Encoding*>& encodings, std::int32_t padId, torch::Device device);

} // namespace uae::detail
