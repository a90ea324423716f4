#include "rank_grid_view.h"

#include "rank_grid_delegate.h"
#include "rank_grid_model.h"

#include <QEvent>
#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace uae::ui {

RankGridView::RankGridView(QWidget* parent)
    : QWidget(parent), m_view(new QTableView(this)), m_model(new RankGridModel(this)) {
    m_view->setModel(m_model);
    m_view->setItemDelegate(new RankGridDelegate(m_view));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // columns share the width
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultAlignment(Qt::AlignCenter);
    m_view->setMouseTracking(true);
    m_view->viewport()->installEventFilter(this);
    m_view->setToolTip(tr("Rank grid: one row per rank, one column per method. Gold paragraphs are marked GOLD; "
                          "the blue bar is the teacher's utility. Hover a cell to find its paragraph in every "
                          "method; select it (or use the arrow keys) for its full text."));
    fitRows();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    connect(m_view, &QAbstractItemView::entered, this, [this](const QModelIndex& index) {
        m_model->setHighlightedParagraph(index.data(RankGridModel::ParagraphRole).toInt());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &RankGridView::onCurrentChanged);
    // A new question: nothing is selected, nothing highlighted.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_model->setHighlightedParagraph(-1); });
}

void RankGridView::fitRows() {
    const int line = m_view->fontMetrics().height();
    m_view->verticalHeader()->setDefaultSectionSize(2 * line + 6);
}

void RankGridView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange)
        fitRows(); // presentation mode and Ctrl+= / Ctrl+- scale the two lines
    QWidget::changeEvent(event);
}

bool RankGridView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view->viewport() && event->type() == QEvent::Leave)
        m_model->setHighlightedParagraph(selectedParagraph());
    return QWidget::eventFilter(watched, event);
}

void RankGridView::onCurrentChanged() {
    const QModelIndex current = m_view->currentIndex();
    const int paragraph = current.isValid() ? current.data(RankGridModel::ParagraphRole).toInt() : -1;
    m_model->setHighlightedParagraph(paragraph);
    Q_EMIT paragraphSelected(current.isValid() ? current.column() : -1, paragraph);
}

bool RankGridView::selectCell(int row, int column) {
    const QModelIndex index = m_model->index(row, column);
    if (!index.isValid())
        return false;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

void RankGridView::stepRank(int delta) {
    if (m_model->rowCount() == 0 || m_model->columnCount() == 0)
        return;
    const QModelIndex current = m_view->currentIndex();
    const int column = current.isValid() ? current.column() : 0;
    const int row = current.isValid() ? std::clamp(current.row() + delta, 0, m_model->rowCount() - 1) : 0;
    selectCell(row, column);
}

int RankGridView::selectedParagraph() const {
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(RankGridModel::ParagraphRole).toInt() : -1;
}

} // namespace uae::ui
