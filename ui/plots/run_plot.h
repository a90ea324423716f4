#pragma once
// Whole-run views for the methods shown: the teacher's utility against each method's similarity
// over every labelled candidate of every question (scores min-max scaled per question, since raw
// scores are not comparable across questions), with the mean per-question Spearman correlation;
// and the histogram of utility spread (max - min utility of a question's candidates).
#include "score_plot.h"

#include <QHash>

#include <functional>

namespace uae {
struct Dataset;
}

namespace uae::ui {

struct MethodResults;

struct RunSeries {
    QString name;
    QColor color;
    const MethodResults* run = nullptr;
};

class RunPlot : public QWidget {
    Q_OBJECT
public:
    using Utilities = std::function<QHash<int, double>(const std::string& questionId)>;
    explicit RunPlot(QWidget* parent = nullptr);
    void setRuns(const Dataset& data, const QVector<RunSeries>& runs, const Utilities& utilities);
    QCustomPlot* scatter() const { return m_scatter; }
    QCustomPlot* histogram() const { return m_histogram; }
    // Mean per-question Spearman correlation of score and utility, per series (NaN without labels).
    QVector<double> meanSpearman() const { return m_spearman; }
    int labelledQuestions() const { return m_questions; }

private:
    QCustomPlot* m_scatter;
    QCustomPlot* m_histogram;
    QVector<double> m_spearman;
    int m_questions = 0;
};

} // namespace uae::ui
