#pragma once
// The compare view's two charts, drawn from the compared runs (the plots are cleared first):
// grouped bars of the four metrics with 95% interval whiskers, one bar per run; and each run's
// mean query latency on a log axis.
#include <vector>

class QCustomPlot;

namespace uae::ui {

struct ComparedRun;

void plotMetricIntervals(QCustomPlot* plot, const std::vector<ComparedRun>& runs);
void plotLatencies(QCustomPlot* plot, const std::vector<ComparedRun>& runs);

} // namespace uae::ui
