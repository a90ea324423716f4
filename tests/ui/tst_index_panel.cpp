// Stored FAISS indexes in the GUI: the build dialog's choices as core's IndexBuildConfig, a build
// from the Index menu through the job runner that the Indexes dock then lists, a cancelled build
// and refused ones (the core's error shown) that store nothing, a corpus evaluation through the
// stored index (recorded in the run's config, ranked as the exact search ranks), and deleting.
#include "index_build_dialog.h"
#include "index_panel.h"
#include "inspector_view.h"
#include "job_runner.h"
#include "ranking_panel.h"
#include "main_window.h"
#include "workbench_session.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "tiny_glove.h"

#include <atomic>
#include <cmath>

using namespace uae;
using namespace uae::ui;

class TestIndexPanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<MainWindow> m_window;

    IndexPanel* panel() const { return m_window->indexPanel(); }
    QStringList indexFiles() const {
        return QDir(QString::fromStdString(m_session->workspace()->indexDir())).entryList(QDir::Files, QDir::Name);
    }
    int corpusSize() const {
        return static_cast<int>(corpusView(*m_session->splitDataset()).papers[0].paragraphs.size());
    }
    // Builds through the session (as the dialog's Build does) and waits for the job to end.
    QList<QVariant> build(const QString& method, const QString& factory) {
        QSignalSpy done(m_session.get(), &WorkbenchSession::indexJobFinished);
        if (!m_session->buildIndex(m_session->indexBuildConfig(method, "fixture", factory)))
            return {};
        if (!done.wait(60000))
            return {};
        return done.takeFirst();
    }
    // The method's newest run once its evaluation ended; null when none newer than previousRun.
    const MethodResults* evaluated(const QString& method, qint64 previousRun) {
        if (!QTest::qWaitFor([&] { return m_session->pendingJob(method) == 0; }, 60000))
            return nullptr;
        const MethodResults* r = m_session->results(method);
        return r && r->run.id != previousRun ? r : nullptr;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        test::writeTinyGlove(m_dir.path(),
                             {"signal", "trains", "encoder", "recall", "improve", "baselines", "static", "embeddings",
                              "weak", "dataset", "evaluated", "utility", "language", "model", "percent", "bm25",
                              "glove", "vector"},
                             7);
        SessionSettings s;
        s.dataDir = UAE_TEST_DATA_DIR "/qasper";
        s.gloveDir = m_dir.path();
        s.split = "fixture";
        m_runner = std::make_unique<JobRunner>();
        m_session = std::make_unique<WorkbenchSession>(s, *m_runner);
        m_window = std::make_unique<MainWindow>(*m_session, *m_runner);
        QCOMPARE(m_session->openWorkspace(m_dir.filePath("ws.db")), QString());
        m_window->show();
        QSignalSpy loaded(m_session.get(), &WorkbenchSession::datasetLoaded);
        m_session->loadDataset(s.dataDir, s.split);
        QVERIFY(loaded.wait(30000));
        QTRY_COMPARE_WITH_TIMEOUT(m_runner->activeJobs(), 0, 60000);
        QCOMPARE(panel()->table()->rowCount(), 0);
        QVERIFY2(panel()->status()->text().startsWith("No stored indexes"), qPrintable(panel()->status()->text()));
    }

    void dialogMapsToConfig_data() {
        QTest::addColumn<QString>("factory");
        QTest::addColumn<QString>("knobLabel"); // empty: no knob applies
        QTest::addColumn<int>("knob");
        QTest::newRow("Flat") << "Flat"
                              << "" << 0;
        QTest::newRow("HNSW32") << "HNSW32"
                                << "efSearch" << 64;
        QTest::newRow("IVF128,Flat") << "IVF128,Flat"
                                     << "nprobe" << 16;
        QTest::newRow("typed, trimmed") << "  OPQ8,IVF64,PQ8np "
                                        << "nprobe" << 16;
    }
    void dialogMapsToConfig() {
        QFETCH(QString, factory);
        QFETCH(QString, knobLabel);
        QFETCH(int, knob);
        IndexBuildDialog dialog(*m_session);
        QVERIFY(dialog.methodBox()->findText("glove") >= 0);
        QCOMPARE(dialog.methodBox()->findText("bm25"), -1); // no vectors to index
        for (const auto& p : indexPresets())                // core's presets, offered in core's order
            QCOMPARE(dialog.factoryBox()->itemText(int(&p - &indexPresets()[0])), QString::fromStdString(p.factory));
        QCOMPARE(dialog.splitBox()->currentText(), QString("fixture"));
        dialog.methodBox()->setCurrentText("glove");
        dialog.factoryBox()->setEditText(factory);
        QCOMPARE(dialog.knobBox()->isEnabled(), !knobLabel.isEmpty());
        QVERIFY(knobLabel.isEmpty() || dialog.knobLabel()->text().contains(knobLabel));
        QCOMPARE(dialog.knobBox()->value(), knob);
        const IndexBuildConfig c = dialog.config();
        QCOMPARE(c.method, std::string("glove"));
        QCOMPARE(c.split, std::string("fixture"));
        QCOMPARE(c.index, factory.trimmed().toStdString());
        QCOMPARE(c.modelPath, m_dir.path().toStdString());
        QCOMPARE(c.dataPath, std::string(UAE_TEST_DATA_DIR "/qasper"));
        QCOMPARE(c.batch, m_session->settings().batch);
        QCOMPARE(c.device, m_session->settings().device.toStdString());
        QVERIFY(c.validate().ok());
        dialog.knobBox()->setValue(knob ? knob + 3 : 0);
        const auto use = dialog.useAfter();
        QVERIFY(use.has_value());
        QCOMPARE(use->factory, factory.trimmed());
        QCOMPARE(use->nprobe, knobLabel == "nprobe" ? knob + 3 : 0);
        QCOMPARE(use->efSearch, knobLabel == "efSearch" ? knob + 3 : 0);
        dialog.useBox()->setChecked(false);
        QVERIFY(!dialog.useAfter().has_value());
    }

    // Index > Build vector index…, Flat, Build: the job runs in the runner and the dock lists it.
    void buildFromTheMenuIsListed() {
        QSignalSpy started(m_runner.get(), &JobRunner::started);
        QSignalSpy done(m_session.get(), &WorkbenchSession::indexJobFinished);
        bool sawDialog = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<IndexBuildDialog*>(QApplication::activeModalWidget());
            sawDialog = dialog != nullptr;
            if (!dialog)
                return;
            dialog->methodBox()->setCurrentText("glove");
            dialog->factoryBox()->setEditText("Flat");
            dialog->useBox()->setChecked(false);
            dialog->accept();
        });
        m_window->findChild<QAction*>("build-index-action")->trigger();
        QVERIFY(sawDialog);
        QVERIFY(done.wait(60000));
        QCOMPARE(done[0][0].value<RunStatus>(), RunStatus::Finished);
        QVERIFY(std::any_of(started.begin(), started.end(),
                            [](const auto& a) { return a[1].toString().contains("Building index Flat of glove"); }));
        // The built index is checked against its encoder at once (a job of its own), then current.
        QVERIFY(started.last()[1].toString().contains("Checking a stored index against its encoder"));
        QTRY_COMPARE_WITH_TIMEOUT(m_session->indexCheckJob(), 0, 60000);
        QTableWidget* t = panel()->table();
        QCOMPARE(t->rowCount(), 1);
        QCOMPARE(t->item(0, IndexPanel::FactoryColumn)->text(), QString("Flat"));
        QCOMPARE(t->item(0, IndexPanel::MethodColumn)->text(), QString("glove"));
        QCOMPARE(t->item(0, IndexPanel::SplitColumn)->text(), QString("fixture"));
        QCOMPARE(t->item(0, IndexPanel::VectorsColumn)->text(), QString("%1 × 8").arg(corpusSize()));
        QVERIFY(t->item(0, IndexPanel::SizeColumn)->text().endsWith("KB"));
        QCOMPARE(t->item(0, IndexPanel::StateColumn)->text(), QString("current"));
        QVERIFY(panel()->status()->text().contains("glove-fixture-Flat.faiss"));
        QCOMPARE(indexFiles(), QStringList({"glove-fixture-Flat.faiss", "glove-fixture-Flat.faiss.json"}));
    }

    // Cancel while the job encodes the corpus: the build stops before FAISS adds a vector and
    // nothing is kept (no index, no metadata, no temporary file).
    void cancelKeepsNothing() {
        std::atomic<bool> blocked{false};
        QSemaphore resume;
        auto hold = connect(
            m_runner.get(), &JobRunner::progress, m_runner.get(),
            [&](int, qint64, qint64, const QString& message) { // on the worker thread
                if (message.startsWith("encoding") && !blocked.exchange(true))
                    resume.acquire();
            },
            Qt::DirectConnection);
        QSignalSpy done(m_session.get(), &WorkbenchSession::indexJobFinished);
        const int id = m_session->buildIndex(m_session->indexBuildConfig("glove", "fixture", "HNSW32"));
        QTRY_VERIFY_WITH_TIMEOUT(blocked.load(), 30000);
        m_runner->cancel(id);
        resume.release();
        QVERIFY(done.wait(30000));
        disconnect(hold);
        QCOMPARE(done[0][0].value<RunStatus>(), RunStatus::Cancelled);
        QCOMPARE(indexFiles(), QStringList({"glove-fixture-Flat.faiss", "glove-fixture-Flat.faiss.json"}));
        QCOMPARE(panel()->table()->rowCount(), 1);
        QVERIFY(panel()->status()->text().contains("cancelled"));
    }

    void refusedBuildShowsCoreError_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("factory");
        QTest::addColumn<QString>("error");
        QTest::newRow("bad factory") << "glove"
                                     << "NoSuchIndex42"
                                     << "index factory string 'NoSuchIndex42' is not one FAISS can build";
        QTest::newRow("too few vectors") << "glove"
                                         << "IVF128,Flat"
                                         << "IVF128,Flat";
        QTest::newRow("no vectors") << "bm25"
                                    << "Flat"
                                    << "method bm25 ranks without vectors";
    }
    void refusedBuildShowsCoreError() {
        QFETCH(QString, method);
        QFETCH(QString, factory);
        QFETCH(QString, error);
        const QStringList before = indexFiles();
        const auto done = build(method, factory);
        QCOMPARE(done.size(), 2);
        QCOMPARE(done[0].value<RunStatus>(), RunStatus::Failed);
        QVERIFY2(done[1].toString().contains(error), qPrintable(done[1].toString()));
        QVERIFY2(panel()->status()->text().contains(error), qPrintable(panel()->status()->text()));
        QCOMPARE(indexFiles(), before);
    }

    // In the corpus pool, "Use for corpus evaluation" evaluates glove through the stored Flat
    // index: the run's config records it as `uae eval --index Flat` does, and it ranks as exact.
    void corpusEvaluationThroughTheIndex() {
        m_session->setPool("corpus");
        m_session->runEvaluation("glove");
        const MethodResults* exact = evaluated("glove", 0);
        QVERIFY(exact);
        QVERIFY(exact->run.configJson.find("\"index\":\"\"") != std::string::npos);
        const auto exactRuns = exact->byQuestion;
        const qint64 exactRun = exact->run.id;
        panel()->table()->selectRow(0);
        QVERIFY(!panel()->knobBox()->isEnabled());      // Flat has no search setting
        QCOMPARE(panel()->knobBox()->maximum(), 65536); // core's bound on nprobe / ef_search
        panel()->useSelected();
        const MethodResults* indexed = evaluated("glove", exactRun);
        QVERIFY(indexed);
        QVERIFY2(indexed->run.configJson.find("\"index\":\"Flat\"") != std::string::npos,
                 indexed->run.configJson.c_str());
        QCOMPARE(indexed->byQuestion.size(), exactRuns.size());
        for (const auto& [id, q] : exactRuns) {
            const QuestionResult& r = indexed->byQuestion.at(id);
            QCOMPARE(r.order.size(), q.order.size());
            for (size_t i = 0; i < q.order.size(); ++i) {
                QVERIFY(std::abs(r.scores[i] - q.scores[i]) < 1e-5f);
                const bool tied = (i > 0 && std::abs(q.scores[i] - q.scores[i - 1]) < 1e-5f) ||
                                  (i + 1 < q.order.size() && std::abs(q.scores[i] - q.scores[i + 1]) < 1e-5f);
                if (!tied) // equal scores may come in either order
                    QCOMPARE(r.order[i], q.order[i]);
            }
        }
        QVERIFY(panel()->table()->item(0, IndexPanel::UsedColumn)->text().startsWith("searched"));
        // The inspector's glove panel shows that run and says it came through the index.
        QTRY_VERIFY(m_window->inspector()->panel(1)->statusText().contains(QString("run #%1").arg(indexed->run.id)));
        QVERIFY2(m_window->inspector()->panel(1)->statusText().contains("via Flat"),
                 qPrintable(m_window->inspector()->panel(1)->statusText()));
        panel()->useExact();
        const MethodResults* back = evaluated("glove", indexed->run.id);
        QVERIFY(back);
        QVERIFY(back->run.configJson.find("\"index\":\"\"") != std::string::npos);
    }

    // A choice made while the method's corpus evaluation is still on its way counts (that job is
    // cancelled and a new one searches the chosen index); Delete waits until no such job runs.
    void choiceDuringAnEvaluationCountsAndDeleteWaits() {
        m_session->setPool("corpus");
        const MethodResults* last = m_session->results("glove");
        const qint64 before = last ? last->run.id : 0;
        m_session->setIndexChoice("glove", {"", 0, 0}); // exact: an evaluation starts
        QVERIFY(m_session->pendingJob("glove") != 0);
        panel()->table()->selectRow(0);
        panel()->removeSelected();
        QVERIFY2(panel()->status()->text().contains("Could not delete"), qPrintable(panel()->status()->text()));
        QCOMPARE(indexFiles().size(), 2);
        m_session->setIndexChoice("glove", {"Flat", 0, 0}); // before the exact one has ended
        const MethodResults* r = evaluated("glove", before);
        QVERIFY(r);
        QVERIFY2(r->run.configJson.find("\"index\":\"Flat\"") != std::string::npos, r->run.configJson.c_str());
    }

    // The choice outlives the session: a new session on the same workspace has it again; one on
    // another workspace does not (that workspace's indexes are elsewhere).
    void choiceIsKeptPerWorkspace() {
        m_session->setPool("paper"); // no re-evaluation when the choice changes
        m_session->setIndexChoice("glove", {"HNSW32", 0, 48});
        JobRunner runner;
        WorkbenchSession again(m_session->settings(), runner);
        QCOMPARE(again.openWorkspace(m_session->settings().workspace), QString());
        QCOMPARE(again.indexChoice("glove").factory, QString("HNSW32"));
        QCOMPARE(again.indexChoice("glove").efSearch, 48);
        QCOMPARE(again.openWorkspace(m_dir.filePath("other.db")), QString());
        QVERIFY(again.indexChoice("glove").factory.isEmpty());
    }

    // Delete: the files go, the list empties, and a choice that named the index is dropped.
    // Settings > another GloVe folder: the check that follows finds the index's encoder changed
    // (core's words, fingerprints in the tooltip) without rebuilding it; the old folder back, the
    // index is current again.
    void changedEncoderIsShownStale() {
        const QTemporaryDir other;
        test::writeTinyGlove(other.path(), {"signal", "encoder", "recall", "utility", "glove", "vector"}, 8);
        const SessionSettings before = m_session->settings();
        const QString file = QString::fromStdString(m_session->storedIndexes().front().file);
        const auto readJson = [&] {
            QFile f(file + ".json");
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QByteArray json = readJson();
        auto changed = before;
        changed.gloveDir = other.path();
        for (const auto& [settings, state] :
             {std::pair{changed, QString("stale: the encoder changed, rebuilt when used")},
              {before, QString("current")}}) {
            m_session->updateSettings(settings);
            QVERIFY(m_session->checkIndexes() != 0);
            QCOMPARE(panel()->table()->item(0, IndexPanel::StateColumn)->text(),
                     QString("corpus current; checking the encoder…"));
            QTRY_COMPARE_WITH_TIMEOUT(m_session->indexCheckJob(), 0, 60000);
            QCOMPARE(panel()->table()->item(0, IndexPanel::StateColumn)->text(), state);
        }
        m_session->updateSettings(changed);
        m_session->checkIndexes();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->indexCheckJob(), 0, 60000);
        QVERIFY2(panel()->table()->item(0, IndexPanel::StateColumn)->toolTip().contains("glove fingerprint"),
                 qPrintable(panel()->table()->item(0, IndexPanel::StateColumn)->toolTip()));
        QCOMPARE(readJson(), json); // checking rebuilt nothing
        m_session->updateSettings(before);
        m_session->checkIndexes();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->indexCheckJob(), 0, 60000);
    }

    void deleteRemovesIt() {
        m_session->setPool("paper"); // no re-evaluation when the choice changes
        m_session->setIndexChoice("glove", {"Flat", 0, 0});
        panel()->table()->selectRow(0);
        panel()->removeSelected();
        QCOMPARE(indexFiles(), QStringList());
        QCOMPARE(panel()->table()->rowCount(), 0);
        QVERIFY(m_session->indexChoice("glove").factory.isEmpty());
        QVERIFY(panel()->status()->text().contains("Deleted glove-fixture-Flat.faiss"));
    }

    void cleanupTestCase() {
        m_window.reset();
        m_session.reset();
        m_runner.reset();
    }
};

QTEST_MAIN(TestIndexPanel)
#include "tst_index_panel.moc"
