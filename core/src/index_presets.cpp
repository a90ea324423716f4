// The index-factory strings offered to users, and which search-time setting each kind takes
// (job_index.h). Policy lives here so the GUI's dialog and any other front end offer the same.
#include "uae/job_index.h"

namespace uae {

const std::vector<IndexPreset>& indexPresets() {
    // Sizes for QASPER's splits (dev 13k, train 50k paragraphs) and a BEIR corpus of ~1M: IVF
    // wants ~sqrt(n) to 4*sqrt(n) lists, and each list one training vector at the least.
    static const std::vector<IndexPreset> presets{
        {"Flat", "exact: every vector compared, the same ranking as no index", 1},
        {"HNSW32", "graph: fast and near exact, slow to build; efSearch trades speed for recall", 1},
        {"IVF128,Flat", "inverted lists for ~10k-100k passages; nprobe lists visited per query", 128},
        {"IVF1024,Flat", "inverted lists for ~100k-1M passages", 1024},
        {"IVF128,SQ8", "inverted lists with 1 byte per dimension: a quarter of Flat's memory", 128},
    };
    return presets;
}

IndexKnob indexKnob(const std::string& factory) {
    // IVF is the outer index even with an HNSW coarse quantizer (IVF4096_HNSW32,Flat): nprobe.
    if (factory.find("IVF") != std::string::npos)
        return IndexKnob::Nprobe;
    if (factory.find("HNSW") != std::string::npos)
        return IndexKnob::EfSearch;
    return IndexKnob::None;
}

int defaultKnobValue(IndexKnob knob) {
    switch (knob) {
    case IndexKnob::Nprobe:
        return 16;
    case IndexKnob::EfSearch:
        return 64;
    case IndexKnob::None:
        break;
    }
    return 0;
}

} // namespace uae
