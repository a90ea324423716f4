// Inspector question-switch time with up to four methods side by side: the time from selecting a
// question to the inspector painted with it (rank grid, gold's journey, per-method models, plots),
// over every question all shown runs ranked, read from a workspace that already holds the runs.
// The first switch (which reads the split's teacher utilities) is reported apart. Prints one JSON
// object; the goal is a median under 50 ms with four methods.
// usage: bench_inspector_switch WORKSPACE QASPER_DIR GLOVE_DIR SPLIT METHODS [PASSES=3]
//   METHODS: comma-separated method names or run:ID keys, two to four.
#include "inspector_view.h"
#include "job_runner.h"
#include "main_window.h"
#include "workbench_session.h"
#include "uae/device.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

struct Timings {
    double firstMs = 0;
    std::vector<double> ms; // later switches
};

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

// Questions every shown method ranked (the switch then fills every column).
QStringList rankedByAll(uae::ui::WorkbenchSession& session, const QStringList& methods) {
    QStringList ids;
    for (const auto& q : session.dataset()->questions) {
        bool all = true;
        for (const QString& m : methods)
            all = all && uae::ui::MethodResults::find(session.results(m), q.id);
        if (all)
            ids << QString::fromStdString(q.id);
    }
    return ids;
}

// One switch: select, let posted events (layout) run, paint the window synchronously.
double switchTo(uae::ui::MainWindow& window, const QString& id) {
    QElapsedTimer t;
    t.start();
    window.selectQuestion(id);
    QCoreApplication::sendPostedEvents();
    window.repaint();
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

Timings measure(uae::ui::MainWindow& window, const QStringList& ids, int passes) {
    Timings out;
    for (int pass = 0; pass < passes; ++pass)
        for (int i = 0; i < ids.size(); ++i) {
            const double ms = switchTo(window, ids[i]);
            if (pass == 0 && i == 0)
                out.firstMs = ms;
            else
                out.ms.push_back(ms);
        }
    return out;
}

// The 1-minute load average (the machine is shared: a figure taken under load says so).
QString loadAverage() {
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(' ', 0, 0) : QStringLiteral("null");
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 6) {
        std::fprintf(stderr, "usage: bench_inspector_switch WORKSPACE QASPER_DIR GLOVE_DIR SPLIT METHODS [PASSES]\n");
        return 2;
    }
    uae::configureThreads(0);
    uae::ui::SessionSettings s;
    s.workspace = argv[1];
    s.dataDir = argv[2];
    s.gloveDir = argv[3];
    s.split = argv[4];
    const QStringList methods = QString(argv[5]).split(',');
    const int passes = argc > 6 ? std::atoi(argv[6]) : 3;
    uae::ui::JobRunner runner;
    uae::ui::WorkbenchSession session(s, runner);
    uae::ui::MainWindow window(session, runner);
    window.setAutoRun(false);
    if (const QString e = session.openWorkspace(s.workspace); !e.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        return 1;
    }
    window.showMethods(methods.value(0), methods.value(1));
    for (int i = 2; i < std::min<int>(4, static_cast<int>(methods.size())); ++i)
        window.addMethod(methods[i]);
    window.resize(1440, 900);
    window.show();
    int rc = 0;
    QObject::connect(&session, &uae::ui::WorkbenchSession::datasetLoaded, [&] {
        QTimer::singleShot(0, [&] {
            const QStringList ids = rankedByAll(session, methods);
            const Timings grid = measure(window, ids, passes);
            window.inspector()->setDetailMode(true);
            const Timings detail = measure(window, ids, 1);
            std::printf("{\"platform\": \"%s\", \"split\": \"%s\", \"methods\": \"%s\", \"questions\": %lld, "
                        "\"switches\": %zu, \"first_switch_ms\": %.1f, \"median_ms\": %.2f, \"p95_ms\": %.2f, "
                        "\"max_ms\": %.2f, \"detail_mode_median_ms\": %.2f, \"goal_median_ms\": 50, "
                        "\"load_average_1min\": %s}\n",
                        qPrintable(QGuiApplication::platformName()), qPrintable(s.split), qPrintable(methods.join(',')),
                        static_cast<long long>(ids.size()), grid.ms.size(), grid.firstMs, percentile(grid.ms, 0.5),
                        percentile(grid.ms, 0.95), percentile(grid.ms, 1.0), percentile(detail.ms, 0.5),
                        qPrintable(loadAverage()));
            rc = ids.isEmpty() ? 1 : 0;
            QApplication::quit();
        });
    });
    QObject::connect(&session, &uae::ui::WorkbenchSession::datasetFailed, [&](const QString& e) {
        std::fprintf(stderr, "%s\n", qPrintable(e));
        QApplication::exit(1);
    });
    session.loadDataset(s.dataDir, s.split);
    const int exec = QApplication::exec();
    return exec != 0 ? exec : rc;
}
