#pragma once
// The compare view's table: one row per compared run (the baseline first) with its metrics and
// 95% intervals, latency (whole call and query path), mean Token F1 of its answers and the paired tests against the
// baseline; Δ cells whose interval excludes 0 are coloured (green better, red worse). csvRows() gives the same table
// unrounded.
#include "compared_runs.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace uae::ui {

class CompareTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        RunColumn,
        MethodColumn,
        QuestionsColumn,
        FirstMetricColumn, // then one per kComparedMetrics
        LatencyColumn = FirstMetricColumn + 4,
        QueryLatencyColumn,
        TokenF1Column,
        DeltaMapColumn,
        PMapColumn,
        WinsTiesLossesColumn,
        DeltaRecall1Column,
        PRecall1Column,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;
    // Empty: no rows and no columns.
    void setRuns(std::vector<ComparedRun> runs);
    const std::vector<ComparedRun>& runs() const { return m_runs; }
    // A header row, then one row per run; empty when nothing is compared.
    QList<QStringList> csvRows() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant display(const ComparedRun& run, int column) const;

    std::vector<ComparedRun> m_runs;
};

} // namespace uae::ui
