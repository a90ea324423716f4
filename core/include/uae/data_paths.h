#pragma once
#include <string>

namespace uae {

// Where QASPER lives, first hit wins: the explicit path (CLI --data), $UAE_QASPER_DIR,
// ./datasets/qasper, the source tree's datasets/qasper (link made by scripts/setup-data.sh).
// Returns an empty string when none exists.
std::string findQasperDir(const std::string& explicitPath = {});

// The GloVe model folder: explicit path, $UAE_GLOVE_DIR, ./models/glove-6B-100d-top50k,
// the source tree's models/ link, ../shared/models next to the source tree.
std::string findGloveDir(const std::string& explicitPath = {});

// Workspace database: explicit path, $UAE_WORKSPACE, ./uae-workspace.db
std::string defaultWorkspacePath(const std::string& explicitPath = {});

} // namespace uae
