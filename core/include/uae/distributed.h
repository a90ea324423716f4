#pragma once
// Data-parallel training: where this process stands in a group of processes, as the standard
// launchers say it. torchrun sets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT; under
// Slurm's srun, SLURM_PROCID, SLURM_NTASKS and SLURM_LOCALID stand in for the first three (the
// job script exports MASTER_ADDR and MASTER_PORT). Plain C++: the runtime itself (LibTorch's c10d,
// Gloo on the CPU, NCCL on CUDA) stays private to core/src.
#include "uae/result.h"

#include <map>
#include <string>

namespace uae {

struct DistributedEnv {
    int rank = 0; // 0 .. worldSize-1; rank 0 alone writes the workspace and checkpoints
    int worldSize = 1;
    int localRank = 0; // on this node: picks cuda:<localRank> when the device is CUDA
    std::string masterAddr;
    int masterPort = 0;
    // torchrun's agent already serves the rendezvous store on MASTER_ADDR:MASTER_PORT
    // (TORCHELASTIC_USE_AGENT_STORE=True): rank 0 joins it as a client instead of serving it.
    bool agentStore = false;
};

// Reads the launcher's variables from `vars` (the process environment when empty). A missing or
// malformed variable is an error naming it.
Result<DistributedEnv> distributedEnv(const std::map<std::string, std::string>& vars = {});

// Whether this build has a distributed backend (LibTorch's c10d with Gloo).
bool distributedAvailable();

} // namespace uae
