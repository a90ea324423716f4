#pragma once
// One side of the side-by-side view: a method picker, the run it shows, and its ranking table.
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace uae::ui {

class RankingModel;

class RankingPanel : public QWidget {
    Q_OBJECT
public:
    RankingPanel(const QString& title, const QStringList& methods, const QString& initialMethod,
                 QWidget* parent = nullptr);

    // The shown method name, or "run:<id>" for a particular stored run.
    QString method() const;
    // Choices: method names, then stored runs as (key, label).
    // notify: emit methodChanged (off when only the list of choices changed).
    void setMethods(const QStringList& methods, const QList<QPair<QString, QString>>& runs, const QString& current,
                    bool notify = true);
    void setTitle(const QString& title);
    void setClosable(bool closable);
    void setStatus(const QString& text);
    QString statusText() const;
    void setRunEnabled(bool enabled);
    // The answer read from this method's top paragraphs, with its Token F1 (empty: none yet).
    void setAnswer(const QString& html);
    QString answerText() const;
    // Compact: only the head line (method, Run, Answer, status), for the rank grid's view; the
    // table and the answer show again when it is off (the per-method detail mode).
    void setCompact(bool compact);
    bool isCompact() const { return m_compact; }
    // Column widths for a font `scale` times the normal one (presentation mode).
    void setScale(double scale);
    RankingModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

Q_SIGNALS:
    void methodChanged(const QString& method);
    void runRequested(const QString& method);
    void answerRequested(const QString& method);
    void closeRequested();

private:
    QComboBox* m_method;
    QLabel* m_title;
    QPushButton* m_close;
    QLabel* m_status;
    QPushButton* m_run;
    QPushButton* m_answerButton;
    QLabel* m_answer;
    QTableView* m_view;
    RankingModel* m_model;
    bool m_compact = false;
};

} // namespace uae::ui
