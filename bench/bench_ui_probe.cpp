// UI responsiveness probe. (1) Time to first paint and time until the inspector shows the first
// question with both rankings, opening a QASPER split in a workspace that already holds runs.
// (2) The worst event-loop stall (gap between 5 ms timer ticks) while labeling and training run
// in the background. Prints one JSON object.
// usage: bench_ui_probe WORKSPACE QASPER_DIR GLOVE_DIR [SPLIT=dev] [TRAIN_SPLIT=train] [EPOCHS=3]
#include "job_runner.h"
#include "inspector_view.h"
#include "main_window.h"
#include "ranking_model.h"
#include "ranking_panel.h"
#include "training_dashboard.h"
#include "workbench_session.h"
#include "uae/device.h"

#include <QApplication>
#include <QPushButton>
#include <QTabWidget>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

namespace {

// Notes the first paint of a widget.
class PaintWatch : public QObject {
public:
    explicit PaintWatch(const QElapsedTimer& clock) : m_clock(clock) {}
    qint64 firstPaintMs = -1;

protected:
    bool eventFilter(QObject* o, QEvent* e) override {
        if (e->type() == QEvent::Paint && firstPaintMs < 0)
            firstPaintMs = m_clock.elapsed();
        return QObject::eventFilter(o, e);
    }

private:
    const QElapsedTimer& m_clock;
};

} // namespace

int main(int argc, char** argv) {
    QElapsedTimer clock;
    clock.start();
    QApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_ui_probe WORKSPACE QASPER_DIR GLOVE_DIR [SPLIT] [TRAIN_SPLIT] [EPOCHS]\n");
        return 2;
    }
    uae::configureThreads(0);
    uae::ui::SessionSettings s;
    s.workspace = argv[1];
    s.dataDir = argv[2];
    s.gloveDir = argv[3];
    s.split = argc > 4 ? argv[4] : "dev";
    const QString trainSplit = argc > 5 ? argv[5] : "train";
    const int epochs = argc > 6 ? std::atoi(argv[6]) : 3;

    uae::ui::JobRunner runner;
    uae::ui::WorkbenchSession session(s, runner);
    uae::ui::MainWindow window(session, runner);
    window.setAutoRun(false);
    PaintWatch paint(clock);
    window.installEventFilter(&paint);
    if (const QString e = session.openWorkspace(s.workspace); !e.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        return 1;
    }
    window.showMethods("bm25", "glove");
    window.reloadRuns();
    window.show();
    session.loadDataset(s.dataDir, s.split);
    qint64 shownMs = -1;
    int storedRuns = 0;
    if (auto runs = session.store()->runs())
        storedRuns = static_cast<int>(runs->size());

    // Stall meter: a 5 ms timer; any longer gap between ticks is time the event loop was blocked.
    QElapsedTimer tick;
    qint64 worstGapMs = 0, ticks = 0;
    bool measuring = false;
    QTimer meter;
    meter.setInterval(5);
    QObject::connect(&meter, &QTimer::timeout, [&] {
        if (measuring) {
            worstGapMs = std::max(worstGapMs, tick.elapsed());
            ++ticks;
        }
        tick.restart();
    });

    QElapsedTimer jobClock;
    qint64 jobMs = 0;
    QString jobStatus;
    QObject::connect(&session, &uae::ui::WorkbenchSession::datasetLoaded, [&] {
        QTimer::singleShot(0, [&] {
            // Shown = the first question's rankings are in both panels (read from stored runs).
            if (window.inspector()->panel(0)->model()->rowCount() > 0 &&
                window.inspector()->panel(1)->model()->rowCount() > 0)
                shownMs = clock.elapsed();
            window.tabs()->setCurrentIndex(1);
            window.dashboard()->setTrainSplit(trainSplit);
            window.dashboard()->setEpochs(epochs);
            tick.restart();
            measuring = true;
            meter.start();
            jobClock.start();
            window.dashboard()->trainButton()->click();
        });
    });
    QObject::connect(&session, &uae::ui::WorkbenchSession::trainingFinished, [&](qint64, uae::RunStatus ended) {
        const QString status = QString::fromUtf8(uae::toString(ended));
        measuring = false;
        jobMs = jobClock.elapsed();
        jobStatus = status;
        QTimer::singleShot(0, &app, &QApplication::quit);
    });
    QObject::connect(&session, &uae::ui::WorkbenchSession::datasetFailed, [&](const QString& e) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        app.exit(1);
    });
    const int rc = QApplication::exec();
    std::printf("{\"platform\": \"%s\", \"split\": \"%s\", \"stored_runs\": %d, \"first_paint_ms\": %lld, "
                "\"question_shown_ms\": %lld, \"job\": \"label+train %d epochs on %s\", \"job_status\": \"%s\", "
                "\"job_ms\": %lld, \"timer_ticks\": %lld, \"worst_event_loop_stall_ms\": %lld}\n",
                qPrintable(QGuiApplication::platformName()), qPrintable(s.split), storedRuns,
                static_cast<long long>(paint.firstPaintMs), static_cast<long long>(shownMs), epochs,
                qPrintable(trainSplit), qPrintable(jobStatus), static_cast<long long>(jobMs),
                static_cast<long long>(ticks), static_cast<long long>(worstGapMs));
    return rc;
}
