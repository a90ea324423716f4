#pragma once
// Private: reading Hugging Face causal LM folders (Llama, Mistral, Qwen2, GPT-2) into decoder models.
#include "llama_model.h"

#include <memory>
#include <string>

namespace uae::detail {

Result<std::unique_ptr<DecoderModel>> loadHfDecoder(const std::string& dir, torch::Device device,
                                                    torch::ScalarType dtype);

} // namespace uae::detail
