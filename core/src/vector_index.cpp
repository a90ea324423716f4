// Building, searching, saving and loading a FAISS index (vector_index.h). The metadata, the
// fingerprints and the open-or-build policy are in vector_index_meta.cpp.
#include "uae/vector_index.h"

#include <unistd.h>
#include <atomic>
#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace uae {

namespace fs = std::filesystem;

struct VectorIndex::Impl {
    std::unique_ptr<faiss::Index> index;
};

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Evenly spaced rows: a sample that covers the whole corpus (a prefix would be one paper's).
std::vector<float> trainingSample(const std::vector<float>& vectors, int dim, std::int64_t n, std::int64_t want) {
    if (want >= n)
        return vectors;
    std::vector<float> out(static_cast<size_t>(want * dim));
    for (std::int64_t i = 0; i < want; ++i) {
        const std::int64_t row = i * n / want;
        std::copy_n(vectors.begin() + row * dim, dim, out.begin() + i * dim);
    }
    return out;
}

std::string eta(double elapsed, std::int64_t done, std::int64_t total) {
    if (done <= 0)
        return {};
    const double left = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
    char buf[64];
    std::snprintf(buf, sizeof buf, "ETA %.0f s", left);
    return buf;
}

// IVF and HNSW may sit inside an IndexPreTransform (OPQ, PCA): search parameters go to the inner one.
faiss::Index* innermost(faiss::Index* index) {
    while (auto* pre = dynamic_cast<faiss::IndexPreTransform*>(index))
        index = pre->index;
    return index;
}

} // namespace

VectorIndex::VectorIndex(std::unique_ptr<Impl> impl, IndexMeta meta, bool mapped)
    : m_impl(std::move(impl)), m_meta(std::move(meta)), m_mapped(mapped) {}

VectorIndex::~VectorIndex() = default;

Result<std::unique_ptr<VectorIndex>> VectorIndex::build(const std::vector<float>& vectors, IndexMeta meta,
                                                        const JobContext& ctx, std::int64_t trainSample) {
    const int dim = meta.dim;
    if (dim <= 0 || vectors.size() % static_cast<size_t>(dim) != 0)
        return fail("index " + meta.factory + ": " + std::to_string(vectors.size()) +
                    " floats are not rows of dimension " + std::to_string(dim));
    const std::int64_t n = static_cast<std::int64_t>(vectors.size()) / dim;
    auto impl = std::make_unique<Impl>();
    try {
        impl->index.reset(faiss::index_factory(dim, meta.factory.c_str(), faiss::METRIC_INNER_PRODUCT));
    } catch (const std::exception& e) {
        return fail("index factory string '" + meta.factory + "' is not one FAISS can build: " + e.what());
    }
    const auto start = Clock::now();
    try {
        if (!impl->index->is_trained) {
            const std::int64_t sampleRows = std::min(n, std::max<std::int64_t>(trainSample, 1));
            ctx.progress(0, n, "training " + meta.factory + " on " + std::to_string(sampleRows) + " vectors");
            const auto sample = trainingSample(vectors, dim, n, sampleRows);
            impl->index->train(sampleRows, sample.data());
        }
        meta.trainSeconds = secondsSince(start);
        const auto adding = Clock::now();
        const std::int64_t chunk = 20000; // ~10 progress lines a second on 2 cores for HNSW
        for (std::int64_t at = 0; at < n; at += chunk) {
            if (ctx.cancelled())
                return fail("index " + meta.factory + ": build cancelled after " + std::to_string(at) + " of " +
                            std::to_string(n) + " vectors; nothing was kept");
            const std::int64_t rows = std::min(chunk, n - at);
            impl->index->add(rows, vectors.data() + at * dim);
            ctx.progress(at + rows, n, "adding to " + meta.factory + ", " + eta(secondsSince(adding), at + rows, n));
        }
    } catch (const std::exception& e) {
        return fail("index " + meta.factory + " over " + std::to_string(n) + " vectors: " + e.what());
    }
    meta.buildSeconds = secondsSince(start);
    meta.ntotal = impl->index->ntotal;
    meta.created = utcNow();
    return std::unique_ptr<VectorIndex>(new VectorIndex(std::move(impl), std::move(meta), false));
}

