#include "main_window.h"

#include "compare_view.h"
#include "embedding_map_view.h"
#include "index_panel.h"
#include "inspector_view.h"
#include "job_runner.h"
#include "jobs_panel.h"
#include "recent_menu.h"
#include "question_pane.h"
#include "runs_panel.h"
#include "settings_panel.h"
#include "training_dashboard.h"
#include "workbench_session.h"
#include "workspace_panel.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>

#include <algorithm>

namespace uae::ui {

namespace {

// A job's error for the one-line status bar: its first line (a refused TREC file names up to 20
// bad lines); the whole text is in the Jobs log.
QString firstLine(const QString& error) {
    const auto lines = error.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.size() <= 1)
        return error;
    const auto more = lines.size() - 1;
    const QString rest = more == 1 ? MainWindow::tr("1 more line") : MainWindow::tr("%1 more lines").arg(more);
    return MainWindow::tr("%1 (and %2: see the Jobs log)")
        .arg(lines.front(), rest); // one pass: a '%2' in the text stays
}

} // namespace

MainWindow::MainWindow(WorkbenchSession& session, JobRunner& runner, QWidget* parent)
    : QMainWindow(parent), m_session(session), m_runner(runner), m_tabs(new QTabWidget),
      m_inspector(new InspectorView(session)), m_dashboard(new TrainingDashboard(session, runner)),
      m_compare(new CompareView(session)), m_map(new EmbeddingMapView(session)), m_runsPanel(new RunsPanel(session)),
      m_jobsPanel(new JobsPanel(runner)), m_settingsPanel(new SettingsPanel(session)),
      m_workspacePanel(new WorkspacePanel(session)), m_indexPanel(new IndexPanel(session)), m_split(new QComboBox),
      m_pool(new QComboBox), m_jobLabel(new QLabel), m_progress(new QProgressBar),
      m_cancel(new QPushButton(tr("Cancel"))) {
    setWindowTitle(tr("UAE Workbench"));
    m_tabs->addTab(m_inspector, tr("&Inspector"));
    m_tabs->addTab(m_dashboard, tr("&Training"));
    m_tabs->addTab(m_compare, tr("&Compare"));
    m_tabs->addTab(m_map, tr("&Map"));
    setCentralWidget(m_tabs);
    buildDocks();
    buildStatusBar();
    buildMenus();
    buildToolBar();
    connectSession();
    connectJobs();
    connectMap();
    connect(m_inspector, &InspectorView::statusMessage, m_jobLabel, &QLabel::setText);
    connect(m_inspector, &InspectorView::leavePresentationRequested, this, [this] { setPresentationMode(false); });
    // The compare view is filled the first time it is opened, not at start-up.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_compare && m_compare->runList()->count() == 0) {
            m_compare->reloadRuns();
            m_compare->compare();
        }
    });
    m_normalFont = m_tabs->font();
    resize(1440, 900);
}

void MainWindow::setAutoRun(bool on) {
    m_inspector->setAutoRun(on);
}

void MainWindow::showMethods(const QString& a, const QString& b) {
    m_inspector->showMethods(a, b);
}

void MainWindow::addMethod(const QString& method) {
    m_inspector->addPanel(method);
}

bool MainWindow::selectQuestion(const QString& questionId) {
    return m_inspector->selectQuestion(questionId);
}

