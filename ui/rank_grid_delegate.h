#pragma once
// Paints one rank-grid cell in two elided lines: "¶12 · Section" with the score on the right, then
// the paragraph's first words. Gold cells are tinted bluish green and marked "gold" (not by colour
// alone), the highlighted paragraph orange in every column, and the teacher's utility is a
// sky-blue bar along the cell's bottom edge (longer: more useful). Colours: ui/palette.h.
#include <QStyledItemDelegate>

namespace uae::ui {

class RankGridDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace uae::ui
