// safetensors: header parsing (size, JSON, dtypes, shapes, offsets, overlap) and reading every
// float tensor of a header that was accepted.
#include "fuzz_support.h"
#include "uae/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = uae::fuzz::writeScratch("model.safetensors", data, size);
    auto file = uae::SafetensorsFile::open(path);
    if (!file)
        return 0;
    for (const auto& [name, t] : file.value()->tensors()) {
        if (t.dtype == uae::DType::F32 || t.dtype == uae::DType::F16 || t.dtype == uae::DType::BF16)
            (void)file.value()->readFloat32(name);
    }
    return 0;
}
