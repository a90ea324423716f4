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

    // Observes a job's milestones ("train.step" with the step number, "label.commit" with the
    // questions stored so far, called inside that question's transaction): how tests inject faults
    // such as a kill at a given step. Shipped front ends leave it unset.
    std::function<void(const std::string& event, long count)> onMilestone;
    // Something the user should see that does not stop the job (a repaired cache file).
    std::function<void(const std::string& message)> onWarning;

    bool cancelled() const { return cancelFlag && cancelFlag->load(std::memory_order_relaxed); }
    void progress(long done, long total, std::string message = {}) const {
        if (onProgress)
            onProgress(JobProgress{done, total, std::move(message)});
    }
    void warn(const std::string& message) const {
        if (onWarning)
            onWarning(message);
    }
    void milestone(const std::string& event, long count) const {
        if (onMilestone)
            onMilestone(event, count);
    }
};

} // namespace uae
