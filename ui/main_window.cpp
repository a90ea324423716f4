#include "main_window.h"

#include "compare_view.h"
#include "job_runner.h"
#include "jobs_panel.h"
#include "settings_panel.h"
#include "workspace_panel.h"
#include "training_dashboard.h"
#include "plots/score_plot.h"
#include "plots/distribution_plot.h"
#include "plots/run_plot.h"
#include "plots/utility_plot.h"
#include "question_list_model.h"
#include "question_view.h"
#include "ranking_model.h"
#include "ranking_panel.h"
#include "workbench_session.h"

#include <QAction>
#include <QComboBox>
#include <QSettings>
#include <QShortcut>
#include <QTabBar>
#include <QDockWidget>
#include <QHeaderView>
#include <QTabWidget>
#include <QTableWidget>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace uae::ui {

MainWindow::MainWindow(WorkbenchSession& session, JobRunner& runner, QWidget* parent)
    : QMainWindow(parent), m_session(session), m_runner(runner), m_questions(new QuestionListModel(this)),
      m_filter(new QuestionFilter(this)), m_quickFilter(new QComboBox), m_list(new QListView), m_search(new QLineEdit),
      m_split(new QComboBox), m_question(new QTextBrowser), m_plot(new ScorePlot), m_utilityPlot(new UtilityPlot),
      m_distributionPlot(new DistributionPlot), m_runPlot(new RunPlot), m_plotTabs(new QTabWidget), m_questionPane(nullptr), m_tabs(new QTabWidget),
      m_dashboard(new TrainingDashboard(session, runner)), m_compare(new CompareView(session)),
      m_runsTable(new QTableWidget), m_jobsPanel(new JobsPanel(runner)), m_settingsPanel(new SettingsPanel(session)),
      m_workspacePanel(new WorkspacePanel(session)), m_runsFilter(new QLineEdit),
      m_jobLabel(new QLabel), m_progress(new QProgressBar), m_cancel(new QPushButton(tr("Cancel"))) {
    setWindowTitle(tr("UAE Workbench"));
    m_filter->setSourceModel(m_questions);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_list->setModel(m_filter);
    m_list->setUniformItemSizes(true);
    m_search->setPlaceholderText(tr("Filter questions…"));
    m_search->setClearButtonEnabled(true);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(2, 2, 2, 2);
    m_quickFilter->addItems({tr("All questions"), tr("B fixed: A misses at rank 1, B hits"),
                             tr("B broke: A hits at rank 1, B misses"), tr("All fail: no gold in A's or B's top 3"),
                             tr("Teacher disagrees with gold"), tr("Presentation list (★, Ctrl+B pins)")});
    m_quickFilter->setToolTip(tr("Jump between questions where the two methods shown differ "
                                 "(set panel A to the base and B to UAE for \"UAE fixed\" / \"UAE broke\")"));
    leftLayout->addWidget(m_quickFilter);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_list, 1);

    const QStringList methods = m_session.methods();
    m_sideBySide = new QSplitter(Qt::Horizontal);
    m_panels << new RankingPanel(tr("A"), methods, methods.value(0)) << new RankingPanel(tr("B"), methods, methods.value(1));
    m_sideBySide->addWidget(m_panels[0]);
    m_sideBySide->addWidget(m_panels[1]);
    auto* sideBySide = m_sideBySide;

    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(m_question);
    right->addWidget(sideBySide);
    m_plotTabs->addTab(m_plot, tr("Score by rank"));
    m_plotTabs->addTab(m_utilityPlot, tr("Utility vs similarity"));
    m_plotTabs->addTab(m_distributionPlot, tr("Teacher vs student"));
    m_plotTabs->addTab(m_runPlot, tr("Whole run"));
    connect(m_plotTabs, &QTabWidget::currentChanged, this, [this] {
        if (m_plotTabs->currentWidget() == m_runPlot)
            showRunPlots();
    });
    right->addWidget(m_plotTabs);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 4);
    right->setStretchFactor(2, 2);
    right->setSizes({120, 430, 300});

    m_questionPane = left;
    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(left);
    main->addWidget(right);
    main->setStretchFactor(1, 3);
    main->setSizes({330, 1100});
    m_tabs->addTab(main, tr("&Inspector"));
    m_tabs->addTab(m_dashboard, tr("&Training"));
    m_tabs->addTab(m_compare, tr("&Compare"));
    setCentralWidget(m_tabs);

    m_runsTable->setColumnCount(7);
    m_runsTable->setHorizontalHeaderLabels({tr("id"), tr("kind"), tr("method"), tr("split"), tr("status"), tr("R@1"), tr("MAP")});
    m_runsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runsTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsTable->setSortingEnabled(true);
    m_runsTable->verticalHeader()->setVisible(false);
    m_runsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* runsDock = new QDockWidget(tr("Runs"), this);
    runsDock->setObjectName("runs-dock");
    auto* runsPane = new QWidget;
    auto* runsLayout = new QVBoxLayout(runsPane);
    runsLayout->setContentsMargins(2, 2, 2, 2);
    m_runsFilter->setPlaceholderText(tr("Filter runs (kind, method, split, status)…"));
    m_runsFilter->setClearButtonEnabled(true);
    runsLayout->addWidget(m_runsFilter);
    runsLayout->addWidget(m_runsTable, 1);
    runsDock->setWidget(runsPane);
    connect(m_runsFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        for (int row = 0; row < m_runsTable->rowCount(); ++row) {
            bool match = text.isEmpty();
            for (int c = 1; c <= 4 && !match; ++c)
                match = m_runsTable->item(row, c) && m_runsTable->item(row, c)->text().contains(text, Qt::CaseInsensitive);
            m_runsTable->setRowHidden(row, !match);
        }
    });
    auto* workspaceDock = new QDockWidget(tr("Workspace"), this);
    workspaceDock->setObjectName("workspace-dock");
    workspaceDock->setWidget(m_workspacePanel);
    addDockWidget(Qt::LeftDockWidgetArea, workspaceDock);
    workspaceDock->hide();
    connect(m_workspacePanel, &WorkspacePanel::openWorkspaceRequested, this, &MainWindow::openWorkspace);
    connect(m_workspacePanel, &WorkspacePanel::openDataRequested, this, &MainWindow::openData);
    addDockWidget(Qt::BottomDockWidgetArea, runsDock);
    auto* jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName("jobs-dock");
    jobsDock->setWidget(m_jobsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);
    tabifyDockWidget(runsDock, jobsDock);
    resizeDocks({runsDock, jobsDock}, {220, 220}, Qt::Vertical);
    auto* settingsDock = new QDockWidget(tr("Settings"), this);
    settingsDock->setObjectName("settings-dock");
    settingsDock->setWidget(m_settingsPanel);
    addDockWidget(Qt::RightDockWidgetArea, settingsDock);
    // Hidden until asked for (View menu): the inspector needs the room.
    runsDock->hide();
    jobsDock->hide();
    settingsDock->hide();
    connect(m_settingsPanel, &SettingsPanel::applied, this, [this] {
        showMethods(m_panels[0]->method(), m_panels[1]->method());
        m_jobLabel->setText(tr("Settings applied and saved."));
    });

    m_progress->setMaximumWidth(240);
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    statusBar()->addWidget(m_jobLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    buildMenus();

    connect(m_search, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_quickFilter, &QComboBox::currentIndexChanged, this,
            [this](int i) { setQuickFilter(static_cast<QuickFilter>(i)); });
    const std::pair<QKeySequence, int> keys[] = {{Qt::Key_Right, 1}, {Qt::Key_Space, 1}, {Qt::Key_PageDown, 1},
                                                 {Qt::Key_Left, -1}, {Qt::Key_PageUp, -1}};
    for (const auto& [key, delta] : keys) {
        auto* shortcut = new QShortcut(key, this);
        shortcut->setEnabled(false);
        connect(shortcut, &QShortcut::activated, this, [this, delta = delta] { stepQuestion(delta); });
        m_presentationKeys << shortcut;
    }
    auto* leave = new QShortcut(Qt::Key_Escape, this);
    leave->setEnabled(false);
    connect(leave, &QShortcut::activated, this, [this] { setPresentationMode(false); });
    m_presentationKeys << leave;
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::showCurrentQuestion);
    connect(m_cancel, &QPushButton::clicked, &m_runner, &JobRunner::cancelAll);
    connect(&m_runner, &JobRunner::started, this, &MainWindow::onJobStarted);
    connect(&m_runner, &JobRunner::progress, this, &MainWindow::onJobProgress);
    connect(&m_runner, &JobRunner::finished, this, &MainWindow::onJobFinished);
    connect(&m_session, &WorkbenchSession::datasetLoaded, this, &MainWindow::onDatasetLoaded);
    connect(&m_session, &WorkbenchSession::datasetFailed, this, [this](const QString& error) {
        m_jobLabel->setText(tr("Could not load QASPER: %1").arg(error));
    });
    connect(&m_session, &WorkbenchSession::runStored, this, [this](const QString& method, qint64 runId) {
        if (const MethodResults* r = m_session.results(method); r && r->run.id == runId)
            m_jobLabel->setText(tr("Stored run #%1 (%2 on %3, %4)").arg(runId).arg(method, m_session.settings().split,
                                                                          QString::fromUtf8(toString(r->run.status))));
        for (RankingPanel* p : m_panels) // the new run joins the choices; what is shown stays
            p->setMethods(m_session.methods(), m_session.storedRuns(), p->method(), false);
        refreshPanels();
        showCurrentQuestion();
        reloadRuns();
    });
    connect(&m_session, &WorkbenchSession::answersStored, this, &MainWindow::showCurrentQuestion);
    connect(&m_session, &WorkbenchSession::trainingFinished, this, [this] {
        showMethods(m_panels[0]->method(), m_panels[1]->method()); // a finished run makes "uae" available
        reloadRuns();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_compare && m_compare->runList()->count() == 0) {
            m_compare->reloadRuns();
            m_compare->compare();
        }
    });
    connect(&m_session, &WorkbenchSession::jobFailed, this, [this](const QString& title, const QString& error) {
        m_jobLabel->setText(QStringLiteral("%1 failed: %2").arg(title, error));
    });
    for (RankingPanel* panel : m_panels)
        connectPanel(panel);
    resize(1440, 900);
}

