#pragma once
// A persistent embedding cache around any encoder, so the same paragraph is never encoded twice
// by the same model, across runs and processes. One file per model configuration
// (<dir>/<name>-<fingerprint>.emb): an append-only log of (text hash, vector, checksum) records. A
// file cut short by a crash loses only its incomplete last record; a record whose checksum fails
// is dropped and encoded again; a file of another dimension, an older format or a damaged header
// is set aside (renamed *.bad) and rebuilt, never trusted. warning() says which happened.
// Only passages are cached: questions always go to the model, so a retriever's query latency is
// the real cost of encoding a new question (records of questions in older files are ignored).
// ReadOnly access (a data-parallel rank other than 0, while rank 0 appends to the same file) reads
// the sound records at construction and never changes the file: vectors it encodes stay in memory.
#include "uae/encoder.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace uae {

enum class CacheAccess { ReadWrite, ReadOnly };

class CachingEncoder final : public Encoder {
public:
    // fingerprint: everything that changes the vectors (model folder, weights file size and time,
    // pooling, max length, dtype); its hash names the file.
    CachingEncoder(std::shared_ptr<Encoder> inner, const std::string& cacheDir, const std::string& fingerprint,
                   CacheAccess access = CacheAccess::ReadWrite);
    ~CachingEncoder() override;

    std::string name() const override { return m_inner->name(); }
    std::string configJson() const override { return m_inner->configJson(); }
    std::string fingerprint() const override { return m_fingerprint; }
    int dim() const override { return m_inner->dim(); }
    std::vector<float> encode(const std::vector<std::string>& texts, EncodeRole role) override;

    const std::string& path() const { return m_path; }
    long hits() const { return m_hits; }
    long misses() const { return m_misses; }
    std::string warning() const override { return m_warning; } // what was set aside or dropped, if anything

private:
    void load();
    void setAside(const std::string& why);
    void rewriteWithout(long damaged, long total);
    std::shared_ptr<Encoder> m_inner;
    std::string m_path;
    std::string m_fingerprint;
    std::unordered_map<std::uint64_t, std::vector<float>> m_vectors; // key: hash of (role, text)
    long m_hits = 0, m_misses = 0;
    std::string m_warning;
    bool m_readOnly = false;
};

// 64-bit FNV-1a, stable across platforms and runs (the file format depends on it).
std::uint64_t stableHash(const std::string& bytes, std::uint64_t seed = 1469598103934665603ULL);

} // namespace uae
