#pragma once
// The inspector's left pane: the questions of the loaded split with a text filter, quick filters
// that compare the two methods shown (A = the base, B = the new one; predicates from
// uae/question_filters.h), the presentation list of pinned (★) questions, kept in QSettings, and
// columns for the gold's rank in A and B and its change, which sort the list when clicked.
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTreeView;

namespace uae {
struct Question;
}

namespace uae::ui {

class QuestionFilter;
class QuestionListModel;
class WorkbenchSession;

class QuestionPane : public QWidget {
    Q_OBJECT
public:
    enum QuickFilter { AllQuestions, BFixed, BBroke, AllFail, TeacherDisagrees, Pinned };

    explicit QuestionPane(WorkbenchSession& session, QWidget* parent = nullptr);

    // Lists the session's data set (pins restored); selectFirst() then picks the first shown.
    void showDataset();
    void selectFirst();
    // The methods the quick filters compare; an active quick filter is applied again.
    void setComparedMethods(const QString& a, const QString& b);
    void setQuickFilter(QuickFilter filter);
    int visibleQuestions() const;
    // The selected question (null when none or no data set).
    const Question* currentQuestion() const;
    // Clears the text filter and selects the question; false when the split has no such id.
    bool selectQuestion(const QString& questionId);
    // Moves the selection by delta within the questions shown (presentation mode's keys).
    void stepQuestion(int delta);
    // Pins or unpins the selected question for the presentation list.
    void togglePin();
    // Sorts the shown questions by a QuestionListModel column (QuestionColumn: the split's order).
    void sortBy(int column, Qt::SortOrder order);
    QTreeView* list() const { return m_list; }
    // The pinned question ids, in the data set's order (those of other splits last).
    QStringList pinned() const;

Q_SIGNALS:
    void currentQuestionChanged();
    void statusMessage(const QString& text);

private:
    void applyQuickFilter();

    WorkbenchSession& m_session;
    QuestionListModel* m_questions;
    QuestionFilter* m_filter;
    QComboBox* m_quickFilter;
    QLineEdit* m_search;
    QTreeView* m_list;
    QString m_methodA, m_methodB;
};

} // namespace uae::ui
