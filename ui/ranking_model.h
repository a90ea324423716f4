#pragma once
// One method's ranking of one question's candidate pool: rank, score, section, paragraph text,
// gold evidence highlighted. Holds copies, so it never dangles when runs are reloaded.
#include "uae/evaluation.h"
#include "uae/qasper.h"

#include <QAbstractTableModel>
#include <QHash>

#include <memory>

namespace uae::ui {

class RankingModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        RankColumn,
        ChangeColumn,
        ScoreColumn,
        UtilityColumn,
        GoldColumn,
        SectionColumn,
        TextColumn,
        ColumnCount
    };
    enum Role { IsGoldRole = Qt::UserRole + 1, ParagraphRole, ScoreRole, UtilityRole, RankChangeRole };
    using QAbstractTableModel::QAbstractTableModel;

    // Optional context for a ranking: the teacher's utility per paragraph, and each paragraph's
    // rank (1-based) in the method it is compared with, for the rank-change badges.
    struct Context {
        QHash<int, double> utilities;
        QHash<int, int> referenceRanks;
    };
    // paper null or result null clears the view.
    void setRanking(std::shared_ptr<const Dataset> data, const Question* question, const QuestionResult* result,
                    const Context& context = {});
    void clear() { setRanking(nullptr, nullptr, nullptr); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        int paragraph;
        float score;
        bool gold;
        QVariant utility; // null when unlabelled
        QVariant change;  // reference rank - own rank (positive: moved up); null when no reference
        QString section;
        QString text;
    };
    std::vector<Row> m_rows;
};

} // namespace uae::ui
