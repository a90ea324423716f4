#pragma once
// The questions of the loaded split, one row each; filterable through a QSortFilterProxyModel.
#include "uae/qasper.h"

#include <QAbstractListModel>
#include <QSet>
#include <QSortFilterProxyModel>

#include <functional>
#include <memory>

namespace uae::ui {

class QuestionListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { QuestionIdRole = Qt::UserRole + 1, HasEvidenceRole, PinnedRole };
    using QAbstractListModel::QAbstractListModel;

    void setDataset(std::shared_ptr<const Dataset> data);
    const Question* question(int row) const;
    int rowOf(const QString& questionId) const;
    // The presentation list: questions pinned (★) to be stepped through in presentation mode.
    void setPinned(const QString& questionId, bool pinned);
    bool isPinned(const QString& questionId) const { return m_pinned.contains(questionId); }
    QStringList pinned() const { return QStringList(m_pinned.begin(), m_pinned.end()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    std::shared_ptr<const Dataset> m_data;
    QSet<QString> m_pinned;
};

// The question list as shown: the text filter and, optionally, a quick filter (a predicate).
class QuestionFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using Predicate = std::function<bool(const Question&)>;
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setPredicate(Predicate predicate);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    Predicate m_predicate;
};

} // namespace uae::ui
