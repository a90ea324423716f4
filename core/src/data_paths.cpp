#include "uae/data_paths.h"

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace uae {

namespace {

std::string firstExisting(std::initializer_list<std::string> candidates) {
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

const std::string kSourceDir = UAE_SOURCE_DIR;

} // namespace

std::string findQasperDir(const std::string& explicitPath) {
    if (!explicitPath.empty())
        return explicitPath; // reported as-is if missing, so the error names what the user gave
    if (auto e = env("UAE_QASPER_DIR"); !e.empty())
        return e;
    return firstExisting({"datasets/qasper", kSourceDir + "/datasets/qasper",
                          kSourceDir + "/../shared/datasets/qasper"});
}

std::string findGloveDir(const std::string& explicitPath) {
    if (!explicitPath.empty())
        return explicitPath;
    if (auto e = env("UAE_GLOVE_DIR"); !e.empty())
        return e;
    return firstExisting({"models/glove-6B-100d-top50k", kSourceDir + "/models/glove-6B-100d-top50k",
                          kSourceDir + "/../shared/models/glove-6B-100d-top50k"});
}

std::string defaultWorkspacePath(const std::string& explicitPath) {
    if (!explicitPath.empty())
        return explicitPath;
    if (auto e = env("UAE_WORKSPACE"); !e.empty())
        return e;
    return "uae-workspace.db";
}

} // namespace uae
