// The inspector on its own (no main window), offscreen on the fixture split: questions, rankings
// side by side, quick filters and presentation keys.
#include "inspector_plots.h"
#include "inspector_view.h"
#include "job_runner.h"
#include "plots/qcustomplot_include.h"
#include "plots/score_plot.h"
#include "question_pane.h"
#include "ranking_model.h"
#include "ranking_panel.h"
#include "uae/job_eval.h"
#include "uae/question_filters.h"
#include "workbench_session.h"

#include <QListView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include "tiny_glove.h"

using namespace uae;
using namespace uae::ui;

class TestInspectorView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<InspectorView> m_view;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // pins go to a test QSettings
        test::writeTinyGlove(m_dir.path(),
                             {"signal", "trains", "encoder", "recall", "improve", "baselines", "static", "embeddings",
                              "weak", "dataset", "percent", "bm25", "glove"},
                             5);
        SessionSettings s;
        s.dataDir = UAE_TEST_DATA_DIR "/qasper";
        s.gloveDir = m_dir.path();
        s.split = "fixture";
        m_runner = std::make_unique<JobRunner>();
        m_session = std::make_unique<WorkbenchSession>(s, *m_runner);
        QCOMPARE(m_session->openWorkspace(m_dir.filePath("ws.db")), QString());
        m_view = std::make_unique<InspectorView>(*m_session);
        // As MainWindow does: the view is told when the split is there.
        connect(m_session.get(), &WorkbenchSession::datasetLoaded, m_view.get(), &InspectorView::showDataset);
        m_view->resize(1200, 800);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
        m_session->loadDataset(s.dataDir, s.split);
        QTRY_COMPARE(m_view->questionList()->model()->rowCount(), 7);
        // Auto-run computes both shown methods.
        QTRY_VERIFY(m_session->results("bm25") && m_session->results("glove"));
        QTRY_COMPARE(m_runner->activeJobs(), 0);
    }

    void firstQuestionIsShownOnLoad() {
        QVERIFY(m_view->questionList()->currentIndex().isValid());
        QCOMPARE(m_view->questionList()->currentIndex().row(), 0);
        QVERIFY(!m_view->questionView()->toPlainText().isEmpty());
    }

    void selectingAQuestionFillsPanelsAndPlots() {
        QVERIFY(!m_view->selectQuestion("no-such-question"));
        QVERIFY(m_view->selectQuestion("q3"));
        QCOMPARE(QString::fromStdString(m_view->questions()->currentQuestion()->id), QString("q3"));
        QVERIFY(m_view->questionView()->toPlainText().contains("How much does recall improve?"));
        QCOMPARE(m_view->panelCount(), 2);
        const auto& order = m_session->results("bm25")->byQuestion.at("q3").order;
        QCOMPARE(m_view->panel(0)->model()->rowCount(), static_cast<int>(order.size()));
        QCOMPARE(m_view->panel(0)->model()->index(0, 0).data(RankingModel::ParagraphRole).toInt(), order[0]);
        QCOMPARE(m_view->plots()->scorePlot()->plot()->graphCount(),
                 4); // two rankings, gold marked apart
        QVERIFY(m_view->panel(0)->answerText().contains("press Answer"));
    }

    void quickFiltersUseTheCorePredicates() {
        m_view->showMethods("bm25", "glove");
        const auto data = m_session->dataset();
        const auto* a = m_session->results("bm25");
        const auto* b = m_session->results("glove");
        int fixed = 0, broke = 0;
        for (const auto& q : data->questions) {
            fixed += bFixed(q, MethodResults::find(a, q.id), MethodResults::find(b, q.id));
            broke += bBroke(q, MethodResults::find(a, q.id), MethodResults::find(b, q.id));
        }
        QVERIFY(fixed != broke); // else swapping the panels below would prove nothing
        QSignalSpy status(m_view.get(), &InspectorView::statusMessage);
        m_view->questions()->setQuickFilter(QuestionPane::BFixed);
        QCOMPARE(m_view->questions()->visibleQuestions(), fixed);
        QCOMPARE(status.count(), 1);
        QCOMPARE(status.at(0).at(0).toString(), QString("%1 of 7 questions shown").arg(fixed));
        // Swapping the panels swaps "fixed" and "broke": the filter follows the panels' methods.
        m_view->showMethods("glove", "bm25");
        QCOMPARE(m_view->questions()->visibleQuestions(), broke);
        m_view->questions()->setQuickFilter(QuestionPane::AllQuestions);
        QCOMPARE(m_view->questions()->visibleQuestions(), 7);
        m_view->showMethods("bm25", "glove");
    }

    void panelsAddUpToFourAndOnlyExtrasClose() {
        QVERIFY(m_view->selectQuestion("q1"));
        QVERIFY(m_view->addPanel("bm25"));
        QVERIFY(m_view->addPanel("glove"));
        QVERIFY(!m_view->addPanel("bm25"));
        QCOMPARE(m_view->panelCount(), 4);
        QCOMPARE(m_view->plots()->scorePlot()->plot()->graphCount(), 8);
        m_view->removePanel(2);
        QCOMPARE(m_view->panelCount(), 3);
        QCOMPARE(m_view->panel(2)->method(), QString("glove")); // the former D, now C
        m_view->removePanel(1);
        m_view->removePanel(0);
        QCOMPARE(m_view->panelCount(), 3);
        m_view->removePanel(2);
        QCOMPARE(m_view->panelCount(), 2);
    }

    void presentationKeysStepAndEscAsksToLeave() {
        QVERIFY(m_view->selectQuestion("q1"));
        const int first = m_view->questionList()->currentIndex().row();
        QTest::keyClick(m_view.get(), Qt::Key_Right); // keys are off outside presentation
        QCOMPARE(m_view->questionList()->currentIndex().row(), first);
        m_view->setPresenting(true);
        QVERIFY(!m_view->questions()->isVisible());
        QTest::keyClick(m_view.get(), Qt::Key_Space);
        QCOMPARE(m_view->questionList()->currentIndex().row(), first + 1);
        QTest::keyClick(m_view.get(), Qt::Key_PageUp);
        QCOMPARE(m_view->questionList()->currentIndex().row(), first);
        QSignalSpy leave(m_view.get(), &InspectorView::leavePresentationRequested);
        QTest::keyClick(m_view.get(), Qt::Key_Escape);
        QCOMPARE(leave.count(), 1);
        m_view->setPresenting(false);
        QVERIFY(m_view->questions()->isVisible());
    }

    // The corpus pool (issue 15): switching it re-ranks the split against one pool of every
    // paragraph (a run of its own, config pool "corpus"), the rankings name each paragraph's paper,
    // and switching back shows the per-paper run again, not a corpus run.
    void corpusPoolRanksTheWholeSplitAndNamesPapers() {
        const qint64 paperRun = m_session->results("bm25")->run.id;
        m_view->showMethods("bm25", "glove");
        m_session->setPool("corpus");
        QCOMPARE(m_session->dataset()->papers.size(), size_t(1));
        QTRY_VERIFY(m_session->results("bm25") && m_session->results("glove"));
        QTRY_COMPARE(m_runner->activeJobs(), 0);
        const MethodResults* corpus = m_session->results("bm25");
        QVERIFY(corpus->run.id != paperRun);
        QVERIFY(isCorpusRun(corpus->run.configJson));
        const auto all = m_session->splitDataset();
        size_t paragraphs = 0;
        for (const auto& paper : all->papers)
            paragraphs += paper.paragraphs.size();
        QVERIFY(m_view->selectQuestion("q3"));
        QVERIFY(m_view->questionView()->toPlainText().contains(
            QString("(gold in paper %1)")
                .arg(QString::fromStdString(all->paperOf(*all->findQuestion("q3")).id)))); // the question's paper
        QCOMPARE(corpus->byQuestion.at("q3").order.size(), paragraphs); // fixture pools are under depth 1000
        QSet<QString> papers;
        const RankingModel* model = m_view->panel(0)->model();
        QCOMPARE(model->rowCount(), static_cast<int>(paragraphs));
        for (int row = 0; row < model->rowCount(); ++row) {
            const QString place = model->index(row, RankingModel::SectionColumn).data().toString();
            QVERIFY2(place.startsWith('['), qPrintable(place));
            papers.insert(place.section(']', 0, 0));
        }
        QCOMPARE(papers.size(), static_cast<qsizetype>(all->papers.size()));
        const auto offered = m_session->storedRuns();
        QVERIFY(!offered.isEmpty());
        QVERIFY(std::none_of(offered.begin(), offered.end(),
                             [&](const auto& r) { return r.first == QString("run:%1").arg(paperRun); }));
        m_session->setPool("paper");
        QCOMPARE(m_session->results("bm25")->run.id, paperRun);
        QTRY_COMPARE(m_view->panel(0)->model()->rowCount(),
                     static_cast<int>(all->paperOf(*all->findQuestion("q3")).paragraphs.size()));
    }

    void cleanupTestCase() {
        m_view.reset();
        m_session.reset();
        m_runner.reset();
    }
};

QTEST_MAIN(TestInspectorView)
#include "tst_inspector_view.moc"
