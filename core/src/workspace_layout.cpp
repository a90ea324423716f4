// The on-disk layout of a workspace NAME.db, in one place: NAME.files/checkpoints/ and
// NAME.files/exports/ are the workspace's own (two workspaces in one folder never share a
// model); cache/ beside it holds embedding caches keyed by encoder and weights, shared safely.
#include "uae/job_eval.h"
#include "uae/job_train.h"
#include "uae/workspace.h"

#include <filesystem>

namespace uae {

namespace {

std::filesystem::path ownFolder(const std::string& workspacePath) {
    const auto db = std::filesystem::absolute(workspacePath);
    return db.parent_path() / (db.stem().string() + ".files");
}

} // namespace

std::string checkpointPath(const std::string& workspacePath, std::int64_t runId) {
    return (ownFolder(workspacePath) / "checkpoints" / ("run-" + std::to_string(runId) + ".safetensors")).string();
}

std::string bertCheckpointDir(const std::string& workspacePath, std::int64_t runId) {
    return (ownFolder(workspacePath) / "checkpoints" / ("run-" + std::to_string(runId))).string();
}

std::string embeddingCacheDir(const std::string& workspacePath) {
    return (std::filesystem::absolute(workspacePath).parent_path() / "cache").string();
}

std::string Workspace::exportsDir() const {
    const auto dir = ownFolder(path()) / "exports";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec); // a failure shows when the export is written
    return dir.string();
}

} // namespace uae
