#pragma once
// Saving any QCustomPlot as PNG, PDF or SVG (chosen by the file's suffix), and what every plot of
// the workbench offers: right-click "Export plot…" and values on hover.
#include <QString>

class QCustomPlot;

namespace uae::ui {

// Returns an error message naming the file, or an empty string.
QString exportPlot(QCustomPlot* plot, const QString& path, int width = 0, int height = 0);
// Adds a context menu with "Export plot…" (a file dialog) and tooltips with the value of the
// data point under the mouse.
void enablePlotTools(QCustomPlot* plot);
// Moves the legend out of the axis rect to its right, so it never hides data points (inside, it
// covered the top right of the utility and rank plots, where the best-scored points are).
void placeLegendRight(QCustomPlot* plot);

} // namespace uae::ui
