#pragma once
// Private: how every job ends its run in the store. The job's own error wins over a failure to
// record the end, which is kept only when there was none.
#include "uae/store.h"

namespace uae::detail {

template <class JobResult> JobResult closeRun(Store& store, JobResult out) {
    if (auto s = store.finishRun(out.runId, out.status, out.error); !s && out.error.empty())
        out.error = s.error();
    return out;
}

} // namespace uae::detail
