#pragma once
// Private: a Llama-architecture GGUF file (llama.cpp's format) read into the LibTorch decoder.
// Every tensor is dequantised to float32 on load, then cast to the run's dtype.
#include "llama_model.h"

#include <memory>
#include <string>

namespace uae {
class GgufFile;
}

namespace uae::detail {

// The config from the `llama.*` keys, checked against the tensors' shapes.
Result<CausalLmConfig> ggufLlamaConfig(const GgufFile& file);

Result<std::unique_ptr<DecoderModel>> loadGgufDecoder(const GgufFile& file, torch::Device device,
                                                      torch::ScalarType dtype);

} // namespace uae::detail
