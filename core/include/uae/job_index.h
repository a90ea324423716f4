#pragma once
// The index job: a dense method's passage vectors over a split's corpus (every paragraph of the
// split, as `uae eval --pool corpus` ranks them) in a stored FAISS index of the workspace, built
// when missing or stale and loaded otherwise (vector_index.h).
#include "uae/config_fields.h"
#include "uae/run_types.h"
#include "uae/vector_index.h"

#include <string>

namespace uae {

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

} // namespace uae
