#include "uae/data_paths.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace uae {

namespace {

// How far above the executable's folder to look: build/tests/core/tst_x reaches the source tree
// at the third parent.
constexpr int kParentLevels = 3;

std::string firstExisting(const std::vector<fs::path>& candidates) {
    std::error_code ec;
    for (const auto& c : candidates)
        if (!c.empty() && fs::exists(c, ec))
            return fs::absolute(c, ec).lexically_normal().string();
    return {};
}

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// The running program's folder and up to kParentLevels of its parents, nearest first; empty when
// /proc/self/exe cannot be read (not Linux, or no /proc).
std::vector<fs::path> executableFolders() {
    std::error_code ec;
    fs::path dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
    std::vector<fs::path> out;
    for (int level = 0; !ec && !dir.empty() && level <= kParentLevels; ++level) {
        out.push_back(dir);
        if (dir == dir.parent_path())
            break; // reached the root
        dir = dir.parent_path();
    }
    return out;
}

// ./relative, then for each folder from executableFolders(): folder/relative and
// folder/../shared/relative.
std::string findNearby(const fs::path& relative) {
    std::vector<fs::path> candidates{relative};
    for (const auto& dir : executableFolders()) {
        candidates.push_back(dir / relative);
        candidates.push_back(dir.parent_path() / "shared" / relative);
    }
    return firstExisting(candidates);
}

} // namespace

Result<std::string> requireQasperDir(const std::string& explicitPath) {
    std::string dir = findQasperDir(explicitPath);
    if (dir.empty())
        return fail("QASPER not found: pass --data DIR, set UAE_QASPER_DIR, or run scripts/setup-data.sh "
                    "(links ../shared or downloads the official release)");
    return dir;
}

std::string findQasperDir(const std::string& explicitPath) {
    if (!explicitPath.empty())
        return explicitPath; // reported as-is if missing, so the error names what the user gave
    if (auto e = env("UAE_QASPER_DIR"); !e.empty())
        return e;
    return findNearby("datasets/qasper");
}

std::string findGloveDir(const std::string& explicitPath) {
    if (!explicitPath.empty())
        return explicitPath;
    if (auto e = env("UAE_GLOVE_DIR"); !e.empty())
        return e;
    return findNearby("models/glove-6B-100d-top50k");
}

std::string defaultWorkspacePath(const std::string& explicitPath) {
    if (!explicitPath.empty())
        return explicitPath;
    if (auto e = env("UAE_WORKSPACE"); !e.empty())
        return e;
    return "uae-workspace.db";
}

} // namespace uae
