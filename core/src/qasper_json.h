#pragma once
// Private: parsing of one official QASPER JSON file (no evidence mapping yet).
#include "uae/qasper.h"

namespace uae::detail {

struct RawPaper {
    Paper paper;
    std::vector<Question> questions; // evidence items unmapped, paper index unset
};

Result<std::vector<RawPaper>> readQasperFile(const std::string& path);

// Adds one mapped question to the split's evidence statistics (QASPER and BEIR loaders).
void addQuestionStats(const Question& q, EvidenceMappingStats& stats);

} // namespace uae::detail
