#pragma once
// The inspector tab: the questions of the loaded split on the left (QuestionPane); on the right
// the selected question, two to four methods' rankings of it side by side (panel A is the base
// and B the new method of the quick filters) and their plots. Missing runs of the methods shown
// are computed through the session unless auto-run is off. Lives in the GUI thread.
#include <QHash>
#include <QVector>
#include <QWidget>

class QListView;
class QShortcut;
class QSplitter;
class QTextBrowser;

namespace uae {
struct Question;
struct QuestionResult;
} // namespace uae

namespace uae::ui {

class InspectorPlots;
class QuestionPane;
class RankingPanel;
class WorkbenchSession;

class InspectorView : public QWidget {
    Q_OBJECT
public:
    explicit InspectorView(WorkbenchSession& session, QWidget* parent = nullptr);

    // When a shown method has no stored run on the split, compute one (on by default).
    void setAutoRun(bool on) { m_autoRun = on; }
    // Lists the session's newly loaded split, refreshes the panels and selects the first question.
    void showDataset();
    // Which methods the first two panels show (names from WorkbenchSession::methods() or
    // "run:<id>" keys, unknown ones keep the panel's); the choices of every panel are refreshed.
    void showMethods(const QString& a, const QString& b);
    // The methods and stored runs offered may have changed: refresh the choices, keep what is
    // shown.
    void reloadMethods();
    // Re-reads every panel's run and shows the selected question again (e.g. after a workspace
    // change).
    void refresh();
    bool selectQuestion(const QString& questionId);

    RankingPanel* panel(int i) const { return m_panels[i]; }
    int panelCount() const { return static_cast<int>(m_panels.size()); }
    // A further method side by side (up to 4); panels beyond the first two can be closed.
    RankingPanel* addPanel(const QString& method);
    void removePanel(int i);
    // Redraws the whole-run plots for the methods shown (also done when their tab is opened).
    void showRunPlots();

    // Presentation: only the question, the panels (enlarged) and the plots; Right/Space/PageDown
    // and Left/PageUp step through the questions the list shows, Esc asks to leave.
    void setPresenting(bool on);

    QuestionPane* questions() const { return m_questions; }
    QListView* questionList() const;
    QTextBrowser* questionView() const { return m_question; }
    InspectorPlots* plots() const { return m_plots; }

Q_SIGNALS:
    void statusMessage(const QString& text);
    void leavePresentationRequested();

private:
    void createPresentationKeys();
    void connectPanel(RankingPanel* panel);
    void onPanelMethodChanged(RankingPanel* panel, const QString& method);
    void ensureRun(const QString& method);
    void refreshPanel(int i);
    void refreshPanels();
    void showCurrentQuestion();
    void clearQuestion();
    void showRanking(int i, const Question& q, const QVector<const QuestionResult*>& results,
                     const QHash<int, double>& utilities);
    void showAnswer(int i, const Question& q, bool ranked);

    WorkbenchSession& m_session;
    bool m_autoRun = true;
    QuestionPane* m_questions;
    QTextBrowser* m_question;
    QSplitter* m_sideBySide;
    QVector<RankingPanel*> m_panels;
    InspectorPlots* m_plots;
    QList<QShortcut*> m_presentationKeys;
};

} // namespace uae::ui
