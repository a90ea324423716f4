#pragma once
// Default locations of the data set, the GloVe model and the workspace. No build-host path is
// compiled in: besides the explicit path and the environment, the search is relative to the
// current folder and to the running executable (read from /proc/self/exe), so a build tree
// (build/app/uae, build/tests/core/tst_*) finds the data next to its source tree.
//
// "Next to the executable" means, for the executable's folder and up to three of its parents,
// nearest first: <folder>/<relative path>, then <folder>/../shared/<relative path>. For
// /work/uae/build/app/uae that reaches /work/uae/datasets/qasper (the link scripts/setup-data.sh
// makes) and then /work/shared/datasets/qasper (the team's read-only copy); test binaries in
// build/tests/<module>/ reach the source tree at their third parent.
// All functions are thread-safe; they only read the file system and the environment.
#include "uae/result.h"

#include <string>

namespace uae {

// Where QASPER lives, first hit wins: the explicit path (CLI --data), $UAE_QASPER_DIR,
// ./datasets/qasper, then datasets/qasper next to the executable as above. The explicit path and
// the variable are returned as given, even when missing, so the error names them; a folder found
// by the search comes back absolute; an empty string when none exists.
std::string findQasperDir(const std::string& explicitPath = {});
// findQasperDir, or an error that says how to provide the data.
Result<std::string> requireQasperDir(const std::string& explicitPath = {});

// The GloVe model folder, in the same order: explicit path, $UAE_GLOVE_DIR,
// ./models/glove-6B-100d-top50k, then models/glove-6B-100d-top50k next to the executable.
std::string findGloveDir(const std::string& explicitPath = {});

// Workspace database: explicit path, $UAE_WORKSPACE, ./uae-workspace.db (not searched for).
std::string defaultWorkspacePath(const std::string& explicitPath = {});

} // namespace uae
