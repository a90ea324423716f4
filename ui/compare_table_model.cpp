#include "compare_table_model.h"
#include "palette.h"

#include <QColor>

namespace uae::ui {

namespace {

QString interval(const MeanInterval& m) {
    return QStringLiteral("%1 [%2, %3]").arg(m.mean, 0, 'f', 4).arg(m.low, 0, 'f', 3).arg(m.high, 0, 'f', 3);
}

QString difference(const PairedDifference& d) {
    return QStringLiteral("%1 [%2, %3]").arg(d.mean, 0, 'f', 4).arg(d.low, 0, 'f', 4).arg(d.high, 0, 'f', 4);
}

QString exact(double v, int digits = 8) {
    return QString::number(v, 'g', digits);
}

QStringList csvHeader() {
    QStringList header{"run", "method", "questions"};
    for (const char* name : kComparedMetricNames)
        header << QString(name) << QString("%1_low").arg(name) << QString("%1_high").arg(name);
    return header << "latency_ms"
                  << "query_latency_ms"
                  << "token_f1"
                  << "reader"
                  << "delta_map"
                  << "delta_map_low"
                  << "delta_map_high"
                  << "p_map"
                  << "wins_map"
                  << "ties_map"
                  << "losses_map"
                  << "delta_r1"
                  << "delta_r1_low"
                  << "delta_r1_high"
                  << "p_r1";
}

QStringList csvRow(const ComparedRun& r) {
    QStringList row{QString::number(r.run.id), QString::fromStdString(r.run.method),
                    QString::number(r.summary.evaluated)};
    for (const MeanInterval& m : r.metrics)
        row << exact(m.mean) << exact(m.low) << exact(m.high);
    row << exact(r.summary.meanLatencyMs) << (r.summary.queryTimed ? exact(r.summary.meanQueryLatencyMs) : QString())
        << (r.hasAnswers() ? exact(r.tokenF1) : QString()) << QString::fromStdString(r.reader);
    if (r.isBaseline()) // the paired columns stay empty
        return row << ""
                   << ""
                   << ""
                   << ""
                   << ""
                   << ""
                   << ""
                   << ""
                   << ""
                   << ""
                   << "";
    const PairedDifference &map = r.map->difference, &r1 = r.recall1->difference;
    row << exact(map.mean) << exact(map.low) << exact(map.high) << exact(map.p, 6) << QString::number(r.map->wins)
        << QString::number(r.map->ties) << QString::number(r.map->losses);
    return row << exact(r1.mean) << exact(r1.low) << exact(r1.high) << exact(r1.p, 6);
}

} // namespace

void CompareTableModel::setRuns(std::vector<ComparedRun> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

QList<QStringList> CompareTableModel::csvRows() const {
    if (m_runs.empty())
        return {};
    QList<QStringList> rows{csvHeader()};
    for (const ComparedRun& r : m_runs)
        rows << csvRow(r);
    return rows;
}

int CompareTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int CompareTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || m_runs.empty() ? 0 : ColumnCount;
}

QVariant CompareTableModel::display(const ComparedRun& r, int column) const {
    if (column >= FirstMetricColumn && column < LatencyColumn)
        return interval(r.metrics[static_cast<size_t>(column - FirstMetricColumn)]);
    switch (column) {
    case RunColumn:
        return QString::number(r.run.id);
    case MethodColumn:
        return QString::fromStdString(r.run.method);
    case QuestionsColumn:
        return QString::number(r.summary.evaluated);
    case LatencyColumn:
        return QString::number(r.summary.meanLatencyMs, 'f', 3);
    case QueryLatencyColumn:
        return r.summary.queryTimed ? QVariant(QString::number(r.summary.meanQueryLatencyMs, 'f', 3)) : QVariant();
    case TokenF1Column:
        return r.hasAnswers() ? QVariant(tr("%1 (%2)").arg(r.tokenF1, 0, 'f', 4).arg(QString::fromStdString(r.reader)))
                              : QVariant();
    default:
        break;
    }
    if (r.isBaseline())
        return column == DeltaMapColumn ? tr("baseline") : QVariant();
    switch (column) {
    case DeltaMapColumn:
        return difference(r.map->difference);
    case PMapColumn:
        return QString::number(r.map->difference.p, 'f', 4);
    case WinsTiesLossesColumn:
        return QStringLiteral("%1/%2/%3").arg(r.map->wins).arg(r.map->ties).arg(r.map->losses);
    case DeltaRecall1Column:
        return difference(r.recall1->difference);
    case PRecall1Column:
        return QString::number(r.recall1->difference.p, 'f', 4);
    default:
        return {};
    }
}

QVariant CompareTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const ComparedRun& r = m_runs[static_cast<size_t>(index.row())];
    if (role == Qt::DisplayRole)
        return display(r, index.column());
    // Only the MAP difference is coloured, and only when its interval is clear of zero.
    if (role == Qt::ForegroundRole && index.column() == DeltaMapColumn && !r.isBaseline()) {
        const PairedDifference& d = r.map->difference;
        if (d.low > 0 || d.high < 0)
            return d.mean > 0 ? palette::rankUp() : palette::rankDown(); // Okabe–Ito blue / vermillion
    }
    return {};
}

QVariant CompareTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || m_runs.empty())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section >= FirstMetricColumn && section < LatencyColumn)
        return tr("%1 [95% CI]").arg(kComparedMetricNames[static_cast<size_t>(section - FirstMetricColumn)]);
    const QStringList names{tr("run"),
                            tr("method"),
                            tr("questions"),
                            {},
                            {},
                            {},
                            {},
                            tr("ms/query"),
                            tr("query path ms/query"),
                            tr("Token F1 (reader)"),
                            tr("Δ MAP vs #%1 [95% CI]").arg(m_runs.front().run.id),
                            tr("p (MAP)"),
                            tr("W/T/L (MAP)"),
                            tr("Δ R@1 [95% CI]"),
                            tr("p (R@1)")};
    return names.value(section);
}

} // namespace uae::ui
