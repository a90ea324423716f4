// An index's metadata, the fingerprints it is checked against, and the policy that decides
// between loading a stored index and building it again (vector_index.h).
#include "uae/encoder.h"
#include "uae/sha256.h"
#include "uae/vector_index.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace uae {

namespace fs = std::filesystem;

std::string IndexMeta::toJson() const {
    return nlohmann::json{{"format_version", formatVersion},
                          {"factory", factory},
                          {"encoder", encoder},
                          {"encoder_fingerprint", encoderFingerprint},
                          {"corpus_fingerprint", corpusFingerprint},
                          {"corpus", corpus},
                          {"dim", dim},
                          {"ntotal", ntotal},
                          {"train_seconds", trainSeconds},
                          {"build_seconds", buildSeconds},
                          {"memory_bytes", memoryBytes},
                          {"created", created}}
        .dump(2);
}

Result<IndexMeta> IndexMeta::fromJson(const std::string& text, const std::string& path) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object())
        return fail(path + ": not a JSON object (corrupt index metadata)");
    IndexMeta m;
    try {
        m.formatVersion = j.at("format_version").get<int>();
        m.factory = j.at("factory").get<std::string>();
        m.encoder = j.at("encoder").get<std::string>();
        m.encoderFingerprint = j.at("encoder_fingerprint").get<std::string>();
        m.corpusFingerprint = j.at("corpus_fingerprint").get<std::string>();
        m.corpus = j.at("corpus").get<std::string>();
        m.dim = j.at("dim").get<int>();
        m.ntotal = j.at("ntotal").get<std::int64_t>();
        m.trainSeconds = j.at("train_seconds").get<double>();
        m.buildSeconds = j.at("build_seconds").get<double>();
        m.memoryBytes = j.at("memory_bytes").get<std::int64_t>();
        m.created = j.at("created").get<std::string>();
    } catch (const nlohmann::json::exception& e) {
        return fail(path + ": index metadata lacks a field or has the wrong type: " + e.what());
    }
    return m;
}

std::string IndexMeta::mismatch(const IndexMeta& wanted) const {
    if (formatVersion != wanted.formatVersion)
        return "it has format version " + std::to_string(formatVersion) + ", this build writes " +
               std::to_string(wanted.formatVersion);
    if (factory != wanted.factory)
        return "it is a " + factory + " index, " + wanted.factory + " was asked for";
    if (encoderFingerprint != wanted.encoderFingerprint)
        return "the encoder changed (" + encoder + " fingerprint " + encoderFingerprint.substr(0, 12) + " -> " +
               wanted.encoderFingerprint.substr(0, 12) + ")";
    if (corpusFingerprint != wanted.corpusFingerprint)
        return "the corpus changed (" + corpus + " fingerprint " + corpusFingerprint.substr(0, 12) + " -> " +
               wanted.corpusFingerprint.substr(0, 12) + ")";
    if (dim != wanted.dim)
        return "it holds vectors of dimension " + std::to_string(dim) + ", the encoder gives " +
               std::to_string(wanted.dim);
    return {};
}

std::string corpusFingerprint(const std::vector<std::string>& passages) {
    Sha256 h;
    for (const auto& p : passages) {
        const std::uint64_t n = p.size();
        h.update(&n, sizeof n);
        h.update(p.data(), p.size());
    }
    return h.hex();
}

std::string encoderFingerprint(const Encoder& encoder) {
    const std::string f = encoder.fingerprint();
    return sha256Hex(f.data(), f.size());
}

std::string indexFileName(const std::string& method, const std::string& corpus, const std::string& factory) {
    std::string name = method + "-" + corpus + "-" + factory;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-')
            c = '_';
    return name + ".faiss";
}

std::vector<IndexMeta> listIndexes(const std::string& dir) {
    std::vector<IndexMeta> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() != ".faiss")
            continue;
        std::ifstream in(e.path().string() + ".json");
        std::stringstream text;
        text << in.rdbuf();
        if (auto m = IndexMeta::fromJson(text.str(), e.path().string() + ".json")) {
            m->file = e.path().string();
            out.push_back(std::move(m.value()));
        }
    }
    std::sort(out.begin(), out.end(), [](const IndexMeta& a, const IndexMeta& b) { return a.file < b.file; });
    return out;
}

namespace {

// The path of a stored index of `dir` that `file` names, or why it is not one.
Result<std::string> storedIndexPath(const std::string& dir, const std::string& file) {
    fs::path path(file);
    if (!path.has_parent_path())
        path = fs::path(dir) / path; // a name as `uae index list` and the Indexes panel show it
    if (path.extension() != ".faiss")
        return fail(file + ": not a stored index (a .faiss file)");
    std::error_code ec1, ec2;
    // Only files in the workspace's own index folder: a path elsewhere (or '..' out of it) is never
    // deleted, whatever it is called.
    const fs::path parent = fs::weakly_canonical(fs::absolute(path).parent_path(), ec1);
    const fs::path home = fs::weakly_canonical(fs::absolute(dir), ec2);
    if (ec1 || ec2 || parent != home)
        return fail(file + ": not an index of this workspace (its indexes are in " + dir + ")");
    if (!fs::exists(fs::symlink_status(path, ec1)))
        return fail(path.string() + ": no such index");
    return path.string();
}

} // namespace

Status removeIndex(const std::string& dir, const std::string& file) {
    auto path = storedIndexPath(dir, file);
    if (!path)
        return fail(path.error());
    const std::string& p = path.value();
    std::error_code ec;
    fs::remove(p + ".json", ec); // the metadata first: an index without it is never loaded
    if (ec)
        return fail(p + ".json: cannot delete: " + ec.message());
    if (!fs::remove(p, ec) || ec)
        return fail(p + ": cannot delete: " + (ec ? ec.message() : std::string("it vanished")));
    return Ok{};
}

bool faissHasGpu() {
#ifdef UAE_FAISS_GPU
    return true;
#else
    return false;
#endif
}

namespace {

// Why the stored file cannot serve `wanted`; empty with `loaded` set when it can.
std::string tryStored(const std::string& path, const IndexMeta& wanted, std::unique_ptr<VectorIndex>& loaded) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return {};
    auto index = VectorIndex::load(path);
    if (!index)
        return index.error();
    if (auto why = index.value()->meta().mismatch(wanted); !why.empty())
        return path + ": " + why;
    loaded = std::move(index.value());
    return {};
}

} // namespace

Result<IndexOpenResult> openOrBuildIndex(const std::string& path, const IndexMeta& wanted,
                                         const std::function<Result<std::vector<float>>()>& vectors,
                                         const JobContext& ctx) {
    IndexOpenResult out;
    std::unique_ptr<VectorIndex> stored;
    out.rebuiltWhy = tryStored(path, wanted, stored);
    if (stored) {
        out.index = std::move(stored);
        out.loaded = true;
        return out;
    }
    if (!out.rebuiltWhy.empty())
        ctx.warn("rebuilding the index: " + out.rebuiltWhy);
    auto rows = vectors();
    if (!rows)
        return fail(rows.error());
    auto built = VectorIndex::build(rows.value(), wanted, ctx);
    if (!built)
        return fail(built.error());
    if (auto s = built.value()->save(path); !s)
        return fail(s.error());
    out.index = std::move(built.value());
    return out;
}

} // namespace uae
