#pragma once
// The rank grid: one row per rank, one column per method shown (up to four) for one question.
// A cell is one ranked paragraph: its number, section, first words and score, whether it is gold
// and the teacher's utility. One paragraph can be highlighted: every cell holding it answers
// HighlightedRole true, in every column (hover or selection in the view sets it). Holds copies,
// so it never dangles when runs are reloaded. GUI thread.
#include "uae/evaluation.h"
#include "uae/qasper.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QVector>

#include <memory>

namespace uae::ui {

class RankGridModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        ParagraphRole = Qt::UserRole + 1, // int, -1 for an empty cell
        IsGoldRole,
        ScoreRole,
        UtilityRole,      // double, null when unlabelled
        UtilityLevelRole, // double in [0, 1]: utility relative to the question's highest, null when none
        SectionRole,
        TextRole, // the paragraph's whole text
        HighlightedRole,
        RankRole // 1-based
    };
    using QAbstractTableModel::QAbstractTableModel;

    // One method's column: its title and its ranking of the question (null: no result).
    struct Column {
        QString title;
        const QuestionResult* result = nullptr;
    };
    // data or question null clears the grid; utilities: paragraph -> the teacher's utility.
    void setQuestion(std::shared_ptr<const Dataset> data, const Question* question, const QVector<Column>& columns,
                     const QHash<int, double>& utilities);
    void clear() { setQuestion(nullptr, nullptr, {}, {}); }

    // The paragraph whose cells are highlighted in every column (-1: none).
    void setHighlightedParagraph(int paragraph);
    int highlightedParagraph() const { return m_highlighted; }
    // The paragraph a cell shows (-1 when the cell is empty or out of range).
    int paragraphAt(int row, int column) const;
    // The 1-based rank of `paragraph` in column `column`'s ranking (0: not ranked there).
    int rankIn(int column, int paragraph) const;
    QString columnTitle(int column) const { return m_titles.value(column); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Cell {
        int paragraph = -1;
        float score = 0.0f;
        bool gold = false;
    };
    QVariant cellData(const Cell& cell, int rank, int role) const;

    std::shared_ptr<const Dataset> m_data;
    const Paper* m_paper = nullptr;
    QVector<QString> m_titles;
    QVector<QVector<Cell>> m_columns; // [column][rank - 1]
    QHash<int, double> m_utilities;
    double m_maxUtility = 0.0;
    int m_rows = 0;
    int m_highlighted = -1;
};

} // namespace uae::ui
