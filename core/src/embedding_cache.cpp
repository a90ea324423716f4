#include "uae/embedding_cache.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace fs = std::filesystem;

namespace uae {

namespace {

constexpr char kMagic[8] = {'U', 'A', 'E', 'E', 'M', 'B', '1', '\n'};

std::uint64_t keyOf(const std::string& text, EncodeRole role) {
    return stableHash(text, role == EncodeRole::Query ? 0x9e3779b97f4a7c15ULL : 1469598103934665603ULL);
}

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

} // namespace

std::uint64_t stableHash(const std::string& bytes, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

CachingEncoder::CachingEncoder(std::shared_ptr<Encoder> inner, const std::string& cacheDir,
                               const std::string& fingerprint)
    : m_inner(std::move(inner)) {
    std::error_code ec;
    fs::create_directories(cacheDir, ec);
    m_path = (fs::path(cacheDir) / (m_inner->name() + "-" + hex(stableHash(fingerprint)) + ".emb")).string();
    load();
}

CachingEncoder::~CachingEncoder() = default;

// Layout: magic, int32 dim, then records of uint64 key + dim float32.
void CachingEncoder::load() {
    std::ifstream in(m_path, std::ios::binary);
    if (!in)
        return; // no cache yet
    char magic[8] = {};
    std::int32_t dim = 0;
    in.read(magic, sizeof magic);
    in.read(reinterpret_cast<char*>(&dim), sizeof dim);
    if (!in || std::memcmp(magic, kMagic, sizeof magic) != 0 || dim != m_inner->dim()) {
        in.close();
        m_warning = m_path + ": not a cache of this model (bad header or dimension " + std::to_string(dim) +
                    "); set aside as .bad and rebuilt";
        std::error_code ec;
        fs::rename(m_path, m_path + ".bad", ec);
        return;
    }
    const auto d = static_cast<size_t>(dim);
    std::uint64_t key = 0;
    std::vector<float> v(d);
    std::streamoff good = in.tellg();
    while (in.read(reinterpret_cast<char*>(&key), sizeof key) &&
           in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(d * sizeof(float)))) {
        m_vectors[key] = v;
        good = in.tellg();
    }
    in.close();
    // A record cut short by a crash: drop the tail so appends start on a record boundary.
    std::error_code ec;
    if (static_cast<std::uintmax_t>(good) != fs::file_size(m_path, ec) && !ec)
        fs::resize_file(m_path, static_cast<std::uintmax_t>(good), ec);
}

std::vector<float> CachingEncoder::encode(const std::vector<std::string>& texts, EncodeRole role) {
    if (role == EncodeRole::Query) // see the header: the query path is always measured whole
        return m_inner->encode(texts, role);
    const auto d = static_cast<size_t>(m_inner->dim());
    std::vector<std::string> missing;
    std::unordered_set<std::uint64_t> pending; // the same text twice in one call is encoded once
    for (const auto& text : texts) {
        const auto key = keyOf(text, role);
        if (m_vectors.count(key))
            ++m_hits;
        else if (pending.insert(key).second)
            missing.push_back(text);
    }
    if (!missing.empty()) {
        const auto fresh = m_inner->encode(missing, role);
        m_misses += static_cast<long>(missing.size());
        const bool isNew = !fs::exists(m_path);
        std::ofstream log(m_path, std::ios::binary | std::ios::app);
        if (log && isNew) {
            const std::int32_t dim = m_inner->dim();
            log.write(kMagic, sizeof kMagic);
            log.write(reinterpret_cast<const char*>(&dim), sizeof dim);
        }
        for (size_t m = 0; m < missing.size(); ++m) {
            const auto key = keyOf(missing[m], role);
            std::vector<float> v(fresh.begin() + static_cast<std::ptrdiff_t>(m * d),
                                 fresh.begin() + static_cast<std::ptrdiff_t>((m + 1) * d));
            if (log) {
                log.write(reinterpret_cast<const char*>(&key), sizeof key);
                log.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(d * sizeof(float)));
            }
            m_vectors[key] = std::move(v);
        }
        // A cache that cannot be written only costs speed: the vectors are still returned.
    }
    std::vector<float> out(texts.size() * d);
    for (size_t i = 0; i < texts.size(); ++i) {
        const auto& v = m_vectors.at(keyOf(texts[i], role));
        std::copy(v.begin(), v.end(), out.begin() + static_cast<std::ptrdiff_t>(i * d));
    }
    return out;
}

} // namespace uae
