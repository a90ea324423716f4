#pragma once
// The workbench window. Tabs: the inspector (InspectorView), the training dashboard and the
// compare view; docks for the workspace, the stored runs, the jobs and the settings, hidden until
// asked for (View menu). Long work goes through the JobRunner, shown in the status bar with a
// progress bar and Cancel. Presentation mode (F5) leaves only the inspector's right side.
// Comfort: recent workspaces and QASPER folders in the File menu, font scaling (Ctrl+= / Ctrl+- /
// Ctrl+0), and the window layout, splitters and methods shown restored on the next start.
#include "uae/run_types.h"

#include <QMainWindow>

class QComboBox;
class QMenu;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QCloseEvent;

namespace uae::ui {

class CompareView;
class EmbeddingMapView;
class IndexPanel;
class InspectorView;
class JobRunner;
class JobsPanel;
class RecentMenu;
class RunsPanel;
class SettingsPanel;
class TrainingDashboard;
class WorkbenchSession;
class WorkspacePanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(WorkbenchSession& session, JobRunner& runner, QWidget* parent = nullptr);

    // The inspector's entry points, for the command line (see InspectorView).
    void setAutoRun(bool on);
    void showMethods(const QString& a, const QString& b);
    // A further method side by side (up to four in all).
    void addMethod(const QString& method);
    bool selectQuestion(const QString& questionId);
    // File > Export report…: the report for stakeholders on two eval runs of the loaded split,
    // with the pinned questions (★) as examples, else the selected one (main_window_report.cpp).
    // Returns the error, empty when written.
    QString exportReport(qint64 runA, qint64 runB, const QString& path);
    // The run ids the report dialog starts from: the runs the inspector's first two panels show.
    QPair<qint64, qint64> shownRuns();
    // Re-reads the runs into the runs dock, the dashboard, the workspace dock and the compare view.
    void reloadRuns();

    // Presentation mode: large fonts, only the question, the side-by-side view and the plots;
    // the inspector's keys step through the questions, Esc (or F5 again) leaves.
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presenting; }

    // Font scale of the tabs (1: the system font): steps > 0 larger, < 0 smaller, 0 resets
    // (core's stepFontScale); Ctrl+= / Ctrl+- / Ctrl+0. Presentation enlarges on top of it.
    void stepFontScale(int steps);
    double fontScale() const { return m_fontScale; }
    // Geometry, dock state, font scale and the inspector's splitters, detail mode and methods
    // (QSettings); saved on close, restored by the application at start-up.
    void saveLayout() const;
    void restoreLayout();
    // Opens (or creates) a workspace; the error is shown in a message box.
    bool openWorkspaceAt(const QString& path);
    RecentMenu* recentWorkspaces() const { return m_recentWorkspaces; }
    RecentMenu* recentData() const { return m_recentData; }

    InspectorView* inspector() const { return m_inspector; }
    TrainingDashboard* dashboard() const { return m_dashboard; }
    CompareView* compareView() const { return m_compare; }
    EmbeddingMapView* mapView() const { return m_map; }
    QTabWidget* tabs() const { return m_tabs; }
    RunsPanel* runsPanel() const { return m_runsPanel; }
    JobsPanel* jobsPanel() const { return m_jobsPanel; }
    SettingsPanel* settingsPanel() const { return m_settingsPanel; }
    WorkspacePanel* workspacePanel() const { return m_workspacePanel; }
    IndexPanel* indexPanel() const { return m_indexPanel; }
    // Index > Build vector index…: the dialog, then the build as a background job (main_window_index.cpp).
    void buildIndexDialog();
    // File > Import TREC run…: a file chooser, then importTrecRunFile (main_window_import.cpp).
    void importTrecRunDialog();
    // The import dialog for `file`, then the import as a background job; once stored, the run is
    // shown in a further inspector panel and the status line says what was imported.
    void importTrecRunFile(const QString& file);
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* cancelButton() const { return m_cancel; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    // main_window_docks.cpp
    void buildDocks();
    // main_window_menus.cpp
    void buildMenus();
    void buildToolBar();
    void fillSplits();
    // main_window_prefs.cpp
    void buildRecentMenus(QMenu* file);
    void buildFontActions(QMenu* view);
    void applyFonts();
    // main_window_report.cpp
    void exportReportDialog();
    // main_window_index.cpp
    void buildIndexMenu();
    // main_window_import.cpp
    void onRunImported(qint64 runId);

    void buildStatusBar();
    void connectSession();
    void connectJobs();
    void connectMap();
    void onDatasetLoaded();
    void onRunStored(const QString& method, qint64 runId);
    void onJobStarted(int id, const QString& title);
    void onJobProgress(int id, qint64 done, qint64 total, const QString& message);
    void onJobFinished(int id, uae::RunStatus status, const QString& error);
    void openWorkspace();
    void openData();

    WorkbenchSession& m_session;
    JobRunner& m_runner;
    QTabWidget* m_tabs;
    InspectorView* m_inspector;
    TrainingDashboard* m_dashboard;
    CompareView* m_compare;
    EmbeddingMapView* m_map;
    RunsPanel* m_runsPanel;
    JobsPanel* m_jobsPanel;
    SettingsPanel* m_settingsPanel;
    WorkspacePanel* m_workspacePanel;
    IndexPanel* m_indexPanel;
    QComboBox* m_split;
    QComboBox* m_pool; // paper | corpus (issue 15)
    QLabel* m_jobLabel;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    bool m_presenting = false;
    double m_fontScale = 1.0;
    RecentMenu* m_recentWorkspaces = nullptr;
    RecentMenu* m_recentData = nullptr;
    QFont m_normalFont;
    QByteArray m_normalGeometry;
};

} // namespace uae::ui
