// Threading set-up, what LibTorch sees, and the placement (device, dtype) every LibTorch model
// takes from its settings (detail::choosePlacement, torch_placement.h).
#include "uae/device.h"

#include "torch_placement.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>

#include <thread>

namespace uae {

void configureThreads(int threads) {
    // Activation buffers of a forward pass are large (MBs) and short-lived. With glibc's default
    // thresholds each one is a fresh mmap whose pages the kernel zeroes on first touch: measured
    // 5.6 s -> 2.2 s (sys 4.9 s -> 1.1 s) for 2,000 QASPER paragraphs through the tiny test BERT.
    static const bool tuned = [] {
        mallopt(M_MMAP_THRESHOLD, 512 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        return true;
    }();
    (void)tuned;
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
}

void ensureThreadingEnvironment(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") || !argv || !argv[0])
        return;
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv); // only returns on failure: then go on as we are
}

DeviceInfo currentDevice() {
    DeviceInfo info;
    info.torchVersion = TORCH_VERSION;
    info.threads = at::get_num_threads();
    info.cuda = torch::cuda::is_available();
    info.name = info.cuda ? "cuda:0" : "cpu";
    return info;
}

namespace detail {

Result<Placement> choosePlacement(const std::string& device, const std::string& dtype) {
    const bool cuda = torch::cuda::is_available();
    Placement p;
    if (device == "auto") {
        p.device = cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    } else if (device == "cpu") {
        p.device = torch::Device(torch::kCPU);
    } else if (device.starts_with("cuda")) {
        if (!cuda)
            return fail("device '" + device +
                        "' requested but LibTorch sees no CUDA GPU (CPU-only LibTorch, or no driver)");
        try {
            p.device = torch::Device(device);
        } catch (const c10::Error& e) {
            return fail("device '" + device + "': " + e.what_without_backtrace());
        }
    } else {
        return fail("unknown device '" + device + "' (auto, cpu, cuda, cuda:N)");
    }
    if (dtype == "auto")
        p.dtype = p.device.is_cuda() ? torch::kHalf : torch::kFloat;
    else if (dtype == "float32")
        p.dtype = torch::kFloat;
    else if (dtype == "float16")
        p.dtype = torch::kHalf;
    else if (dtype == "bfloat16")
        p.dtype = torch::kBFloat16;
    else
        return fail("unknown dtype '" + dtype + "' (auto, float32, float16, bfloat16)");
    // Debian's LibTorch 1.13 has no float16 matrix kernels on the CPU ("not implemented for 'Half'"
    // deep inside a forward pass); where 2.x has some they are slower than float32. Say so up front.
    if (p.dtype == torch::kHalf && !p.device.is_cuda())
        return fail("dtype float16 needs a CUDA device; on the CPU use float32 (or bfloat16)");
    return p;
}

const char* dtypeLabel(torch::ScalarType t) {
    return t == torch::kHalf ? "float16" : t == torch::kBFloat16 ? "bfloat16" : "float32";
}

} // namespace detail

} // namespace uae
