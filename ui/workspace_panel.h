#pragma once
// The workspace dock: which SQLite workspace is open (path, size, schema version), the data sets
// it has seen (name, folder, papers, questions), and what it holds (runs by kind, labels).
#include <QWidget>

class QLabel;
class QTableWidget;

namespace uae::ui {

class WorkbenchSession;

class WorkspacePanel : public QWidget {
    Q_OBJECT
public:
    explicit WorkspacePanel(WorkbenchSession& session, QWidget* parent = nullptr);
    void reload();
    QTableWidget* datasets() const { return m_datasets; }
    QString summary() const;

Q_SIGNALS:
    void openWorkspaceRequested();
    void openDataRequested();

private:
    WorkbenchSession& m_session;
    QLabel* m_summary;
    QTableWidget* m_datasets;
};

} // namespace uae::ui
