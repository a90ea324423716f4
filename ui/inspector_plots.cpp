#include "inspector_plots.h"

#include "plots/distribution_plot.h"
#include "plots/run_plot.h"
#include "plots/utility_plot.h"
#include "teacher_diagnostics_panel.h"

#include <QHBoxLayout>

namespace uae::ui {

InspectorPlots::InspectorPlots(QWidget* parent)
    : QTabWidget(parent), m_score(new ScorePlot), m_utility(new UtilityPlot), m_distribution(new DistributionPlot),
      m_run(new RunPlot), m_diagnostics(new TeacherDiagnosticsPanel), m_wholeRun(new QWidget) {
    auto* layout = new QHBoxLayout(m_wholeRun);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_run, 1);
    layout->addWidget(m_diagnostics);
    m_diagnostics->setFixedWidth(300);
    addTab(m_score, tr("Score by rank"));
    addTab(m_utility, tr("Utility vs similarity"));
    addTab(m_distribution, tr("Teacher vs student"));
    addTab(m_wholeRun, tr("Whole run"));
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
    return currentWidget() == m_wholeRun;
}

} // namespace uae::ui
