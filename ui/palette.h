#pragma once
// The workbench's colours: the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008),
// whose eight colours stay distinguishable under protanopia, deuteranopia and tritanopia. Methods
// A–D are blue, vermillion, bluish green and reddish purple; gold is bluish green (with a mark
// besides the colour), the teacher's utility a sky-blue bar, the shared highlight orange, a rank
// moved up blue and down vermillion (never red against green).
#include <QColor>

namespace uae::ui::palette {

inline const QColor kBlack{0, 0, 0};
inline const QColor kOrange{230, 159, 0};
inline const QColor kSkyBlue{86, 180, 233};
inline const QColor kBluishGreen{0, 158, 115};
inline const QColor kYellow{240, 228, 66};
inline const QColor kBlue{0, 114, 178};
inline const QColor kVermillion{213, 94, 0};
inline const QColor kReddishPurple{204, 121, 167};

// Method (panel, grid column, plot series) i of up to four.
inline QColor method(qsizetype i) {
    const QColor colors[] = {kBlue, kVermillion, kBluishGreen, kReddishPurple};
    return colors[i % 4];
}

// Backgrounds: a light tint of bluish green for gold, of orange for the highlighted paragraph.
inline QColor goldBackground() {
    return QColor(204, 236, 227);
}
inline QColor highlightBackground() {
    return QColor(255, 226, 160);
}
inline QColor rankUp() {
    return kBlue;
}
inline QColor rankDown() {
    return kVermillion;
}
// Paragraph pane: the question's terms, the answer's tokens, words in both.
inline QColor questionTerm() {
    return QColor(180, 222, 246); // sky blue, light
}
inline QColor answerTerm() {
    return QColor(245, 236, 140); // yellow, light
}
inline QColor bothTerms() {
    return QColor(240, 200, 120); // orange, light
}

} // namespace uae::ui::palette
