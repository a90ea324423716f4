#include "fault_hooks.h"

namespace uae::cli {

void installFaultHooks(JobContext&) {}

} // namespace uae::cli
