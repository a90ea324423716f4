#pragma once
// Joining labeling shards (shard.h) into one workspace: what `uae merge SHARD.db... --into WS`
// does. Each shard labelled its share into a workspace file of its own (SQLite over a network
// file system is not safe for concurrent writers); the merge copies their label runs, metrics
// and labels into one, idempotently (Store::mergeLabelsFrom), after checking that every shard
// labelled with the same label configuration.
#include "uae/result.h"
#include "uae/store.h"

#include <string>
#include <vector>

namespace uae {

// The settings of a label run's stored config that decide its labels' values: everything but
// where it ran and on which share (data path, device, shard, limit, the model's path — its name
// stays in scorer_config — and tau_t, which only shapes reported statistics). Canonical JSON.
std::string labelConfiguration(const std::string& runConfigJson);

struct MergedSource {
    std::string path;
    MergeCounts counts;
    std::vector<std::string> shards; // "I/N" of its label runs ("" for an unsharded run)
};

struct LabelMergeResult {
    std::vector<MergedSource> sources;
    // Shares not among the sources ("shard 2/4 is missing"), sources whose label runs did not all
    // finish: the merge is then partial, and merging again once they are done completes it.
    std::vector<std::string> warnings;
    long conflicts() const;
};

// Refuses, merging nothing, when a source is missing, is no workspace, holds no label run, or its
// label runs' configurations differ from each other's or from the target's runs of the same
// labels; the error names the files, runs and settings. Conflicting labels of one question are
// reported in the counts and leave the target's as they are.
Result<LabelMergeResult> mergeLabelShards(Store& into, const std::vector<std::string>& sources);

} // namespace uae
