#include "run_charts.h"

#include "palette.h"

#include "plots/qcustomplot_include.h"

#include <algorithm>
#include <iterator>

namespace uae::ui {

namespace {

// The baseline is grey; the others take the workbench's method colours.
// The baseline is grey; the others take the workbench's colour-blind-safe method colours (Okabe-Ito).
const QColor kColors[] = {QColor(120, 120, 120), palette::kBlue,          palette::kVermillion,
                          palette::kBluishGreen, palette::kReddishPurple, palette::kSkyBlue};

QCPBars* addBars(QCustomPlot* plot, const ChartRun& run, size_t index, double width) {
    const QColor color = kColors[index % std::size(kColors)];
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setName(run.label);
    bars->setPen(QPen(color.darker(130)));
    bars->setBrush(color);
    bars->setWidth(width);
    return bars;
}

} // namespace

void plotIntervalBars(QCustomPlot* plot, const std::vector<ChartRun>& runs,
                      const std::array<const char*, 4>& metricNames) {
    plot->clearPlottables();
    if (runs.empty())
        return;
    const double width = 0.8 / static_cast<double>(runs.size());
    for (size_t r = 0; r < runs.size(); ++r) {
        QCPBars* bars = addBars(plot, runs[r], r, width);
        auto* whiskers = new QCPErrorBars(plot->xAxis, plot->yAxis);
        whiskers->removeFromLegend();
        whiskers->setDataPlottable(bars);
        for (size_t m = 0; m < runs[r].metrics.size(); ++m) {
            const MeanInterval& mi = runs[r].metrics[m];
            // Group m is centred on x = m; the runs share its 0.8 width.
            bars->addData(static_cast<double>(m) - 0.4 + width * (static_cast<double>(r) + 0.5), mi.mean);
            whiskers->addData(mi.mean - mi.low, mi.high - mi.mean);
        }
    }
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    for (size_t m = 0; m < metricNames.size(); ++m)
        ticks->addTick(static_cast<double>(m), metricNames[m]);
    plot->xAxis->setTicker(ticks);
    plot->xAxis->setRange(-0.6, 3.6);
    plot->yAxis->setRange(0, 1);
    plot->yAxis->setLabel(QObject::tr("mean (95% CI)"));
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(plot->font().family(), 8));
    plot->replot();
}

void plotLatencyBars(QCustomPlot* plot, const std::vector<ChartRun>& runs) {
    plot->clearPlottables();
    if (runs.empty())
        return;
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    double worst = 1e-3, best = 1e9;
    for (size_t r = 0; r < runs.size(); ++r) {
        QCPBars* bars = addBars(plot, runs[r], r, 0.6);
        bars->setBaseValue(1e-4); // log axes cannot start bars at 0
        const double ms = std::max(runs[r].queryMs, 1e-4);
        bars->addData(static_cast<double>(r), ms);
        worst = std::max(worst, ms);
        best = std::min(best, ms);
        ticks->addTick(static_cast<double>(r), runs[r].label);
    }
    plot->xAxis->setTicker(ticks);
    plot->xAxis->setRange(-0.6, static_cast<double>(runs.size()) - 0.4);
    plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot->yAxis->setRange(best / 3, worst * 3);
    plot->yAxis->setLabel(QObject::tr("query path, ms per query (log)"));
    plot->replot();
}

} // namespace uae::ui
