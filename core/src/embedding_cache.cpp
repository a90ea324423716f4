#include "uae/embedding_cache.h"

#include "atomic_file.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace fs = std::filesystem;

namespace uae {

namespace {

constexpr char kMagicV1[8] = {'U', 'A', 'E', 'E', 'M', 'B', '1', '\n'};
constexpr char kMagic[8] = {'U', 'A', 'E', 'E', 'M', 'B', '2', '\n'};

size_t recordBytes(size_t dim) {
    return sizeof(std::uint64_t) * 2 + dim * sizeof(float);
}

std::uint64_t checksumOf(std::uint64_t key, const float* v, size_t dim) {
    std::string bytes(reinterpret_cast<const char*>(&key), sizeof key);
    bytes.append(reinterpret_cast<const char*>(v), dim * sizeof(float));
    return stableHash(bytes);
}

void writeHeader(std::ostream& out, std::int32_t dim) {
    out.write(kMagic, sizeof kMagic);
    out.write(reinterpret_cast<const char*>(&dim), sizeof dim);
}

void writeRecord(std::ostream& out, std::uint64_t key, const std::vector<float>& v, size_t dim) {
    const std::uint64_t check = checksumOf(key, v.data(), dim);
    out.write(reinterpret_cast<const char*>(&key), sizeof key);
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(dim * sizeof(float)));
    out.write(reinterpret_cast<const char*>(&check), sizeof check);
}

// False when the record's checksum does not match or a value is not finite.
bool decodeRecord(const std::vector<char>& record, std::uint64_t& key, std::vector<float>& v) {
    std::uint64_t check = 0;
    const size_t vecBytes = v.size() * sizeof(float);
    std::memcpy(&key, record.data(), sizeof key);
    std::memcpy(v.data(), record.data() + sizeof key, vecBytes);
    std::memcpy(&check, record.data() + sizeof key + vecBytes, sizeof check);
    if (check != checksumOf(key, v.data(), v.size()))
        return false;
    for (float x : v)
        if (!std::isfinite(x))
            return false;
    return true;
}

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
                               const std::string& fingerprint, CacheAccess access)
    : m_inner(std::move(inner)), m_fingerprint(fingerprint), m_readOnly(access == CacheAccess::ReadOnly) {
    std::error_code ec;
    if (!m_readOnly)
        fs::create_directories(cacheDir, ec);
    m_path = (fs::path(cacheDir) / (m_inner->name() + "-" + hex(stableHash(fingerprint)) + ".emb")).string();
    load();
}

CachingEncoder::~CachingEncoder() = default;

// Layout: magic, int32 dim, then records of uint64 key + dim float32 + uint64 checksum (FNV-1a of
// the key and vector bytes), so a flipped byte anywhere in a record is caught, not ranked with.
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
        const bool older = std::memcmp(magic, kMagicV1, sizeof magic) == 0;
        if (m_readOnly) // the file is the writer's to set aside; this reader starts empty
            return;
        setAside(older ? "an older cache format without checksums"
                       : "not a cache of this model (bad header or dimension " + std::to_string(dim) + ")");
        return;
    }
    const auto d = static_cast<size_t>(dim);
    std::vector<char> record(recordBytes(d));
    std::streamoff good = in.tellg();
    long damaged = 0, total = 0;
    while (in.read(record.data(), static_cast<std::streamsize>(record.size()))) {
        good = in.tellg();
        ++total;
        std::uint64_t key = 0;
        std::vector<float> v(d);
        if (!decodeRecord(record, key, v))
            ++damaged;
        else
            m_vectors[key] = std::move(v);
    }
    in.close();
    if (m_readOnly) // another process may be appending: a short tail is its record in flight
        return;
    if (damaged > 0)
        return rewriteWithout(damaged, total);
    // A record cut short by a crash: drop the tail so appends start on a record boundary.
    std::error_code ec;
    if (static_cast<std::uintmax_t>(good) != fs::file_size(m_path, ec) && !ec)
        fs::resize_file(m_path, static_cast<std::uintmax_t>(good), ec);
}

void CachingEncoder::setAside(const std::string& why) {
    m_warning = m_path + ": " + why + "; set aside as .bad and rebuilt";
    m_vectors.clear();
    std::error_code ec;
    fs::rename(m_path, m_path + ".bad", ec);
}

// Damaged records are dropped (their texts are encoded again when asked for); the file is
// rewritten with the sound ones and the damaged original kept as .bad for inspection.
void CachingEncoder::rewriteWithout(long damaged, long total) {
    m_warning = m_path + ": " + std::to_string(damaged) + " of " + std::to_string(total) +
                " records failed their checksum and were dropped (encoded again when needed); the damaged file "
                "is kept as .bad";
    std::error_code ec;
    fs::copy_file(m_path, m_path + ".bad", fs::copy_options::overwrite_existing, ec);
    const auto d = static_cast<size_t>(m_inner->dim());
    const auto written = detail::writeFileAtomically(m_path, [&](std::ofstream& out) {
        writeHeader(out, m_inner->dim());
        for (const auto& [key, v] : m_vectors)
            writeRecord(out, key, v, d);
    });
    if (!written)
        m_warning += " (rewriting failed: " + written.error() + ")";
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
        const bool isNew = !m_readOnly && !fs::exists(m_path);
        std::ofstream log;
        if (!m_readOnly)
            log.open(m_path, std::ios::binary | std::ios::app);
        if (log.is_open() && isNew)
            writeHeader(log, m_inner->dim());
        for (size_t m = 0; m < missing.size(); ++m) {
            const auto key = keyOf(missing[m], role);
            std::vector<float> v(fresh.begin() + static_cast<std::ptrdiff_t>(m * d),
                                 fresh.begin() + static_cast<std::ptrdiff_t>((m + 1) * d));
            if (log.is_open())
                writeRecord(log, key, v, d);
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
