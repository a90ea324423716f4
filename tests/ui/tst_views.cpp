// The training dashboard, the compare view and plot export, driven offscreen on the fixture.
#include "compare_table_model.h"
#include "compare_view.h"
#include "job_runner.h"
#include "jobs_panel.h"
#include "settings_panel.h"
#include "workspace_panel.h"
#include "inspector_plots.h"
#include "inspector_view.h"
#include "main_window.h"
#include "question_pane.h"
#include "runs_panel.h"
#include "runs_table_model.h"
#include "teacher_diagnostics_panel.h"
#include "plots/distribution_plot.h"
#include "plots/plot_export.h"
#include "plots/run_plot.h"
#include "plots/score_plot.h"
#include "plots/utility_plot.h"
#include "ranking_model.h"
#include "ranking_panel.h"
#include "plots/qcustomplot_include.h"
#include "training_dashboard.h"
#include "workbench_session.h"
#include "uae/safetensors.h"

#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QComboBox>
#include <QStandardPaths>
#include <QThread>
#include <QTreeWidget>
#include <QListWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QHeaderView>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QtTest>

#include "uae/sha256.h"

#include "tiny_glove.h"

#include <fstream>
#include <map>
#include <random>

using namespace uae;
using namespace uae::ui;

namespace {

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

// A model in the user cache as scripts/fetch-models.sh leaves it (SOURCE.json, SHA256SUMS): the
// tiny test BERT under the name "tiny-bert", in a private XDG_CACHE_HOME under root.
bool writeFetchedTinyBert(const QString& root) {
    const QString dir = root + "/xdg/uae-workbench/models/tiny-bert", tiny = UAE_TEST_DATA_DIR "/bert-tiny";
    if (!QDir().mkpath(dir + "/1_Pooling") ||
        !QFile::copy(tiny + "/1_Pooling/config.json", dir + "/1_Pooling/config.json"))
        return false;
    std::string sums;
    for (const QString& name : QDir(tiny).entryList(QDir::Files)) {
        QFile f(tiny + "/" + name);
        if (!QFile::copy(tiny + "/" + name, dir + "/" + name) || !f.open(QIODevice::ReadOnly))
            return false;
        const QByteArray bytes = f.readAll();
        sums += sha256Hex(bytes.constData(), static_cast<size_t>(bytes.size())) + "  " + name.toStdString() + "\n";
    }
    QFile sumFile(dir + "/SHA256SUMS"), source(dir + "/SOURCE.json");
    if (!sumFile.open(QIODevice::WriteOnly) || !source.open(QIODevice::WriteOnly))
        return false;
    sumFile.write(sums.c_str());
    source.write(R"({"name":"tiny-bert","kind":"bert","source":"wheel","package":"test-wheel","version":"1.0",)"
                 R"("licence":"Apache-2.0","upstream":"tests/data/bert-tiny"})");
    qputenv("XDG_CACHE_HOME", (root + "/xdg").toUtf8());
    return true;
}

class TestViews : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<WorkbenchSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_trainRun = 0;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location, not the user's
        QCoreApplication::setOrganizationName("uae-tests");
        QSettings().clear();
        test::writeTinyGlove(m_dir.path(),
                             {"signal",     "trains", "encoder", "recall",    "improve",   "baselines", "static",
                              "embeddings", "weak",   "dataset", "evaluated", "utility",   "language",  "model",
                              "percent",    "bm25",   "glove",   "vector",    "retrieval", "passages",  "dense"},
                             11);
        QVERIFY(writeFetchedTinyBert(m_dir.path()));
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
        QCOMPARE(done.at(0).at(1).value<uae::RunStatus>(), uae::RunStatus::Finished);
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

