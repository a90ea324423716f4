#include "rank_grid_delegate.h"

#include "palette.h"
#include "score_text.h"
#include "rank_grid_model.h"

#include <QPainter>

namespace uae::ui {

namespace {

constexpr int kPad = 4;
constexpr int kUtilityBar = 3;

QColor cellBackground(const QModelIndex& index, const QStyleOptionViewItem& option) {
    if (index.data(RankGridModel::HighlightedRole).toBool())
        return palette::highlightBackground();
    if (index.data(RankGridModel::IsGoldRole).toBool())
        return palette::goldBackground();
    return option.palette.base().color();
}

// Line 1: "¶12 · Section" left (bold paragraph number), "gold" and the score right.
void paintHead(QPainter* p, const QRect& line, const QModelIndex& index, const QFont& font) {
    const bool gold = index.data(RankGridModel::IsGoldRole).toBool();
    const QString score = scoreText(index.data(RankGridModel::ScoreRole).toDouble(), 3);
    QFont bold = font;
    bold.setBold(true);
    const QString right = gold ? QStringLiteral("GOLD  %1").arg(score) : score;
    const int rightWidth = QFontMetrics(bold).horizontalAdvance(right);
    p->setFont(bold);
    p->setPen(gold ? palette::kBlack : QColor(90, 90, 90));
    p->drawText(line, Qt::AlignRight | Qt::AlignVCenter, right);
    const QString number = QStringLiteral("¶%1").arg(index.data(RankGridModel::ParagraphRole).toInt());
    const int numberWidth = QFontMetrics(bold).horizontalAdvance(number + QLatin1Char(' '));
    p->setPen(palette::kBlack);
    p->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, number);
    p->setFont(font);
    const QRect sectionRect = line.adjusted(numberWidth, 0, -rightWidth - kPad, 0);
    const QString section = QFontMetrics(font).elidedText(
        QStringLiteral("· ") + index.data(RankGridModel::SectionRole).toString(), Qt::ElideRight, sectionRect.width());
    p->setPen(QColor(60, 60, 60));
    p->drawText(sectionRect, Qt::AlignLeft | Qt::AlignVCenter, section);
}

} // namespace

void RankGridDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    if (index.data(RankGridModel::ParagraphRole).toInt() < 0)
        return; // this method ranked fewer paragraphs
    p->save();
    p->fillRect(option.rect, cellBackground(index, option));
    const QVariant level = index.data(RankGridModel::UtilityLevelRole);
    if (!level.isNull()) {
        const int width = static_cast<int>((option.rect.width() - 2) * level.toDouble());
        p->fillRect(QRect(option.rect.left() + 1, option.rect.bottom() - kUtilityBar, width, kUtilityBar),
                    palette::kSkyBlue);
    }
    const QRect inner = option.rect.adjusted(kPad, 2, -kPad, -kUtilityBar - 1);
    const int lineHeight = option.fontMetrics.height();
    paintHead(p, QRect(inner.left(), inner.top(), inner.width(), lineHeight), index, option.font);
    const QString text = index.data(RankGridModel::TextRole).toString().left(400).simplified();
    p->setPen(QColor(40, 40, 40));
    p->drawText(QRect(inner.left(), inner.top() + lineHeight, inner.width(), lineHeight),
                Qt::AlignLeft | Qt::AlignVCenter, option.fontMetrics.elidedText(text, Qt::ElideRight, inner.width()));
    if (option.state & QStyle::State_Selected) {
        p->setPen(QPen(palette::kBlue, 2));
        p->drawRect(option.rect.adjusted(1, 1, -1, -1));
    } else if (index.data(RankGridModel::HighlightedRole).toBool()) {
        p->setPen(QPen(palette::kOrange, 2));
        p->drawRect(option.rect.adjusted(1, 1, -1, -1));
    }
    p->restore();
}

QSize RankGridDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    return {160, 2 * option.fontMetrics.height() + 2 + kUtilityBar + 1};
}

} // namespace uae::ui
