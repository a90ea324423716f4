#pragma once
// Score against rank for each method's ranking of the selected question, scores min-max scaled
// per method so BM25 and cosine similarity share one axis; gold paragraphs drawn as large dots.
#include <QColor>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPItemText;

namespace uae::ui {

// One method's ranking of the selected question, as the question plots draw it.
struct ScoreSeries {
    QString name;
    QColor color;
    QVector<double> scores;    // by rank, best first
    QVector<bool> gold;        // aligned with scores
    QVector<double> utilities; // aligned with scores; NaN where the teacher has no label
    bool cosine = true;        // scores are cosine similarities (dense methods), not BM25 scores
};

class ScorePlot : public QWidget {
    Q_OBJECT
public:
    explicit ScorePlot(QWidget* parent = nullptr);
    void setSeries(const QVector<ScoreSeries>& series);
    QCustomPlot* plot() const { return m_plot; }
    // The "no ranking yet" note, shown while no method has a ranking of the question.
    bool showsEmptyNote() const;

private:
    QCustomPlot* m_plot;
    QCPItemText* m_empty = nullptr;
};

} // namespace uae::ui
