#include "job_runner.h"
#include "inspector_view.h"
#include "main_window.h"
#include "ranking_model.h"
#include "ranking_panel.h"
#include "training_dashboard.h"
#include "workbench_session.h"
#include "uae/safetensors.h"

#include <QComboBox>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QThread>
#include <QtTest>

#include "tiny_glove.h"

#include <fstream>
#include <random>

using namespace uae;
using namespace uae::ui;

namespace {

int goldRows(const RankingModel* m) {
    int n = 0;
    for (int r = 0; r < m->rowCount(); ++r)
        n += m->index(r, 0).data(RankingModel::IsGoldRole).toBool() ? 1 : 0;
    return n;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // QSettings in a test location
        test::writeTinyGlove(m_dir.path(),
                             {"signal", "trains", "encoder", "recall", "improve", "baselines", "static", "embeddings",
                              "weak", "dataset", "evaluated", "utility", "language", "model", "percent", "bm25",
                              "glove", "vector"},
                             7);
        SessionSettings s;
        s.dataDir = UAE_TEST_DATA_DIR "/qasper";
        s.gloveDir = m_dir.path();
        s.bertModel = UAE_TEST_DATA_DIR "/bert-tiny";
        s.split = "fixture";
        m_runner = std::make_unique<JobRunner>();
        m_session = std::make_unique<WorkbenchSession>(s, *m_runner);
        m_window = std::make_unique<MainWindow>(*m_session, *m_runner);
        QCOMPARE(m_session->openWorkspace(m_dir.filePath("ws.db")), QString());
        m_window->show();
        m_session->loadDataset(s.dataDir, s.split);
        QTRY_COMPARE(m_window->inspector()->questionList()->model()->rowCount(), 7);
        // Neither method has a stored run: both are computed in the background and shown.
        QTRY_VERIFY(m_session->results("bm25") && m_session->results("glove"));
        QTRY_COMPARE(m_runner->activeJobs(), 0);
    }

    void selectingAQuestionFillsBothRankings() {
        QVERIFY(m_window->selectQuestion("q3"));
        QVERIFY(m_window->inspector()->questionView()->toPlainText().contains("How much does recall improve?"));
        const RankingModel* a = m_window->inspector()->panel(0)->model();
        const RankingModel* b = m_window->inspector()->panel(1)->model();
        QCOMPARE(m_window->inspector()->panel(0)->method(), QString("bm25"));
        QCOMPARE(m_window->inspector()->panel(1)->method(), QString("glove"));
        QCOMPARE(a->rowCount(), 4);
        QCOMPARE(b->rowCount(), 4);
        // BM25 puts the only paragraph about recall first, and it is the gold one.
        QCOMPARE(a->index(0, 0).data(RankingModel::ParagraphRole).toInt(), 3);
        QVERIFY(a->index(0, 0).data(RankingModel::IsGoldRole).toBool());
        QVERIFY(a->index(0, 0).data(Qt::BackgroundRole).isValid());
        QCOMPARE(goldRows(a), 1);
        QCOMPARE(goldRows(b), 1);
        QCOMPARE(a->index(0, RankingModel::TextColumn).data().toString(),
                 QString("Recall at one improves by thirty percent over the baseline encoder."));
    }

    // The split list offers the data's own splits: the fixture folder holds only "fixture".
    void splitListIsTheDataOwn() {
        auto* splits = m_window->findChild<QComboBox*>("split-combo");
        QVERIFY(splits);
        QCOMPARE(splits->count(), 1);
        QCOMPARE(splits->itemText(0), QString("fixture"));
        QCOMPARE(splits->currentText(), QString("fixture"));
    }

    void questionWithoutEvidenceHasNoGold() {
        QVERIFY(m_window->selectQuestion("q6"));
        QCOMPARE(m_window->inspector()->panel(0)->model()->rowCount(), 3);
        QCOMPARE(goldRows(m_window->inspector()->panel(0)->model()), 0);
    }

    void switchingMethodUpdatesPanel() {
        QVERIFY(m_window->selectQuestion("q1"));
        auto* combo = m_window->inspector()->panel(1)->findChild<QComboBox*>();
        QVERIFY(combo);
        combo->setCurrentText("bm25");
        const RankingModel* a = m_window->inspector()->panel(0)->model();
        const RankingModel* b = m_window->inspector()->panel(1)->model();
        QCOMPARE(b->rowCount(), a->rowCount());
        for (int r = 0; r < a->rowCount(); ++r)
            QCOMPARE(b->index(r, 0).data(RankingModel::ParagraphRole),
                     a->index(r, 0).data(RankingModel::ParagraphRole));
        combo->setCurrentText("glove");
    }

    void switchingToBertComputesAndShowsIt() {
        QVERIFY(m_window->selectQuestion("q4"));
        auto* combo = m_window->inspector()->panel(1)->findChild<QComboBox*>();
        QVERIFY(combo->findText("bert") >= 0);
        combo->setCurrentText("bert");
        QTRY_VERIFY_WITH_TIMEOUT(m_session->results("bert") != nullptr, 20000);
        QTRY_COMPARE(m_window->inspector()->panel(1)->model()->rowCount(), 3);
        QCOMPARE(goldRows(m_window->inspector()->panel(1)->model()), 1);
        combo->setCurrentText("glove");
    }

    void cancelButtonStopsAJob() {
        m_runner->start("slow job", [](const JobContext& ctx) {
            for (int i = 0; i < 10000 && !ctx.cancelled(); ++i) {
                ctx.progress(i, 10000);
                QThread::msleep(1);
            }
            return JobOutcome{ctx.cancelled() ? uae::RunStatus::Cancelled : uae::RunStatus::Finished, {}, 0};
        });
        QTRY_VERIFY(m_window->cancelButton()->isVisible());
        QVERIFY(m_window->progressBar()->isVisible());
        QTest::mouseClick(m_window->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->progressBar()->isVisible(), 2000);
        QCOMPARE(m_runner->activeJobs(), 0);
    }

    void runsWereStored() {
        auto store = Store::open(m_dir.filePath("ws.db").toStdString());
        QVERIFY(store.ok());
        auto runs = store.value()->runs();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), size_t(3)); // bm25, glove, bert
        for (const auto& r : *runs)
            QCOMPARE(r.status, uae::RunStatus::Finished);
    }

    // The dashboard fine-tunes the configured BERT; the result ranks as "uae" from its HF folder.
    void trainingBertFromTheDashboard() {
        TrainingDashboard* d = m_window->dashboard();
        d->setEncoder("bert");
        d->setTrainSplit("fixture");
        d->setEpochs(1);
        QSignalSpy done(m_session.get(), &WorkbenchSession::trainingFinished);
        QTest::mouseClick(d->trainButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
        QCOMPARE(done.at(0).at(1).value<uae::RunStatus>(), uae::RunStatus::Finished);
        const qint64 run = done.at(0).at(0).toLongLong();
        QCOMPARE(m_session->store()->run(run)->method, std::string("uae-bert"));
        QVERIFY(QFileInfo(m_session->uaeModel()).isDir());
        QVERIFY(m_session->methods().contains("uae"));
        m_session->runEvaluation("uae");
        QTRY_VERIFY(m_session->results("uae"));
        QCOMPARE(m_session->results("uae")->summary.evaluated, 3L);
    }

    void cleanupTestCase() {
        m_window.reset();
        m_session.reset();
        m_runner.reset();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
