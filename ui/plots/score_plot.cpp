#include "plots/score_plot.h"

#include "plots/plot_export.h"

#include "plots/qcustomplot_include.h"

#include <QVBoxLayout>

#include <algorithm>

namespace uae::ui {

ScorePlot::ScorePlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->xAxis->setLabel(tr("rank (filled disc: gold paragraph)"));
    m_plot->yAxis->setLabel(tr("scaled score")); // short: the plot is often low
    m_plot->legend->setFont(QFont(font().family(), 8));
    placeLegendRight(m_plot);
    // Until a method has a ranking of the question, say so instead of an empty legend box.
    m_empty = new QCPItemText(m_plot);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setText(tr("no ranking of this question yet: run a method"));
    m_empty->setColor(Qt::gray);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    enablePlotTools(m_plot);
    setMinimumHeight(160);
    setSeries({});
}

void ScorePlot::setSeries(const QVector<ScoreSeries>& series) {
    m_plot->clearGraphs();
    int maxRank = 1;
    for (const auto& s : series) {
        if (s.scores.isEmpty())
            continue;
        const auto [lo, hi] = std::minmax_element(s.scores.begin(), s.scores.end());
        const double span = *hi - *lo > 0 ? *hi - *lo : 1.0;
        QVector<double> x, y, gx, gy;
        for (int r = 0; r < s.scores.size(); ++r) {
            x << r + 1;
            y << (s.scores[r] - *lo) / span;
            if (r < s.gold.size() && s.gold[r])
                gx << r + 1, gy << y.back();
        }
        maxRank = std::max(maxRank, static_cast<int>(x.size()));
        auto* line = m_plot->addGraph();
        line->setName(s.name);
        line->setPen(QPen(s.color, 1.5));
        line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 3));
        line->setData(x, y, true);
        auto* gold = m_plot->addGraph();
        gold->setName(s.name + tr(" gold"));
        gold->removeFromLegend(); // one entry per method; the axis label says what a filled disc is
        gold->setLineStyle(QCPGraph::lsNone);
        gold->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, s.color, 9));
        gold->setData(gx, gy, true);
    }
    m_plot->legend->setVisible(m_plot->graphCount() > 0);
    m_empty->setVisible(m_plot->graphCount() == 0);
    m_plot->xAxis->setRange(0.5, std::min(std::max(maxRank, 10), 30) + 0.5);
    m_plot->yAxis->setRange(-0.05, 1.05);
    m_plot->replot();
}

bool ScorePlot::showsEmptyNote() const {
    return m_empty->visible();
}

} // namespace uae::ui
