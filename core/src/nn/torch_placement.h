#pragma once
// Private: the device and dtype a model runs with, from the user's settings (shared by every
// LibTorch model). auto = CUDA when LibTorch sees a GPU, else CPU; dtype auto = float16 on CUDA,
// float32 on CPU.
#include "uae/result.h"

#include <torch/torch.h>

#include <string>

namespace uae::detail {

struct Placement {
    torch::Device device{torch::kCPU};
    torch::ScalarType dtype = torch::kFloat;
};

Result<Placement> choosePlacement(const std::string& device, const std::string& dtype);
const char* dtypeLabel(torch::ScalarType t);

} // namespace uae::detail
