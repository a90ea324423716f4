#pragma once
// The questions of the loaded split, one row each, with the gold's rank in the two methods
// compared (A = the base, B = the new one) and its change (core's uae/gold_ranks.h); filtered and
// sorted through QuestionFilter (missing ranks last in either direction).
#include "uae/evaluation.h"
#include "uae/gold_ranks.h"
#include "uae/qasper.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QSortFilterProxyModel>

#include <functional>
#include <memory>

namespace uae::ui {

class QuestionListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { QuestionColumn, GoldRankAColumn, GoldRankBColumn, RankChangeColumn, ColumnCount };
    enum Role {
        QuestionIdRole = Qt::UserRole + 1,
        HasEvidenceRole,
        PinnedRole,
        SortValueRole // int, null when the question has no value for the column's key
    };
    using QAbstractTableModel::QAbstractTableModel;

    // A and B's rankings of a question (either null: no result); looked up on every read, as the
    // session's cache may be replaced.
    using Rankings = std::function<std::pair<const QuestionResult*, const QuestionResult*>(const Question&)>;

    void setDataset(std::shared_ptr<const Dataset> data);
    // The compared methods' names (for the headers) and how to find their rankings; the rank
    // columns are announced as changed, so a sorted list re-sorts.
    void setRankings(const QString& a, const QString& b, Rankings rankings);
    static QuestionSortKey sortKey(int column);
    const Question* question(int row) const;
    int rowOf(const QString& questionId) const;
    // The presentation list: questions pinned (★) to be stepped through in presentation mode.
    void setPinned(const QString& questionId, bool pinned);
    bool isPinned(const QString& questionId) const { return m_pinned.contains(questionId); }
    QStringList pinned() const { return QStringList(m_pinned.begin(), m_pinned.end()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant questionData(const Question& q, int role) const;
    QVariant rankData(const Question& q, int column, int role) const;

    std::shared_ptr<const Dataset> m_data;
    QSet<QString> m_pinned;
    QString m_methodA, m_methodB;
    Rankings m_rankings;
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
    // The question column keeps the split's order; the rank columns sort by core's sortValueLess.
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    Predicate m_predicate;
};

} // namespace uae::ui
