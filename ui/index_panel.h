#pragma once
// The Indexes dock: the workspace's stored FAISS indexes (factory, method, split, vectors, size on
// disk, when built, whether the loaded split's corpus still matches), refreshed after each index
// job; Build… opens the dialog, Delete removes one, and "Use for corpus evaluation" / "Exact"
// choose how each method's corpus evaluations search (with nprobe / efSearch where they apply).
#include "uae/run_types.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace uae::ui {

class WorkbenchSession;

class IndexPanel : public QWidget {
    Q_OBJECT
public:
    enum Column {
        FactoryColumn,
        MethodColumn,
        SplitColumn,
        VectorsColumn,
        SizeColumn,
        BuiltColumn,
        StateColumn,
        UsedColumn,
        ColumnCount
    };
    explicit IndexPanel(WorkbenchSession& session, QWidget* parent = nullptr);

    void reload();
    // The selected index is deleted without asking (the Delete button asks first).
    void removeSelected();
    // The selected index serves its method's corpus evaluations, with the knob's value.
    void useSelected();
    // The selected index's method goes back to exact search.
    void useExact();

    QTableWidget* table() const { return m_table; }
    QLabel* status() const { return m_status; }
    QSpinBox* knobBox() const { return m_knob; }
    QPushButton* buildButton() const { return m_build; }

Q_SIGNALS:
    void buildRequested();

private:
    void onIndexJobFinished(uae::RunStatus status, const QString& message);
    void onSelectionChanged(); // the knob follows the selected index's type
    QString selectedFile() const;
    void showStatus(const QString& text); // an outcome, kept over reloads (unlike the empty list's hint)

    WorkbenchSession& m_session;
    QTableWidget* m_table;
    QLabel* m_status;
    QLabel* m_knobLabel;
    QSpinBox* m_knob;
    QPushButton* m_build;
    QPushButton* m_delete;
    QPushButton* m_use;
    QPushButton* m_exact;
};

} // namespace uae::ui