void MainWindow::connectPanel(RankingPanel* panel) {
    connect(panel, &RankingPanel::methodChanged, this, [this, panel](const QString& method) {
        refreshPanel(static_cast<int>(m_panels.indexOf(panel)));
        if (m_quickFilter->currentIndex() != AllQuestions)
            setQuickFilter(static_cast<QuickFilter>(m_quickFilter->currentIndex()));
        if (m_autoRun)
            ensureRun(method);
        showCurrentQuestion();
        if (m_plotTabs->currentWidget() == m_runPlot) // not per question: it covers the whole run
            showRunPlots();
    });
    connect(panel, &RankingPanel::answerRequested, this, [this](const QString& method) { m_session.runAnswers(method); });
    connect(panel, &RankingPanel::runRequested, this, [this](const QString& method) {
        m_session.runEvaluation(method);
        refreshPanels();
    });
    connect(panel, &RankingPanel::closeRequested, this, [this, panel] { removePanel(static_cast<int>(m_panels.indexOf(panel))); });
}

RankingPanel* MainWindow::addPanel(const QString& method) {
    if (m_panels.size() >= 4)
        return nullptr;
    const QString title(QChar(static_cast<char16_t>('A' + m_panels.size())));
    auto* panel = new RankingPanel(title, {}, {});
    panel->setClosable(true);
    m_panels << panel;
    m_sideBySide->addWidget(panel);
    connectPanel(panel);
    panel->setMethods(m_session.methods(), m_session.storedRuns(), method); // emits methodChanged
    return panel;
}

