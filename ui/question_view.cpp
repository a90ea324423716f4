#include "question_view.h"

#include "uae/qasper.h"

namespace uae::ui {

namespace {
QString esc(const std::string& s) {
    return QString::fromStdString(s).toHtmlEscaped();
}
} // namespace

QString questionHtml(const Dataset& data, const Question& q) {
    const Paper& paper = data.paperOf(q);
    QString html = QStringLiteral("<h3 style='margin:0'>%1</h3>").arg(esc(q.text));
    // In the corpus pool the question's own paper is the one its gold paragraphs come from.
    QString title = esc(paper.title);
    if (paper.id == kCorpusPaperId && !q.gold.empty())
        title += QStringLiteral(" (gold in paper %1)")
                     .arg(esc(paper.paragraphs.at(static_cast<size_t>(q.gold.front())).paperId));
    html += QStringLiteral("<p style='color:#555;margin:2px 0'>%1 · <i>%2</i> · %3 candidate paragraphs · gold: %4</p>")
                .arg(esc(q.id), title)
                .arg(paper.paragraphs.size())
                .arg(q.gold.empty() ? QStringLiteral("none (not scored for retrieval)")
                                    : QString::number(q.gold.size()) + QStringLiteral(" paragraph(s)"));
    html += QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    int n = 1;
    for (const auto& ref : q.references) {
        html += QStringLiteral("<tr><td valign='top'><b>A%1</b></td><td valign='top'>[%2]</td><td>%3")
                    .arg(n++)
                    .arg(answerTypeName(ref.type), esc(ref.answer));
        for (const auto& ev : ref.evidence) {
            const QString where =
                ev.paragraph >= 0 ? QStringLiteral("¶%1").arg(ev.paragraph) : QStringLiteral("not gold");
            QString text = QString::fromStdString(ev.text);
            if (text.size() > 160)
                text = text.left(160) + QStringLiteral(" …");
            html += QStringLiteral("<br><span style='color:#2e7d32'>evidence (%1, %2):</span> %3")
                        .arg(evidenceRuleName(ev.rule), where, text.toHtmlEscaped());
        }
        for (const auto& f : ref.floatEvidence)
            html +=
                QStringLiteral("<br><span style='color:#6a1b9a'>figure/table:</span> %1").arg(esc(f.substr(0, 160)));
        html += QStringLiteral("</td></tr>");
    }
    html += QStringLiteral("</table>");
    return html;
}

} // namespace uae::ui
