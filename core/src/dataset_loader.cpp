#include "uae/dataset_loader.h"

#include "uae/beir.h"
#include "uae/utility.h"

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
