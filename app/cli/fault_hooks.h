#pragma once
// Fault injection for the crash-and-resume tests, outside the library: the shipped `uae` links
// fault_hooks_none.cpp (nothing); the test-only `uae-faults` links fault_hooks_env.cpp, which
// kills the process at a milestone named by the environment.
#include "uae/job.h"

namespace uae::cli {

void installFaultHooks(JobContext& ctx);

} // namespace uae::cli
