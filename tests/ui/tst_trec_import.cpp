// File > Import TREC run… in the GUI: a BM25 run written as TREC (core's writeTrecRun) and
// imported through the menu's file chooser and dialog is stored as trec:NAME with BM25's
// per-question order and shown as a further inspector column; the dialog's choices map to core's
// TrecImportConfig and its name is checked by core's field rules; a malformed file shows the
// core's FILE:LINE error and stores nothing.
#include "inspector_view.h"
#include "job_runner.h"
#include "jobs_panel.h"
#include "main_window.h"
#include "ranking_panel.h"
#include "runs_panel.h"
#include "trec_import_dialog.h"
#include "workbench_session.h"

#include "uae/export.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTableView>
#include <QTimer>
#include <QtTest>

#include "tiny_glove.h"

#include <fstream>
#include <functional>

using namespace uae;
using namespace uae::ui;

namespace {

// Runs `act` on the modal widget of type T once it is shown (polled: a dialog opened from inside
// another's exec() only appears after that one has returned).
template <class T> void whenModal(QObject* context, std::function<void(T*)> act, int triesLeft = 250) {
    QTimer::singleShot(20, context, [=] {
        if (auto* w = qobject_cast<T*>(QApplication::activeModalWidget()))
            act(w);
        else if (triesLeft > 0)
            whenModal<T>(context, act, triesLeft - 1);
    });
}

} // namespace

class TestTrecImport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<MainWindow> m_window;

    QString statusText() const { return m_window->statusBar()->findChildren<QLabel*>().value(0)->text(); }
    size_t runCount() const { return m_session->allRuns().size(); }
    // Whether a cell of the Runs dock's table reads `text`.
    bool runsDockShows(const QString& text) const {
        const QAbstractItemModel* m = m_window->runsPanel()->table()->model();
        for (int r = 0; r < m->rowCount(); ++r)
            for (int c = 0; c < m->columnCount(); ++c)
                if (m->index(r, c).data().toString() == text)
                    return true;
        return false;
    }
    // The shown panel's methods, A to D.
    QStringList shownMethods() const { return m_window->inspector()->shownMethods(); }
    // Chooses `file` in File > Import TREC run…'s file chooser, then in the dialog sets the name
    // and accepts; false when either did not appear.
    bool importThroughMenu(const QString& file, const QString& name) {
        bool sawChooser = false, sawDialog = false;
        whenModal<QFileDialog>(this, [&, file, name](QFileDialog* chooser) {
            sawChooser = true;
            whenModal<TrecImportDialog>(this, [&, name](TrecImportDialog* dialog) {
                sawDialog = true;
                dialog->nameEdit()->setText(name);
                dialog->importButton()->click();
            });
            // Typed as a user types a path: selectFile() waits for the directory model to load.
            if (auto* edit = chooser->findChild<QLineEdit*>("fileNameEdit"))
                edit->setText(file);
            static_cast<QDialog*>(chooser)->accept(); // QFileDialog::accept, public through QDialog
        });
        m_window->findChild<QAction*>("import-trec-action")->trigger();
        return sawChooser && sawDialog;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        test::writeTinyGlove(m_dir.path(), {"signal", "trains", "encoder", "recall", "improve", "bm25", "glove"}, 7);
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
        QTRY_VERIFY_WITH_TIMEOUT(m_session->results("bm25") && m_session->results("glove"), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(m_runner->activeJobs(), 0, 60000);
    }

    // The dialog's pool starts at the session's, offers core's choices, and maps to core's config
    // with the session's split and data folder; core's name rule enables Import or says why not.
    void dialogMapsToConfig() {
        TrecImportDialog dialog(*m_session, "/tmp/run.trec");
        QCOMPARE(dialog.poolBox()->count(), int(TrecImportConfig::spec("pool").choices.size()));
        QCOMPARE(dialog.poolBox()->currentData().toString(), m_session->settings().pool);
        TrecImportConfig c = dialog.config();
        QCOMPARE(c.source, std::string("/tmp/run.trec"));
        QCOMPARE(c.split, std::string("fixture"));
        QCOMPARE(c.dataPath, std::string(UAE_TEST_DATA_DIR "/qasper"));
        QCOMPARE(c.pool, std::string("paper"));
        QCOMPARE(c.name, std::string()); // core then takes the file's tag
        QVERIFY(dialog.importButton()->isEnabled());
        dialog.poolBox()->setCurrentIndex(dialog.poolBox()->findData("corpus"));
        dialog.nameEdit()->setText(" vespa-hnsw ");
        c = dialog.config();
        QCOMPARE(c.pool, std::string("corpus"));
        QCOMPARE(c.name, std::string("vespa-hnsw"));
        QVERIFY(dialog.importButton()->isEnabled());
        QVERIFY(dialog.hint()->text().contains("trec:vespa-hnsw"));
        dialog.nameEdit()->setText("two words");
        QVERIFY(!dialog.importButton()->isEnabled());
        QVERIFY2(dialog.hint()->text().contains("--name") && dialog.hint()->text().contains("space"),
                 qPrintable(dialog.hint()->text()));
        dialog.nameEdit()->setText(QString(101, 'x'));
        QVERIFY(!dialog.importButton()->isEnabled());
        QVERIFY(dialog.hint()->text().contains("longer than 100"));
    }

    // Cancelling the dialog starts nothing.
    void cancelStartsNothing() {
        QSignalSpy started(m_runner.get(), &JobRunner::started);
        bool sawDialog = false;
        whenModal<TrecImportDialog>(this, [&](TrecImportDialog* dialog) {
            sawDialog = true;
            dialog->reject();
        });
        m_window->importTrecRunFile(m_dir.filePath("none.trec"));
        QVERIFY(sawDialog);
        QCOMPARE(started.count(), 0);
        QCOMPARE(m_session->importJob(), 0);
    }

    void importedRunEqualsBm25AndIsShown();
    void corpusRunSwitchesThePool();
    void malformedFileStoresNothing();
};

