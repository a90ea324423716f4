#include "compare_charts.h"

#include "compared_runs.h"
#include "report/run_charts.h"

namespace uae::ui {

namespace {

std::vector<ChartRun> chartRuns(const std::vector<ComparedRun>& runs) {
    std::vector<ChartRun> out;
    for (const auto& r : runs)
        out.push_back({r.label(), r.metrics, r.queryMs()});
    return out;
}

} // namespace

void plotMetricIntervals(QCustomPlot* plot, const std::vector<ComparedRun>& runs) {
    plotIntervalBars(plot, chartRuns(runs), kComparedMetricNames);
}

void plotLatencies(QCustomPlot* plot, const std::vector<ComparedRun>& runs) {
    plotLatencyBars(plot, chartRuns(runs));
}

} // namespace uae::ui
