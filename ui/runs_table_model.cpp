#include "runs_table_model.h"

namespace uae::ui {

void RunsTableModel::setRows(std::vector<Row> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsTableModel::display(const Row& row, int column) const {
    switch (column) {
    case IdColumn:
        return static_cast<qlonglong>(row.run.id);
    case KindColumn:
        return QString::fromUtf8(toString(row.run.kind));
    case MethodColumn: // merged runs marked, the origin in the tooltip
        return QString::fromStdString(row.run.method) + (row.run.origin.empty() ? QString() : tr(" (merged)"));
    case SplitColumn:
        return QString::fromStdString(row.run.split);
    case StatusColumn:
        return QString::fromUtf8(toString(row.run.status));
    // A label run, or a training run not evaluated yet, has no ranking to score: blank, not 0.
    case Recall1Column:
        return row.hasMetrics ? QString::number(row.recall1, 'f', 4) : QString();
    case MapColumn:
        return row.hasMetrics ? QString::number(row.map, 'f', 4) : QString();
    default:
        return {};
    }
}

QVariant RunsTableModel::sortKey(const Row& row, int column) const {
    if (column == Recall1Column)
        return row.hasMetrics ? row.recall1 : -1.0;
    if (column == MapColumn)
        return row.hasMetrics ? row.map : -1.0;
    return display(row, column);
}

// A run copied in by `uae merge` (a shard labelled elsewhere) says where it was made, as
// `uae runs` does: the analyst tracing a label needs that file and its run id there.
QString RunsTableModel::mergedFrom(const Row& row) {
    return tr("merged from %1 (run %2)")
        .arg(QString::fromStdString(row.run.originPath), QString::fromStdString(row.run.origin));
}

QVariant RunsTableModel::toolTip(const Row& row, int column) const {
    if (column == StatusColumn && !row.run.error.empty())
        return QString::fromStdString(row.run.error);
    if ((column == IdColumn || column == MethodColumn) && !row.run.origin.empty())
        return mergedFrom(row);
    return {};
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case SortRole:
        return sortKey(row, index.column());
    case FilterRole: { // a line each, so a filter cannot match across two columns
        QStringList lines{display(row, KindColumn).toString(), display(row, MethodColumn).toString(),
                          display(row, SplitColumn).toString(), display(row, StatusColumn).toString()};
        if (!row.run.origin.empty())
            lines << mergedFrom(row);
        return lines.join('\n');
    }
    default:
        return {};
    }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    const QStringList names{tr("id"), tr("kind"), tr("method"), tr("split"), tr("status"), tr("R@1"), tr("MAP")};
    return names.value(section);
}

} // namespace uae::ui
