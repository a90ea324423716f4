#pragma once
// A FAISS index over one encoder's passage vectors, kept as a stored artefact: built by a job
// (progress, ETA, cancel), saved with metadata that says what it was built from, and loaded again
// only when that metadata matches what the caller would build now (the same encoder fingerprint,
// corpus fingerprint and factory string), so a stale index is never searched.
// Vectors are L2-normalised: every index uses the inner-product metric (cosine similarity).
// FAISS stays private: this header is plain C++.
#include "uae/job.h"
#include "uae/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace uae {

class Encoder;

// Bumped when the files' layout or the metadata's meaning changes: an older file is rebuilt.
inline constexpr int kIndexFormatVersion = 1;

// What an index is, and what it was built from. Stored beside the index as <file>.json.
struct IndexMeta {
    int formatVersion = kIndexFormatVersion;
    std::string factory;            // FAISS index-factory string: Flat, HNSW32, IVF4096,Flat, OPQ20,IVF4096,PQ20...
    std::string encoder;            // the method whose vectors these are (glove, bert:NAME, uae)
    std::string encoderFingerprint; // sha256 of the encoder's fingerprint (config and weights)
    std::string corpusFingerprint;  // corpusFingerprint() of the passages, in order
    std::string corpus;             // what the passages are, for people (split name)
    int dim = 0;
    std::int64_t ntotal = 0;
    double trainSeconds = 0.0;
    double buildSeconds = 0.0;    // train + add
    std::int64_t memoryBytes = 0; // the serialised index: what it holds in memory when loaded
    std::string created;          // UTC, ISO 8601
    std::string file;             // where it lies (filled when read from disk)

    std::string toJson() const;
    static Result<IndexMeta> fromJson(const std::string& text, const std::string& path);
    // Why an index built for `this` must not serve `wanted` (empty: it may).
    std::string mismatch(const IndexMeta& wanted) const;
};

// Per query batch: 0 leaves FAISS's default (nprobe 1, efSearch 16).
struct IndexSearchParams {
    int nprobe = 0;   // IVF: inverted lists visited per query
    int efSearch = 0; // HNSW: candidate list size
};

class VectorIndex {
public:
    ~VectorIndex();
    VectorIndex(const VectorIndex&) = delete;
    VectorIndex& operator=(const VectorIndex&) = delete;

    // Trains (on an evenly spaced sample of at most trainSample rows, when the factory needs
    // training) and adds `vectors` (row-major [n x meta.dim]) in chunks, reporting progress with an
    // ETA and polling ctx.cancelled() between chunks. Cancelled: an error saying so, nothing kept.
    // meta.factory and meta.dim say what to build; the other fields are kept as given and the
    // timings, ntotal and created are filled in. A factory FAISS cannot read, or one that needs
    // more training vectors than there are, is an error naming the factory.
    static Result<std::unique_ptr<VectorIndex>> build(const std::vector<float>& vectors, IndexMeta meta,
                                                      const JobContext& ctx, std::int64_t trainSample = 200000);
    // Reads <path> and its <path>.json. Inverted lists are memory-mapped (FAISS IO_FLAG_MMAP) for IVF
    // indexes when mmap is set; other types are read into memory (FAISS maps only IVF lists). A
    // missing, truncated or corrupt file, or one whose size, dim or count disagree with its
    // metadata, is an error naming the file.
    static Result<std::unique_ptr<VectorIndex>> load(const std::string& path, bool mmap = true);

    // Writes <path> and <path>.json through temporary files; the metadata is renamed into place last
    // and removed first, so a crash in between leaves an index without metadata (rebuilt), never a
    // new index under old metadata. Fills meta().memoryBytes and meta().file.
    Status save(const std::string& path);

    // Top k of each of nq queries (row-major [nq x dim]): scores and labels row-major [nq x k],
    // label -1 where fewer than k were found. FAISS's OpenMP threads share the batch. Not
    // thread-safe (search parameters are set on the index): one caller at a time.
    Status search(const float* queries, std::int64_t nq, int k, const IndexSearchParams& params,
                  std::vector<float>& scores, std::vector<std::int64_t>& labels) const;

    const IndexMeta& meta() const { return m_meta; }
    bool memoryMapped() const { return m_mapped; }

private:
    struct Impl;
    VectorIndex(std::unique_ptr<Impl> impl, IndexMeta meta, bool mapped);
    std::unique_ptr<Impl> m_impl;
    IndexMeta m_meta;
    bool m_mapped = false;
};

// sha256 over the passages in order (each length-prefixed, so ["ab","c"] != ["a","bc"]).
std::string corpusFingerprint(const std::vector<std::string>& passages);
// sha256 of what changes an encoder's vectors: its config and its weights' size and time.
std::string encoderFingerprint(const Encoder& encoder);
// A file name for an index: method, corpus and factory with anything but [A-Za-z0-9.-] as '_'.
std::string indexFileName(const std::string& method, const std::string& corpus, const std::string& factory);
// The metadata of every index in dir (*.faiss with a readable .json), by file name.
std::vector<IndexMeta> listIndexes(const std::string& dir);
// Deletes a stored index of the folder `dir` (a workspace's indexDir): its metadata first (so a
// crash in between leaves an index without metadata, which nothing loads), then the index. `file`
// is a path or a bare file name in `dir`; it must be a .faiss file in `dir` itself, anything else is
// refused untouched; an error names it.
Status removeIndex(const std::string& dir, const std::string& file);
// Whether this build can search on a GPU (FAISS built with its GPU module).
bool faissHasGpu();

// What the caller gets from openOrBuildIndex: the index, and how it came to be.
struct IndexOpenResult {
    std::shared_ptr<VectorIndex> index;
    bool loaded = false;    // read from disk (true) or built now
    std::string rebuiltWhy; // built although a file was there: why it could not serve
};

// The index at `path` when its metadata matches `wanted` (factory, dim, fingerprints, format);
// otherwise built from vectors() and saved there (a stale or unreadable file is replaced, and
// ctx.warn says why). vectors() is only called when a build is needed.
Result<IndexOpenResult> openOrBuildIndex(const std::string& path, const IndexMeta& wanted,
                                         const std::function<Result<std::vector<float>>()>& vectors,
                                         const JobContext& ctx);

} // namespace uae
