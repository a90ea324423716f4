#pragma once
// One entry point for a user's data (--data): QASPER (uae/qasper.h) or a BEIR folder
// (uae/beir.h), told apart by what the path holds unless the format is named.
#include "uae/qasper.h"
#include "uae/result.h"

#include <string>
#include <vector>

namespace uae {

enum class DataFormat { Auto, Qasper, Beir };

const char* dataFormatName(DataFormat format);
// "auto" | "qasper" | "beir"; the error names the allowed values.
Result<DataFormat> parseDataFormat(const std::string& name);
// Beir for a folder with corpus.jsonl and queries.jsonl, else Qasper.
DataFormat detectDataFormat(const std::string& path);

// The splits a data path holds, sorted, for a front end to offer: a QASPER folder's
// qasper-<split>-*.json names, a BEIR folder's qrels/<split>.tsv. Empty for a single file (read
// whatever the split is called) and for a path that cannot be listed.
std::vector<std::string> availableSplits(const std::string& path, DataFormat format = DataFormat::Auto);

// The split read from path in the given (or detected) format.
Result<Dataset> loadDataset(const std::string& path, const std::string& split, DataFormat format = DataFormat::Auto);

// Counts for a summary line (uae data): pools, passages, queries, with gold, with answers.
struct DatasetCounts {
    long papers = 0, passages = 0, questions = 0, withGold = 0, withAnswers = 0;
};
DatasetCounts countDataset(const Dataset& data);

} // namespace uae