void MainWindow::removePanel(int i) {
    if (i < 2 || i >= m_panels.size())
        return; // A and B stay: the quick filters compare them
    RankingPanel* panel = m_panels.takeAt(i);
    panel->deleteLater();
    for (int k = 2; k < m_panels.size(); ++k)
        m_panels[k]->setTitle(QString(QChar(static_cast<char16_t>('A' + k))));
    showCurrentQuestion();
}

void MainWindow::refreshPanels() {
    for (int i = 0; i < m_panels.size(); ++i)
        refreshPanel(i);
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &workspace…"), this, &MainWindow::openWorkspace);
    file->addAction(tr("Open QASPER &folder…"), this, &MainWindow::openData);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto* view = menuBar()->addMenu(tr("&View"));
    for (const char* dock : {"workspace-dock", "runs-dock", "jobs-dock", "settings-dock"})
        view->addAction(findChild<QDockWidget*>(dock)->toggleViewAction());
    // The shortcut lives on the window, so it also works while the menu bar is hidden.
    auto* present = new QAction(tr("&Presentation mode"), this);
    present->setObjectName("presentation-action");
    present->setShortcut(Qt::Key_F5);
    present->setCheckable(true);
    connect(present, &QAction::toggled, this, &MainWindow::setPresentationMode);
    addAction(present);
    view->addAction(present);
    auto* pin = new QAction(tr("Pin question for the presentation list"), this);
    pin->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    connect(pin, &QAction::triggered, this, &MainWindow::togglePin);
    addAction(pin);
    view->addAction(pin);

    auto* bar = addToolBar(tr("Data"));
    bar->setMovable(false);
    bar->addWidget(new QLabel(tr(" Split: ")));
    m_split->addItems({"dev", "train"});
    m_split->setCurrentText(m_session.settings().split);
    bar->addWidget(m_split);
    bar->addSeparator();
    bar->addAction(tr("+ Method"), this, [this] { addPanel(m_session.methods().value(0)); })
        ->setToolTip(tr("Show one more method or stored run side by side (up to four)"));
    connect(m_split, &QComboBox::currentTextChanged, this, [this](const QString& split) {
        if (split != m_session.settings().split)
            m_session.loadDataset(m_session.settings().dataDir, split);
    });
}

