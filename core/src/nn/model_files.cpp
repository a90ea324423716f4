#include "uae/model_files.h"

#include "uae/model_registry.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace fs = std::filesystem;

namespace uae {

namespace {

std::vector<fs::path> hubCaches() {
    std::vector<fs::path> out;
    if (const char* c = std::getenv("HF_HUB_CACHE"))
        out.emplace_back(c);
    if (const char* h = std::getenv("HF_HOME"))
        out.emplace_back(fs::path(h) / "hub");
    if (const char* home = std::getenv("HOME"))
        out.emplace_back(fs::path(home) / ".cache" / "huggingface" / "hub");
    return out;
}

} // namespace

Result<std::string> resolveModelDir(const std::string& pathOrId) {
    std::error_code ec;
    if (fs::is_directory(pathOrId, ec))
        return pathOrId;
    if (auto fetched = findFetchedModel(pathOrId); fetched && fetched->kind != "gguf")
        return fetched->dir;
    if (fs::exists(pathOrId, ec))
        return fail(pathOrId + ": a file, not a model folder (name the folder that holds config.json)");
    // "org/name" may be a Hugging Face id; an absolute or relative path never is.
    const auto slash = pathOrId.find('/');
    if (slash == std::string::npos || slash == 0 || pathOrId.find('/', slash + 1) != std::string::npos ||
        pathOrId.starts_with("."))
        return fail(pathOrId + ": no such model folder, and no fetched model of that name in " + modelCacheDir() +
                    " (scripts/fetch-models.sh fetches them; uae models lists them)");
    const std::string repo = "models--" + pathOrId.substr(0, slash) + "--" + pathOrId.substr(slash + 1);
    std::string looked;
    for (const auto& cache : hubCaches()) {
        const fs::path root = cache / repo;
        looked += " " + root.string();
        if (!fs::is_directory(root / "snapshots", ec))
            continue;
        std::string revision;
        if (std::ifstream ref(root / "refs" / "main"); ref)
            std::getline(ref, revision);
        if (!revision.empty() && fs::is_directory(root / "snapshots" / revision, ec))
            return (root / "snapshots" / revision).string();
        fs::path newest;
        fs::file_time_type newestTime{};
        for (const auto& e : fs::directory_iterator(root / "snapshots", ec))
            if (e.is_directory() && (newest.empty() || e.last_write_time() > newestTime)) {
                newest = e.path();
                newestTime = e.last_write_time();
            }
        if (!newest.empty())
            return newest.string();
    }
    return fail(pathOrId + ": not a folder and not in the Hugging Face cache (looked in" + looked +
                "); download it first, e.g. huggingface-cli download " + pathOrId);
}

Result<WeightSet> WeightSet::open(const std::string& dir) {
    const fs::path d(dir);
    std::vector<std::string> files;
    const fs::path index = d / "model.safetensors.index.json";
    std::error_code ec;
    if (fs::exists(index, ec)) {
        std::ifstream in(index);
        try {
            const auto j = nlohmann::json::parse(in);
            std::set<std::string> shards;
            for (const auto& [name, file] : j.at("weight_map").items())
                shards.insert(file.get<std::string>());
            for (const auto& s : shards)
                files.push_back((d / s).string());
        } catch (const nlohmann::json::exception& e) {
            return fail(index.string() + ": " + e.what());
        }
    } else if (fs::exists(d / "model.safetensors", ec)) {
        files.push_back((d / "model.safetensors").string());
    } else {
        for (const auto& e : fs::directory_iterator(d, ec))
            if (e.path().extension() == ".safetensors")
                files.push_back(e.path().string());
        if (files.size() != 1)
            return fail(dir + (files.empty() ? ": no .safetensors weights (pytorch_model.bin is not read; convert it)"
                                             : ": several .safetensors files but no model.safetensors.index.json"));
    }
    WeightSet set;
    set.m_files = files;
    for (const auto& f : files) {
        auto file = SafetensorsFile::open(f);
        if (!file)
            return fail(file.error());
        for (const auto& [name, info] : file.value()->tensors())
            if (!set.m_where.emplace(name, file.value().get()).second)
                return fail(f + ": tensor '" + name + "' also appears in another shard");
        set.m_open.push_back(std::move(file.value()));
    }
    return set;
}

const TensorInfo* WeightSet::find(const std::string& name, const SafetensorsFile** file) const {
    auto it = m_where.find(name);
    if (it == m_where.end())
        return nullptr;
    if (file)
        *file = it->second;
    return it->second->find(name);
}

std::vector<std::string> WeightSet::names() const {
    std::vector<std::string> out;
    for (const auto& [name, f] : m_where)
        out.push_back(name);
    return out;
}

} // namespace uae
