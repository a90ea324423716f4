#include "ranking_model.h"

#include "palette.h"
#include "score_text.h"
#include "paragraph_label.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <algorithm>

namespace uae::ui {

void RankingModel::setRanking(std::shared_ptr<const Dataset> data, const Question* question,
                              const QuestionResult* result, const Context& context) {
    beginResetModel();
    m_rows.clear();
    if (data && question && result) {
        const Paper& paper = data->paperOf(*question);
        for (size_t r = 0; r < result->order.size(); ++r) {
            const int p = result->order[r];
            // A stored run made on another version of the data may point past this pool.
            if (p < 0 || p >= static_cast<int>(paper.paragraphs.size()))
                continue;
            const bool gold = std::find(question->gold.begin(), question->gold.end(), p) != question->gold.end();
            m_rows.push_back(Row{p, r < result->scores.size() ? result->scores[r] : 0.0f, gold,
                                 context.utilities.contains(p) ? QVariant(context.utilities.value(p)) : QVariant(),
                                 context.referenceRanks.contains(p)
                                     ? QVariant(context.referenceRanks.value(p) - static_cast<int>(r + 1))
                                     : QVariant(),
                                 paragraphPlace(paper.paragraphs[static_cast<size_t>(p)]),
                                 QString::fromStdString(paper.paragraphs[static_cast<size_t>(p)].text)});
        }
    }
    endResetModel();
}

int RankingModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RankingModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RankingModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()))
        return {};
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RankColumn:
            return index.row() + 1;
        case ChangeColumn: {
            if (row.change.isNull())
                return {};
            const int d = row.change.toInt();
            return d > 0 ? QStringLiteral("▲%1").arg(d) : d < 0 ? QStringLiteral("▼%1").arg(-d) : QStringLiteral("=");
        }
        case ScoreColumn:
            return scoreText(row.score, 4);
        case UtilityColumn:
            return row.utility.isNull() ? QString() : QString::number(row.utility.toDouble(), 'f', 3);
        case GoldColumn:
            return row.gold ? QStringLiteral("gold") : QString();
        case SectionColumn:
            return row.section;
        case TextColumn:
            return row.text.size() > 360 ? row.text.left(360) + QStringLiteral(" …") : row.text;
        }
        return {};
    case Qt::ToolTipRole:
        return QStringLiteral("¶%1 · %2\n\n%3").arg(row.paragraph).arg(row.section, row.text);
    case Qt::BackgroundRole:
        return row.gold ? QVariant(QBrush(palette::goldBackground())) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == ChangeColumn && !row.change.isNull() && row.change.toInt() != 0)
            return QBrush(row.change.toInt() > 0 ? palette::rankUp() : palette::rankDown());
        return {};
    case Qt::FontRole:
        if (row.gold) {
            QFont f;
            f.setBold(index.column() != TextColumn);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == TextColumn ? QVariant(Qt::AlignLeft | Qt::AlignTop)
                                            : QVariant(Qt::AlignCenter | Qt::AlignTop);
    case IsGoldRole:
        return row.gold;
    case ParagraphRole:
        return row.paragraph;
    case ScoreRole:
        return static_cast<double>(row.score);
    case UtilityRole:
        return row.utility;
    case RankChangeRole:
        return row.change;
    default:
        return {};
    }
}

QVariant RankingModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == ChangeColumn)
        return tr("Rank change against the other panel's method (▲ moved up)");
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == UtilityColumn)
        return tr("The teacher's utility: ln PPL(answer | question) − ln PPL(answer | question, paragraph)");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn:
        return tr("Rank");
    case ChangeColumn:
        return tr("Δ");
    case ScoreColumn:
        return tr("Score");
    case UtilityColumn:
        return tr("Utility");
    case GoldColumn:
        return tr("Gold");
    case SectionColumn:
        return tr("Section");
    case TextColumn:
        return tr("Paragraph");
    }
    return {};
}

} // namespace uae::ui