void MainWindow::onDatasetLoaded() {
    const auto data = m_session.dataset();
    m_questions->setDataset(data);
    for (const QString& id : QSettings().value("presentation/pinned").toStringList())
        m_questions->setPinned(id, true);
    m_workspacePanel->reload();
    if (m_split->findText(m_session.settings().split) < 0)
        m_split->addItem(m_session.settings().split);
    m_split->setCurrentText(m_session.settings().split);
    m_jobLabel->setText(tr("QASPER %1: %2 papers, %3 questions (%4 with text evidence)")
                            .arg(QString::fromStdString(data->name))
                            .arg(data->papers.size())
                            .arg(data->questions.size())
                            .arg(data->mapping.questionsWithTextEvidence));
    for (int i = 0; i < m_panels.size(); ++i) {
        refreshPanel(i);
        if (m_autoRun)
            ensureRun(m_panels[i]->method());
    }
    if (m_filter->rowCount() > 0)
        m_list->setCurrentIndex(m_filter->index(0, 0));
}

void MainWindow::ensureRun(const QString& method) {
    if (m_session.dataset() && !method.startsWith("run:") && !m_session.results(method) && !m_session.pendingJob(method))
        m_session.runEvaluation(method);
    refreshPanels();
}

void MainWindow::refreshPanel(int i) {
    RankingPanel* panel = m_panels[i];
    const QString method = panel->method();
    const bool pending = m_session.pendingJob(method) != 0;
    panel->setRunEnabled(m_session.dataset() != nullptr && !pending && !method.startsWith("run:"));
    if (pending) {
        panel->setStatus(tr("ranking the split…"));
        return;
    }
    const MethodResults* r = m_session.results(method);
    if (!r) {
        panel->setStatus(m_session.dataset() ? tr("no stored run: press Run") : QString());
        if (method.startsWith("run:"))
            panel->setStatus(tr("run not found in this workspace"));
        return;
    }
    panel->setStatus(tr("run #%1 · R@1 %2 · MRR %3 · MAP %4 · %5 q")
                         .arg(r->run.id)
                         .arg(r->summary.mean[Metric::Recall1], 0, 'f', 3)
                         .arg(r->summary.mean[Metric::Mrr], 0, 'f', 3)
                         .arg(r->summary.mean[Metric::Map], 0, 'f', 3)
                         .arg(r->summary.evaluated));
}

