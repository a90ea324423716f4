// The inspector's rank grid with four methods, offscreen on the fixture split: one column per
// method, the paragraph under the mouse or selected highlighted in every column, the paragraph
// pane, the gold's journey, the question list sorted by the gold's rank change, the keyboard
// navigation and the state kept between sessions.
#include "gold_journey_strip.h"
#include "inspector_view.h"
#include "job_runner.h"
#include "paragraph_pane.h"
#include "question_list_model.h"
#include "question_pane.h"
#include "rank_grid_model.h"
#include "rank_grid_view.h"
#include "ranking_panel.h"
#include "uae/gold_ranks.h"
#include "workbench_session.h"

#include <QHeaderView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeView>
#include <QtTest>

#include "tiny_glove.h"

using namespace uae;
using namespace uae::ui;

namespace {

// The cells (row, column) of the grid whose paragraph is highlighted.
QList<QPair<int, int>> highlightedCells(const RankGridModel* m) {
    QList<QPair<int, int>> cells;
    for (int c = 0; c < m->columnCount(); ++c)
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, c).data(RankGridModel::HighlightedRole).toBool())
                cells << qMakePair(r, c);
    return cells;
}

// Where `paragraph` is in each column (rank - 1), for the columns that ranked it.
QList<QPair<int, int>> cellsOf(const RankGridModel* m, int paragraph) {
    QList<QPair<int, int>> cells;
    for (int c = 0; c < m->columnCount(); ++c)
        if (const int rank = m->rankIn(c, paragraph); rank > 0)
            cells << qMakePair(rank - 1, c);
    return cells;
}

} // namespace

