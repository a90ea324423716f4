#pragma once
// The gold's journey for the selected question: one compact line per gold paragraph with its rank
// in each method shown, in panel order, e.g. "¶4: bm25 7 → MiniLM 4 → UAE 1 → llm-rerank 1"; a
// rank better than the previous method's is blue ▲, worse vermillion ▼ (uae/gold_ranks.h
// computes the ranks). GUI thread.
#include "uae/evaluation.h"

#include <QLabel>
#include <QVector>

namespace uae {
struct Question;
}

namespace uae::ui {

class GoldJourneyStrip : public QLabel {
    Q_OBJECT
public:
    explicit GoldJourneyStrip(QWidget* parent = nullptr);
    // methods[i] ranked the question as rankings[i] (null: no result). Null question clears.
    void showJourney(const Question* question, const QStringList& methods,
                     const QVector<const QuestionResult*>& rankings);
};

// The strip's rich text (also for the report and tests); at most `maxLines` gold paragraphs,
// then how many more.
QString goldJourneyHtml(const Question& question, const QStringList& methods,
                        const QVector<const QuestionResult*>& rankings, int maxLines = 3);

} // namespace uae::ui
