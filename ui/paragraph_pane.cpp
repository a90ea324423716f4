#include "paragraph_pane.h"

#include "palette.h"
#include "paragraph_label.h"
#include "uae/qasper.h"
#include "uae/term_highlight.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace uae::ui {

namespace {

QString markColor(TermKind kind) {
    switch (kind) {
    case TermKind::Question:
        return palette::questionTerm().name();
    case TermKind::Answer:
        return palette::answerTerm().name();
    case TermKind::Both:
        break;
    }
    return palette::bothTerms().name();
}

// The text as HTML with each highlighted span in a coloured <span> (offsets are UTF-8 bytes).
QString highlightedText(const std::string& text, const Question& q) {
    QString html;
    std::size_t at = 0;
    for (const TermSpan& s : highlightTerms(text, q)) {
        html += QString::fromUtf8(text.data() + at, static_cast<qsizetype>(s.begin - at)).toHtmlEscaped();
        html += QStringLiteral("<span style='background:%1'>%2</span>")
                    .arg(markColor(s.kind),
                         QString::fromUtf8(text.data() + s.begin, static_cast<qsizetype>(s.length)).toHtmlEscaped());
        at = s.begin + s.length;
    }
    return html + QString::fromUtf8(text.data() + at, static_cast<qsizetype>(text.size() - at)).toHtmlEscaped();
}

QString ranksLine(const QVector<ParagraphPane::MethodRank>& ranks) {
    QStringList parts;
    for (qsizetype i = 0; i < ranks.size(); ++i)
        parts << QStringLiteral("<span style='color:%1'>%2</span>: %3")
                     .arg(palette::method(i).name(), ranks[i].method.toHtmlEscaped(),
                          ranks[i].rank > 0 ? QObject::tr("rank <b>%1</b>").arg(ranks[i].rank)
                                            : QObject::tr("not ranked"));
    return parts.join(QStringLiteral("<br>"));
}

} // namespace

QString paragraphHtml(const Dataset& data, const Question& q, int paragraph, std::optional<double> utility,
                      const QVector<ParagraphPane::MethodRank>& ranks) {
    const Paper& paper = data.paperOf(q);
    if (paragraph < 0 || paragraph >= static_cast<int>(paper.paragraphs.size()))
        return {};
    const Paragraph& p = paper.paragraphs[static_cast<size_t>(paragraph)];
    const bool gold = std::find(q.gold.begin(), q.gold.end(), paragraph) != q.gold.end();
    QString html = QStringLiteral("<p style='margin:0'><b>¶%1</b> · %2%3 · utility <b>%4</b></p>")
                       .arg(paragraph)
                       .arg(paragraphPlace(p).toHtmlEscaped(),
                            gold ? QStringLiteral(" · <b style='background:%1'>&nbsp;GOLD&nbsp;</b>")
                                       .arg(palette::goldBackground().name())
                                 : QString(),
                            utility ? QString::number(*utility, 'f', 3) : QObject::tr("not labelled"));
    html += QStringLiteral("<p style='margin:2px 0'>%1</p>").arg(ranksLine(ranks));
    html +=
        QStringLiteral("<p style='margin:2px 0;color:#555'>%1 <span style='background:%2'>question term</span> "
                       "<span style='background:%3'>answer token</span> <span style='background:%4'>both</span></p>")
            .arg(QObject::tr("Marked:"), palette::questionTerm().name(), palette::answerTerm().name(),
                 palette::bothTerms().name());
    return html + QStringLiteral("<p>%1</p>").arg(highlightedText(p.text, q));
}

ParagraphPane::ParagraphPane(QWidget* parent) : QWidget(parent), m_text(new QTextBrowser(this)) {
    auto* close = new QPushButton(QStringLiteral("✕"), this);
    close->setToolTip(tr("Close the paragraph pane (select a grid cell to open it again)"));
    close->setMaximumWidth(28);
    auto* head = new QHBoxLayout;
    head->addWidget(new QLabel(tr("<b>Paragraph</b>"), this), 1);
    head->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(head);
    layout->addWidget(m_text, 1);
    connect(close, &QPushButton::clicked, this, &ParagraphPane::closeRequested);
}

void ParagraphPane::showParagraph(const Dataset& data, const Question& question, int paragraph,
                                  std::optional<double> utility, const QVector<MethodRank>& ranks) {
    m_paragraph = paragraph;
    m_text->setHtml(paragraphHtml(data, question, paragraph, utility, ranks));
}

void ParagraphPane::clear() {
    m_paragraph = -1;
    m_text->clear();
}

} // namespace uae::ui
