// The training dashboard, the compare view and plot export, driven offscreen on the fixture.
#include "compare_view.h"
#include "job_runner.h"
#include "main_window.h"
#include "plots/plot_export.h"
#include "plots/qcustomplot_include.h"
#include "training_dashboard.h"
#include "workbench_session.h"
#include "uae/safetensors.h"

#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>

using namespace uae;
using namespace uae::ui;

namespace {

void writeTinyGlove(const QString& dir) {
    const std::vector<std::string> vocab{"signal", "trains", "encoder", "recall", "improve", "baselines", "static",
                                         "embeddings", "weak", "dataset", "evaluated", "utility", "language", "model",
                                         "percent", "bm25", "glove", "vector", "retrieval", "passages", "dense"};
    std::ofstream v(QDir(dir).filePath("vocab.txt").toStdString());
    for (const auto& w : vocab)
        v << w << '\n';
    std::mt19937 rng(11);
    std::normal_distribution<float> normal;
    std::vector<float> table(vocab.size() * 8);
    for (auto& x : table)
        x = normal(rng);
    writeSafetensors(QDir(dir).filePath("tiny.safetensors").toStdString(),
                     {{"embeddings", {static_cast<std::int64_t>(vocab.size()), 8}, table.data()}});
}

QByteArray head(const QString& path, int n) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(n) : QByteArray();
}

// Points the dashboard draws: loss, lr, KL and the two eval metrics (grad norm and examples/s are
// shown as text).
int plotted(const std::vector<MetricPoint>& points) {
    return static_cast<int>(std::count_if(points.begin(), points.end(), [](const MetricPoint& p) {
        return p.name == "loss" || p.name == "lr" || p.name == "kl_teacher" || p.name == "eval_recall@1" ||
               p.name == "eval_map";
    }));
}

} // namespace

class TestViews : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_trainRun = 0;

private Q_SLOTS:
    void initTestCase() {
        writeTinyGlove(m_dir.path());
        SessionSettings s;
        s.dataDir = UAE_TEST_DATA_DIR "/qasper";
        s.gloveDir = m_dir.path();
        s.split = "fixture";
        m_runner = std::make_unique<JobRunner>();
        m_session = std::make_unique<WorkbenchSession>(s, *m_runner);
        m_window = std::make_unique<MainWindow>(*m_session, *m_runner);
        QCOMPARE(m_session->openWorkspace(m_dir.filePath("ws.db")), QString());
        m_window->show();
        m_session->loadDataset(s.dataDir, s.split);
        QTRY_VERIFY(m_session->results("bm25") && m_session->results("glove"));
        QTRY_COMPARE(m_runner->activeJobs(), 0);
    }

    // Labels the split, trains, and every metric point the job stored reached the plots live.
    void dashboardReceivesLivePointsFromTraining() {
        TrainingDashboard* d = m_window->dashboard();
        QVERIFY(!m_session->methods().contains("uae"));
        d->setTrainSplit("fixture");
        d->setEpochs(4);
        QSignalSpy live(m_session.get(), &WorkbenchSession::trainingMetric);
        QSignalSpy done(m_session.get(), &WorkbenchSession::trainingFinished);
        QTest::mouseClick(d->trainButton(), Qt::LeftButton);
        QVERIFY(!d->trainButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
        QCOMPARE(done.at(0).at(1).toString(), QString("finished"));
        m_trainRun = done.at(0).at(0).toLongLong();
        QVERIFY(m_trainRun > 0);
        const auto stored = m_session->store()->metrics(m_trainRun).value();
        QVERIFY(live.count() > 0);
        QCOMPARE(live.count(), static_cast<int>(stored.size()));
        QCOMPARE(d->pointCount(m_trainRun), plotted(stored));
        QVERIFY(d->plot(TrainingDashboard::LossPlot)->graphCount() >= 1);
        QVERIFY(d->plot(TrainingDashboard::EvalPlot)->graphCount() == 2);
        QVERIFY(d->trainButton()->isEnabled());
        // A finished training run makes "uae" a method of the inspector.
        QVERIFY(m_session->methods().contains("uae"));
    }

    void storedRunsOverlayAndHide() {
        TrainingDashboard* d = m_window->dashboard();
        d->setRunShown(m_trainRun, false);
        QCOMPARE(d->pointCount(m_trainRun), 0);
        d->setRunShown(m_trainRun, true);
        QCOMPARE(d->pointCount(m_trainRun), plotted(m_session->store()->metrics(m_trainRun).value()));
    }

    void compareViewTestsRunsAndExportsCsv() {
        m_session->runEvaluation("uae");
        QTRY_VERIFY(m_session->results("uae"));
        CompareView* c = m_window->compareView();
        c->reloadRuns();
        const qint64 glove = m_session->results("glove")->run.id, uae = m_session->results("uae")->run.id;
        c->setSelectedRuns({glove, uae});
        QCOMPARE(c->selectedRuns(), (QList<qint64>{glove, uae}));
        c->compare();
        QCOMPARE(c->table()->rowCount(), 2);
        QCOMPARE(c->table()->item(0, 8)->text(), QString("baseline"));
        QVERIFY(c->table()->item(1, 10)->text().count('/') == 2); // wins/ties/losses
        const QString csv = m_dir.filePath("compare.csv");
        QCOMPARE(c->exportCsv(csv), QString());
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QStringList header = lines[0].split(','), row = lines[2].split(',');
        QCOMPARE(row.size(), header.size());
        QCOMPARE(row[header.indexOf("method")], QString("uae"));
        const double map = row[header.indexOf("MAP")].toDouble();
        QVERIFY(std::fabs(map - m_session->results("uae")->summary.mean[Metric::Map]) < 1e-6);
        QVERIFY(row[header.indexOf("MAP_low")].toDouble() <= map && map <= row[header.indexOf("MAP_high")].toDouble());
        QVERIFY(!row[header.indexOf("p_map")].isEmpty());
        // A folder is not a writable file: the error names it.
        const QString error = c->exportCsv(m_dir.path());
        QVERIFY(error.contains(m_dir.path()));
        QVERIFY(c->metricsPlot()->plottableCount() > 0);
    }

    void plotsExportAsPngPdfSvg() {
        QCustomPlot* plot = m_window->dashboard()->plot(TrainingDashboard::LossPlot);
        const QString png = m_dir.filePath("loss.png"), pdf = m_dir.filePath("loss.pdf"), svg = m_dir.filePath("loss.svg");
        QCOMPARE(exportPlot(plot, png, 640, 400), QString());
        QCOMPARE(exportPlot(plot, pdf, 640, 400), QString());
        QCOMPARE(exportPlot(plot, svg, 640, 400), QString());
        QCOMPARE(head(png, 4), QByteArray("\x89PNG"));
        QCOMPARE(head(pdf, 4), QByteArray("%PDF"));
        QVERIFY(head(svg, 4096).contains("<svg"));
        QVERIFY(exportPlot(plot, m_dir.filePath("loss.bmpx")).contains("unknown plot format"));
    }

    void cleanupTestCase() {
        m_window.reset();
        m_session.reset();
        m_runner.reset();
    }
};

QTEST_MAIN(TestViews)
#include "tst_views.moc"