    // File > Export report… without its dialogs: the PDF holds the headline numbers and the
    // examples (the pinned questions, else the selected one); an unwritable path writes nothing.
    void exportReportWritesThePdf() {
        const qint64 a = m_session->results("bm25")->run.id, b = m_session->results("glove")->run.id;
        QVERIFY(m_window->inspector()->selectQuestion("q3"));
        const QString path = m_dir.filePath("report.pdf");
        QCOMPARE(m_window->exportReport(a, b, path), QString());
        QVERIFY(QFileInfo(path).size() > 1000);
        m_window->inspector()->questions()->togglePin(); // q3 pinned
        QVERIFY(m_window->inspector()->selectQuestion("q1"));
        const QString pinned = m_dir.filePath("pinned.pdf");
        QCOMPARE(m_window->exportReport(a, b, pinned), QString());
        m_window->inspector()->questions()->togglePin(); // q1 pinned as well
        QCOMPARE(m_window->inspector()->questions()->pinned(), (QStringList{"q1", "q3"}));
        for (const char* id : {"q1", "q3"}) { // the presentation list as the other cases expect it
            QVERIFY(m_window->inspector()->selectQuestion(id));
            m_window->inspector()->questions()->togglePin();
        }
        const QString bad = m_dir.filePath("missing/report.pdf");
        QVERIFY(m_window->exportReport(a, b, bad).contains(bad));
        QVERIFY(!QFileInfo::exists(bad));
        const QString pdftotext = QStandardPaths::findExecutable("pdftotext");
        if (pdftotext.isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed: the PDF's text is not checked");
        auto text = [&](const QString& file) {
            QProcess p;
            p.start(pdftotext, {file, "-"});
            return p.waitForFinished(30000) ? QString::fromUtf8(p.readAllStandardOutput()) : QString();
        };
        const QString selected = text(path), withPin = text(pinned);
        const double mapB = m_session->results("glove")->summary.mean[Metric::Map];
        QVERIFY2(selected.contains(QString::asprintf("%.4f", mapB)), qPrintable(selected));
        QVERIFY(selected.contains("question q3") && !selected.contains("question q1"));
        QVERIFY(withPin.contains("question q3") && !withPin.contains("question q1"));
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
        const QAbstractItemModel* table = c->table()->model();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->index(0, CompareTableModel::DeltaMapColumn).data().toString(), QString("baseline"));
        QVERIFY(table->index(1, CompareTableModel::WinsTiesLossesColumn).data().toString().count('/') ==
                2); // wins/ties/losses
        // Runs stored by this build time the query path; neither has answers yet.
        QVERIFY(!table->index(1, CompareTableModel::QueryLatencyColumn).data().toString().isEmpty());
        QVERIFY(table->index(1, CompareTableModel::TokenF1Column).data().isNull());
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

    // Issue 13 item 9: a run of fewer questions (e.g. --limit) was averaged over its own set. The
    // view says so and every figure is over the questions all ticked runs ranked.
    void compareViewUsesTheSharedQuestions() {
        const auto* glove = m_session->results("glove");
        QVERIFY(glove);
        auto full = m_session->store()->questionResults(glove->run.id).value();
        std::vector<QuestionResult> part(full.begin(), full.begin() + static_cast<long>(full.size() / 2));
        Store& store = *m_session->store();
        const auto run = store.beginRun(RunKind::Eval, "bm25", "fixture", "{}", "cpu").value();
        QVERIFY(store.addQuestionResults(run, part).ok());
        QVERIFY(store.finishRun(run, RunStatus::Finished).ok());
        CompareView* c = m_window->compareView();
        c->reloadRuns();
        c->setSelectedRuns({glove->run.id, run});
        c->compare();
        QVERIFY2(c->note()->text().contains(
                     QStringLiteral("ranked different questions (%1, %2)").arg(full.size()).arg(part.size())),
                 qPrintable(c->note()->text()));
        const double sharedMap = summarize(part).mean[Metric::Map];
        const auto& rows = c->model()->runs();
        QCOMPARE(rows.size(), size_t(2));
        QVERIFY(std::fabs(rows[0].summary.mean[Metric::Map] - sharedMap) < 1e-9); // the baseline, cut
        QVERIFY(std::fabs(rows[1].summary.mean[Metric::Map] - sharedMap) < 1e-9);
        QCOMPARE(rows[1].map->questions, rows[1].summary.evaluated);
    }

    // After training, the fixture split is labelled: utilities and rank changes reach the panels.
    void inspectorShowsUtilitiesAndRankChanges() {
        m_window->showMethods("glove", "uae");
        QTRY_VERIFY(m_session->results("uae"));
        QVERIFY(m_window->selectQuestion("q1"));
        const auto labels = m_session->store()->labels(LabelKey{"dirichlet", "dirichlet-v1:mu=100"}, "fixture").value();
        const auto* a = m_session->results("glove");
        const auto* b = m_session->results("uae");
        const auto& ra = a->byQuestion.at("q1").order;
        const auto& rb = b->byQuestion.at("q1").order;
        RankingModel* model = m_window->inspector()->panel(1)->model();
        QCOMPARE(model->rowCount(), static_cast<int>(rb.size()));
        int withUtility = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const int paragraph = model->index(row, 0).data(RankingModel::ParagraphRole).toInt();
            const QVariant u = model->index(row, 0).data(RankingModel::UtilityRole);
            for (const auto& l : labels)
                if (l.question == "q1" && l.paragraph == paragraph) {
                    QVERIFY(!u.isNull());
                    QCOMPARE(u.toDouble(), l.utility);
                    ++withUtility;
                }
            const int rankInA = static_cast<int>(std::find(ra.begin(), ra.end(), paragraph) - ra.begin()) + 1;
            QCOMPARE(model->index(row, 0).data(RankingModel::RankChangeRole).toInt(), rankInA - (row + 1));
        }
        QVERIFY(withUtility > 0);
    }