class TestRankGrid : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<InspectorView> m_view;

    RankGridModel* grid() const { return m_view->rankGrid()->model(); }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
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
        connect(m_session.get(), &WorkbenchSession::datasetLoaded, m_view.get(), &InspectorView::showDataset);
        m_view->resize(1400, 860);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
        m_session->loadDataset(s.dataDir, s.split);
        QTRY_COMPARE(m_view->questionList()->model()->rowCount(), 7);
        QTRY_VERIFY(m_session->results("bm25") && m_session->results("glove"));
        QTRY_COMPARE(m_runner->activeJobs(), 0);
        // Four methods: C and D repeat A and B in reverse, so every paragraph is in several columns.
        QVERIFY(m_view->addPanel("glove"));
        QVERIFY(m_view->addPanel("bm25"));
        QVERIFY(m_view->selectQuestion("q3"));
    }

    void gridIsTheDefaultWithAColumnPerMethod() {
        QVERIFY(!m_view->detailMode());
        QVERIFY(m_view->rankGrid()->isVisible());
        QVERIFY(!m_view->panel(0)->view()->isVisible()); // the per-method tables wait for detail mode
        QCOMPARE(grid()->columnCount(), 4);
        const auto& order = m_session->results("bm25")->byQuestion.at("q3").order;
        QCOMPARE(grid()->rowCount(), static_cast<int>(order.size()));
        QCOMPARE(grid()->paragraphAt(0, 0), order[0]);
        QCOMPARE(grid()->paragraphAt(0, 3), order[0]); // D shows bm25 too
        QVERIFY(grid()->headerData(0, Qt::Horizontal, Qt::DisplayRole).toString().contains("bm25"));
        // The columns share the width: no sideways scrolling.
        const QTableView* table = m_view->rankGrid()->view();
        QCOMPARE(table->horizontalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
        int width = 0;
        for (int c = 0; c < 4; ++c)
            width += table->columnWidth(c);
        QVERIFY(width <= table->viewport()->width());
    }

    void hoverHighlightsTheParagraphInEveryColumn() {
        QTableView* table = m_view->rankGrid()->view();
        const int paragraph = grid()->paragraphAt(1, 1); // glove's rank 2
        QTest::mouseMove(table->viewport(), table->visualRect(grid()->index(1, 1)).center());
        QTRY_COMPARE(grid()->highlightedParagraph(), paragraph);
        const auto expected = cellsOf(grid(), paragraph);
        QVERIFY(expected.size() >= 4); // every method ranks the whole pool
        QCOMPARE(highlightedCells(grid()), expected);
        // Another cell under the mouse: the highlight follows it, and only it.
        const int other = grid()->paragraphAt(0, 0);
        QVERIFY(other != paragraph);
        QTest::mouseMove(table->viewport(), table->visualRect(grid()->index(0, 0)).center());
        QTRY_COMPARE(grid()->highlightedParagraph(), other);
        QCOMPARE(highlightedCells(grid()), cellsOf(grid(), other));
    }

    void selectionHighlightsAndOpensTheParagraphPane() {
        QSignalSpy selected(m_view->rankGrid(), &RankGridView::paragraphSelected);
        QVERIFY(m_view->rankGrid()->selectCell(2, 2));
        const int paragraph = grid()->paragraphAt(2, 2);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(1).toInt(), paragraph);
        QCOMPARE(highlightedCells(grid()), cellsOf(grid(), paragraph));
        // Leaving the grid keeps the selected paragraph highlighted.
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(m_view->rankGrid()->view()->viewport(), &leave);
        QCOMPARE(grid()->highlightedParagraph(), paragraph);

        ParagraphPane* pane = m_view->paragraphPane();
        QVERIFY(pane->isVisible());
        QCOMPARE(pane->paragraph(), paragraph);
        const QString text = pane->browser()->toPlainText();
        const auto data = m_session->dataset();
        const Question* q = m_view->questions()->currentQuestion();
        const std::string& full = data->paperOf(*q).paragraphs[static_cast<size_t>(paragraph)].text;
        QVERIFY(text.contains(QString::fromStdString(full).simplified().left(40)));
        for (int c = 0; c < 4; ++c) // its rank in every method
            QVERIFY2(text.contains(
                         QStringLiteral("%1: rank %2").arg(grid()->columnTitle(c)).arg(grid()->rankIn(c, paragraph))),
                     qPrintable(text));
        // A new question closes the pane and clears the highlight.
        QVERIFY(m_view->selectQuestion("q1"));
        QVERIFY(!pane->isVisible());
        QCOMPARE(grid()->highlightedParagraph(), -1);
    }

    void goldJourneyFollowsEveryMethod() {
        QVERIFY(m_view->selectQuestion("q3"));
        const Question* q = m_view->questions()->currentQuestion();
        QVERIFY(q->hasTextEvidence());
        QVector<const QuestionResult*> rankings;
        for (const char* m : {"bm25", "glove", "glove", "bm25"})
            rankings << MethodResults::find(m_session->results(m), q->id);
        const auto journeys = goldJourneys(*q, {rankings.begin(), rankings.end()});
        const QString strip = m_view->goldJourney()->text();
        for (const GoldJourney& j : journeys) {
            QString expected = QStringLiteral("¶%1: bm25 <b>%2</b>").arg(j.paragraph).arg(*j.ranks[0]);
            QVERIFY2(strip.contains(expected), qPrintable(strip));
            QVERIFY(strip.contains(QStringLiteral("glove <b>%1</b>").arg(*j.ranks[1])));
        }
    }

    // Sorting by Δ puts the biggest loss (ascending) or win (descending) first, the questions B or
    // A did not rank, or without gold, last; clicking the header sorts the same way.
    void sortByRankChange_data() {
        QTest::addColumn<int>("order");
        QTest::newRow("ascending: biggest loss first") << int(Qt::AscendingOrder);
        QTest::newRow("descending: biggest win first") << int(Qt::DescendingOrder);
    }
    void sortByRankChange() {
        QFETCH(int, order);
        const auto* a = m_session->results("bm25");
        const auto* b = m_session->results("glove");
        m_view->questions()->sortBy(QuestionListModel::RankChangeColumn, Qt::SortOrder(order));
        const QAbstractItemModel* list = m_view->questionList()->model();
        QList<int> changes;
        int missing = 0;
        for (int r = 0; r < list->rowCount(); ++r) {
            const std::string id = list->index(r, 0).data(QuestionListModel::QuestionIdRole).toString().toStdString();
            const Question& q =
                *std::find_if(m_session->dataset()->questions.begin(), m_session->dataset()->questions.end(),
                              [&](const Question& x) { return x.id == id; });
            const auto change = goldRankChange(q, MethodResults::find(a, id), MethodResults::find(b, id));
            QCOMPARE(list->index(r, QuestionListModel::RankChangeColumn).data(QuestionListModel::SortValueRole),
                     change ? QVariant(*change) : QVariant());
            if (!change) {
                ++missing;
                continue;
            }
            QCOMPARE(missing, 0); // no value before a missing one
            changes << *change;
        }
        QVERIFY(changes.size() >= 2);
        QList<int> sorted = changes;
        std::sort(sorted.begin(), sorted.end());
        if (order == Qt::DescendingOrder)
            std::reverse(sorted.begin(), sorted.end());
        QCOMPARE(changes, sorted);
        QVERIFY(changes.first() != changes.last()); // the fixture has wins and losses to order
        m_view->questions()->sortBy(QuestionListModel::QuestionColumn, Qt::AscendingOrder);
    }

    void clickingTheDeltaHeaderSorts() {
        QTreeView* list = m_view->questions()->list();
        QHeaderView* header = list->header();
        const int x = header->sectionViewportPosition(QuestionListModel::RankChangeColumn) +
                      header->sectionSize(QuestionListModel::RankChangeColumn) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QCOMPARE(header->sortIndicatorSection(), int(QuestionListModel::RankChangeColumn));
        m_view->questions()->sortBy(QuestionListModel::QuestionColumn, Qt::AscendingOrder);
        QCOMPARE(list->model()->index(0, 0).data(QuestionListModel::QuestionIdRole).toString(), QString("q1"));
    }

    void keysStepQuestionsAndRanks() {
        QVERIFY(m_view->selectQuestion("q1"));
        m_view->rankGrid()->view()->setFocus();
        const int first = m_view->questionList()->currentIndex().row();
        QTest::keyClick(m_view->rankGrid()->view(), Qt::Key_Down, Qt::ControlModifier);
        QCOMPARE(m_view->questionList()->currentIndex().row(), first + 1);
        QTest::keyClick(m_view->rankGrid()->view(), Qt::Key_Up, Qt::ControlModifier);
        QCOMPARE(m_view->questionList()->currentIndex().row(), first);
        QTest::keyClick(m_view->questionList(), Qt::Key_Down, Qt::AltModifier); // first rank of A
        QCOMPARE(m_view->rankGrid()->view()->currentIndex(), grid()->index(0, 0));
        QTest::keyClick(m_view->questionList(), Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(m_view->rankGrid()->view()->currentIndex(), grid()->index(1, 0));
        QCOMPARE(m_view->paragraphPane()->paragraph(), grid()->paragraphAt(1, 0));
    }

    void detailModeTogglesAndStateIsKept() {
        QTest::keyClick(m_view.get(), Qt::Key_D, Qt::ControlModifier);
        QVERIFY(m_view->detailMode());
        QVERIFY(!m_view->rankGrid()->isVisible());
        QVERIFY(m_view->panel(3)->view()->isVisible());
        QSettings settings;
        m_view->saveState(settings);
        m_view->setDetailMode(false);
        QVERIFY(m_view->rankGrid()->isVisible());
        m_view->restoreState(settings);
        QVERIFY(m_view->detailMode());
        QCOMPARE(InspectorView::savedMethods(settings), (QStringList{"bm25", "glove", "glove", "bm25"}));
        m_view->setDetailMode(false);
    }

    void cleanupTestCase() {
        m_view.reset();
        m_session.reset();
        m_runner.reset();
    }
};

QTEST_MAIN(TestRankGrid)
#include "tst_rank_grid.moc"
