#pragma once
// Compute device and threading, chosen at run time (CUDA when LibTorch sees a GPU, else CPU).
#include <string>

namespace uae {

struct DeviceInfo {
    bool cuda = false;
    std::string name;        // "cpu" or "cuda:0 (<gpu name>)"
    std::string torchVersion;
    int threads = 1;
};

// Sets LibTorch's intra-op threads (0 = hardware concurrency; LibTorch starts with 1 here) and
// tunes the allocator for large short-lived tensors. Process-wide: call once at start-up.
void configureThreads(int threads);
DeviceInfo currentDevice();

} // namespace uae
