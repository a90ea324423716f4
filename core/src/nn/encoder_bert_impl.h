#pragma once
// Private: what an EncoderBert holds, so the trainer can build one around weights in memory
// (a snapshot under evaluation) rather than from a folder.
#include "bert_model.h"
#include "uae/encoder_bert.h"
#include "uae/tokenizer_wordpiece.h"

#include <memory>
#include <string>
#include <vector>

namespace uae {

struct EncoderBert::Impl {
    std::string dir;
    BertConfig config;
    BertOptions options;
    std::shared_ptr<const TokenizerWordPiece> tokenizer;
    detail::BertModel model;
    torch::Device device{torch::kCPU};
    torch::ScalarType dtype = torch::kFloat;
    int maxLength = 512;
    EncodeStats stats;

    std::vector<float> run(const std::vector<Encoding>& encodings);
};

} // namespace uae
