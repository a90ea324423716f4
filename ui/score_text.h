#pragma once
// Scores as the ranking views print them.
#include <QString>

namespace uae::ui {

// Fixed decimals, never "-0.000": an imported TREC run's ties are nudged a hair below the
// previous score (1e-6 steps), which would print as a negative zero next to 0.000.
inline QString scoreText(double value, int decimals) {
    const QString text = QString::number(value, 'f', decimals);
    return text.startsWith('-') && text.toDouble() == 0.0 ? text.mid(1) : text;
}

} // namespace uae::ui
