#include "uae/encoder_towers.h"

#include "atomic_file.h"

#include "uae/embedding_cache.h"
#include "uae/encoder_bert.h"
#include "uae/model_files.h"
#include "uae/model_registry.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace uae {

namespace {

// The weight files' names, sizes and times: a model retrained in place gets a new cache.
std::string weightsStamp(const std::string& dir) {
    std::string stamp;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".safetensors") {
            stamp += entry.path().filename().string() + ":" + std::to_string(entry.file_size(ec)) + ":" +
                     std::to_string(fs::last_write_time(entry.path(), ec).time_since_epoch().count()) + ";";
        }
    return stamp;
}

} // namespace

EncoderTowers::EncoderTowers(std::shared_ptr<Encoder> query, std::shared_ptr<Encoder> passage)
    : m_query(std::move(query)), m_passage(std::move(passage)) {}

std::string EncoderTowers::configJson() const {
    return nlohmann::json{{"encoder", "towers"},
                          {"query", nlohmann::json::parse(m_query->configJson())},
                          {"passage", nlohmann::json::parse(m_passage->configJson())}}
        .dump();
}

std::string EncoderTowers::warning() const {
    const auto q = m_query->warning(), p = m_passage->warning();
    return q.empty() ? p : p.empty() ? q : q + "; " + p;
}

std::vector<float> EncoderTowers::encode(const std::vector<std::string>& texts, EncodeRole role) {
    return (role == EncodeRole::Query ? m_query : m_passage)->encode(texts, role);
}

Result<TowersFile> TowersFile::read(const std::string& folder) {
    const fs::path path = fs::path(folder) / kName;
    TowersFile out;
    if (!fs::exists(path))
        return out;
    std::ifstream in(path);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("towers") || !j["towers"].is_string())
        return fail(path.string() + ": not a towers file (expected {\"towers\": \"query\"|\"both\", ...})");
    out.towers = j["towers"].get<std::string>();
    if (out.towers != "query" && out.towers != "both")
        return fail(path.string() + ": towers '" + out.towers + "' is neither query nor both");
    out.passageModel = j.value("passage_model", "");
    if (out.towers == "query" && out.passageModel.empty())
        return fail(path.string() + ": towers query names no passage_model");
    return out;
}

Status TowersFile::write(const std::string& folder) const {
    const auto text =
        nlohmann::json{{"format", "uae-towers-v1"}, {"towers", towers}, {"passage_model", passageModel}}.dump(1);
    return detail::writeFileAtomically((fs::path(folder) / kName).string(), [&](std::ofstream& out) { out << text; });
}

Result<std::shared_ptr<Encoder>> loadBaseBert(const std::string& model, const BertOptions& options,
                                              const std::string& cacheDir, CacheAccess access) {
    BertOptions o = options;
    const auto fetched = findFetchedModel(model);
    if (fetched && fetched->kind != "bert")
        return fail(model + ": a fetched " + fetched->kind + " model, not a BERT-family encoder");
    o.method = fetched ? fetchedMethodName(*fetched) : o.method;
    auto encoder = EncoderBert::load(model, o);
    if (!encoder)
        return fail(encoder.error());
    const auto dir = resolveModelDir(model);
    encoder.value()->setWeightsStamp(weightsStamp(dir ? dir.value() : model));
    std::shared_ptr<Encoder> used(std::move(encoder.value()));
    if (cacheDir.empty())
        return used;
    return std::shared_ptr<Encoder>(std::make_shared<CachingEncoder>(used, cacheDir, used->fingerprint(), access));
}

Result<std::shared_ptr<Encoder>> loadUaeBert(const std::string& folder, const BertOptions& options,
                                             const std::string& cacheDir) {
    auto towers = TowersFile::read(folder);
    if (!towers)
        return fail(towers.error());
    BertOptions o = options;
    o.method = "uae";
    if (towers->towers == "both")
        return loadBaseBert(folder, o, cacheDir);
    auto query = EncoderBert::load(folder, o);
    if (!query)
        return fail(query.error());
    BertOptions base = options;
    base.method = "bert";
    auto passage = loadBaseBert(towers->passageModel, base, cacheDir);
    if (!passage)
        return fail(folder + ": its frozen passage tower: " + passage.error());
    if (passage.value()->dim() != query.value()->dim())
        return fail(folder + ": the query tower gives " + std::to_string(query.value()->dim()) +
                    "-d vectors, its passage tower " + towers->passageModel + " " +
                    std::to_string(passage.value()->dim()) + "-d");
    return std::shared_ptr<Encoder>(
        std::make_shared<EncoderTowers>(std::shared_ptr<Encoder>(std::move(query.value())), passage.value()));
}

} // namespace uae
