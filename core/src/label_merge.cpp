// Joining labeling shards: the configuration check, coverage and the per-source merges.
#include "uae/label_merge.h"

#include "uae/shard.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

namespace uae {

namespace {

// One label run of a source, as the checks need it.
struct ShardRun {
    std::string path;
    std::int64_t id = 0;
    std::string configuration; // labelConfiguration
    std::string shard;         // its --shard ("" for all)
    RunStatus status = RunStatus::Running;
};

// The keys whose values differ, "top_k (0 vs 20)", for the refusal's message.
std::string differingKeys(const std::string& a, const std::string& b) {
    const auto x = nlohmann::json::parse(a), y = nlohmann::json::parse(b);
    std::set<std::string> keys;
    for (const auto& j : {x, y})
        for (auto it = j.begin(); it != j.end(); ++it)
            keys.insert(it.key());
    std::string out;
    for (const auto& k : keys) {
        const auto u = x.value(k, nlohmann::json()), v = y.value(k, nlohmann::json());
        if (u != v)
            out += (out.empty() ? "" : ", ") + k + " (" + u.dump() + " vs " + v.dump() + ")";
    }
    return out;
}

std::string describe(const ShardRun& r) {
    return r.path + " run " + std::to_string(r.id);
}

Result<std::vector<ShardRun>> labelRunsOf(const Store& store, const std::string& path) {
    auto runs = store.runs();
    if (!runs)
        return fail(runs.error());
    std::vector<ShardRun> out;
    for (const auto& r : runs.value()) {
        if (r.kind != RunKind::Label)
            continue;
        const auto config = nlohmann::json::parse(r.configJson, nullptr, false);
        if (config.is_discarded() || !config.is_object())
            return fail(path + ": run " + std::to_string(r.id) + " has no readable label configuration");
        out.push_back(ShardRun{path, r.id, labelConfiguration(r.configJson), config.value("shard", ""), r.status});
    }
    return out;
}

// Every source's label runs, each source opened (and so migrated to this schema) once.
Result<std::vector<ShardRun>> readSources(const std::vector<std::string>& sources) {
    std::vector<ShardRun> all;
    std::map<std::string, std::string> byId; // workspace id -> file
    for (const auto& path : sources) {
        if (!std::filesystem::is_regular_file(path))
            return fail(path + ": no such workspace file");
        auto store = Store::open(path);
        if (!store)
            return fail(store.error());
        // Merged runs are known by "<workspace id>/<run id>": two copies of one file would give
        // their runs the same names, and the second merge would overwrite the first's run.
        auto id = store.value()->workspaceId();
        if (!id)
            return fail(id.error());
        if (const auto [it, fresh] = byId.emplace(id.value(), path); !fresh)
            return fail(it->second + " and " + path + " are copies of one workspace (id " + id.value() +
                        "): give every shard a file of its own (uae label --shard I/N --workspace NEW.db creates "
                        "it); merging them would mix up their runs");
        auto runs = labelRunsOf(*store.value(), path);
        if (!runs)
            return fail(runs.error());
        if (runs->empty())
            return fail(path + ": holds no label run, so it is no labeling shard (uae label --shard I/N makes one)");
        all.insert(all.end(), runs->begin(), runs->end());
    }
    return all;
}

// Refuses runs of different label configurations: among the sources, and against the target's
// runs of the same labels (same scorer and prompt version).
Status checkConfigurations(const std::vector<ShardRun>& sources, const std::vector<ShardRun>& target) {
    const ShardRun& first = sources.front();
    for (const auto& r : sources)
        if (r.configuration != first.configuration)
            return fail("shards of different label configurations cannot be merged: " + describe(first) + " and " +
                        describe(r) + " differ in " + differingKeys(first.configuration, r.configuration));
    const auto key = [](const std::string& c) { // a damaged config (not an object, odd types) matches nothing
        const auto j = nlohmann::json::parse(c, nullptr, false);
        const auto text = [&](const char* k) {
            return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string("?");
        };
        return text("scorer") + "|" + text("prompt_version");
    };
    for (const auto& r : target)
        if (key(r.configuration) == key(first.configuration) && r.configuration != first.configuration)
            return fail(describe(r) + " already holds these labels with another configuration than " + describe(first) +
                        ": they differ in " + differingKeys(r.configuration, first.configuration) +
                        "; merge into a new workspace");
    return Ok{};
}

// Missing shares of each shard count seen, and sources none of whose runs finished.
std::vector<std::string> coverageWarnings(const std::vector<ShardRun>& runs) {
    std::map<int, std::set<int>> seen; // count -> indices
    std::map<std::string, bool> finished;
    for (const auto& r : runs) {
        if (auto s = parseShard(r.shard); s && s->count > 1)
            seen[s->count].insert(s->index);
        finished[r.path] = finished[r.path] || r.status == RunStatus::Finished;
    }
    std::vector<std::string> out;
    for (const auto& [count, indices] : seen)
        for (int i = 0; i < count; ++i)
            if (!indices.count(i))
                out.push_back("shard " + toString(Shard{i, count}) + " is not among the merged workspaces");
    for (const auto& [path, done] : finished)
        if (!done)
            out.push_back(path + ": no label run finished there; resume it (the same uae label command) and merge "
                                 "again");
    return out;
}

} // namespace

std::string labelConfiguration(const std::string& runConfigJson) {
    auto j = nlohmann::json::parse(runConfigJson, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return "{}";
    for (const char* where : {"data", "device", "shard", "limit", "model", "tau_t"})
        j.erase(where);
    if (j.contains("scorer_config") && j["scorer_config"].is_object())
        j["scorer_config"].erase("device");
    return j.dump();
}

long LabelMergeResult::conflicts() const {
    long n = 0;
    for (const auto& s : sources)
        n += static_cast<long>(s.counts.conflicts.size());
    return n;
}

Result<LabelMergeResult> mergeLabelShards(Store& into, const std::vector<std::string>& sources) {
    if (sources.empty())
        return fail("give the shards' workspace files to merge");
    auto runs = readSources(sources);
    if (!runs)
        return fail(runs.error());
    auto target = labelRunsOf(into, into.path());
    if (!target)
        return fail(target.error());
    if (auto s = checkConfigurations(runs.value(), target.value()); !s)
        return fail(s.error());
    LabelMergeResult out;
    out.warnings = coverageWarnings(runs.value());
    for (const auto& path : sources) {
        auto counts = into.mergeLabelsFrom(path);
        if (!counts)
            return fail(counts.error());
        MergedSource merged{path, std::move(counts.value()), {}};
        for (const auto& r : runs.value())
            if (r.path == path)
                merged.shards.push_back(r.shard);
        out.sources.push_back(std::move(merged));
    }
    return out;
}

} // namespace uae
