#pragma once
// Context handed to every long-running core job. The job polls cancelled() at batch boundaries and
// reports progress; the runner (CLI or UI) decides how often progress is shown. Both callbacks are
// invoked on the job's own thread.
#include <atomic>
#include <functional>
#include <string>

namespace uae {

struct JobProgress {
    long done = 0;
    long total = 0;
    std::string message;
};

class JobContext {
public:
    std::function<void(const JobProgress&)> onProgress;
    // Set by whoever owns the job (UI button, SIGINT handler); read by the job.
    std::atomic<bool>* cancelFlag = nullptr;

    bool cancelled() const { return cancelFlag && cancelFlag->load(std::memory_order_relaxed); }
    void progress(long done, long total, std::string message = {}) const {
        if (onProgress)
            onProgress(JobProgress{done, total, std::move(message)});
    }
};

} // namespace uae
