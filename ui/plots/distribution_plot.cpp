#include "plots/distribution_plot.h"

#include "plots/plot_export.h"
#include "plots/qcustomplot_include.h"
#include "uae/utility.h"

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace uae::ui {

namespace {

constexpr int kShown = 20; // candidates drawn, the teacher's best first

} // namespace

DistributionPlot::DistributionPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setObjectName("teacher-vs-student");
    m_plot->xAxis->setLabel(tr("candidate, by teacher utility (best first)"));
    m_plot->yAxis->setLabel(tr("probability"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    enablePlotTools(m_plot);
    setMinimumHeight(160);
}

void DistributionPlot::setSeries(const QVector<ScoreSeries>& series, double tauT, double tauS) {
    m_plot->clearPlottables();
    m_kl.clear();
    // The teacher is the same for every method: take the candidates from the first series with labels,
    // keyed by paragraph through the ranking order of each series (score index = rank).
    for (const auto& s : series) {
        std::vector<double> u, z;
        std::vector<bool> gold;
        for (int r = 0; r < s.scores.size() && r < s.utilities.size(); ++r)
            if (std::isfinite(s.utilities[r])) {
                u.push_back(s.utilities[r]);
                z.push_back(s.scores[r]);
                gold.push_back(r < s.gold.size() && s.gold[r]);
            }
        if (u.size() < 2) {
            m_kl << std::nan("");
            continue;
        }
        const auto pt = teacherDistribution(u, tauT), ps = teacherDistribution(z, s.cosine ? tauS : 1.0);
        double kl = 0;
        for (size_t i = 0; i < pt.size(); ++i)
            if (pt[i] > 0)
                kl += pt[i] * (std::log(pt[i]) - std::log(std::max(ps[i], 1e-300)));
        m_kl << kl;
        std::vector<size_t> order(u.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return u[a] > u[b]; });
        const int shown = std::min<int>(kShown, static_cast<int>(order.size()));
        if (m_plot->plottableCount() == 0) { // teacher bars once
            auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
            bars->setName(tr("teacher softmax(u / %1)").arg(tauT));
            bars->setBrush(QColor(190, 190, 190));
            bars->setPen(QPen(QColor(120, 120, 120)));
            auto* goldBars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
            goldBars->setName(tr("teacher, gold paragraph"));
            goldBars->setBrush(QColor(129, 199, 132));
            goldBars->setPen(QPen(QColor(56, 142, 60)));
            for (int i = 0; i < shown; ++i)
                (gold[order[static_cast<size_t>(i)]] ? goldBars : bars)
                    ->addData(i + 1, pt[order[static_cast<size_t>(i)]]);
        }
        auto* line = m_plot->addGraph();
        line->setName(tr("%1 softmax(%2) · KL %3")
                          .arg(s.name, s.cosine ? tr("cos / %1").arg(tauS) : tr("score"))
                          .arg(kl, 0, 'f', 2));
        line->setPen(QPen(s.color, 1.8));
        line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
        for (int i = 0; i < shown; ++i)
            line->addData(i + 1, ps[order[static_cast<size_t>(i)]]);
    }
    m_plot->xAxis->setRange(0.4, kShown + 0.6);
    m_plot->yAxis->setRange(0, 1.02);
    m_plot->replot();
}

} // namespace uae::ui
