#pragma once
// The index job: a dense method's passage vectors over a split's corpus (every paragraph of the
// split, as `uae eval --pool corpus` ranks them) in a stored FAISS index of the workspace, built
// when missing or stale and loaded otherwise (vector_index.h).
#include "uae/config_fields.h"
#include "uae/run_types.h"
#include "uae/vector_index.h"

#include <string>
#include <vector>

namespace uae {

struct Dataset;
struct EvalJobConfig;

struct IndexBuildConfig : Configurable<IndexBuildConfig> {
    std::string method = "glove"; // a dense method: glove, bert, bert:NAME, uae
    std::string split = "dev";
    std::string dataPath;
    std::string modelPath;
    std::string index = "Flat"; // FAISS index-factory string
    std::string device = "auto";
    std::string dtype = "auto";
    int batch = 64;
    bool useCache = true;
    std::int64_t trainRun = 0;

    static const std::vector<Field<IndexBuildConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
    // The corpus evaluation these settings describe (how the workspace resolves the encoder).
    EvalJobConfig evalConfig() const;
};

struct IndexBuildResult {
    RunStatus status = RunStatus::Running; // Finished, Cancelled or Failed
    std::string error;
    IndexMeta meta;
    bool loaded = false;    // the stored index was up to date: nothing was built
    std::string rebuiltWhy; // a stored index was there but could not serve: why
};

// The corpus fingerprint an index over this split's corpus records (corpusView's passages, in
// order): unequal to IndexMeta::corpusFingerprint when the split's text changed since the build.
std::string splitCorpusFingerprint(const Dataset& split);

// Index-factory strings the front ends offer (the GUI's build dialog), exact first; any other
// string FAISS reads may be typed. `minVectors`: the fewest passages it builds from (IVF's lists
// need at least one training vector each).
struct IndexPreset {
    std::string factory;
    std::string description;
    std::int64_t minVectors = 1;
};
const std::vector<IndexPreset>& indexPresets();

// The search-time setting a factory string's index takes (EvalJobConfig::nprobe / efSearch):
// IVF's lists visited (also with an HNSW coarse quantizer), HNSW's candidate list, or none.
enum class IndexKnob { None, Nprobe, EfSearch };
IndexKnob indexKnob(const std::string& factory);
// What a front end proposes for that setting (0 for None): recall near exact on QASPER dev's
// corpus (README, "Stored FAISS indexes") at a fraction of the exact search's time.
int defaultKnobValue(IndexKnob knob);

} // namespace uae