// BM25's stored run written as TREC, imported from the menu: stored as trec:NAME with BM25's
// ranking for every question the file holds, the rest (no text evidence) ranked empty with a
// warning in the Jobs log, and shown as a new inspector column.
void TestTrecImport::importedRunEqualsBm25AndIsShown() {
    const MethodResults* bm25 = m_session->results("bm25");
    QVERIFY(bm25);
    const qint64 bm25Run = bm25->run.id;
    auto original = m_session->store()->questionResults(bm25Run);
    QVERIFY(original.ok());
    const QString file = m_dir.filePath("bm25.trec");
    QVERIFY(writeTrecRun(file.toStdString(), original.value(), "bm25-export").ok());
    QSignalSpy imported(m_session.get(), &WorkbenchSession::runImported);
    const size_t before = runCount();
    const int panels = m_window->inspector()->panelCount();
    QVERIFY(importThroughMenu(file, "outside-bm25"));
    QVERIFY(imported.wait(60000));
    const qint64 id = imported[0][0].toLongLong();
    QCOMPARE(runCount(), before + 1);
    auto stored = m_session->storedRun(id);
    QVERIFY(stored.ok());
    QCOMPARE(stored->run.method, std::string("trec:outside-bm25"));
    QCOMPARE(stored->run.status, RunStatus::Finished);
    QCOMPARE(stored->run.split, std::string("fixture"));
    QCOMPARE(stored->questions.size(), original->size());
    int withEvidence = 0;
    for (const QuestionResult& q : original.value()) {
        auto it = std::find_if(stored->questions.begin(), stored->questions.end(),
                               [&](const QuestionResult& s) { return s.questionId == q.questionId; });
        QVERIFY(it != stored->questions.end());
        const bool inFile = !q.gold.empty(); // writeTrecRun writes the questions with text evidence
        withEvidence += inFile ? 1 : 0;
        QCOMPARE(it->order, inFile ? q.order : std::vector<int>{});
    }
    const auto& last = m_session->lastImport();
    QVERIFY(last && last->run.id == id);
    QCOMPARE(last->questionsInRun, withEvidence);
    QCOMPARE(last->missing, int(original->size()) - withEvidence);
    // The Runs dock lists it.
    QVERIFY(runsDockShows("trec:outside-bm25"));
    const QString key = QStringLiteral("run:%1").arg(id);
    QCOMPARE(m_window->inspector()->panelCount(), panels + 1);
    QCOMPARE(shownMethods().last(), key);
    QVERIFY2(statusText().contains(QStringLiteral("Imported trec:outside-bm25 as run #%1").arg(id)),
             qPrintable(statusText()));
    // The fixture has questions without text evidence: core's warning about them reaches the Jobs log.
    QVERIFY(last->missing > 0);
    QCOMPARE(last->warnings, 1);
    QVERIFY(m_window->jobsPanel()->log()->toPlainText().contains("not in the run"));
    QVERIFY(statusText().contains("1 warning(s) in the Jobs log"));
}

