#pragma once
// Runs core jobs on a worker thread, one at a time (later ones queue), and relays their progress
// as signals keyed by job id. Lives in the GUI thread; the work itself never touches widgets.
// On destruction it cancels every job and waits for the running one.
#include "uae/job.h"
#include "uae/run_types.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <memory>

namespace uae::ui {

struct JobOutcome {
    RunStatus status = RunStatus::Finished; // Finished, Cancelled or Failed
    QString error;
    qint64 value = 0; // e.g. the run id a job stored
};

class JobRunner : public QObject {
    Q_OBJECT
public:
    using Work = std::function<JobOutcome(const JobContext&)>;

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    int start(const QString& title, Work work);
    void cancel(int id);
    void cancelAll();
    int activeJobs() const { return static_cast<int>(m_cancel.size()); }

Q_SIGNALS:
    void started(int id, const QString& title);
    void progress(int id, qint64 done, qint64 total, const QString& message);
    void warning(int id, const QString& message); // something to know that did not stop the job
    void finished(int id, uae::RunStatus status, const QString& error, qint64 value);

private:
    QThreadPool m_pool;
    int m_nextId = 1;
    QHash<int, std::shared_ptr<std::atomic<bool>>> m_cancel; // GUI thread only
};

} // namespace uae::ui
