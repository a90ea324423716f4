#include "runs_panel.h"

#include "runs_table_model.h"
#include "teacher_diagnostics_panel.h"
#include "workbench_session.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace uae::ui {

RunsPanel::RunsPanel(WorkbenchSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_model(new RunsTableModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView), m_filter(new QLineEdit), m_diagnostics(new TeacherDiagnosticsPanel) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunsTableModel::SortRole);
    m_proxy->setFilterRole(RunsTableModel::FilterRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_proxy);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Unsorted (oldest run first) until a header is clicked, as a QTableWidget starts.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_filter->setPlaceholderText(tr("Filter runs (kind, method, split, status, merged-from file)…"));
    m_filter->setClearButtonEnabled(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_filter);
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_table);
    split->addWidget(m_diagnostics);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RunsPanel::showDiagnostics);
}

void RunsPanel::showDiagnostics(const QModelIndex& current) {
    if (!current.isValid()) {
        m_diagnostics->clear();
        return;
    }
    const QModelIndex id = m_proxy->index(current.row(), RunsTableModel::IdColumn);
    const QString kind = m_proxy->index(current.row(), RunsTableModel::KindColumn).data().toString();
    if (kind != QLatin1String(toString(RunKind::Label)) && kind != QLatin1String(toString(RunKind::Train))) {
        m_diagnostics->clear(tr("Run #%1 is an %2 run: teacher diagnostics belong to label and training runs.")
                                 .arg(id.data().toLongLong())
                                 .arg(kind));
        return;
    }
    m_diagnostics->setDiagnostics(m_session.teacherDiagnostics(id.data().toLongLong()));
}

bool RunsPanel::selectRun(qint64 runId) {
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        if (m_proxy->index(row, RunsTableModel::IdColumn).data().toLongLong() == runId) {
            m_table->setCurrentIndex(m_proxy->index(row, RunsTableModel::IdColumn));
            return true;
        }
    return false;
}

void RunsPanel::reload() {
    if (!m_session.hasWorkspace())
        return;
    m_model->setRows(m_session.runSummaries());
    showDiagnostics(m_table->currentIndex());
}

} // namespace uae::ui
