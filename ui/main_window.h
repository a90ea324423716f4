#pragma once
// The workbench window. Tabs: the inspector (questions of the loaded split on the left; the
// selected question, two methods' rankings side by side and their score curves), the training
// dashboard and the compare view; a dock lists every stored run. Long work goes through the
// JobRunner, shown in the status bar with a progress bar and Cancel.
#include <QMainWindow>
#include <QVector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QShortcut;
class QSplitter;
class QTabWidget;
class QTableWidget;
class QTextBrowser;

namespace uae::ui {

class JobRunner;
class DistributionPlot;
class QuestionFilter;
class QuestionListModel;
class RunPlot;
class UtilityPlot;
class CompareView;
class JobsPanel;
class SettingsPanel;
class WorkspacePanel;
class RankingPanel;
class ScorePlot;
class TrainingDashboard;
class WorkbenchSession;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(WorkbenchSession& session, JobRunner& runner, QWidget* parent = nullptr);

    // When a shown method has no stored run on the split, compute one (on by default).
    void setAutoRun(bool on) { m_autoRun = on; }
    bool selectQuestion(const QString& questionId);
    // Which methods the first two panels show (names from WorkbenchSession::methods() or
    // "run:<id>" keys); the choices of every panel are refreshed.
    void showMethods(const QString& a, const QString& b);

    QListView* questionList() const { return m_list; }
    RankingPanel* panel(int i) const { return m_panels[i]; }
    int panelCount() const { return static_cast<int>(m_panels.size()); }
    // A further method side by side (up to 4); panels beyond the first two can be closed.
    RankingPanel* addPanel(const QString& method);
    void removePanel(int i);
    QTextBrowser* questionView() const { return m_question; }
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* cancelButton() const { return m_cancel; }
    ScorePlot* scorePlot() const { return m_plot; }
    TrainingDashboard* dashboard() const { return m_dashboard; }
    CompareView* compareView() const { return m_compare; }
    QTabWidget* tabs() const { return m_tabs; }
    QTableWidget* runsTable() const { return m_runsTable; }
    JobsPanel* jobsPanel() const { return m_jobsPanel; }
    SettingsPanel* settingsPanel() const { return m_settingsPanel; }
    void reloadRuns();
    QTabWidget* plotTabs() const { return m_plotTabs; }
    UtilityPlot* utilityPlot() const { return m_utilityPlot; }
    DistributionPlot* distributionPlot() const { return m_distributionPlot; }
    RunPlot* runPlot() const { return m_runPlot; }
    // Redraws the whole-run plots for the methods shown (also done when their tab is opened).
    void showRunPlots();

    // Quick filters over the question list, relative to the two panels' methods (A = base, B = new).
    enum QuickFilter { AllQuestions, BFixed, BBroke, AllFail, TeacherDisagrees, Pinned };
    void setQuickFilter(QuickFilter filter);
    int visibleQuestions() const;

    // Presentation mode: large fonts, only the question, the side-by-side view and the plots;
    // Right/Space/PageDown and Left/PageUp step through the questions the list shows, Esc leaves.
    void setPresentationMode(bool on);
    bool presentationMode() const { return m_presenting; }
    void stepQuestion(int delta);
    // Pins or unpins the current question for the presentation list (Ctrl+B), kept in QSettings.
    void togglePin();
    WorkspacePanel* workspacePanel() const { return m_workspacePanel; }
    QLineEdit* runsFilter() const { return m_runsFilter; }

private:
    void buildMenus();
    void onDatasetLoaded();
    void showCurrentQuestion();
    void refreshPanel(int i);
    void refreshPanels();
    void connectPanel(RankingPanel* panel);
    void ensureRun(const QString& method);
    void onJobStarted(int id, const QString& title);
    void onJobProgress(int id, qint64 done, qint64 total, const QString& message);
    void onJobFinished(int id, const QString& status, const QString& error);
    void openWorkspace();
    void openData();

    WorkbenchSession& m_session;
    JobRunner& m_runner;
    bool m_autoRun = true;
    QuestionListModel* m_questions;
    QuestionFilter* m_filter;
    QComboBox* m_quickFilter;
    QListView* m_list;
    QLineEdit* m_search;
    QComboBox* m_split;
    QTextBrowser* m_question;
    QVector<RankingPanel*> m_panels;
    QSplitter* m_sideBySide;
    ScorePlot* m_plot;
    UtilityPlot* m_utilityPlot;
    DistributionPlot* m_distributionPlot;
    RunPlot* m_runPlot;
    QTabWidget* m_plotTabs;
    QWidget* m_questionPane;
    bool m_presenting = false;
    QFont m_normalFont;
    QByteArray m_normalGeometry;
    QList<QShortcut*> m_presentationKeys;
    QTabWidget* m_tabs;
    TrainingDashboard* m_dashboard;
    CompareView* m_compare;
    QTableWidget* m_runsTable;
    JobsPanel* m_jobsPanel;
    SettingsPanel* m_settingsPanel;
    WorkspacePanel* m_workspacePanel;
    QLineEdit* m_runsFilter;
    QLabel* m_jobLabel;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
};

} // namespace uae::ui
