#pragma once
// The inspector's default view of a question: the rank grid (RankGridModel in one table, so the
// methods' columns always scroll together), columns stretched to share the width so no method
// needs a sideways scroll. Hovering a cell highlights its paragraph in every column; leaving the
// grid goes back to the selected cell's paragraph. Selecting a cell (mouse or arrow keys) emits
// paragraphSelected. GUI thread.
#include <QWidget>

class QTableView;

namespace uae::ui {

class RankGridModel;

class RankGridView : public QWidget {
    Q_OBJECT
public:
    explicit RankGridView(QWidget* parent = nullptr);

    RankGridModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // Selects the cell (rank row 0-based, method column); false when out of range.
    bool selectCell(int row, int column);
    // Moves the current cell by delta ranks in its column (the first cell when none).
    void stepRank(int delta);
    // The paragraph of the current cell (-1: none).
    int selectedParagraph() const;

Q_SIGNALS:
    // The current cell changed: its column and paragraph (-1 when the selection was cleared).
    void paragraphSelected(int column, int paragraph);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void onCurrentChanged();
    void fitRows();

    QTableView* m_view;
    RankGridModel* m_model;
};

} // namespace uae::ui