void MainWindow::showCurrentQuestion() {
    const auto data = m_session.dataset();
    const QModelIndex index = m_filter->mapToSource(m_list->currentIndex());
    const Question* q = data ? m_questions->question(index.row()) : nullptr;
    if (!q) {
        m_question->clear();
        for (auto* p : m_panels) {
            p->model()->clear();
            p->setAnswer({});
        }
        m_plot->setSeries({});
        m_utilityPlot->setSeries({});
        m_distributionPlot->setSeries({}, TrainConfig{}.loss.tauT, TrainConfig{}.loss.tauS);
        return;
    }
    m_question->setHtml(questionHtml(*data, *q));
    const int n = static_cast<int>(m_panels.size());
    QVector<const QuestionResult*> results(n, nullptr);
    QVector<const MethodResults*> runs(n, nullptr);
    for (int i = 0; i < n; ++i) {
        runs[i] = m_session.results(m_panels[i]->method());
        results[i] = MethodResults::find(runs[i], q->id);
    }
    const QHash<int, double> utilities = m_session.utilities(q->id);
    QVector<ScoreSeries> series;
    const QColor colors[] = {QColor(21, 101, 192), QColor(230, 81, 0), QColor(46, 125, 50), QColor(106, 27, 154)};
    for (int i = 0; i < n; ++i) {
        RankingModel::Context context;
        context.utilities = utilities;
        // Rank changes: A against B, every other panel against A.
        if (const QuestionResult* other = results[i == 0 ? 1 : 0])
            for (size_t r = 0; r < other->order.size(); ++r)
                context.referenceRanks.insert(other->order[r], static_cast<int>(r + 1));
        m_panels[i]->model()->setRanking(data, q, results[i], context);
        const auto* answers = m_session.answers(m_panels[i]->method());
        if (answers && answers->contains(QString::fromStdString(q->id))) {
            const AnswerRow answer = answers->value(QString::fromStdString(q->id));
            m_panels[i]->setAnswer(tr("<b>Answer</b> from the top 3: “%1” · Answer-F1 <b>%2</b>")
                                       .arg(QString::fromStdString(answer.answer).toHtmlEscaped())
                                       .arg(answer.f1, 0, 'f', 2));
        }
        else
            m_panels[i]->setAnswer(results[i] ? tr("<i>No answers for this run yet: press Answer.</i>") : QString());
        if (!results[i])
            continue;
        const QString method = QString::fromStdString(runs[i]->run.method);
        const QString label = m_panels[i]->method().startsWith("run:") ? QStringLiteral("#%1 %2").arg(runs[i]->run.id).arg(method)
                                                                        : method;
        ScoreSeries s{QStringLiteral("%1: %2").arg(QChar(static_cast<char16_t>('A' + i))).arg(label), colors[i % 4], {}, {}, {}, method != "bm25"};
        for (int row = 0; row < m_panels[i]->model()->rowCount(); ++row) {
            const QModelIndex idx = m_panels[i]->model()->index(row, RankingModel::ScoreColumn);
            s.scores << idx.data(RankingModel::ScoreRole).toDouble();
            s.gold << idx.data(RankingModel::IsGoldRole).toBool();
            const QVariant u = idx.data(RankingModel::UtilityRole);
            s.utilities << (u.isNull() ? std::nan("") : u.toDouble());
        }
        series << s;
    }
    m_plot->setSeries(series);
    m_utilityPlot->setSeries(series);
    QStringList shown;
    for (auto* p : m_panels)
        shown << p->method();
    const UaeLossConfig loss = m_session.lossFor(shown); // the trained run's own temperatures
    m_distributionPlot->setSeries(series, loss.tauT, loss.tauS);
}

void MainWindow::togglePin() {
    const Question* q = m_questions->question(m_filter->mapToSource(m_list->currentIndex()).row());
    if (!q)
        return;
    const QString id = QString::fromStdString(q->id);
    m_questions->setPinned(id, !m_questions->isPinned(id));
    QSettings().setValue("presentation/pinned", m_questions->pinned());
    m_jobLabel->setText(tr("%1 question(s) in the presentation list").arg(m_questions->pinned().size()));
}

void MainWindow::showRunPlots() {
    const auto data = m_session.dataset();
    if (!data)
        return;
    QVector<RunSeries> runs;
    const QColor colors[] = {QColor(21, 101, 192), QColor(230, 81, 0), QColor(46, 125, 50), QColor(106, 27, 154)};
    for (int i = 0; i < m_panels.size(); ++i)
        if (const MethodResults* r = m_session.results(m_panels[i]->method()))
            runs << RunSeries{QStringLiteral("%1: #%2 %3").arg(QChar(static_cast<char16_t>('A' + i))).arg(r->run.id)
                                  .arg(QString::fromStdString(r->run.method)),
                              colors[i % 4], r};
    m_runPlot->setRuns(*data, runs, [this](const std::string& id) { return m_session.utilities(id); });
}

