#pragma once
// The report's sections as the HTML subset QTextDocument draws (report_pdf.cpp lays them out on
// pages). Text only: the charts are drawn apart.
#include "uae/report.h"

#include <QString>

namespace uae::ui::report {

QString headerHtml(const ComparisonReport& report);
QString headlineHtml(const ComparisonReport& report); // the table with intervals and the latency
QString pairedHtml(const ComparisonReport& report);   // wins, ties, losses and paired intervals
QString teacherHtml(const ComparisonReport& report);
QString examplesIntroHtml(const ComparisonReport& report);
QString exampleHtml(const ComparisonReport& report, const ReportQuestion& question); // one per question

} // namespace uae::ui::report
