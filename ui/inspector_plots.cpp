#include "inspector_plots.h"

#include "plots/distribution_plot.h"
#include "plots/run_plot.h"
#include "plots/utility_plot.h"

namespace uae::ui {

InspectorPlots::InspectorPlots(QWidget* parent)
    : QTabWidget(parent), m_score(new ScorePlot), m_utility(new UtilityPlot), m_distribution(new DistributionPlot),
      m_run(new RunPlot) {
    addTab(m_score, tr("Score by rank"));
    addTab(m_utility, tr("Utility vs similarity"));
    addTab(m_distribution, tr("Teacher vs student"));
    addTab(m_run, tr("Whole run"));
    connect(this, &QTabWidget::currentChanged, this, [this] {
        if (showsWholeRun())
            Q_EMIT wholeRunShown();
    });
}

void InspectorPlots::setSeries(const QVector<ScoreSeries>& series, double tauT, double tauS) {
    m_score->setSeries(series);
    m_utility->setSeries(series);
    m_distribution->setSeries(series, tauT, tauS);
}

bool InspectorPlots::showsWholeRun() const {
    return currentWidget() == m_run;
}

} // namespace uae::ui
