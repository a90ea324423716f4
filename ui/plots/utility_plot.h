#pragma once
// For the selected question: the teacher's utility of each candidate against each method's
// similarity score (scaled per method to [0, 1] so methods share an axis), gold candidates drawn
// large, Pearson and Spearman correlation of the raw scores with utility in the legend.
#include "score_plot.h"

namespace uae::ui {

class UtilityPlot : public QWidget {
    Q_OBJECT
public:
    explicit UtilityPlot(QWidget* parent = nullptr);
    void setSeries(const QVector<ScoreSeries>& series);
    QCustomPlot* plot() const { return m_plot; }

private:
    QCustomPlot* m_plot;
};

// Pearson and Spearman correlation over the pairs where both are finite (NaN when under 3 pairs).
std::pair<double, double> correlations(const QVector<double>& x, const QVector<double>& y);

} // namespace uae::ui
