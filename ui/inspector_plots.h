#pragma once
// The inspector's plot tabs: the selected question's scores by rank, utility against similarity
// and teacher against student distributions (all from the same series), and the whole-run plot,
// which is costly and so drawn only while its tab is open (wholeRunShown asks for it), with the
// teacher diagnostics of the labels it plots beside it.
#include "plots/score_plot.h"

#include <QTabWidget>
#include <QVector>

namespace uae::ui {

class DistributionPlot;
class RunPlot;
class TeacherDiagnosticsPanel;
class UtilityPlot;

class InspectorPlots : public QTabWidget {
    Q_OBJECT
public:
    explicit InspectorPlots(QWidget* parent = nullptr);

    // The per-question plots; an empty list clears them. tauT, tauS: the temperatures of the
    // teacher and student distributions (a trained run's own where one is shown).
    void setSeries(const QVector<ScoreSeries>& series, double tauT, double tauS);
    bool showsWholeRun() const;

    ScorePlot* scorePlot() const { return m_score; }
    UtilityPlot* utilityPlot() const { return m_utility; }
    DistributionPlot* distributionPlot() const { return m_distribution; }
    RunPlot* runPlot() const { return m_run; }
    TeacherDiagnosticsPanel* teacherDiagnostics() const { return m_diagnostics; }

Q_SIGNALS:
    void wholeRunShown();

private:
    ScorePlot* m_score;
    UtilityPlot* m_utility;
    DistributionPlot* m_distribution;
    RunPlot* m_run;
    TeacherDiagnosticsPanel* m_diagnostics;
    QWidget* m_wholeRun; // the tab: the run plot and the diagnostics
};

} // namespace uae::ui
