#include "teacher_diagnostics_panel.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace uae::ui {

TeacherDiagnosticsPanel::TeacherDiagnosticsPanel(QWidget* parent)
    : QWidget(parent), m_title(new QLabel), m_body(new QLabel) {
    setObjectName("teacher-diagnostics");
    m_title->setWordWrap(true);
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::RichText);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A low dock leaves little height: the rows scroll rather than being cut off.
    auto* content = new QWidget;
    auto* inner = new QVBoxLayout(content);
    inner->setContentsMargins(6, 2, 6, 2);
    inner->addWidget(m_title);
    inner->addWidget(m_body);
    inner->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    setToolTip(tr("What the student is asked to imitate: the teacher distribution softmax(u / τ_T) over each "
                  "question's candidates. Agreement with an encoder: uae diagnose RUN --encoder bert:NAME"));
    clear();
}

void TeacherDiagnosticsPanel::clear(const QString& why) {
    m_rows.clear();
    m_title->setText(tr("<b>Teacher diagnostics</b>"));
    m_body->setText(why.isEmpty() ? tr("<i>Select a label run or a training run.</i>") : why.toHtmlEscaped());
}

void TeacherDiagnosticsPanel::setDiagnostics(const Result<TeacherDiagnostics>& diagnostics) {
    if (!diagnostics) {
        clear(QString::fromStdString(diagnostics.error()));
        return;
    }
    const TeacherDiagnostics& d = diagnostics.value();
    const QString labels = tr("label run #%1 · %2 · %3")
                               .arg(d.labelRun.id)
                               .arg(QString::fromStdString(d.promptVersion), QString::fromStdString(d.labelRun.split));
    m_title->setText(d.forTrainRun ? tr("<b>Teacher diagnostics</b> of the labels run #%1 trained on (%2)")
                                         .arg(d.forTrainRun)
                                         .arg(labels.toHtmlEscaped())
                                   : tr("<b>Teacher diagnostics</b> · %1").arg(labels.toHtmlEscaped()));
    m_rows.clear();
    if (!d.hasStats) {
        clear(tr("No statistics stored for label run #%1: uae diagnose %1 computes them.").arg(d.labelRun.id));
        return;
    }
    const auto& s = d.stats;
    m_rows << qMakePair(tr("questions"),
                        tr("%1 (%2 candidates each)").arg(s.questions).arg(s.meanCandidates, 0, 'f', 1))
           << qMakePair(tr("gold top"),
                        tr("%1% (%2 of %3)").arg(100.0 * d.goldTopShare(), 0, 'f', 1).arg(s.goldTop).arg(s.withGold))
           << qMakePair(tr("mean max p"), QString::number(s.meanMaxProbability, 'f', 3))
           << qMakePair(tr("near one-hot"), QString::number(s.nearOneHot))
           << qMakePair(tr("mean entropy"), tr("%1 nats").arg(s.meanEntropy, 0, 'f', 3));
    if (d.hasSpearmanBm25)
        m_rows << qMakePair(tr("Spearman vs BM25"), QString::number(s.meanSpearmanBm25, 'f', 3));
    for (const auto& e : d.encoders)
        m_rows << qMakePair(tr("Spearman vs %1").arg(QString::fromStdString(e.encoder)),
                            tr("%1 (%2 questions)").arg(e.meanSpearman, 0, 'f', 3).arg(e.questions));
    render();
}

void TeacherDiagnosticsPanel::render() {
    QString html = QStringLiteral("<table cellspacing=0 cellpadding=2>");
    for (const auto& [name, value] : m_rows)
        html += QStringLiteral("<tr><td>%1</td><td align=right><b>%2</b></td></tr>")
                    .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    m_body->setText(html + QStringLiteral("</table>"));
}

QString TeacherDiagnosticsPanel::value(const QString& row) const {
    for (const auto& [name, value] : m_rows)
        if (name == row)
            return value;
    return {};
}

QString TeacherDiagnosticsPanel::title() const {
    return m_title->text();
}

} // namespace uae::ui
