#pragma once
// Private: how every job ends its run in the store. The job's own error wins over a failure to
// record the end, which is kept only when there was none.
#include "uae/store.h"

#include <nlohmann/json.hpp>

namespace uae::detail {

template <class JobResult> JobResult closeRun(Store& store, JobResult out) {
    if (auto s = store.finishRun(out.runId, out.status, out.error); !s && out.error.empty())
        out.error = s.error();
    return out;
}

// A job that fails before its run row exists has nothing to close.
template <class JobResult> JobResult failedBeforeRun(JobResult out, std::string error) {
    out.status = RunStatus::Failed;
    out.error = std::move(error);
    return out;
}

// recordRun (below) for a job that has no run row of its own to close (a data-parallel rank other than 0:
// rank 0 records the run).
template <class JobResult, class Body> JobResult runUnrecorded(JobResult out, Body&& body) {
    try {
        Result<RunStatus> ended = body(out);
        out.status = ended ? ended.value() : RunStatus::Failed;
        if (!ended)
            out.error = ended.error();
    } catch (const std::exception& e) {
        out.status = RunStatus::Failed;
        out.error = e.what();
    }
    return out;
}

// Runs a job's body once its run row exists. The body returns how the run ends, or an error that
// marks the run failed with its message; an exception (a broken invariant, or a throw from
// LibTorch, FAISS or the standard library) is caught here, at the job boundary, and does the same.
// Either way the run is closed: it is never left "running".
template <class JobResult, class Body> JobResult recordRun(Store& store, JobResult out, Body&& body) {
    return closeRun(store, runUnrecorded(std::move(out), std::forward<Body>(body)));
}

// The device a component (retriever, scorer, reader) computes on, from its configJson: its
// "device", else its base component's (a re-ranker's first stage), else the CPU (BM25, GloVe,
// the Dirichlet scorer and the extractive reader never use LibTorch devices).
inline std::string deviceOf(const std::string& componentJson) {
    const auto j = nlohmann::json::parse(componentJson, nullptr, false);
    if (j.is_object() && j.contains("device") && j["device"].is_string())
        return j["device"].get<std::string>();
    if (j.is_object() && j.contains("base") && j["base"].is_object())
        return deviceOf(j["base"].dump());
    return "cpu";
}

} // namespace uae::detail
