#include "rank_grid_model.h"

#include "palette.h"
#include "score_text.h"
#include "paragraph_label.h"

#include <algorithm>

namespace uae::ui {

void RankGridModel::setQuestion(std::shared_ptr<const Dataset> data, const Question* question,
                                const QVector<Column>& columns, const QHash<int, double>& utilities) {
    beginResetModel();
    m_titles.clear();
    m_columns.clear();
    m_rows = 0;
    m_paper = nullptr;
    m_data = question ? std::move(data) : nullptr;
    m_utilities = m_data ? utilities : QHash<int, double>();
    m_maxUtility = 0.0;
    for (double u : std::as_const(m_utilities))
        m_maxUtility = std::max(m_maxUtility, u);
    if (m_data) {
        m_paper = &m_data->paperOf(*question);
        const int pool = static_cast<int>(m_paper->paragraphs.size());
        for (const Column& c : columns) {
            m_titles << c.title;
            QVector<Cell> cells;
            for (size_t r = 0; c.result && r < c.result->order.size(); ++r) {
                const int p = c.result->order[r];
                if (p < 0 || p >= pool) // a run made on another version of the data
                    continue;
                const bool gold = std::find(question->gold.begin(), question->gold.end(), p) != question->gold.end();
                cells.push_back({p, r < c.result->scores.size() ? c.result->scores[r] : 0.0f, gold});
            }
            m_rows = std::max(m_rows, static_cast<int>(cells.size()));
            m_columns << cells;
        }
    }
    endResetModel();
}

void RankGridModel::setHighlightedParagraph(int paragraph) {
    if (paragraph == m_highlighted)
        return;
    m_highlighted = paragraph;
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, columnCount() - 1), {HighlightedRole, Qt::BackgroundRole});
}

int RankGridModel::paragraphAt(int row, int column) const {
    if (column < 0 || column >= m_columns.size() || row < 0 || row >= m_columns[column].size())
        return -1;
    return m_columns[column][row].paragraph;
}

int RankGridModel::rankIn(int column, int paragraph) const {
    if (column < 0 || column >= m_columns.size())
        return 0;
    const auto& cells = m_columns[column];
    for (int r = 0; r < cells.size(); ++r)
        if (cells[r].paragraph == paragraph)
            return r + 1;
    return 0;
}

int RankGridModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_rows;
}

int RankGridModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant RankGridModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.column() >= m_columns.size())
        return {};
    const auto& cells = m_columns[index.column()];
    if (index.row() >= cells.size())
        return role == ParagraphRole ? QVariant(-1) : QVariant();
    return cellData(cells[index.row()], index.row() + 1, role);
}

QVariant RankGridModel::cellData(const Cell& cell, int rank, int role) const {
    const Paragraph& paragraph = m_paper->paragraphs[static_cast<size_t>(cell.paragraph)];
    const QString section = paragraphPlace(paragraph);
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("¶%1 · %2 · %3").arg(cell.paragraph).arg(section).arg(scoreText(cell.score, 3));
    case Qt::ToolTipRole:
        return QStringLiteral("¶%1 · %2%3\n\n%4")
            .arg(cell.paragraph)
            .arg(section, cell.gold ? tr(" · gold") : QString(), QString::fromStdString(paragraph.text));
    case Qt::AccessibleTextRole:
        return tr("rank %1, paragraph %2%3").arg(rank).arg(cell.paragraph).arg(cell.gold ? tr(", gold") : QString());
    case ParagraphRole:
        return cell.paragraph;
    case IsGoldRole:
        return cell.gold;
    case ScoreRole:
        return static_cast<double>(cell.score);
    case UtilityRole:
        return m_utilities.contains(cell.paragraph) ? QVariant(m_utilities.value(cell.paragraph)) : QVariant();
    case UtilityLevelRole:
        if (!m_utilities.contains(cell.paragraph) || m_maxUtility <= 0.0)
            return {};
        return std::clamp(m_utilities.value(cell.paragraph) / m_maxUtility, 0.0, 1.0);
    case SectionRole:
        return section;
    case TextRole:
        return QString::fromStdString(paragraph.text);
    case HighlightedRole:
        return cell.paragraph == m_highlighted;
    case RankRole:
        return rank;
    default:
        return {};
    }
}

QVariant RankGridModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DecorationRole && section < m_titles.size())
        return palette::method(section); // the method's colour, as in the plots
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    return m_titles.value(section);
}

} // namespace uae::ui