    void questionPlotsFollowTheMethods() {
        QVERIFY(m_window->selectQuestion("q1"));
        QCustomPlot* utility = m_window->inspector()->plots()->utilityPlot()->plot();
        QCOMPARE(utility->graphCount(), 4); // two methods, each with its gold marked apart
        QVERIFY(utility->graph(0)->name().contains("glove") && utility->graph(0)->name().contains("Pearson"));
        QVERIFY(utility->graph(0)->dataCount() + utility->graph(1)->dataCount() > 0);
        const auto kl = m_window->inspector()->plots()->distributionPlot()->divergences();
        QCOMPARE(kl.size(), 2);
        QVERIFY(std::isfinite(kl[0]) && kl[0] >= 0 && std::isfinite(kl[1]) && kl[1] >= 0);
        m_window->showMethods("bm25", "uae");
        QVERIFY(utility->graph(0)->name().contains("bm25"));
        // A perfectly monotone pair correlates at 1.
        const auto [r, rho] = correlations({1, 2, 3, 4}, {2, 4, 6, 9});
        QVERIFY(std::fabs(rho - 1.0) < 1e-12 && r > 0.98);
    }

    void quickFiltersMatchTheirDefinitions() {
        m_window->showMethods("bm25", "uae");
        const auto data = m_session->dataset();
        const auto* a = m_session->results("bm25");
        const auto* b = m_session->results("uae");
        auto hitAt = [](const MethodResults* m, const Question& q, size_t k) {
            const auto& order = m->byQuestion.at(q.id).order;
            for (size_t r = 0; r < std::min(k, order.size()); ++r)
                if (std::find(q.gold.begin(), q.gold.end(), order[r]) != q.gold.end())
                    return true;
            return false;
        };
        int fixed = 0, broke = 0, fail = 0, disagree = 0;
        for (const auto& q : data->questions) {
            if (!q.hasTextEvidence())
                continue;
            fixed += !hitAt(a, q, 1) && hitAt(b, q, 1);
            broke += hitAt(a, q, 1) && !hitAt(b, q, 1);
            fail += !hitAt(a, q, 3) && !hitAt(b, q, 3);
            const auto u = m_session->utilities(q.id);
            if (!u.isEmpty()) {
                int best = u.constBegin().key();
                for (auto it = u.constBegin(); it != u.constEnd(); ++it)
                    if (it.value() > u.value(best))
                        best = it.key();
                disagree += std::find(q.gold.begin(), q.gold.end(), best) == q.gold.end();
            }
        }
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::BFixed);
        QCOMPARE(m_window->inspector()->questions()->visibleQuestions(), fixed);
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::BBroke);
        QCOMPARE(m_window->inspector()->questions()->visibleQuestions(), broke);
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::AllFail);
        QCOMPARE(m_window->inspector()->questions()->visibleQuestions(), fail);
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::TeacherDisagrees);
        QCOMPARE(m_window->inspector()->questions()->visibleQuestions(), disagree);
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::AllQuestions);
        QCOMPARE(m_window->inspector()->questions()->visibleQuestions(), static_cast<int>(data->questions.size()));
    }

    void presentationModeStepsWithTheKeyboard() {
        QVERIFY(m_window->selectQuestion("q1"));
        const int first = m_window->inspector()->questionList()->currentIndex().row();
        m_window->setPresentationMode(true);
        QVERIFY(m_window->presentationMode());
        QVERIFY(!m_window->inspector()->questionList()->isVisible());
        QVERIFY(!m_window->tabs()->tabBar()->isVisible());
        QVERIFY(m_window->font().pointSizeF() < m_window->tabs()->font().pointSizeF());
        QTest::keyClick(m_window.get(), Qt::Key_Right);
        QCOMPARE(m_window->inspector()->questionList()->currentIndex().row(), first + 1);
        QTest::keyClick(m_window.get(), Qt::Key_Left);
        QCOMPARE(m_window->inspector()->questionList()->currentIndex().row(), first);
        QTest::keyClick(m_window.get(), Qt::Key_Escape);
        QVERIFY(!m_window->presentationMode());
        QVERIFY(m_window->inspector()->questionList()->isVisible());
    }

    // Each panel shows the answer read from its own method's run, with that answer's Token F1,
    // the reader and the mean over the run; the run line carries the mean too.
    void answersShowWithTheirF1() {
        m_window->showMethods("bm25", "uae");
        QVERIFY(m_window->selectQuestion("q1"));
        QVERIFY(m_window->inspector()->panel(0)->answerText().contains("press Answer"));
        QSignalSpy stored(m_session.get(), &WorkbenchSession::answersStored);
        QVERIFY(m_session->runAnswers("bm25") > 0);
        QTRY_COMPARE(stored.count(), 1);
        QVERIFY(m_window->inspector()->panel(1)->answerText().contains("press Answer")); // uae: none yet
        QVERIFY(m_session->runAnswers("uae") > 0);
        QTRY_COMPARE(stored.count(), 2);
        for (int i = 0; i < 2; ++i) {
            const QString method = i == 0 ? "bm25" : "uae";
            const MethodAnswers* answers = m_session->answers(method);
            QVERIFY(answers && answers->byQuestion.contains("q1"));
            QCOMPARE(answers->answerSet.evalRun, m_session->results(method)->run.id); // tied to the shown run
            QCOMPARE(answers->answerSet.reader, std::string("extractive"));
            const AnswerRow a = answers->byQuestion.value("q1");
            const QString shown = m_window->inspector()->panel(i)->answerText();
            QVERIFY2(shown.contains(QString::number(a.f1, 'f', 2)), qPrintable(shown));
            QVERIFY2(shown.contains("Token F1") && shown.contains("extractive, top 3"), qPrintable(shown));
            QVERIFY(shown.contains(QString::fromStdString(a.answer).left(20).toHtmlEscaped()));
            QVERIFY(shown.contains(QString::number(answers->answerSet.meanF1, 'f', 3)));
            const QString status = m_window->inspector()->panel(i)->statusText();
            QVERIFY2(status.contains(QString("Token F1 %1").arg(answers->answerSet.meanF1, 0, 'f', 3)),
                     qPrintable(status));
        }
        // The answers of one run are not shown for another: the panels' runs differ.
        QVERIFY(m_session->answers("bm25")->answerSet.run != m_session->answers("uae")->answerSet.run);
        // The compare view gives each run's mean Token F1 with its reader.
        CompareView* c = m_window->compareView();
        c->reloadRuns();
        c->setSelectedRuns({m_session->results("bm25")->run.id, m_session->results("uae")->run.id});
        c->compare();
        for (int row = 0; row < 2; ++row) {
            const double mean = m_session->answers(row == 0 ? "bm25" : "uae")->answerSet.meanF1;
            QCOMPARE(c->table()->model()->index(row, CompareTableModel::TokenF1Column).data().toString(),
                     QString("%1 (extractive)").arg(mean, 0, 'f', 4));
        }
    }

    // Before any method has ranked the question: a note, no empty legend box; and back after.
    void scorePlotSaysWhenNothingIsRanked() {
        ScorePlot plot;
        QVERIFY(plot.showsEmptyNote());
        QVERIFY(!plot.plot()->legend->visible());
        plot.setSeries({ScoreSeries{"bm25", Qt::blue, {3.0, 2.0, 1.0}, {false, true, false}, {}, false}});
        QVERIFY(!plot.showsEmptyNote());
        QVERIFY(plot.plot()->legend->visible());
        QCOMPARE(plot.plot()->graphCount(), 2);
        // The legend sits beside the axis rect, not over the points, one entry per method.
        QVERIFY(plot.plot()->legend->layout() != plot.plot()->axisRect()->insetLayout());
        QCOMPARE(plot.plot()->legend->itemCount(), 1);
        plot.setSeries({ScoreSeries{"glove", Qt::red, {}, {}, {}, true}}); // a method with no ranking
        QVERIFY(plot.showsEmptyNote());
        QVERIFY(!plot.plot()->legend->visible());
    }

    // Any stored run can be shown, and more than two side by side.
    void moreMethodsAndStoredRunsSideBySide() {
        m_window->showMethods("bm25", "glove");
        QVERIFY(m_window->selectQuestion("q1"));
        const qint64 uaeRun = m_session->results("uae")->run.id;
        const auto runs = m_session->storedRuns();
        QVERIFY(std::any_of(runs.begin(), runs.end(),
                            [&](const auto& r) { return r.first == QString("run:%1").arg(uaeRun); }));
        RankingPanel* third = m_window->inspector()->addPanel(QString("run:%1").arg(uaeRun));
        QVERIFY(third);
        QCOMPARE(m_window->inspector()->panelCount(), 3);
        QCOMPARE(third->method(), QString("run:%1").arg(uaeRun));
        QCOMPARE(third->model()->rowCount(),
                 static_cast<int>(m_session->results("uae")->byQuestion.at("q1").order.size()));
        // A narrow panel wraps the paragraph, but no row grows past six lines (it once outgrew the view).
        third->resize(260, 400);
        third->view()->resizeRowsToContents();
        const int cap = third->view()->fontMetrics().lineSpacing() * 6 + 6;
        QVERIFY(third->view()->verticalHeader()->maximumSectionSize() <= cap);
        for (int r = 0; r < third->model()->rowCount(); ++r)
            QVERIFY2(third->view()->rowHeight(r) <= cap, qPrintable(QString("row %1").arg(r)));
        QCOMPARE(m_window->inspector()->plots()->scorePlot()->plot()->graphCount(),
                 6); // three rankings, gold marked apart
        QVERIFY(m_window->inspector()->plots()->utilityPlot()->plot()->graph(4)->name().contains(
            QString("#%1 uae").arg(uaeRun)));
        m_window->inspector()->removePanel(2);
        QCOMPARE(m_window->inspector()->panelCount(), 2);
        QCOMPARE(m_window->inspector()->plots()->scorePlot()->plot()->graphCount(), 4);
        m_window->inspector()->removePanel(1); // A and B stay
        QCOMPARE(m_window->inspector()->panelCount(), 2);
    }

    void wholeRunPlotsCoverEveryLabelledQuestion() {
        m_window->showMethods("glove", "uae");
        m_window->inspector()->plots()->setCurrentIndex(m_window->inspector()->plots()->count() - 1); // whole run
        RunPlot* plot = m_window->inspector()->plots()->runPlot();
        // Labelled questions with two or more candidates, counted from the store directly.
        std::map<std::string, int> perQuestion;
        for (const auto& l :
             m_session->store()->labels(LabelKey{"dirichlet", "dirichlet-v1:mu=100"}, "fixture").value())
            ++perQuestion[l.question];
        const int labelled = static_cast<int>(
            std::count_if(perQuestion.begin(), perQuestion.end(), [](const auto& q) { return q.second >= 2; }));
        QCOMPARE(plot->labelledQuestions(), labelled);
        QCOMPARE(plot->scatter()->graphCount(), 2);
        int candidates = 0;
        for (const auto& [q, n] : perQuestion)
            candidates += n >= 2 ? n : 0;
        QCOMPARE(plot->scatter()->graph(0)->dataCount(), candidates);
        QCOMPARE(plot->meanSpearman().size(), 2);
        QVERIFY(std::isfinite(plot->meanSpearman()[0]) && std::fabs(plot->meanSpearman()[0]) <= 1.0);
        QCOMPARE(plot->histogram()->plottableCount(), 1);
        m_window->inspector()->plots()->setCurrentIndex(0);
    }

    // The runs dock shows a label run's stored teacher diagnostics, a training run's those of its
    // labels, an eval run none; the whole-run tab those of the labels behind the trained method.
    void teacherDiagnosticsOfLabelAndTrainingRuns() {
        qint64 labelRun = 0;
        for (const auto& r : m_session->allRuns())
            labelRun = r.kind == RunKind::Label ? r.id : labelRun;
        QVERIFY(labelRun > 0);
        QVERIFY(m_session->store()->replaceMetrics(
            labelRun, 0, {{"spearman_encoder:tiny-bert", 0.25}, {"spearman_encoder_questions:tiny-bert", 5}}));
        std::map<std::string, double> stored;
        for (const auto& m : m_session->store()->metrics(labelRun).value())
            stored[m.name] = m.value;
        m_window->reloadRuns();
        RunsPanel* runs = m_window->runsPanel();
        for (qint64 run : {labelRun, m_trainRun}) {
            QVERIFY(runs->selectRun(run));
            TeacherDiagnosticsPanel* panel = runs->diagnostics();
            QCOMPARE(panel->value("gold top"), QString("%1% (%2 of %3)")
                                                   .arg(100.0 * stored["gold_top"] / stored["with_gold"], 0, 'f', 1)
                                                   .arg(stored["gold_top"])
                                                   .arg(stored["with_gold"]));
            QCOMPARE(panel->value("mean max p"), QString::number(stored["mean_max_p"], 'f', 3));
            QCOMPARE(panel->value("mean entropy"), QString("%1 nats").arg(stored["mean_entropy"], 0, 'f', 3));
            QCOMPARE(panel->value("Spearman vs BM25"), QString::number(stored["spearman_bm25"], 'f', 3));
            QCOMPARE(panel->value("Spearman vs tiny-bert"), QString("0.250 (5 questions)"));
            QCOMPARE(panel->title().contains("trained on"), run == m_trainRun);
        }
        qint64 evalRun = m_session->results("bm25")->run.id;
        QVERIFY(runs->selectRun(evalRun));
        QVERIFY(runs->diagnostics()->rows().isEmpty());

        m_window->showMethods("glove", "uae");
        InspectorPlots* plots = m_window->inspector()->plots();
        plots->setCurrentIndex(plots->count() - 1); // whole run
        QTRY_VERIFY(plots->teacherDiagnostics()->title().contains(QString("run #%1 trained on").arg(m_trainRun)));
        QCOMPARE(plots->teacherDiagnostics()->value("Spearman vs tiny-bert"), QString("0.250 (5 questions)"));
        plots->setCurrentIndex(0);
    }

    void workspaceAndRunsDocks() {
        m_window->reloadRuns();
        WorkspacePanel* ws = m_window->workspacePanel();
        QVERIFY(ws->summary().contains(m_dir.filePath("ws.db")));
        QCOMPARE(ws->datasets()->rowCount(), 1);
        QCOMPARE(ws->datasets()->item(0, 0)->text(), QString("qasper-fixture"));
        QCOMPARE(ws->datasets()->item(0, 2)->text(), QString("7"));
        const QAbstractItemModel* runs = m_window->runsPanel()->table()->model(); // as shown: sorted and filtered
        const int all = m_window->runsPanel()->model()->rowCount();
        QCOMPARE(all, static_cast<int>(m_session->allRuns().size()));
        QCOMPARE(runs->rowCount(), all);
        QCOMPARE(runs->index(0, 0).data().toLongLong(),
                 static_cast<qlonglong>(m_session->allRuns().front().id)); // unsorted
        m_window->runsPanel()->filter()->setText("train");
        const int shown = runs->rowCount();
        for (int row = 0; row < shown; ++row)
            QCOMPARE(runs->index(row, 1).data().toString(), QString("train"));
        QVERIFY(shown >= 1);
        m_window->runsPanel()->filter()->clear();
        QCOMPARE(runs->rowCount(), all);
    }

    void pinnedQuestionsMakeThePresentationList() {
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::AllQuestions);
        QVERIFY(m_window->selectQuestion("q2"));
        m_window->inspector()->questions()->togglePin();
        QVERIFY(
            m_window->inspector()->questionList()->currentIndex().data().toString().startsWith(QStringLiteral("★")));
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::Pinned);
        QCOMPARE(m_window->inspector()->questions()->visibleQuestions(), 1);
        QCOMPARE(QSettings().value("presentation/pinned").toStringList(), QStringList{"q2"});
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::AllQuestions);
        QVERIFY(m_window->selectQuestion("q2"));
        m_window->inspector()->questions()->togglePin();
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::Pinned);
        QCOMPARE(m_window->inspector()->questions()->visibleQuestions(), 0);
        m_window->inspector()->questions()->setQuickFilter(QuestionPane::AllQuestions);
    }

    void jobsDockShowsProgressCancelAndErrors() {
        JobsPanel* jobs = m_window->jobsPanel();
        const int before = jobs->jobs()->topLevelItemCount();
        std::atomic<bool> release{false};
        // A job that waits until released, reporting progress, so Cancel can reach it mid-run.
        m_runner->start("waits", [&](const JobContext& ctx) {
            for (int i = 0; i < 2000 && !release && !ctx.cancelled(); ++i) {
                ctx.progress(1, 4, "step");
                QThread::msleep(5);
            }
            return JobOutcome{ctx.cancelled() ? RunStatus::Cancelled : RunStatus::Finished, {}, 0};
        });
        m_runner->start("breaks", [](const JobContext&) { return JobOutcome{RunStatus::Failed, "disk on fire", 0}; });
        QTRY_COMPARE(jobs->jobs()->topLevelItemCount(), before + 2);
        QTreeWidgetItem* waiting = jobs->jobs()->topLevelItem(before);
        QTRY_COMPARE(waiting->text(3), QString("step"));
        auto* cancel = qobject_cast<QPushButton*>(jobs->jobs()->itemWidget(waiting, 4));
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE(waiting->text(3), QString("cancelled"));
        QTRY_COMPARE(jobs->jobs()->topLevelItem(before + 1)->text(3), QString("failed"));
        QVERIFY(jobs->log()->toPlainText().contains("breaks failed: disk on fire"));
        release = true;
    }

    // Settings lists each fetched model with its size and source; choosing a BERT-family one
    // fills the BERT field; the method pickers offer it by name, and a run of it is stored so.
    void fetchedModelsOfferedByName() {
        SettingsPanel* panel = m_window->settingsPanel();
        QComboBox* box = panel->fetchedBox();
        const int at = box->findData("tiny-bert");
        QVERIFY(at > 0);
        QVERIFY2(box->itemText(at).contains("tiny-bert (bert, ") &&
                     box->itemText(at).contains(" MB, wheel test-wheel==1.0)"),
                 qPrintable(box->itemText(at)));
        Q_EMIT box->activated(at);
        QCOMPARE(panel->bertEdit()->text(), QString("tiny-bert"));
        QVERIFY(m_session->methods().contains("bert:tiny-bert"));
        QVERIFY(m_session->runEvaluation("bert:tiny-bert") > 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_session->results("bert:tiny-bert"), 60000);
        QCOMPARE(QString::fromStdString(m_session->results("bert:tiny-bert")->run.method), QString("bert:tiny-bert"));
        QTRY_COMPARE(m_runner->activeJobs(), 0);
    }

    void settingsApplyAndPersist() {
        SettingsPanel* panel = m_window->settingsPanel();
        panel->batchBox()->setValue(7);
        panel->deviceBox()->setCurrentText("cpu");
        panel->apply();
        QCOMPARE(m_session->settings().batch, 7);
        QCOMPARE(m_session->settings().device, QString("cpu"));
        QCOMPARE(m_session->settings().split, QString("fixture")); // not the panel's business
        SessionSettings reread;
        SettingsPanel::load(reread, QSettings());
        QCOMPARE(reread.batch, 7);
        QCOMPARE(reread.device, QString("cpu"));
        QCOMPARE(reread.gloveDir, m_session->settings().gloveDir);
    }

    void plotsExportAsPngPdfSvg() {
        QCustomPlot* plot = m_window->dashboard()->plot(TrainingDashboard::LossPlot);
        const QString png = m_dir.filePath("loss.png"), pdf = m_dir.filePath("loss.pdf"),
                      svg = m_dir.filePath("loss.svg");
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