// BM25's run with `<paperId>#<N>` docnos imported into the corpus pool: its paragraph indices
// count over the whole split, so the window moves to that pool to show it (shown in the paper pool
// it would be refused as a run of the other pool).
void TestTrecImport::corpusRunSwitchesThePool() {
    // The paper run imported before would be refused in the corpus pool (a switch of the tool
    // bar's pool says so too): closed, so that any refusal here is the new run's.
    while (m_window->inspector()->panelCount() > 2)
        m_window->inspector()->removePanel(m_window->inspector()->panelCount() - 1);
    const MethodResults* bm25 = m_session->results("bm25");
    QVERIFY(bm25);
    const MetricValues paperMeans = bm25->summary.mean;
    auto original = m_session->store()->questionResults(bm25->run.id);
    QVERIFY(original.ok());
    const auto data = m_session->splitDataset();
    const QString file = m_dir.filePath("bm25-corpus.trec");
    QVERIFY(
        writeTrecRun(file.toStdString(), original.value(), "bm25-ids", [&](const std::string& question, int paragraph) {
            const Question* q = data->findQuestion(question);
            return data->papers[size_t(q->paper)].id + "#" + std::to_string(paragraph);
        }).ok());
    QSignalSpy imported(m_session.get(), &WorkbenchSession::runImported);
    QSignalSpy failed(m_session.get(), &WorkbenchSession::jobFailed);
    bool sawDialog = false;
    whenModal<TrecImportDialog>(this, [&](TrecImportDialog* dialog) {
        sawDialog = true;
        dialog->poolBox()->setCurrentIndex(dialog->poolBox()->findData("corpus"));
        dialog->importButton()->click();
    });
    m_window->importTrecRunFile(file);
    QVERIFY(sawDialog);
    QVERIFY(imported.wait(60000));
    const QString key = QStringLiteral("run:%1").arg(imported[0][0].toLongLong());
    QCOMPARE(m_session->settings().pool, QString("corpus"));
    QCOMPARE(m_session->lastImport()->run.method, std::string("trec:bm25-ids")); // the file's tag
    QCOMPARE(shownMethods().last(), key);
    const MethodResults* shown = m_session->results(key);
    QVERIFY(shown);
    QCOMPARE(failed.count(), 0);
    // The paper run's rankings, moved into the corpus: every retrieval mean as the paper run's.
    for (Metric m : {Metric::Recall1, Metric::Map, Metric::Mrr, Metric::Ndcg10})
        QCOMPARE(shown->summary.mean[m], paperMeans[m]);
    QVERIFY(statusText().contains("(corpus pool)"));
    QTRY_COMPARE_WITH_TIMEOUT(m_runner->activeJobs(), 0, 60000); // the corpus pool's own evaluations
    m_session->setPool("paper");
}

// A bad field count at line 2 and a bad score at line 3: the status line shows the first of core's
// FILE:LINE: problems and says more are in the Jobs log, which has them all; the store holds no
// further run.
void TestTrecImport::malformedFileStoresNothing() {
    const QString file = m_dir.filePath("broken.trec");
    {
        std::ofstream out(file.toStdString());
        out << "q1 Q0 p0 1 3.5 broken\nq1 Q0 p1 2 2.5\nq1 Q0 p2 3 x broken\n";
    }
    QSignalSpy failed(m_session.get(), &WorkbenchSession::jobFailed);
    QSignalSpy imported(m_session.get(), &WorkbenchSession::runImported);
    const size_t before = runCount();
    const QStringList shown = shownMethods();
    QVERIFY(importThroughMenu(file, QString()));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
    const QString error = failed[0][1].toString();
    QVERIFY2(error.contains(file + ":2:"), qPrintable(error));
    QVERIFY2(error.contains(file + ":3: score 'x'"), qPrintable(error));
    QVERIFY2(statusText().contains(":2:") && !statusText().contains(":3:"), qPrintable(statusText()));
    QVERIFY2(statusText().contains("2 more lines: see the Jobs log"), qPrintable(statusText()));
    const QString log = m_window->jobsPanel()->log()->toPlainText();
    QVERIFY(log.contains(file + ":2:") && log.contains(file + ":3:") && log.contains("2 problems in all"));
    QCOMPARE(imported.count(), 0);
    QCOMPARE(runCount(), before);
    QVERIFY(!runsDockShows("trec:broken"));
    QCOMPARE(shownMethods(), shown);
    QCOMPARE(m_session->importJob(), 0); // a next import may start
}

QTEST_MAIN(TestTrecImport)
#include "tst_trec_import.moc"
