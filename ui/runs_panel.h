#pragma once
// The runs dock: every run of the workspace in a sortable table, with a text filter over kind,
// method, split and status; beside it the teacher diagnostics of the selected label run (or of
// the labels a selected training run trained on).
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace uae::ui {

class RunsTableModel;
class TeacherDiagnosticsPanel;
class WorkbenchSession;

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(WorkbenchSession& session, QWidget* parent = nullptr);
    // Re-reads the runs and their R@1 / MAP; sorting and the filter stay as they were.
    void reload();

    QTableView* table() const { return m_table; }
    QLineEdit* filter() const { return m_filter; }
    RunsTableModel* model() const { return m_model; }
    TeacherDiagnosticsPanel* diagnostics() const { return m_diagnostics; }
    // Selects the row of a run (false when the table has none); its diagnostics show.
    bool selectRun(qint64 runId);

private:
    void showDiagnostics(const QModelIndex& current);

    WorkbenchSession& m_session;
    RunsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QLineEdit* m_filter;
    TeacherDiagnosticsPanel* m_diagnostics;
};

} // namespace uae::ui
