#include "job_runner.h"
#include "jobs_panel.h"

#include <QPlainTextEdit>
#include <QTreeWidget>

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <stdexcept>

using namespace uae;
using namespace uae::ui;

namespace {

// Works until cancelled (or 10 s), as a labeling or training loop would.
JobOutcome loopUntilCancelled(const JobContext& ctx) {
    for (int i = 0; i < 10000; ++i) {
        if (ctx.cancelled())
            return JobOutcome{uae::RunStatus::Cancelled, {}, i};
        ctx.progress(i, 10000);
        QThread::msleep(1);
    }
    return JobOutcome{};
}

} // namespace

class TestJobRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsOffTheGuiThreadAndReports() {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::finished);
        QSignalSpy progress(&runner, &JobRunner::progress);
        QThread* worker = nullptr;
        const int id = runner.start("sum", [&](const JobContext& ctx) {
            worker = QThread::currentThread();
            ctx.progress(1, 1, "done");
            return JobOutcome{uae::RunStatus::Finished, {}, 42};
        });
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(worker && worker != QThread::currentThread());
        QCOMPARE(finished[0][0].toInt(), id);
        QCOMPARE(finished[0][1].value<uae::RunStatus>(), uae::RunStatus::Finished);
        QCOMPARE(finished[0][3].toLongLong(), 42);
        QCOMPARE(progress.count(), 1);
        QTRY_COMPARE(runner.activeJobs(), 0);
    }

    // A repaired cache (or any warning a job raises) reaches the jobs dock's log, with the job's
    // title, and marks its row; the job itself goes on.
    void warningsReachTheJobsLog() {
        JobRunner runner;
        JobsPanel panel(runner);
        QSignalSpy finished(&runner, &JobRunner::finished);
        runner.start("BM25 on dev", [](const JobContext& ctx) {
            ctx.warn("cache.emb: 1 of 9 records failed their checksum");
            return JobOutcome{uae::RunStatus::Finished, {}, 0};
        });
        QTRY_COMPARE(finished.count(), 1);
        QTRY_VERIFY(panel.log()->toPlainText().contains("BM25 on dev warning: cache.emb: 1 of 9 records"));
        QVERIFY(!panel.jobs()->topLevelItem(0)->icon(0).isNull());
    }

    void cancelStopsARunningJob() {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::finished);
        QSignalSpy progress(&runner, &JobRunner::progress);
        const int id = runner.start("loop", loopUntilCancelled);
        QTRY_VERIFY(progress.count() > 0);
        runner.cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 2000);
        QCOMPARE(finished[0][1].value<uae::RunStatus>(), uae::RunStatus::Cancelled);
        // Progress is throttled: a 1 ms loop must not emit once per iteration.
        QVERIFY(progress.count() < finished[0][3].toLongLong());
    }

    void exceptionBecomesFailure() {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::finished);
        runner.start("throw", [](const JobContext&) -> JobOutcome { throw std::runtime_error("bad shape [2, 3]"); });
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished[0][1].value<uae::RunStatus>(), uae::RunStatus::Failed);
        QCOMPARE(finished[0][2].toString(), QString("bad shape [2, 3]"));
    }

    void jobsRunOneAtATime() {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::finished);
        std::atomic<int> running{0}, most{0};
        auto work = [&](const JobContext&) {
            most = std::max(most.load(), ++running);
            QThread::msleep(20);
            --running;
            return JobOutcome{};
        };
        for (int i = 0; i < 3; ++i)
            runner.start("job", work);
        QTRY_COMPARE(finished.count(), 3);
        QCOMPARE(most.load(), 1);
    }

    void destructionCancelsAndWaits() {
        std::atomic<bool> sawCancel{false};
        QElapsedTimer timer;
        {
            JobRunner runner;
            QSignalSpy progress(&runner, &JobRunner::progress);
            runner.start("loop", [&](const JobContext& ctx) {
                auto out = loopUntilCancelled(ctx);
                sawCancel = out.status == uae::RunStatus::Cancelled;
                return out;
            });
            QTRY_VERIFY(progress.count() > 0);
            timer.start();
        }
        QVERIFY(sawCancel.load());
        QVERIFY(timer.elapsed() < 2000);
    }
};

QTEST_MAIN(TestJobRunner)
#include "tst_job_runner.moc"
