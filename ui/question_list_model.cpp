#include "question_list_model.h"

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

int QuestionListModel::rowCount(const QModelIndex& parent) const {
    return (parent.isValid() || !m_data) ? 0 : static_cast<int>(m_data->questions.size());
}

QVariant QuestionListModel::data(const QModelIndex& index, int role) const {
    const Question* q = question(index.row());
    if (!q)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return (m_pinned.contains(QString::fromStdString(q->id)) ? QStringLiteral("★ ") : QString()) +
               QString::fromStdString(q->text);
    case PinnedRole:
        return m_pinned.contains(QString::fromStdString(q->id));
    case Qt::ToolTipRole:
        return QString::fromStdString(q->id + "  (" + m_data->paperOf(*q).title + ")");
    case Qt::ForegroundRole:
        // Questions without text evidence are not scored for retrieval: shown dimmed.
        return q->hasTextEvidence() ? QVariant() : QVariant(QBrush(QColor(140, 140, 140)));
    case QuestionIdRole:
        return QString::fromStdString(q->id);
    case HasEvidenceRole:
        return q->hasTextEvidence();
    default:
        return {};
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
