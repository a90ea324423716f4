#pragma once
// For the selected question: the teacher distribution softmax(u / tau_T) over the candidates
// (bars, best first) against each method's softmax distribution (lines): softmax(cos / tau_S) for
// dense methods, softmax(score) for BM25. What the UAE loss pulls together, per question.
#include "score_plot.h"

namespace uae::ui {

class DistributionPlot : public QWidget {
    Q_OBJECT
public:
    explicit DistributionPlot(QWidget* parent = nullptr);
    void setSeries(const QVector<ScoreSeries>& series, double tauT, double tauS);
    QCustomPlot* plot() const { return m_plot; }
    // KL(teacher || method) of each series shown, in order (NaN without labels).
    QVector<double> divergences() const { return m_kl; }

private:
    QCustomPlot* m_plot;
    QVector<double> m_kl;
};

} // namespace uae::ui
