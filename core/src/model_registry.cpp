#include "uae/model_registry.h"

#include "uae/sha256.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace uae {

namespace {

// "<hex>  <file>" lines, as sha256sum writes them.
std::vector<std::pair<std::string, std::string>> readSums(const fs::path& file) {
    std::vector<std::pair<std::string, std::string>> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        const auto sp = line.find(' ');
        if (sp != 64 || line.size() < 67)
            continue;
        std::string name = line.substr(66);
        if (name.starts_with("./"))
            name.erase(0, 2);
        out.emplace_back(line.substr(0, 64), name);
    }
    return out;
}

FetchedModel describeFolder(const fs::path& dir) {
    FetchedModel m;
    m.name = dir.filename().string();
    m.dir = m.path = dir.string();
    try {
        std::ifstream in(dir / "SOURCE.json");
        const auto j = nlohmann::json::parse(in);
        m.kind = j.value("kind", "");
        m.upstream = j.value("upstream", "");
        m.licence = j.value("licence", j.value("license", ""));
        const std::string source = j.value("source", "");
        m.source = source == "wheel" ? "wheel " + j.value("package", "?") + "==" + j.value("version", "?") : source;
    } catch (const nlohmann::json::exception& e) {
        m.problem = (dir / "SOURCE.json").string() + ": " + e.what();
        return m;
    }
    const auto sums = readSums(dir / "SHA256SUMS");
    if (sums.empty())
        m.problem = (dir / "SHA256SUMS").string() + ": missing or empty; run scripts/fetch-models.sh";
    std::error_code ec;
    for (const auto& [digest, name] : sums) {
        const auto size = fs::file_size(dir / name, ec);
        if (ec) {
            m.problem = (dir / name).string() + ": missing; run scripts/fetch-models.sh";
            break;
        }
        m.bytes += size;
        if (m.kind == "gguf" && name.ends_with(".gguf"))
            m.path = (dir / name).string();
    }
    return m;
}

} // namespace

std::string modelCacheDir() {
    fs::path base;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        base = x;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".cache";
    else
        base = fs::temp_directory_path();
    return (base / "uae-workbench" / "models").string();
}

std::vector<FetchedModel> fetchedModels() {
    std::vector<FetchedModel> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(modelCacheDir(), ec))
        if (e.is_directory(ec) && fs::exists(e.path() / "SOURCE.json", ec))
            out.push_back(describeFolder(e.path()));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

std::optional<FetchedModel> findFetchedModel(const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos || name.starts_with("."))
        return std::nullopt;
    const fs::path dir = fs::path(modelCacheDir()) / name;
    std::error_code ec;
    if (!fs::exists(dir / "SOURCE.json", ec))
        return std::nullopt;
    return describeFolder(dir);
}

std::string fetchedMethodName(const FetchedModel& model) {
    return "bert:" + model.name;
}

bool isInstructModel(const std::string& nameOrPath) {
    return nameOrPath.find("Instruct") != std::string::npos || nameOrPath.find("instruct") != std::string::npos;
}

std::vector<std::string> fetchedEncoderMethods() {
    std::vector<std::string> out;
    for (const auto& m : fetchedModels())
        if (m.kind == "bert" && m.problem.empty())
            out.push_back(fetchedMethodName(m));
    return out;
}

Status verifyFetchedModel(const FetchedModel& model) {
    const fs::path dir(model.dir);
    const auto sums = readSums(dir / "SHA256SUMS");
    if (sums.empty())
        return fail((dir / "SHA256SUMS").string() + ": missing or empty");
    std::vector<char> buf(1 << 20);
    for (const auto& [digest, name] : sums) {
        std::ifstream in(dir / name, std::ios::binary);
        if (!in)
            return fail((dir / name).string() + ": missing");
        Sha256 h;
        while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
            h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
        if (h.hex() != digest)
            return fail((dir / name).string() + ": sha256 differs from SHA256SUMS (modified or corrupt); "
                                                "run scripts/fetch-models.sh to fetch it again");
    }
    return Ok{};
}

} // namespace uae
