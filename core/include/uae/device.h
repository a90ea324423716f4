#pragma once
// Process-wide threading set-up and what LibTorch sees. The device is not chosen here: each
// LibTorch model places itself from its own device setting (auto | cpu | cuda[:N]; auto = CUDA
// when LibTorch sees a GPU, else CPU), and a run records the device its job actually used (the
// model's own report, or Store::setRunDevice once a trainer knows it).
#include <string>

namespace uae {

// What LibTorch sees, for display (the settings panel): not the device any job uses.
struct DeviceInfo {
    bool cuda = false; // LibTorch sees a CUDA GPU
    std::string name;  // "cuda:0" when it does, else "cpu"
    std::string torchVersion;
    int threads = 1; // LibTorch's intra-op thread count (at::get_num_threads)
};

// Sets LibTorch's intra-op threads (0 = hardware concurrency; LibTorch starts with 1 here) and
// tunes the allocator for large short-lived tensors. Process-wide: call once at start-up.
void configureThreads(int threads);

// Makes LibTorch's OpenMP threads sleep instead of spin while they wait (OMP_WAIT_POLICY=PASSIVE,
// unless the user set it), by re-executing the program once with it set: libgomp reads it only
// when it is loaded, before main. Debian's LibTorch runs its matrix products in OpenBLAS's own
// thread pool next to the OpenMP one; spinning OpenMP threads take the cores OpenBLAS needs, and
// every small parallel region then waits for a scheduler tick. Measured on 2 cores with MiniLM:
// one question's encode + search 96 ms -> 7 ms, encoding 17.7 -> 27.6 passages/s, SmolLM2
// teacher forcing 290 -> 561 tokens/s (bench/results/real_models_cpu2.json). Call first in main;
// returns normally when nothing needs doing or the re-exec is impossible.
void ensureThreadingEnvironment(char** argv);
DeviceInfo currentDevice();

} // namespace uae
