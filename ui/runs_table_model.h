#pragma once
// Every run of the workspace as a table: id, kind, method, split, status (tooltip: the error),
// R@1 and MAP (the workspace's run summaries; blank when a run has none). Sort by SortRole (numbers
// as numbers); filter by FilterRole (kind, method, split, status and a merged run's origin, one per
// line).
#include "uae/store.h"

#include <QAbstractTableModel>

#include <vector>

namespace uae::ui {

class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        KindColumn,
        MethodColumn,
        SplitColumn,
        StatusColumn,
        Recall1Column,
        MapColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, FilterRole };

    // A run with its headline metrics, as the workspace summarises it (one query for all runs).
    using Row = RunSummary;

    using QAbstractTableModel::QAbstractTableModel;
    void setRows(std::vector<Row> rows);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant display(const Row& row, int column) const;
    QVariant sortKey(const Row& row, int column) const;
    QVariant toolTip(const Row& row, int column) const;
    static QString mergedFrom(const Row& row);

    std::vector<Row> m_rows;
};

} // namespace uae::ui
