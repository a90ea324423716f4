#pragma once
// "Teacher diagnostics": what the student is asked to imitate, for one label run (or the labels a
// training run trained on): how often the teacher's top candidate is gold, its mean max
// probability and entropy, and its rank agreement with BM25 and with each encoder stored for it
// (uae diagnose). Shows what the session reads; computes nothing. GUI thread.
#include "uae/result.h"
#include "uae/teacher_diagnostics.h"

#include <QList>
#include <QPair>
#include <QWidget>

class QLabel;

namespace uae::ui {

class TeacherDiagnosticsPanel : public QWidget {
    Q_OBJECT
public:
    explicit TeacherDiagnosticsPanel(QWidget* parent = nullptr);
    // The diagnostics, or why there are none (the error is shown in their place).
    void setDiagnostics(const Result<TeacherDiagnostics>& diagnostics);
    void clear(const QString& why = {});

    // What is shown, row by row: ("gold top", "69.1% (614 of 888)"), ... ; empty when nothing is.
    const QList<QPair<QString, QString>>& rows() const { return m_rows; }
    QString value(const QString& row) const;
    QString title() const;

private:
    void render();
    QLabel* m_title;
    QLabel* m_body;
    QList<QPair<QString, QString>> m_rows;
};

} // namespace uae::ui
