#include "job_runner.h"

#include <QPointer>

#include <chrono>
#include <exception>

namespace uae::ui {

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
    // One GPU/CPU-heavy job at a time; the rest wait in the pool's queue.
    m_pool.setMaxThreadCount(1);
    connect(this, &JobRunner::finished, this, [this](int id) { m_cancel.remove(id); });
}

JobRunner::~JobRunner() {
    cancelAll();
    m_pool.waitForDone();
}

int JobRunner::start(const QString& title, Work work) {
    const int id = m_nextId++;
    auto flag = std::make_shared<std::atomic<bool>>(false);
    m_cancel.insert(id, flag);
    Q_EMIT started(id, title);
    m_pool.start([this, id, flag, work = std::move(work)] {
        JobContext ctx;
        ctx.cancelFlag = flag.get();
        auto last = std::chrono::steady_clock::time_point{};
        // Throttled to ~10 Hz so a fast job cannot flood the GUI thread's event queue.
        ctx.onProgress = [this, id, &last](const JobProgress& p) {
            const auto now = std::chrono::steady_clock::now();
            if (p.done != p.total && now - last < std::chrono::milliseconds(100))
                return;
            last = now;
            Q_EMIT progress(id, p.done, p.total, QString::fromStdString(p.message));
        };
        ctx.onWarning = [this, id](const std::string& message) { Q_EMIT warning(id, QString::fromStdString(message)); };
        JobOutcome out;
        if (flag->load()) {
            out.status = RunStatus::Cancelled;
        } else {
            // No exception may leave the worker thread: it ends the job as failed instead.
            try {
                out = work(ctx);
            } catch (const std::exception& e) {
                out = JobOutcome{RunStatus::Failed, QString::fromUtf8(e.what()), 0};
            } catch (...) {
                out = JobOutcome{RunStatus::Failed, "unknown error", 0};
            }
        }
        Q_EMIT finished(id, out.status, out.error, out.value);
    });
    return id;
}

void JobRunner::cancel(int id) {
    if (auto it = m_cancel.find(id); it != m_cancel.end())
        it.value()->store(true);
}

void JobRunner::cancelAll() {
    for (auto& flag : m_cancel)
        flag->store(true);
}

} // namespace uae::ui
