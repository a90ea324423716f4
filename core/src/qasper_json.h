#pragma once
// Private: parsing of one official QASPER JSON file (no evidence mapping yet).
#include "uae/qasper.h"

namespace uae::detail {

struct RawPaper {
    Paper paper;
    std::vector<Question> questions; // evidence items unmapped, paper index unset
};

Result<std::vector<RawPaper>> readQasperFile(const std::string& path);

} // namespace uae::detail