Status VectorIndex::search(const float* queries, std::int64_t nq, int k, const IndexSearchParams& params,
                           std::vector<float>& scores, std::vector<std::int64_t>& labels) const {
    faiss::Index* inner = innermost(m_impl->index.get());
    try {
        faiss::ParameterSpace space;
        if (params.nprobe > 0) {
            if (!dynamic_cast<faiss::IndexIVF*>(inner))
                return fail("nprobe applies to IVF indexes; " + m_meta.factory + " has none");
            space.set_index_parameter(m_impl->index.get(), "nprobe", params.nprobe);
        }
        if (params.efSearch > 0) {
            if (!dynamic_cast<faiss::IndexHNSW*>(inner))
                return fail("efSearch applies to HNSW indexes; " + m_meta.factory + " is not one");
            space.set_index_parameter(m_impl->index.get(), "efSearch", params.efSearch);
        }
        scores.assign(static_cast<size_t>(nq * k), 0.0f);
        labels.assign(static_cast<size_t>(nq * k), -1);
        if (nq > 0 && k > 0)
            m_impl->index->search(nq, queries, k, scores.data(), labels.data());
    } catch (const std::exception& e) {
        return fail("searching index " + m_meta.file + " (" + m_meta.factory + "): " + e.what());
    }
    return Ok{};
}

Status VectorIndex::save(const std::string& path) {
    // Temp names of this process and call: two processes building the same index at once (two
    // `uae eval --index` runs) never write into one file; the last complete pair renamed wins.
    static std::atomic<int> calls{0};
    const std::string suffix = ".tmp." + std::to_string(::getpid()) + "." + std::to_string(calls++);
    const std::string tmp = path + suffix, metaPath = path + ".json", metaTmp = metaPath + suffix;
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    try {
        faiss::write_index(m_impl->index.get(), tmp.c_str());
    } catch (const std::exception& e) {
        fs::remove(tmp, ec);
        return fail(path + ": cannot write the index (disk full?): " + e.what());
    }
    m_meta.memoryBytes = static_cast<std::int64_t>(fs::file_size(tmp, ec));
    m_meta.file = path;
    {
        std::ofstream out(metaTmp, std::ios::trunc);
        out << m_meta.toJson() << '\n';
        if (!out.flush()) {
            out.close();
            fs::remove(tmp, ec);
            fs::remove(metaTmp, ec);
            return fail(metaPath + ": cannot write the index metadata (disk full?)");
        }
    }
    fs::remove(metaPath, ec); // first: between the renames the index has no metadata, so it is rebuilt
    fs::rename(tmp, path, ec);
    if (!ec)
        fs::rename(metaTmp, metaPath, ec);
    if (ec)
        return fail(path + ": cannot move the index into place: " + ec.message());
    return Ok{};
}

Result<std::unique_ptr<VectorIndex>> VectorIndex::load(const std::string& path, bool mmap) {
    const std::string metaPath = path + ".json";
    std::ifstream in(metaPath);
    if (!in)
        return fail(metaPath + ": missing (an index without its metadata is never used)");
    std::stringstream text;
    text << in.rdbuf();
    auto meta = IndexMeta::fromJson(text.str(), metaPath);
    if (!meta)
        return fail(meta.error());
    std::error_code ec;
    const auto bytes = fs::file_size(path, ec);
    if (ec)
        return fail(path + ": cannot read the index: " + ec.message());
    if (static_cast<std::int64_t>(bytes) != meta->memoryBytes)
        return fail(path + ": " + std::to_string(bytes) + " bytes where its metadata says " +
                    std::to_string(meta->memoryBytes) + " (cut short or replaced)");
    const bool mapped = mmap && meta->factory.find("IVF") != std::string::npos;
    auto impl = std::make_unique<Impl>();
    try {
        impl->index.reset(faiss::read_index(path.c_str(), mapped ? faiss::IO_FLAG_MMAP : 0));
    } catch (const std::exception& e) {
        return fail(path + ": not a readable FAISS index (corrupt?): " + e.what());
    }
    if (impl->index->d != meta->dim || impl->index->ntotal != meta->ntotal)
        return fail(path + ": holds " + std::to_string(impl->index->ntotal) + " vectors of dimension " +
                    std::to_string(impl->index->d) + ", its metadata says " + std::to_string(meta->ntotal) + " of " +
                    std::to_string(meta->dim));
    meta->file = path;
    return std::unique_ptr<VectorIndex>(new VectorIndex(std::move(impl), std::move(meta.value()), mapped));
}

} // namespace uae
