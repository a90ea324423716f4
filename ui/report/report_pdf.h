#pragma once
// The report for stakeholders (uae/report.h) written as a PDF with Qt's PDF writer: QTextDocument
// sections drawn with a QPainter on a QPdfWriter, the charts drawn by QCustomPlot as vectors. Used
// by `uae report` and the GUI's File > Export report…. No Qt in this header: the CLI includes it.
#include "uae/report.h"
#include "uae/result.h"

#include <string>

namespace uae::ui {

// Writes `report` to `path` (A4). The file appears only when complete: on failure nothing is
// written and the error names the file. Needs no display: without a QApplication (the CLI) one is
// made for the call on Qt's offscreen platform. Call from the thread that owns the
// QApplication when there is one.
Status writeReportPdf(const ComparisonReport& report, const std::string& path);

} // namespace uae::ui