void MainWindow::setQuickFilter(QuickFilter filter) {
    if (m_quickFilter->currentIndex() != filter) {
        m_quickFilter->setCurrentIndex(filter); // comes back here through the signal
        return;
    }
    if (filter == AllQuestions) {
        m_filter->setPredicate({});
    } else {
        // Results are looked up on every call: the session's cache may be replaced while the filter lives.
        const QString am = m_panels[0]->method(), bm = m_panels[1]->method();
        WorkbenchSession* session = &m_session;
        auto goldIn = [](const MethodResults* m, const Question& q, size_t k) {
            const QuestionResult* r = MethodResults::find(m, q.id);
            for (size_t rank = 0; r && rank < std::min(k, r->order.size()); ++rank)
                if (std::find(q.gold.begin(), q.gold.end(), r->order[rank]) != q.gold.end())
                    return true;
            return false;
        };
        auto ranked = [](const MethodResults* m, const Question& q) { return MethodResults::find(m, q.id) != nullptr; };
        switch (filter) {
        case BFixed:
            m_filter->setPredicate([=](const Question& q) {
                const MethodResults *a = session->results(am), *b = session->results(bm);
                return q.hasTextEvidence() && ranked(a, q) && ranked(b, q) && !goldIn(a, q, 1) && goldIn(b, q, 1);
            });
            break;
        case BBroke:
            m_filter->setPredicate([=](const Question& q) {
                const MethodResults *a = session->results(am), *b = session->results(bm);
                return q.hasTextEvidence() && ranked(a, q) && ranked(b, q) && goldIn(a, q, 1) && !goldIn(b, q, 1);
            });
            break;
        case AllFail:
            m_filter->setPredicate([=](const Question& q) {
                const MethodResults *a = session->results(am), *b = session->results(bm);
                return q.hasTextEvidence() && ranked(a, q) && ranked(b, q) && !goldIn(a, q, 3) && !goldIn(b, q, 3);
            });
            break;
        case TeacherDisagrees:
            m_filter->setPredicate([this](const Question& q) {
                const auto u = m_session.utilities(q.id);
                if (!q.hasTextEvidence() || u.isEmpty())
                    return false;
                auto best = u.constBegin();
                for (auto it = u.constBegin(); it != u.constEnd(); ++it)
                    if (it.value() > best.value())
                        best = it;
                return std::find(q.gold.begin(), q.gold.end(), best.key()) == q.gold.end();
            });
            break;
        case Pinned:
            m_filter->setPredicate([this](const Question& q) { return m_questions->isPinned(QString::fromStdString(q.id)); });
            break;
        case AllQuestions:
            break;
        }
    }
    if (m_filter->rowCount() > 0 && !m_list->currentIndex().isValid())
        m_list->setCurrentIndex(m_filter->index(0, 0));
    m_jobLabel->setText(tr("%1 of %2 questions shown").arg(m_filter->rowCount()).arg(m_questions->rowCount()));
}

int MainWindow::visibleQuestions() const { return m_filter->rowCount(); }

void MainWindow::stepQuestion(int delta) {
    const int rows = m_filter->rowCount();
    if (rows == 0)
        return;
    const int current = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -delta;
    m_list->setCurrentIndex(m_filter->index(std::clamp(current + delta, 0, rows - 1), 0));
}

void MainWindow::setPresentationMode(bool on) {
    if (on == m_presenting)
        return;
    m_presenting = on;
    if (on) {
        m_normalGeometry = saveGeometry();
        m_normalFont = m_tabs->font();
        QFont big = m_normalFont;
        big.setPointSizeF(big.pointSizeF() * 1.4);
        m_tabs->setFont(big);
        m_tabs->setCurrentIndex(0);
    } else {
        m_tabs->setFont(m_normalFont);
    }
    for (auto* panel : m_panels)
        panel->setScale(on ? 1.3 : 1.0);
    m_tabs->tabBar()->setVisible(!on);
    m_questionPane->setVisible(!on);
    menuBar()->setVisible(!on);
    statusBar()->setVisible(!on);
    for (auto* bar : findChildren<QToolBar*>())
        bar->setVisible(!on);
    for (auto* dock : findChildren<QDockWidget*>())
        if (on)
            dock->hide();
    for (auto* key : m_presentationKeys)
        key->setEnabled(on);
    if (auto* action = findChild<QAction*>("presentation-action"))
        action->setChecked(on);
    if (on)
        setFocus();
    else // larger fonts may have grown the window past the screen
        restoreGeometry(m_normalGeometry);
}

