#include "uae/dataset_loader.h"

#include "uae/beir.h"
#include "uae/utility.h"

#include <filesystem>
#include <set>

namespace uae {

const char* dataFormatName(DataFormat format) {
    switch (format) {
    case DataFormat::Auto:
        return "auto";
    case DataFormat::Qasper:
        return "qasper";
    case DataFormat::Beir:
        return "beir";
    }
    return "?";
}

Result<DataFormat> parseDataFormat(const std::string& name) {
    for (auto f : {DataFormat::Auto, DataFormat::Qasper, DataFormat::Beir})
        if (name == dataFormatName(f))
            return f;
    return fail("--format: '" + name + "' is not a data format (auto, qasper, beir)");
}

DataFormat detectDataFormat(const std::string& path) {
    return isBeirFolder(path) ? DataFormat::Beir : DataFormat::Qasper;
}

std::vector<std::string> availableSplits(const std::string& path, DataFormat format) {
    namespace fs = std::filesystem;
    if (format == DataFormat::Auto)
        format = detectDataFormat(path);
    const bool beir = format == DataFormat::Beir;
    std::set<std::string> splits;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(beir ? fs::path(path) / "qrels" : fs::path(path), ec)) {
        const std::string name = entry.path().filename().string();
        if (beir && entry.path().extension() == ".tsv")
            splits.insert(entry.path().stem().string());
        // qasper-<split>-<version>[-partN].json, as loadQasper finds a split's files
        const size_t dash = name.find('-', 7);
        if (!beir && name.starts_with("qasper-") && name.ends_with(".json") && dash != std::string::npos && dash > 7)
            splits.insert(name.substr(7, dash - 7));
    }
    return {splits.begin(), splits.end()};
}

Result<Dataset> loadDataset(const std::string& path, const std::string& split, DataFormat format) {
    if (format == DataFormat::Auto)
        format = detectDataFormat(path);
    if (format == DataFormat::Beir)
        return loadBeir(path, split);
    return loadQasper(path, split);
}

DatasetCounts countDataset(const Dataset& data) {
    DatasetCounts c;
    c.papers = static_cast<long>(data.papers.size());
    for (const auto& p : data.papers)
        c.passages += static_cast<long>(p.paragraphs.size());
    c.questions = static_cast<long>(data.questions.size());
    for (const auto& q : data.questions) {
        c.withGold += q.hasTextEvidence() ? 1 : 0;
        c.withAnswers += utilityAnswers(q).empty() ? 0 : 1;
    }
    return c;
}

} // namespace uae
