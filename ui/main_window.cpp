#include "main_window.h"

#include "compare_view.h"
#include "job_runner.h"
#include "training_dashboard.h"
#include "plots/score_plot.h"
#include "question_list_model.h"
#include "question_view.h"
#include "ranking_model.h"
#include "ranking_panel.h"
#include "workbench_session.h"

#include <QComboBox>
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

namespace uae::ui {

MainWindow::MainWindow(WorkbenchSession& session, JobRunner& runner, QWidget* parent)
    : QMainWindow(parent), m_session(session), m_runner(runner), m_questions(new QuestionListModel(this)),
      m_filter(new QSortFilterProxyModel(this)), m_list(new QListView), m_search(new QLineEdit),
      m_split(new QComboBox), m_question(new QTextBrowser), m_plot(new ScorePlot), m_tabs(new QTabWidget),
      m_dashboard(new TrainingDashboard(session, runner)), m_compare(new CompareView(session)),
      m_runsTable(new QTableWidget),
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
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_list, 1);

    const QStringList methods = m_session.methods();
    m_panels[0] = new RankingPanel(tr("A"), methods, methods.value(0));
    m_panels[1] = new RankingPanel(tr("B"), methods, methods.value(1));
    auto* sideBySide = new QSplitter(Qt::Horizontal);
    sideBySide->addWidget(m_panels[0]);
    sideBySide->addWidget(m_panels[1]);

    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(m_question);
    right->addWidget(sideBySide);
    right->addWidget(m_plot);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 4);
    right->setStretchFactor(2, 1);

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
    runsDock->setWidget(m_runsTable);
    addDockWidget(Qt::BottomDockWidgetArea, runsDock);
    runsDock->hide(); // View > Runs

    m_progress->setMaximumWidth(240);
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    statusBar()->addWidget(m_jobLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    buildMenus();

    connect(m_search, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);
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
                                                                          QString::fromStdString(r->run.status)));
        refreshPanel(0);
        refreshPanel(1);
        showCurrentQuestion();
        reloadRuns();
    });
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
    for (int i = 0; i < 2; ++i) {
        connect(m_panels[i], &RankingPanel::methodChanged, this, [this, i](const QString& method) {
            refreshPanel(i);
            if (m_autoRun)
                ensureRun(method);
            showCurrentQuestion();
        });
        connect(m_panels[i], &RankingPanel::runRequested, this, [this](const QString& method) {
            m_session.runEvaluation(method);
            refreshPanel(0);
            refreshPanel(1);
        });
    }
    resize(1440, 900);
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &workspace…"), this, &MainWindow::openWorkspace);
    file->addAction(tr("Open QASPER &folder…"), this, &MainWindow::openData);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(findChild<QDockWidget*>("runs-dock")->toggleViewAction());

    auto* bar = addToolBar(tr("Data"));
    bar->setMovable(false);
    bar->addWidget(new QLabel(tr(" Split: ")));
    m_split->addItems({"dev", "train"});
    m_split->setCurrentText(m_session.settings().split);
    bar->addWidget(m_split);
    connect(m_split, &QComboBox::currentTextChanged, this, [this](const QString& split) {
        if (split != m_session.settings().split)
            m_session.loadDataset(m_session.settings().dataDir, split);
    });
}

void MainWindow::onDatasetLoaded() {
    const auto data = m_session.dataset();
    m_questions->setDataset(data);
    if (m_split->findText(m_session.settings().split) < 0)
        m_split->addItem(m_session.settings().split);
    m_split->setCurrentText(m_session.settings().split);
    m_jobLabel->setText(tr("QASPER %1: %2 papers, %3 questions (%4 with text evidence)")
                            .arg(QString::fromStdString(data->name))
                            .arg(data->papers.size())
                            .arg(data->questions.size())
                            .arg(data->mapping.questionsWithTextEvidence));
    for (int i = 0; i < 2; ++i) {
        refreshPanel(i);
        if (m_autoRun)
            ensureRun(m_panels[i]->method());
    }
    if (m_filter->rowCount() > 0)
        m_list->setCurrentIndex(m_filter->index(0, 0));
}

void MainWindow::ensureRun(const QString& method) {
    if (m_session.dataset() && !m_session.results(method) && !m_session.pendingJob(method))
        m_session.runEvaluation(method);
    refreshPanel(0);
    refreshPanel(1);
}

void MainWindow::refreshPanel(int i) {
    RankingPanel* panel = m_panels[i];
    const QString method = panel->method();
    const bool pending = m_session.pendingJob(method) != 0;
    panel->setRunEnabled(m_session.dataset() != nullptr && !pending);
    if (pending) {
        panel->setStatus(tr("ranking the split…"));
        return;
    }
    const MethodResults* r = m_session.results(method);
    if (!r) {
        panel->setStatus(m_session.dataset() ? tr("no stored run: press Run") : QString());
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
        for (auto* p : m_panels)
            p->model()->clear();
        m_plot->setSeries({});
        return;
    }
    m_question->setHtml(questionHtml(*data, *q));
    QVector<ScoreSeries> series;
    const QColor colors[] = {QColor(21, 101, 192), QColor(230, 81, 0)};
    for (int i = 0; i < 2; ++i) {
        const MethodResults* r = m_session.results(m_panels[i]->method());
        const QuestionResult* qr = nullptr;
        if (r)
            if (auto it = r->byQuestion.find(q->id); it != r->byQuestion.end())
                qr = &it->second;
        m_panels[i]->model()->setRanking(data, q, qr);
        if (!qr)
            continue;
        ScoreSeries s{QStringLiteral("%1: %2").arg(i ? "B" : "A", m_panels[i]->method()), colors[i], {}, {}};
        for (int row = 0; row < m_panels[i]->model()->rowCount(); ++row) {
            const QModelIndex idx = m_panels[i]->model()->index(row, RankingModel::ScoreColumn);
            s.scores << idx.data(RankingModel::ScoreRole).toDouble();
            s.gold << idx.data(RankingModel::IsGoldRole).toBool();
        }
        series << s;
    }
    m_plot->setSeries(series);
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
    auto runs = store->runs();
    if (!runs)
        return;
    m_runsTable->setSortingEnabled(false);
    m_runsTable->setRowCount(static_cast<int>(runs->size()));
    int row = 0;
    for (const auto& r : runs.value()) {
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
        m_runsTable->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(r.kind)));
        m_runsTable->setItem(row, 2, new QTableWidgetItem(QString::fromStdString(r.method)));
        m_runsTable->setItem(row, 3, new QTableWidgetItem(QString::fromStdString(r.split)));
        auto* status = new QTableWidgetItem(QString::fromStdString(r.status));
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
    if (m_compare->runList()->count() > 0)
        m_compare->reloadRuns();
}

void MainWindow::showMethods(const QString& a, const QString& b) {
    const QStringList methods = m_session.methods();
    m_panels[0]->setMethods(methods, methods.contains(a) ? a : m_panels[0]->method());
    m_panels[1]->setMethods(methods, methods.contains(b) ? b : m_panels[1]->method());
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
    for (int i = 0; i < 2; ++i)
        refreshPanel(i);
    showCurrentQuestion();
}

void MainWindow::openData() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("QASPER folder"), m_session.settings().dataDir);
    if (!dir.isEmpty())
        m_session.loadDataset(dir, m_session.settings().split);
}

} // namespace uae::ui
