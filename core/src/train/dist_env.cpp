// The launcher's variables (see distributed.h). No torch here: the CLI asks for the rank before
// it opens the workspace.
#include "uae/distributed.h"

#include <cstdlib>
#include <optional>

namespace uae {

namespace {

using Vars = std::map<std::string, std::string>;

std::optional<std::string> lookup(const Vars& vars, const std::string& name) {
    if (!vars.empty()) {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
}

// The first of `names` that is set, as an integer in [min, max].
Result<int> integerVar(const Vars& vars, std::initializer_list<const char*> names, long min, long max) {
    std::string tried;
    for (const char* name : names) {
        auto v = lookup(vars, name);
        tried += (tried.empty() ? "" : " or ") + std::string(name);
        if (!v)
            continue;
        char* end = nullptr;
        const long n = std::strtol(v->c_str(), &end, 10);
        if (v->empty() || *end != '\0' || n < min || n > max)
            return fail("--distributed: " + std::string(name) + "='" + *v + "' is not an integer from " +
                        std::to_string(min) + " to " + std::to_string(max));
        return static_cast<int>(n);
    }
    return fail("--distributed: " + tried + " is not set (launch with torchrun, srun or set it)");
}

} // namespace

Result<DistributedEnv> distributedEnv(const Vars& vars) {
    DistributedEnv env;
    auto world = integerVar(vars, {"WORLD_SIZE", "SLURM_NTASKS"}, 1, 65536);
    if (!world)
        return fail(world.error());
    auto rank = integerVar(vars, {"RANK", "SLURM_PROCID"}, 0, world.value() - 1);
    if (!rank)
        return fail(rank.error() + " (WORLD_SIZE is " + std::to_string(world.value()) + ")");
    auto local = integerVar(vars, {"LOCAL_RANK", "SLURM_LOCALID"}, 0, 65535);
    auto port = integerVar(vars, {"MASTER_PORT"}, 1, 65535);
    auto addr = lookup(vars, "MASTER_ADDR");
    env.worldSize = world.value();
    env.rank = rank.value();
    if (!local && (lookup(vars, "LOCAL_RANK") || lookup(vars, "SLURM_LOCALID")))
        return fail(local.error());
    env.localRank = local ? local.value() : 0; // a single node needs no local rank
    if (env.worldSize > 1 && !port)
        return fail(port.error());
    if (env.worldSize > 1 && (!addr || addr->empty()))
        return fail("--distributed: MASTER_ADDR is not set (the host of rank 0)");
    env.masterPort = port ? port.value() : 0;
    env.masterAddr = addr ? *addr : "127.0.0.1";
    env.agentStore = lookup(vars, "TORCHELASTIC_USE_AGENT_STORE").value_or("") == "True";
    return env;
}

} // namespace uae
