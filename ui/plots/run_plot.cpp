#include "plots/run_plot.h"

#include "plots/plot_export.h"
#include "plots/qcustomplot_include.h"
#include "plots/utility_plot.h"
#include "workbench_session.h"

#include <QHBoxLayout>

#include <algorithm>
#include <cmath>

namespace uae::ui {

RunPlot::RunPlot(QWidget* parent) : QWidget(parent), m_scatter(new QCustomPlot), m_histogram(new QCustomPlot) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scatter, 3);
    layout->addWidget(m_histogram, 2);
    m_scatter->setObjectName("run-utility-vs-similarity");
    m_scatter->xAxis->setLabel(tr("similarity (min-max scaled within each question)"));
    m_scatter->yAxis->setLabel(tr("teacher utility (nats)"));
    m_histogram->setObjectName("utility-spread");
    m_histogram->xAxis->setLabel(tr("utility spread of a question: max − min (nats)"));
    m_histogram->yAxis->setLabel(tr("questions"));
    for (QCustomPlot* p : {m_scatter, m_histogram}) {
        p->legend->setVisible(true);
        p->legend->setFont(QFont(font().family(), 8));
        p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
        enablePlotTools(p);
    }
    setMinimumHeight(160);
}

void RunPlot::setRuns(const Dataset& data, const QVector<RunSeries>& runs, const Utilities& utilities) {
    m_scatter->clearGraphs();
    m_histogram->clearPlottables();
    m_spearman.clear();
    m_questions = 0;
    QVector<double> spreads;
    bool spreadsDone = false;
    for (const RunSeries& s : runs) {
        QVector<double> x, y;
        double rhoSum = 0;
        int rhoCount = 0;
        for (const Question& q : data.questions) {
            const QuestionResult* found = MethodResults::find(s.run, q.id);
            if (!found)
                continue;
            const QHash<int, double> u = utilities(q.id);
            if (u.size() < 2)
                continue;
            const auto& r = *found;
            QVector<double> scores, values;
            for (size_t k = 0; k < r.order.size() && k < r.scores.size(); ++k)
                if (u.contains(r.order[k]))
                    scores << r.scores[k], values << u.value(r.order[k]);
            if (scores.size() < 2)
                continue;
            const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
            const double span = *hi - *lo > 0 ? *hi - *lo : 1.0;
            for (int k = 0; k < scores.size(); ++k)
                x << (scores[k] - *lo) / span, y << values[k];
            if (const double rho = correlations(scores, values).second; std::isfinite(rho))
                rhoSum += rho, ++rhoCount;
            if (!spreadsDone) {
                const auto [ulo, uhi] = std::minmax_element(values.begin(), values.end());
                spreads << *uhi - *ulo;
            }
        }
        if (!spreadsDone)
            m_questions = static_cast<int>(spreads.size());
        spreadsDone = true;
        const double mean = rhoCount ? rhoSum / rhoCount : std::nan("");
        m_spearman << mean;
        auto* g = m_scatter->addGraph();
        g->setName(tr("%1 · mean Spearman %2 over %3 questions").arg(s.name).arg(mean, 0, 'f', 3).arg(rhoCount));
        g->setLineStyle(QCPGraph::lsNone);
        QColor c = s.color;
        c.setAlpha(60); // tens of thousands of points: translucent so density shows
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, 3));
        g->setData(x, y);
    }
    if (!spreads.isEmpty()) {
        const double top = *std::max_element(spreads.begin(), spreads.end());
        const int bins = 30;
        const double width = top > 0 ? top / bins : 1.0;
        QVector<double> keys(bins), counts(bins, 0);
        for (int b = 0; b < bins; ++b)
            keys[b] = (b + 0.5) * width;
        for (double v : spreads)
            counts[std::min(bins - 1, static_cast<int>(v / width))] += 1;
        auto* bars = new QCPBars(m_histogram->xAxis, m_histogram->yAxis);
        bars->setName(tr("%1 labelled questions").arg(spreads.size()));
        bars->setWidth(width * 0.9);
        bars->setBrush(QColor(120, 144, 156));
        bars->setPen(QPen(QColor(69, 90, 100)));
        bars->setData(keys, counts, true);
        m_histogram->rescaleAxes();
        m_histogram->yAxis->setRangeLower(0);
    }
    m_scatter->rescaleAxes();
    m_scatter->replot();
    m_histogram->replot();
}

} // namespace uae::ui
