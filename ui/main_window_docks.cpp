// MainWindow's docks: the workspace on the left, the runs, the jobs and the indexes tabbed at the bottom, the
// settings on the right; all hidden until asked for (View menu), as the inspector needs the room.
#include "main_window.h"

#include "index_panel.h"
#include "jobs_panel.h"
#include "runs_panel.h"
#include "settings_panel.h"
#include "workspace_panel.h"

#include <QDockWidget>

namespace uae::ui {

namespace {

// Named so the View menu finds them and the window state can be saved.
QDockWidget* addDock(QMainWindow* window, const QString& title, const char* name, QWidget* content,
                     Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, window);
    dock->setObjectName(name);
    dock->setWidget(content);
    window->addDockWidget(area, dock);
    return dock;
}

} // namespace

void MainWindow::buildDocks() {
    auto* workspace = addDock(this, tr("Workspace"), "workspace-dock", m_workspacePanel, Qt::LeftDockWidgetArea);
    auto* runs = addDock(this, tr("Runs"), "runs-dock", m_runsPanel, Qt::BottomDockWidgetArea);
    auto* jobs = addDock(this, tr("Jobs"), "jobs-dock", m_jobsPanel, Qt::BottomDockWidgetArea);
    auto* indexes = addDock(this, tr("Indexes"), "indexes-dock", m_indexPanel, Qt::BottomDockWidgetArea);
    tabifyDockWidget(runs, jobs);
    tabifyDockWidget(jobs, indexes);
    resizeDocks({runs, jobs, indexes}, {220, 220, 220}, Qt::Vertical);
    auto* settings = addDock(this, tr("Settings"), "settings-dock", m_settingsPanel, Qt::RightDockWidgetArea);
    for (QDockWidget* dock : {workspace, runs, jobs, indexes, settings})
        dock->hide();
    connect(m_workspacePanel, &WorkspacePanel::openWorkspaceRequested, this, &MainWindow::openWorkspace);
    connect(m_workspacePanel, &WorkspacePanel::openDataRequested, this, &MainWindow::openData);
}

} // namespace uae::ui
