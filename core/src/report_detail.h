#pragma once
// Private to the report (report.cpp, report_examples.cpp).
#include "uae/report.h"

namespace uae::detail {

// The example questions: the pinned ones (`missing` gets those neither run ranked, in order), or
// when none are pinned the biggest MAP win and loss of B against A. a and b hold the shared questions.
std::vector<ReportQuestion> reportExamples(const ReportRequest& request, const std::vector<QuestionResult>& a,
                                           const std::vector<QuestionResult>& b, const Dataset* data,
                                           std::vector<std::string>& missing);

} // namespace uae::detail
