#pragma once
// The paragraph pane, opened by selecting a rank-grid cell: the paragraph's full text with the
// question's terms and the reference answers' tokens highlighted (uae/term_highlight.h), whether
// it is gold, the teacher's utility, and its rank in every method shown. GUI thread.
#include <QVector>
#include <QWidget>

#include <optional>

class QTextBrowser;

namespace uae {
struct Dataset;
struct Question;
} // namespace uae

namespace uae::ui {

class ParagraphPane : public QWidget {
    Q_OBJECT
public:
    // One method's rank of the paragraph (rank 0: that method did not rank it).
    struct MethodRank {
        QString method;
        int rank = 0;
    };
    explicit ParagraphPane(QWidget* parent = nullptr);

    void showParagraph(const Dataset& data, const Question& question, int paragraph, std::optional<double> utility,
                       const QVector<MethodRank>& ranks);
    void clear();
    int paragraph() const { return m_paragraph; }
    QTextBrowser* browser() const { return m_text; }

Q_SIGNALS:
    void closeRequested();

private:
    QTextBrowser* m_text;
    int m_paragraph = -1;
};

// The pane's rich text (also for the report and tests).
QString paragraphHtml(const Dataset& data, const Question& question, int paragraph, std::optional<double> utility,
                      const QVector<ParagraphPane::MethodRank>& ranks);

} // namespace uae::ui
