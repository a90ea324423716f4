#include "plots/utility_plot.h"

#include "plots/plot_export.h"
#include "plots/qcustomplot_include.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace uae::ui {

namespace {

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = static_cast<double>(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : std::nan("");
}

// Average ranks, ties sharing their mean rank.
std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        for (size_t k = i; k <= j; ++k)
            r[order[k]] = (static_cast<double>(i + j) / 2.0) + 1.0;
        i = j + 1;
    }
    return r;
}

} // namespace

std::pair<double, double> correlations(const QVector<double>& x, const QVector<double>& y) {
    std::vector<double> a, b;
    for (int i = 0; i < std::min(x.size(), y.size()); ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i]))
            a.push_back(x[i]), b.push_back(y[i]);
    if (a.size() < 3)
        return {std::nan(""), std::nan("")};
    return {pearson(a, b), pearson(ranks(a), ranks(b))};
}

UtilityPlot::UtilityPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName("utility-vs-similarity");
    m_plot->xAxis->setLabel(tr("similarity score (scaled per method); filled disc: gold paragraph"));
    m_plot->yAxis->setLabel(tr("teacher utility (nats)"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    placeLegendRight(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    enablePlotTools(m_plot);
    setMinimumHeight(160);
}

void UtilityPlot::setSeries(const QVector<ScoreSeries>& series) {
    m_plot->clearGraphs();
    bool any = false;
    for (const auto& s : series) {
        if (s.scores.isEmpty() || s.utilities.isEmpty())
            continue;
        const auto [lo, hi] = std::minmax_element(s.scores.begin(), s.scores.end());
        const double span = *hi - *lo > 0 ? *hi - *lo : 1.0;
        QVector<double> x, y, gx, gy;
        for (int r = 0; r < s.scores.size() && r < s.utilities.size(); ++r) {
            if (!std::isfinite(s.utilities[r]))
                continue;
            const double scaled = (s.scores[r] - *lo) / span;
            (r < s.gold.size() && s.gold[r] ? gx : x) << scaled;
            (r < s.gold.size() && s.gold[r] ? gy : y) << s.utilities[r];
        }
        const auto [r, rho] = correlations(s.scores, s.utilities);
        auto* dots = m_plot->addGraph();
        dots->setName(tr("%1 (Pearson %2, Spearman %3)").arg(s.name).arg(r, 0, 'f', 2).arg(rho, 0, 'f', 2));
        dots->setLineStyle(QCPGraph::lsNone);
        dots->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, s.color, 6));
        dots->setData(x, y);
        auto* gold = m_plot->addGraph();
        gold->setName(s.name + tr(" gold"));
        gold->removeFromLegend(); // one entry per method; the axis label says what a filled disc is
        gold->setLineStyle(QCPGraph::lsNone);
        gold->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, s.color, 11));
        gold->setData(gx, gy);
        any = any || !x.isEmpty() || !gx.isEmpty();
    }
    m_plot->xAxis->setRange(-0.05, 1.05);
    if (any) {
        m_plot->yAxis->rescale();
        m_plot->yAxis->scaleRange(1.1);
    }
    m_plot->replot();
}

} // namespace uae::ui