void MainWindow::buildStatusBar() {
    m_progress->setMaximumWidth(240);
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    statusBar()->addWidget(m_jobLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
}

void MainWindow::connectSession() {
    connect(&m_session, &WorkbenchSession::datasetLoaded, this, &MainWindow::onDatasetLoaded);
    connect(&m_session, &WorkbenchSession::datasetFailed, this,
            [this](const QString& error) { m_jobLabel->setText(tr("Could not load the data: %1").arg(error)); });
    connect(&m_session, &WorkbenchSession::runStored, this, &MainWindow::onRunStored);
    connect(&m_session, &WorkbenchSession::runImported, this, &MainWindow::onRunImported);
    connect(&m_session, &WorkbenchSession::trainingFinished, this, [this] {
        m_inspector->reloadMethods(); // a finished run makes "uae" available
        m_map->reloadMethods();
        reloadRuns();
    });
    connect(&m_session, &WorkbenchSession::jobFailed, this, [this](const QString& title, const QString& error) {
        m_jobLabel->setText(QStringLiteral("%1 failed: %2").arg(title, firstLine(error)));
    });
    connect(m_settingsPanel, &SettingsPanel::applied, this, [this] {
        m_inspector->reloadMethods();
        m_map->reloadMethods();
        m_session.checkIndexes(); // a changed model folder changes what an index's method would build
        m_jobLabel->setText(tr("Settings applied and saved."));
    });
}

void MainWindow::connectJobs() {
    connect(m_cancel, &QPushButton::clicked, &m_runner, &JobRunner::cancelAll);
    connect(&m_runner, &JobRunner::started, this, &MainWindow::onJobStarted);
    connect(&m_runner, &JobRunner::progress, this, &MainWindow::onJobProgress);
    connect(&m_runner, &JobRunner::finished, this, &MainWindow::onJobFinished);
}

void MainWindow::onDatasetLoaded() {
    const auto data = m_session.splitDataset();
    m_workspacePanel->reload();
    fillSplits();
    m_jobLabel->setText(tr("%1 %2: %3 papers, %4 questions (%5 with text evidence)")
                            .arg(data->format == "beir" ? QStringLiteral("BEIR") : QStringLiteral("QASPER"))
                            .arg(QString::fromStdString(data->name))
                            .arg(data->papers.size())
                            .arg(data->questions.size())
                            .arg(data->mapping.questionsWithTextEvidence));
    m_recentData->add(m_session.settings().dataDir);
    if (m_session.hasWorkspace()) // opened at start-up, not through the menu
        m_recentWorkspaces->add(m_session.settings().workspace);
    m_inspector->showDataset(); // after the message: the runs it starts report over it
    m_map->showMap();           // a map of the previous split is gone
}

// The map and the inspector select the same question, whichever the user clicks in.
void MainWindow::connectMap() {
    connect(m_map, &EmbeddingMapView::questionClicked, this, [this](const QString& id) { selectQuestion(id); });
    connect(m_map, &EmbeddingMapView::openInInspector, this, [this] { m_tabs->setCurrentWidget(m_inspector); });
    connect(m_map, &EmbeddingMapView::statusMessage, m_jobLabel, &QLabel::setText);
    connect(m_inspector->questions(), &QuestionPane::currentQuestionChanged, this, [this] {
        if (const Question* q = m_inspector->questions()->currentQuestion())
            m_map->showQuestion(QString::fromStdString(q->id));
    });
}

// The inspector refreshes its panels itself (it listens to runStored too).
void MainWindow::onRunStored(const QString& method, qint64 runId) {
    if (const MethodResults* r = m_session.results(method); r && r->run.id == runId)
        m_jobLabel->setText(tr("Stored run #%1 (%2 on %3, %4)")
                                .arg(runId)
                                .arg(method, m_session.settings().split, QString::fromUtf8(toString(r->run.status))));
    reloadRuns();
}

void MainWindow::reloadRuns() {
    if (!m_session.hasWorkspace())
        return;
    m_runsPanel->reload();
    m_dashboard->reloadRuns();
    m_workspacePanel->reload();
    m_indexPanel->reload();
    if (m_compare->runList()->count() > 0)
        m_compare->reloadRuns();
}

void MainWindow::setPresentationMode(bool on) {
    if (on == m_presenting)
        return;
    m_presenting = on;
    if (on) {
        m_normalGeometry = saveGeometry();
        m_tabs->setCurrentIndex(0);
    }
    applyFonts();
    m_inspector->setPresenting(on);
    m_tabs->tabBar()->setVisible(!on);
    menuBar()->setVisible(!on);
    statusBar()->setVisible(!on);
    for (auto* bar : findChildren<QToolBar*>())
        bar->setVisible(!on);
    for (auto* dock : findChildren<QDockWidget*>())
        if (on)
            dock->hide();
    if (auto* action = findChild<QAction*>("presentation-action"))
        action->setChecked(on);
    if (on)
        setFocus();
    else // larger fonts may have grown the window past the screen
        restoreGeometry(m_normalGeometry);
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

void MainWindow::onJobFinished(int, RunStatus status, const QString& error) {
    // The runner drops the job from its list in a slot connected before ours: activeJobs() is
    // current.
    if (m_runner.activeJobs() == 0) {
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
    }
    if (status == RunStatus::Cancelled)
        m_jobLabel->setText(tr("Cancelled; results computed so far are kept in the workspace as a cancelled run."));
    else if (status == RunStatus::Failed)
        m_jobLabel->setText(tr("Failed: %1").arg(firstLine(error)));
}

void MainWindow::openWorkspace() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Open or create workspace"), m_session.settings().workspace,
                                     tr("Workspace (*.db)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        openWorkspaceAt(path);
}

bool MainWindow::openWorkspaceAt(const QString& path) {
    if (const QString error = m_session.openWorkspace(path); !error.isEmpty()) {
        QMessageBox::warning(this, tr("Workspace"), error);
        return false;
    }
    m_recentWorkspaces->add(path);
    m_inspector->reloadMethods();
    reloadRuns();
    m_inspector->refresh();
    return true;
}

void MainWindow::openData() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("QASPER or BEIR folder"), m_session.settings().dataDir);
    if (!dir.isEmpty())
        m_session.loadDataset(dir, m_session.settings().split);
}

} // namespace uae::ui
