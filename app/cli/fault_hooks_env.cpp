// Test-only: UAE_FAULT_KILL_AFTER_STEPS=N kills the process right after optimizer step N;
// UAE_FAULT_KILL_AFTER_QUESTIONS=N kills it inside the transaction of the (N+1)-th question it
// labels, before the commit. Linked into uae-faults only.
#include "fault_hooks.h"

#include <csignal>
#include <cstdlib>

namespace uae::cli {

namespace {

long envLong(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::atol(v) : -1L;
}

} // namespace

void installFaultHooks(JobContext& ctx) {
    const long afterSteps = envLong("UAE_FAULT_KILL_AFTER_STEPS");
    const long afterQuestions = envLong("UAE_FAULT_KILL_AFTER_QUESTIONS");
    ctx.onMilestone = [afterSteps, afterQuestions](const std::string& event, long count) {
        if ((event == "train.step" && count == afterSteps) || (event == "label.commit" && count == afterQuestions))
            std::raise(SIGKILL);
    };
}

} // namespace uae::cli
