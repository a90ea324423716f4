#include "question_list_model.h"

#include "palette.h"

#include <QBrush>
#include <QColor>

namespace uae::ui {

void QuestionListModel::setDataset(std::shared_ptr<const Dataset> data) {
    beginResetModel();
    m_data = std::move(data);
    endResetModel();
}

const Question* QuestionListModel::question(int row) const {
    if (!m_data || row < 0 || row >= static_cast<int>(m_data->questions.size()))
        return nullptr;
    return &m_data->questions[static_cast<size_t>(row)];
}

int QuestionListModel::rowOf(const QString& questionId) const {
    if (!m_data)
        return -1;
    const std::string id = questionId.toStdString();
    for (size_t i = 0; i < m_data->questions.size(); ++i)
        if (m_data->questions[i].id == id)
            return static_cast<int>(i);
    return -1;
}

void QuestionListModel::setPinned(const QString& questionId, bool pinned) {
    if (pinned == m_pinned.contains(questionId))
        return;
    if (pinned)
        m_pinned.insert(questionId);
    else
        m_pinned.remove(questionId);
    if (const int row = rowOf(questionId); row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, 0));
}

void QuestionListModel::setRankings(const QString& a, const QString& b, Rankings rankings) {
    m_methodA = a;
    m_methodB = b;
    m_rankings = std::move(rankings);
    Q_EMIT headerDataChanged(Qt::Horizontal, GoldRankAColumn, RankChangeColumn);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, GoldRankAColumn), index(rowCount() - 1, RankChangeColumn));
}

QuestionSortKey QuestionListModel::sortKey(int column) {
    switch (column) {
    case GoldRankAColumn:
        return QuestionSortKey::GoldRankA;
    case GoldRankBColumn:
        return QuestionSortKey::GoldRankB;
    case RankChangeColumn:
        return QuestionSortKey::RankChange;
    default:
        return QuestionSortKey::Order;
    }
}

int QuestionListModel::rowCount(const QModelIndex& parent) const {
    return (parent.isValid() || !m_data) ? 0 : static_cast<int>(m_data->questions.size());
}

int QuestionListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QuestionListModel::data(const QModelIndex& index, int role) const {
    const Question* q = question(index.row());
    if (!q)
        return {};
    if (index.column() != QuestionColumn)
        return rankData(*q, index.column(), role);
    return questionData(*q, role);
}

QVariant QuestionListModel::questionData(const Question& q, int role) const {
    switch (role) {
    case Qt::DisplayRole:
        return (m_pinned.contains(QString::fromStdString(q.id)) ? QStringLiteral("★ ") : QString()) +
               QString::fromStdString(q.text);
    case PinnedRole:
        return m_pinned.contains(QString::fromStdString(q.id));
    case Qt::ToolTipRole:
        return QString::fromStdString(q.id + "  (" + m_data->paperOf(q).title + ")");
    case Qt::ForegroundRole:
        // Questions without text evidence are not scored for retrieval: shown dimmed.
        return q.hasTextEvidence() ? QVariant() : QVariant(QBrush(QColor(140, 140, 140)));
    case QuestionIdRole:
        return QString::fromStdString(q.id);
    case HasEvidenceRole:
        return q.hasTextEvidence();
    default:
        return {};
    }
}

QVariant QuestionListModel::rankData(const Question& q, int column, int role) const {
    if (role != Qt::DisplayRole && role != SortValueRole && role != Qt::ForegroundRole && role != Qt::TextAlignmentRole)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const auto [a, b] = m_rankings ? m_rankings(q) : std::pair<const QuestionResult*, const QuestionResult*>{};
    const std::optional<int> value = questionSortValue(sortKey(column), q, a, b);
    if (!value)
        return {};
    if (role == SortValueRole)
        return *value;
    const bool change = column == RankChangeColumn;
    if (role == Qt::ForegroundRole) // blue: B brought the gold up, vermillion: down (Okabe–Ito)
        return change && *value != 0 ? QVariant(QBrush(*value > 0 ? palette::rankUp() : palette::rankDown()))
                                     : QVariant();
    if (!change)
        return *value;
    return *value > 0   ? QStringLiteral("▲%1").arg(*value)
           : *value < 0 ? QStringLiteral("▼%1").arg(-*value)
                        : QStringLiteral("=");
}

QVariant QuestionListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        const QString names[] = {tr("Question"), tr("A"), tr("B"), tr("Δ")};
        return section < ColumnCount ? names[section] : QVariant();
    }
    if (role != Qt::ToolTipRole)
        return {};
    switch (section) {
    case GoldRankAColumn:
        return tr("Rank of the best gold paragraph in A (%1); click to sort").arg(m_methodA);
    case GoldRankBColumn:
        return tr("Rank of the best gold paragraph in B (%1); click to sort").arg(m_methodB);
    case RankChangeColumn:
        return tr("Rank change of the gold from A to B (▲ B brought it up): click to sort by the biggest loss, "
                  "again for the biggest win");
    default:
        return tr("The split's questions in file order; click to restore that order");
    }
}

void QuestionFilter::setPredicate(Predicate predicate) {
    m_predicate = std::move(predicate);
    invalidateFilter();
}

bool QuestionFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (!QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent))
        return false;
    if (!m_predicate)
        return true;
    const auto* model = static_cast<const QuestionListModel*>(sourceModel());
    const Question* q = model->question(sourceRow);
    return q && m_predicate(*q);
}

} // namespace uae::ui

namespace uae::ui {

bool QuestionFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (left.column() == QuestionListModel::QuestionColumn)
        return left.row() < right.row();
    auto value = [](const QModelIndex& index) {
        const QVariant v = index.data(QuestionListModel::SortValueRole);
        return v.isNull() ? std::optional<int>() : std::optional<int>(v.toInt());
    };
    return sortValueLess(value(left), value(right), sortOrder() == Qt::DescendingOrder);
}

} // namespace uae::ui
