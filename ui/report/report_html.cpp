#include "report_html.h"

#include <QObject>

namespace uae::ui::report {

namespace {

const char* const kTable = "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\" border=\"1\" "
                           "style=\"border-collapse: collapse; border-color: #b0b0b0\">";
const char* const kGoldBackground = "#d9efd5";
const char* const kGrey = "#606060";

QString esc(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

// A table of cells: the first column left-aligned, the others right-aligned (numbers).
QString tableHtml(const ReportTable& table, bool withHeader = true) {
    QString html = kTable;
    if (withHeader) {
        html += "<tr style=\"background-color: #ececec\">";
        for (size_t c = 0; c < table.header.size(); ++c)
            html += QStringLiteral("<th align=\"%1\">%2</th>").arg(c ? "right" : "left", esc(table.header[c]));
        html += "</tr>";
    }
    for (const auto& row : table.rows) {
        html += "<tr>";
        for (size_t c = 0; c < row.size(); ++c)
            html += QStringLiteral("<td align=\"%1\">%2</td>").arg(c ? "right" : "left", esc(row[c]));
        html += "</tr>";
    }
    return html + "</table>";
}

QString hitHtml(const ReportHit& hit) {
    QString html = hit.gold ? QStringLiteral("<b>★ ¶%1</b> gold").arg(hit.paragraph)
                            : QStringLiteral("<b>¶%1</b>").arg(hit.paragraph);
    if (!hit.section.empty())
        html += QStringLiteral(" <span style=\"color: %1\">%2</span>").arg(kGrey, esc(hit.section));
    html += QStringLiteral(" <span style=\"color: %1\">(%2)</span>").arg(kGrey).arg(hit.score, 0, 'f', 3);
    if (!hit.excerpt.empty())
        html += "<br/>" + esc(hit.excerpt);
    return html;
}

QString rankText(int rank) {
    return rank ? QString::number(rank) : QObject::tr("not ranked");
}

QString movement(int a, int b) {
    if (!a || !b)
        return a ? QObject::tr("only A ranks it") : b ? QObject::tr("only B ranks it") : QString();
    if (a == b)
        return QObject::tr("same rank");
    return b < a ? QObject::tr("B ranks it %1 higher").arg(a - b) : QObject::tr("B ranks it %1 lower").arg(b - a);
}

// Each gold paragraph's rank in A and in B, and which way it moved.
QString journeyHtml(const ComparisonReport& report, const ReportQuestion& q) {
    if (q.journey.empty())
        return QObject::tr("<p><i>No gold paragraph: the question has no text evidence.</i></p>");
    QString html = QObject::tr("<p><b>Gold's journey</b>: where each gold paragraph is ranked.</p>") + kTable +
                   QStringLiteral("<tr style=\"background-color: #ececec\"><th align=\"left\" width=\"56%\">%1</th>"
                                  "<th align=\"right\" width=\"8%\">A</th><th align=\"right\" width=\"8%\">B</th>"
                                  "<th align=\"left\">%2</th></tr>")
                       .arg(QObject::tr("gold paragraph"), QObject::tr("rank in A → rank in B"));
    for (const auto& j : q.journey) {
        const QString move = movement(j.rankA, j.rankB);
        QString what = QStringLiteral("<b>¶%1</b>").arg(j.paragraph);
        if (!j.section.empty())
            what += QStringLiteral(" <span style=\"color: %1\">%2</span> ").arg(kGrey, esc(j.section)) + esc(j.excerpt);
        html += QStringLiteral("<tr><td>%1</td><td align=\"right\">%2</td><td align=\"right\">%3</td>"
                               "<td>%2 → %3: %4</td></tr>")
                    .arg(what, rankText(j.rankA), rankText(j.rankB), move);
    }
    return html + "</table>";
}

QString ranksHtml(const ComparisonReport& report, const ReportQuestion& q) {
    QString html = kTable + QStringLiteral("<tr style=\"background-color: #ececec\"><th width=\"4%\">%1</th>"
                                           "<th align=\"left\" width=\"48%\">A %2 · AP %3</th>"
                                           "<th align=\"left\" width=\"48%\">B %4 · AP %5</th></tr>")
                                .arg(QObject::tr("#"), esc(report.a.label))
                                .arg(q.mapA, 0, 'f', 3)
                                .arg(esc(report.b.label))
                                .arg(q.mapB, 0, 'f', 3);
    const size_t rows = std::max(q.topA.size(), q.topB.size());
    for (size_t r = 0; r < rows; ++r) {
        html += QStringLiteral("<tr><td align=\"right\">%1</td>").arg(r + 1);
        for (const auto* hits : {&q.topA, &q.topB}) {
            if (r >= hits->size()) {
                html += "<td></td>";
                continue;
            }
            const ReportHit& hit = (*hits)[r];
            html += hit.gold ? QStringLiteral("<td style=\"background-color: %1\">").arg(kGoldBackground) : "<td>";
            html += hitHtml(hit) + "</td>";
        }
        html += "</tr>";
    }
    return html + "</table>";
}

} // namespace

QString headerHtml(const ComparisonReport& report) {
    QString html = QStringLiteral("<h2>%1</h2><p style=\"color: %2\">%3</p><p>")
                       .arg(esc(report.title), kGrey, esc(report.generated));
    html += QObject::tr("<b>A</b> %1: %2<br/>").arg(esc(report.a.label), esc(report.a.description));
    html += QObject::tr("<b>B</b> %1: %2</p>").arg(esc(report.b.label), esc(report.b.description));
    for (const auto& note : report.notes)
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(QObject::tr("Note:"), esc(note));
    return html;
}

QString headlineHtml(const ComparisonReport& report) {
    return QObject::tr("<h3>Headline</h3><p>Means over the %1 questions both runs ranked (metrics over those with "
                       "gold evidence), each with its 95% bootstrap interval, and the difference B-A.</p>")
               .arg(report.questions) +
           tableHtml(report.headline) + QStringLiteral("<p>%1</p>").arg(esc(report.latency));
}

QString pairedHtml(const ComparisonReport& report) {
    return QObject::tr("<h3>Question by question, B against A</h3><p>Questions with gold evidence in both runs; "
                       "B-A with a 95% paired bootstrap interval (2000 resamples) and two-sided p.</p>") +
           tableHtml(report.paired);
}

QString teacherHtml(const ComparisonReport& report) {
    QString html =
        QStringLiteral("<h3>%1</h3><p>%2</p>").arg(QObject::tr("Teacher diagnostics"), esc(report.teacherTitle));
    if (!report.teacher.rows.empty())
        html += tableHtml(report.teacher, false);
    return html;
}

QString examplesIntroHtml(const ComparisonReport& report) {
    if (report.examples.empty())
        return QObject::tr("<h3>Example questions</h3><p>None: no question changed between the runs and none was "
                           "pinned (uae report --pinned ID,ID; in the workbench, Ctrl+B pins a question).</p>");
    return QObject::tr("<h3>Example questions</h3><p>Each run's top ranks side by side; gold paragraphs are marked "
                       "★ and shaded; AP is the question's average precision in that run.</p>");
}

QString exampleHtml(const ComparisonReport& report, const ReportQuestion& q) {
    QString html = QStringLiteral("<h4>%1</h4><p style=\"color: %2\">%3")
                       .arg(q.text.empty() ? esc(q.id) : esc(q.text), kGrey, QObject::tr("question %1").arg(esc(q.id)));
    if (!q.paper.empty())
        html += QStringLiteral(" · %1").arg(esc(q.paper));
    if (!q.why.empty())
        html += QStringLiteral(" · <b>%1</b>").arg(esc(q.why));
    html += "</p>";
    if (!q.answer.empty())
        html += QObject::tr("<p>Reference answer: <i>%1</i></p>").arg(esc(q.answer));
    return html + journeyHtml(report, q) + "<p></p>" + ranksHtml(report, q);
}

} // namespace uae::ui::report
