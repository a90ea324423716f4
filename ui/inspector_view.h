#pragma once
// The inspector tab: the questions of the loaded split on the left (QuestionPane); on the right
// the selected question, the methods shown (two to four panels; panel A is the base and B the new
// method of the quick filters), the gold's journey through them, and by default the rank grid
// (one row per rank, one column per method) with the paragraph pane of the selected cell; the
// per-method tables are the detail mode (Ctrl+D). Below, the plots. Missing runs of the methods
// shown are computed through the session unless auto-run is off. Keys: Ctrl+Down / Ctrl+Up the
// next / previous question, Alt+Down / Alt+Up the next / previous rank in the grid.
// Lives in the GUI thread.
#include <QHash>
#include <QVector>
#include <QWidget>

class QAbstractItemView;
class QSettings;
class QShortcut;
class QSplitter;
class QTextBrowser;
class QToolButton;

namespace uae {
struct Question;
struct QuestionResult;
} // namespace uae

namespace uae::ui {

class GoldJourneyStrip;
class InspectorPlots;
struct MethodResults;
class ParagraphPane;
class QuestionPane;
class RankGridView;
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

    // Detail mode: the per-method tables instead of the rank grid (off by default).
    void setDetailMode(bool on);
    bool detailMode() const { return m_detail; }
    // The methods shown, panel by panel (method names or "run:<id>" keys).
    QStringList shownMethods() const;
    // Splitter positions, detail mode and the methods shown, under "inspector/" (QSettings).
    void saveState(QSettings& settings) const;
    void restoreState(const QSettings& settings);
    static QStringList savedMethods(const QSettings& settings);

    QuestionPane* questions() const { return m_questions; }
    QAbstractItemView* questionList() const;
    RankGridView* rankGrid() const { return m_grid; }
    ParagraphPane* paragraphPane() const { return m_paragraph; }
    GoldJourneyStrip* goldJourney() const { return m_journey; }
    QTextBrowser* questionView() const { return m_question; }
    InspectorPlots* plots() const { return m_plots; }

Q_SIGNALS:
    void statusMessage(const QString& text);
    void leavePresentationRequested();

private:
    // inspector_view_grid.cpp
    QWidget* buildGridArea();
    void showGrid(const Question& q, const QVector<const MethodResults*>& runs,
                  const QVector<const QuestionResult*>& results, const QHash<int, double>& utilities);
    void showParagraph(int column, int paragraph);
    QString methodLabel(int i, const MethodResults* run) const;
    // inspector_view_state.cpp
    void createNavigationKeys();

    void buildLayout();
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
    GoldJourneyStrip* m_journey;
    QToolButton* m_detailToggle;
    RankGridView* m_grid;
    ParagraphPane* m_paragraph;
    QSplitter* m_gridArea = nullptr;
    QSplitter* m_main = nullptr;
    QSplitter* m_right = nullptr;
    InspectorPlots* m_plots;
    bool m_detail = false;
    QList<QShortcut*> m_presentationKeys;
};

} // namespace uae::ui
