#pragma once
// Private: what training checks about its labels before it starts, so it never trains on labels
// still being written or computed on text that has changed since (issue 13, item 6).
#include "uae/job_train.h"
#include "uae/qasper.h"
#include "uae/result.h"
#include "uae/store.h"

#include <vector>

namespace uae::detail {

// Fails when a label run of the same scorer, prompt and split is still running.
Status noLabelRunInProgress(const Store& store, const TrainConfig& config);

// Fails when a question's labels were computed on other text than the data now holds (a stored
// source hash that differs), or, for labels older than the hash, point past its paper's paragraphs.
Status labelsMatchData(const Store& store, const Dataset& train, const TrainConfig& config,
                       const std::vector<LabelRow>& labels);

} // namespace uae::detail
