// The Map tab (issue 14 item 3): a click on a question's point selects it in the inspector, the
// inspector's selection is shown on the map, two encoders side by side, hover text.
#include "embedding_map_view.h"
#include "inspector_view.h"
#include "job_runner.h"
#include "main_window.h"
#include "map_canvas.h"
#include "question_pane.h"
#include "workbench_session.h"

#include <QListView>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tiny_glove.h"

using namespace uae;
using namespace uae::ui;

class TestEmbeddingMap : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<MainWindow> m_window;

    EmbeddingMapView* map() const { return m_window->mapView(); }

    // A question's item whose point no other point covers, so a click there hits it.
    int clickableQuestion(int layer, const QString& notThis) const {
        const auto m = m_session->embeddingMap();
        for (int item = 0; item < int(m->items.size()); ++item)
            if (m->items[item].kind == MapItemKind::Question && map()->questionIdOfItem(item) != notThis &&
                map()->canvas(layer)->itemAt(map()->canvas(layer)->toScreen(item), 2.0) == item)
                return item;
        return -1;
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
        s.bertModel = UAE_TEST_DATA_DIR "/bert-tiny";
        s.split = "fixture";
        m_runner = std::make_unique<JobRunner>();
        m_session = std::make_unique<WorkbenchSession>(s, *m_runner);
        m_window = std::make_unique<MainWindow>(*m_session, *m_runner);
        m_window->setAutoRun(false);
        QCOMPARE(m_session->openWorkspace(m_dir.filePath("ws.db")), QString());
        m_window->show();
        m_session->loadDataset(s.dataDir, s.split);
        QTRY_COMPARE(m_window->inspector()->questionList()->model()->rowCount(), 7);
        m_window->tabs()->setCurrentWidget(map());
        map()->reloadMethods();
        map()->setMethods("glove", "bert");
        QVERIFY(map()->compute() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->embeddingMap() != nullptr, 60000);
        QTRY_COMPARE(m_runner->activeJobs(), 0);
    }

    void bothEncodersSideBySide() {
        QCOMPARE(map()->shownLayers(), 2);
        const auto m = m_session->embeddingMap();
        QCOMPARE(m->layers[0].method, std::string("glove"));
        QCOMPARE(m->layers[1].method, std::string("bert"));
        QCOMPARE(map()->canvas(0)->pointCount(), int(m->items.size()));
        QCOMPARE(map()->canvas(1)->pointCount(), int(m->items.size()));
        QVERIFY(map()->canvas(1)->isVisible());
    }

    void clickSelectsTheQuestionInTheInspector_data() {
        QTest::addColumn<int>("layer");
        QTest::newRow("left pane") << 0;
        QTest::newRow("right pane") << 1;
    }
    void clickSelectsTheQuestionInTheInspector() {
        QFETCH(int, layer);
        const Question* before = m_window->inspector()->questions()->currentQuestion();
        const QString current = before ? QString::fromStdString(before->id) : QString();
        const int item = clickableQuestion(layer, current);
        QVERIFY2(item >= 0, "no question point free to click");
        const QString id = map()->questionIdOfItem(item);
        QSignalSpy clicked(map(), &EmbeddingMapView::questionClicked);
        QTest::mouseClick(map()->canvas(layer), Qt::LeftButton, {}, map()->canvas(layer)->toScreen(item).toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toString(), id);
        const Question* q = m_window->inspector()->questions()->currentQuestion();
        QVERIFY(q);
        QCOMPARE(QString::fromStdString(q->id), id);
        QCOMPARE(map()->canvas(0)->selected(), item); // both panes show the selection
        QCOMPARE(map()->canvas(1)->selected(), item);
        QCOMPARE(m_window->tabs()->currentWidget(), map()); // a single click keeps the map in view
    }

    void inspectorSelectionIsShownOnTheMap() {
        QVERIFY(m_window->selectQuestion("q3"));
        const auto m = m_session->embeddingMap();
        const Question* q = m_session->dataset()->findQuestion("q3");
        const int item = m->itemOfQuestion(int(q - m_session->dataset()->questions.data()));
        QVERIFY(item >= 0);
        QCOMPARE(map()->canvas(0)->selected(), item);
    }

    void hoverTextNamesTheQuestion() {
        const auto m = m_session->embeddingMap();
        const Question* q = m_session->dataset()->findQuestion("q3");
        const int item = m->itemOfQuestion(int(q - m_session->dataset()->questions.data()));
        QVERIFY(map()->questionIdOfItem(item) == "q3");
        QVERIFY(map()->toolTipFor(item).contains(QString::fromStdString(q->text).toHtmlEscaped()));
        QVERIFY(map()->questionIdOfItem(0).isEmpty()); // item 0 is a paragraph
        const auto& para = m_session->dataset()->papers[m->items[0].paper].paragraphs[0];
        QVERIFY(map()->toolTipFor(0).contains(QString::fromStdString(para.text).left(30).toHtmlEscaped()));
    }

    void doubleClickOpensTheInspector() {
        const int item = clickableQuestion(0, QString());
        QVERIFY(item >= 0);
        QTest::mouseDClick(map()->canvas(0), Qt::LeftButton, {}, map()->canvas(0)->toScreen(item).toPoint());
        QCOMPARE(m_window->tabs()->currentWidget(), m_window->inspector());
        m_window->tabs()->setCurrentWidget(map());
    }
};

QTEST_MAIN(TestEmbeddingMap)
#include "tst_embedding_map.moc"
