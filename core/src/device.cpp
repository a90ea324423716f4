// The one core translation unit that includes LibTorch for now: device choice and threading.
#include "uae/device.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <thread>

namespace uae {

void configureThreads(int threads) {
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
}

DeviceInfo currentDevice() {
    DeviceInfo info;
    info.torchVersion = TORCH_VERSION;
    info.threads = at::get_num_threads();
    info.cuda = torch::cuda::is_available();
    info.name = info.cuda ? "cuda:0" : "cpu";
    return info;
}

} // namespace uae
