#pragma once
// The two comparison charts, shared by the compare view and the PDF report (the plot is cleared
// first): grouped bars of four metrics with 95% interval whiskers, one bar per run; and each run's
// mean query latency on a log axis. The first run is the baseline (grey). GUI thread.
#include "uae/comparison.h"

#include <QString>

#include <array>
#include <vector>

class QCustomPlot;

namespace uae::ui {

struct ChartRun {
    QString label;                       // "#10 bm25"
    std::array<MeanInterval, 4> metrics; // in `metricNames` order
    double queryMs = 0;                  // ms per query
};

void plotIntervalBars(QCustomPlot* plot, const std::vector<ChartRun>& runs,
                      const std::array<const char*, 4>& metricNames);
void plotLatencyBars(QCustomPlot* plot, const std::vector<ChartRun>& runs);

} // namespace uae::ui
