#include "gold_journey_strip.h"

#include "palette.h"
#include "uae/gold_ranks.h"
#include "uae/qasper.h"

namespace uae::ui {

namespace {

// One method's step: its name and the gold's rank there, marked against the previous method.
QString step(const QString& method, std::optional<int> rank, std::optional<int> previous) {
    QString mark;
    if (rank && previous && *rank != *previous)
        mark = QStringLiteral("<span style='color:%1'>%2</span>")
                   .arg((*rank < *previous ? palette::rankUp() : palette::rankDown()).name(),
                        *rank < *previous ? QStringLiteral("▲") : QStringLiteral("▼"));
    return QStringLiteral("%1 <b>%2</b>%3")
        .arg(method.toHtmlEscaped(), rank ? QString::number(*rank) : QStringLiteral("—"), mark);
}

} // namespace

QString goldJourneyHtml(const Question& q, const QStringList& methods, const QVector<const QuestionResult*>& rankings,
                        int maxLines) {
    const QString title = QObject::tr("<b>Gold's journey</b>");
    if (!q.hasTextEvidence())
        return title + QObject::tr(": no gold paragraph (not scored for retrieval)");
    const auto journeys = goldJourneys(q, std::vector<const QuestionResult*>(rankings.begin(), rankings.end()));
    QStringList lines;
    for (const GoldJourney& j : journeys) {
        if (lines.size() == maxLines) {
            lines
                << QObject::tr("… and %1 more gold paragraph(s)").arg(journeys.size() - static_cast<size_t>(maxLines));
            break;
        }
        QStringList steps;
        for (size_t i = 0; i < j.ranks.size(); ++i)
            steps << step(methods.value(static_cast<qsizetype>(i)), j.ranks[i],
                          i > 0 ? j.ranks[i - 1] : std::optional<int>());
        lines << QStringLiteral("¶%1: %2").arg(j.paragraph).arg(steps.join(QStringLiteral(" → ")));
    }
    return title + QStringLiteral(" &nbsp; ") + lines.join(QStringLiteral("<br>"));
}

GoldJourneyStrip::GoldJourneyStrip(QWidget* parent) : QLabel(parent) {
    setTextFormat(Qt::RichText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setWordWrap(true);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum); // its lines, the grid gets the rest
    setToolTip(tr("Each gold paragraph's rank in each method shown, left to right in panel order "
                  "(▲ better than the method before, ▼ worse, — not ranked)"));
}

void GoldJourneyStrip::showJourney(const Question* question, const QStringList& methods,
                                   const QVector<const QuestionResult*>& rankings) {
    setText(question ? goldJourneyHtml(*question, methods, rankings) : QString());
}

} // namespace uae::ui
