// InspectorView's rank grid, its paragraph pane, the gold's journey and the detail-mode toggle.
#include "inspector_view.h"

#include "gold_journey_strip.h"
#include "paragraph_pane.h"
#include "question_pane.h"
#include "rank_grid_model.h"
#include "rank_grid_view.h"
#include "ranking_panel.h"
#include "workbench_session.h"

#include <QHBoxLayout>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <optional>

namespace uae::ui {

// The methods' heads (their tables in detail mode), the journey strip with the detail toggle on
// its right, then the grid and its paragraph pane.
QWidget* InspectorView::buildGridArea() {
    m_detailToggle = new QToolButton;
    m_detailToggle->setText(tr("Per-method tables"));
    m_detailToggle->setCheckable(true);
    m_detailToggle->setToolTip(tr("Detail mode (Ctrl+D): each method's full table with its answer, instead of "
                                  "the rank grid"));
    connect(m_detailToggle, &QToolButton::toggled, this, &InspectorView::setDetailMode);
    auto* journeyRow = new QHBoxLayout;
    journeyRow->setContentsMargins(4, 0, 2, 0);
    journeyRow->addWidget(m_journey, 1);
    journeyRow->addWidget(m_detailToggle, 0, Qt::AlignTop);

    m_gridArea = new QSplitter(Qt::Horizontal);
    m_gridArea->setObjectName("inspector-grid");
    m_gridArea->addWidget(m_grid);
    m_gridArea->addWidget(m_paragraph);
    m_gridArea->setStretchFactor(0, 3);
    m_gridArea->setStretchFactor(1, 1);
    m_gridArea->setSizes({780, 320});
    m_paragraph->hide(); // opens when a cell is selected
    connect(m_grid, &RankGridView::paragraphSelected, this, &InspectorView::showParagraph);
    connect(m_paragraph, &ParagraphPane::closeRequested, m_paragraph, &QWidget::hide);

    auto* area = new QWidget;
    auto* layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_sideBySide);
    layout->addLayout(journeyRow);
    layout->addWidget(m_gridArea, 1);
    return area;
}

void InspectorView::setDetailMode(bool on) {
    m_detail = on;
    if (m_detailToggle->isChecked() != on)
        m_detailToggle->setChecked(on); // comes back here through toggled
    for (RankingPanel* panel : m_panels)
        panel->setCompact(!on);
    m_gridArea->setVisible(!on);
    static_cast<QVBoxLayout*>(m_sideBySide->parentWidget()->layout())->setStretchFactor(m_sideBySide, on ? 1 : 0);
    // The heads alone are one line high: the grid gets the rest.
    m_sideBySide->setMaximumHeight(on ? QWIDGETSIZE_MAX : m_sideBySide->sizeHint().height());
}

// "bm25", a stored run's own method ("uae", "all-MiniLM-L6-v2" for bert:all-MiniLM-L6-v2).
QString InspectorView::methodLabel(int i, const MethodResults* run) const {
    if (!run)
        return m_panels[i]->method();
    const QString method = QString::fromStdString(run->run.method);
    return method.contains(':') ? method.section(':', 1) : method;
}

void InspectorView::showGrid(const Question& q, const QVector<const MethodResults*>& runs,
                             const QVector<const QuestionResult*>& results, const QHash<int, double>& utilities) {
    QVector<RankGridModel::Column> columns;
    QStringList labels;
    for (int i = 0; i < runs.size(); ++i) {
        labels << methodLabel(i, runs[i]);
        const QString run = runs[i] ? QStringLiteral(" #%1").arg(runs[i]->run.id) : QString();
        columns << RankGridModel::Column{QStringLiteral("%1 · %2%3").arg(QChar('A' + i)).arg(labels.last(), run),
                                         results[i]};
    }
    m_grid->model()->setQuestion(m_session.dataset(), &q, columns, utilities);
    m_journey->showJourney(&q, labels, results);
    m_paragraph->clear();
    m_paragraph->hide();
}

void InspectorView::showParagraph(int column, int paragraph) {
    const auto data = m_session.dataset();
    const Question* q = data ? m_questions->currentQuestion() : nullptr;
    if (!q || column < 0 || paragraph < 0) {
        m_paragraph->hide();
        return;
    }
    const RankGridModel* grid = m_grid->model();
    QVector<ParagraphPane::MethodRank> ranks;
    for (int c = 0; c < grid->columnCount(); ++c)
        ranks << ParagraphPane::MethodRank{grid->columnTitle(c), grid->rankIn(c, paragraph)};
    const QHash<int, double> utilities = m_session.utilities(q->id);
    const std::optional<double> utility =
        utilities.contains(paragraph) ? std::optional<double>(utilities.value(paragraph)) : std::nullopt;
    m_paragraph->showParagraph(*data, *q, paragraph, utility, ranks);
    m_paragraph->show();
}

} // namespace uae::ui
