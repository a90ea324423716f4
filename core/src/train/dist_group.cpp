// c10d process group behind DistGroup. LibTorch 1.13 and 2.x differ in the Work type that
// collectives return (ProcessGroup::Work vs c10d::Work): `auto` holds either. Built without
// UAE_HAVE_C10D (no Gloo headers), connect() says what is missing.
#include "dist_group.h"

#ifdef UAE_HAVE_C10D
#include <torch/version.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <cstdlib>

namespace uae {

bool distributedAvailable() {
#ifdef UAE_HAVE_C10D
    return true;
#else
    return false;
#endif
}

} // namespace uae

namespace uae::detail {

#ifdef UAE_HAVE_C10D
namespace {

// In 2.x the backends (Gloo, NCCL) are c10d::Backend objects; in 1.13 they were process groups.
#if TORCH_VERSION_MAJOR >= 2
using Backend = c10d::Backend;
#else
using Backend = c10d::ProcessGroup;
#endif

class C10dGroup final : public DistGroup {
public:
    C10dGroup(int rank, int world, c10::intrusive_ptr<Backend> pg) : DistGroup(rank, world), m_pg(std::move(pg)) {}

    void allReduceSum(std::vector<torch::Tensor>& tensors) override {
        for (auto& t : tensors) { // one call per tensor: Gloo's coalesced form wants one dtype/device
            std::vector<torch::Tensor> one{t};
            m_pg->allreduce(one)->wait();
        }
    }

    std::vector<torch::Tensor> allGather(const torch::Tensor& t) override {
        std::vector<std::vector<torch::Tensor>> out(1);
        for (int r = 0; r < worldSize(); ++r)
            out[0].push_back(torch::empty_like(t));
        std::vector<torch::Tensor> in{t.contiguous()};
        m_pg->allgather(out, in)->wait();
        return out[0];
    }

    void broadcastFromRank0(std::vector<torch::Tensor>& tensors) override {
        for (auto& t : tensors) {
            std::vector<torch::Tensor> one{t};
            m_pg->broadcast(one)->wait();
        }
    }

private:
    c10::intrusive_ptr<Backend> m_pg;
};

// The network device Gloo binds: GLOO_SOCKET_IFNAME names an interface (as in PyTorch); a
// loopback MASTER_ADDR means a single host; otherwise the address this host's name resolves to.
std::shared_ptr<::gloo::transport::Device> glooDevice(const DistributedEnv& env) {
    if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
        return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
    if (env.masterAddr == "localhost" || env.masterAddr.rfind("127.", 0) == 0)
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

c10::intrusive_ptr<Backend> makeGroup(const DistributedEnv& env, bool cuda,
                                      const c10::intrusive_ptr<c10d::Store>& store, std::chrono::milliseconds timeout) {
    if (cuda) {
#ifdef USE_C10D_NCCL
        auto options = c10d::ProcessGroupNCCL::Options::create();
        options->timeout = timeout;
        return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.worldSize, options);
#else
        throw std::runtime_error("this build's LibTorch has no NCCL: distributed training on CUDA needs a "
                                 "LibTorch built with it (train on the CPU with --device cpu for Gloo)");
#endif
    }
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(glooDevice(env));
    return c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.worldSize, options);
}

std::string joinError(const DistributedEnv& env, const std::string& why) {
    return "--distributed: rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize) +
           " could not join the group at " + env.masterAddr + ":" + std::to_string(env.masterPort) + ": " + why;
}

} // namespace
#endif

Result<std::unique_ptr<DistGroup>> DistGroup::connect(const DistributedEnv& env, bool cuda,
                                                      std::chrono::seconds timeout) {
#ifdef UAE_HAVE_C10D
    try {
        c10d::TCPStoreOptions opts;
        opts.port = static_cast<std::uint16_t>(env.masterPort);
        opts.isServer = env.rank == 0 && !env.agentStore;
        opts.numWorkers = static_cast<std::size_t>(env.worldSize);
        opts.waitWorkers = true; // rank 0 returns once every rank has reached the store
        opts.timeout = timeout;
        // Our keys under a prefix of their own: torchrun's agent keeps its own in the same store.
        auto store = c10::make_intrusive<c10d::PrefixStore>("uae-train",
                                                            c10::make_intrusive<c10d::TCPStore>(env.masterAddr, opts));
        auto pg = makeGroup(env, cuda, store, timeout);
        return std::unique_ptr<DistGroup>(new C10dGroup(env.rank, env.worldSize, std::move(pg)));
    } catch (const c10::Error& e) {
        return fail(joinError(env, e.what_without_backtrace()));
    } catch (const std::exception& e) {
        return fail(joinError(env, e.what()));
    }
#else
    (void)env, (void)cuda, (void)timeout;
    return fail("--distributed: this build has no distributed runtime (LibTorch's c10d with Gloo; on Debian "
                "install libgloo-dev and build again)");
#endif
}

} // namespace uae::detail