bool MainWindow::selectQuestion(const QString& questionId) {
    const int row = m_questions->rowOf(questionId);
    if (row < 0)
        return false;
    m_search->clear();
    m_list->setCurrentIndex(m_filter->mapFromSource(m_questions->index(row, 0)));
    return true;
}

void MainWindow::reloadRuns() {
    Store* store = m_session.store();
    if (!store)
        return;
    const auto runs = m_session.allRuns();
    m_runsTable->setSortingEnabled(false);
    m_runsTable->setRowCount(static_cast<int>(runs.size()));
    int row = 0;
    for (const auto& r : runs) {
        double r1 = 0, map = 0;
        if (auto points = store->metrics(r.id))
            for (const auto& p : points.value()) {
                if (p.name == "recall@1" || p.name == "eval_recall@1")
                    r1 = p.value;
                if (p.name == "map" || p.name == "eval_map")
                    map = p.value;
            }
        auto* id = new QTableWidgetItem;
        id->setData(Qt::DisplayRole, static_cast<qlonglong>(r.id));
        m_runsTable->setItem(row, 0, id);
        m_runsTable->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(toString(r.kind))));
        m_runsTable->setItem(row, 2, new QTableWidgetItem(QString::fromStdString(r.method)));
        m_runsTable->setItem(row, 3, new QTableWidgetItem(QString::fromStdString(r.split)));
        auto* status = new QTableWidgetItem(QString::fromUtf8(toString(r.status)));
        if (!r.error.empty())
            status->setToolTip(QString::fromStdString(r.error));
        m_runsTable->setItem(row, 4, status);
        for (int c = 5; c < 7; ++c) {
            auto* v = new QTableWidgetItem;
            v->setData(Qt::DisplayRole, QString::number(c == 5 ? r1 : map, 'f', 4));
            m_runsTable->setItem(row, c, v);
        }
        ++row;
    }
    m_runsTable->setSortingEnabled(true);
    m_dashboard->reloadRuns();
    m_workspacePanel->reload();
    Q_EMIT m_runsFilter->textChanged(m_runsFilter->text()); // keeps the filter applied to the new rows
    if (m_compare->runList()->count() > 0)
        m_compare->reloadRuns();
}

void MainWindow::showMethods(const QString& a, const QString& b) {
    const QStringList methods = m_session.methods();
    const auto runs = m_session.storedRuns();
    auto known = [&](const QString& key) {
        return methods.contains(key) || std::any_of(runs.begin(), runs.end(), [&](const auto& r) { return r.first == key; });
    };
    for (int i = 0; i < m_panels.size(); ++i) {
        const QString wanted = i == 0 ? a : i == 1 ? b : m_panels[i]->method();
        m_panels[i]->setMethods(methods, runs, known(wanted) ? wanted : m_panels[i]->method());
    }
}

void MainWindow::onJobStarted(int, const QString& title) {
    m_jobLabel->setText(title + QStringLiteral("…"));
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
}

void MainWindow::onJobProgress(int, qint64 done, qint64 total, const QString&) {
    m_progress->setRange(0, static_cast<int>(std::max<qint64>(total, 1)));
    m_progress->setValue(static_cast<int>(done));
}

void MainWindow::onJobFinished(int, const QString& status, const QString& error) {
    // The runner drops the job from its list in a slot connected before ours: activeJobs() is current.
    if (m_runner.activeJobs() == 0) {
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
    }
    if (status == "cancelled")
        m_jobLabel->setText(tr("Cancelled; results computed so far are kept in the workspace as a cancelled run."));
    else if (status == "failed")
        m_jobLabel->setText(tr("Failed: %1").arg(error));
}

void MainWindow::openWorkspace() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Open or create workspace"),
                                                      m_session.settings().workspace, tr("Workspace (*.db)"),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (const QString error = m_session.openWorkspace(path); !error.isEmpty()) {
        QMessageBox::warning(this, tr("Workspace"), error);
        return;
    }
    showMethods(m_panels[0]->method(), m_panels[1]->method());
    reloadRuns();
    refreshPanels();
    showCurrentQuestion();
}

void MainWindow::openData() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("QASPER folder"), m_session.settings().dataDir);
    if (!dir.isEmpty())
        m_session.loadDataset(dir, m_session.settings().split);
}

} // namespace uae::ui
