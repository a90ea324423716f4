#pragma once
// Compare view: two or more stored runs of the shown split, their metrics with 95% bootstrap
// intervals, each run against the first (paired bootstrap of the difference, two-sided p,
// per-question wins/ties/losses), a chart of the metrics with intervals and of query latency on
// a log axis, and the table exported to CSV. Runs that did not finish or ranked different
// questions are said so, and every figure is over the questions all ticked runs ranked.
#include "uae/result.h"
#include "workbench_session.h"

#include <QList>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace uae::ui {

class CompareTableModel;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(WorkbenchSession& session, QWidget* parent = nullptr);

    // Re-reads the finished evaluation runs of the shown split; the newest run of each method is
    // ticked.
    void reloadRuns();
    void setSelectedRuns(const QList<qint64>& runs); // the first is the baseline
    QList<qint64> selectedRuns() const;
    // Fills the table and charts from the ticked runs.
    void compare();
    // Writes the table as CSV; returns an error naming the file, or an empty string.
    QString exportCsv(const QString& path) const;

    QTableView* table() const { return m_table; }
    CompareTableModel* model() const { return m_model; }
    QListWidget* runList() const { return m_runs; }
    QCustomPlot* metricsPlot() const { return m_metrics; }
    QCustomPlot* latencyPlot() const { return m_latency; }
    QLabel* note() const { return m_note; }

private:
    QWidget* buildSidebar();
    QWidget* buildResults();
    void clearResults(const QString& note);
    Result<QString> cutToCommon(std::vector<WorkbenchSession::StoredRun>& runs);

    WorkbenchSession& m_session;
    QListWidget* m_runs;
    QPushButton* m_compare;
    QPushButton* m_export;
    QLabel* m_note;
    CompareTableModel* m_model;
    QTableView* m_table;
    QCustomPlot* m_metrics;
    QCustomPlot* m_latency;
};

} // namespace uae::ui
