// Stored FAISS indexes in a workspace: the index job (uae index build) and corpus evaluation
// through an index (uae eval --pool corpus --index FACTORY). Both open the same file for the same
// method, split and factory, so what one builds the other reuses, across runs and processes.
#include "config_tables.h"
#include "job_run.h"

#include "uae/encoder.h"
#include "uae/job_eval.h"
#include "uae/job_index.h"
#include "uae/qasper.h"
#include "uae/retriever_dense.h"
#include "uae/workspace.h"

#include <chrono>
#include <filesystem>

namespace uae {

const std::vector<Field<IndexBuildConfig>>& IndexBuildConfig::fieldTable() {
    using C = IndexBuildConfig;
    using namespace detail;
    static const std::vector<Field<C>> table{
        {methodSpec(), [](C& c) { return &c.method; }},
        {text("split", "split", "QASPER split whose paragraphs are indexed", true), [](C& c) { return &c.split; }},
        {text("data", "data", "QASPER folder or file"), [](C& c) { return &c.dataPath; }},
        {text("model", "model", "model folder, id, fetched name or checkpoint"), [](C& c) { return &c.modelPath; }},
        {text("index", "index", "FAISS index-factory string (Flat, HNSW32, IVF4096,Flat, OPQ20,IVF4096,PQ20...)", true),
         [](C& c) { return &c.index; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {dtypeSpec(), [](C& c) { return &c.dtype; }},
        {integer("batch", "batch", "sequences per forward pass", 1, 4096), [](C& c) { return &c.batch; }},
        {flag("use_cache", "no-cache", "neural encoders: passage vectors through the embedding cache", true),
         [](C& c) { return &c.useCache; }},
        {integer("train_run", "run", "method uae: the training run whose model encodes", 0, 1e15),
         [](C& c) { return &c.trainRun; }},
    };
    return table;
}

EvalJobConfig IndexBuildConfig::evalConfig() const {
    EvalJobConfig c;
    c.method = method, c.split = split, c.dataPath = dataPath, c.modelPath = modelPath;
    c.device = device, c.dtype = dtype, c.batch = batch, c.useCache = useCache, c.trainRun = trainRun;
    c.pool = "corpus", c.index = index;
    return c;
}

std::string Workspace::indexDir() const {
    const auto db = std::filesystem::absolute(path());
    const auto dir = db.parent_path() / (db.stem().string() + ".files") / "indexes";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec); // a failure shows when the index is written
    return dir.string();
}

namespace {

// The corpus's passage vectors, encoded in batches so progress shows and cancel is heard.
Result<std::vector<float>> encodeCorpus(Encoder& encoder, const Paper& corpus, const JobContext& ctx) {
    std::vector<float> out;
    const size_t n = corpus.paragraphs.size(), batch = 512;
    out.reserve(n * static_cast<size_t>(encoder.dim()));
    for (size_t at = 0; at < n; at += batch) {
        if (ctx.cancelled())
            return fail("cancelled while encoding the corpus (" + std::to_string(at) + " of " + std::to_string(n) +
                        " passages); no index was built");
        std::vector<std::string> texts;
        for (size_t i = at; i < std::min(n, at + batch); ++i)
            texts.push_back(corpus.paragraphs[i].text);
        const auto v = encoder.encode(texts, EncodeRole::Passage);
        if (const auto row = firstNonFiniteRow(v, encoder.dim()))
            return fail(encoder.name() + " gave a vector with NaN or infinity for passage " +
                        std::to_string(at + *row));
        out.insert(out.end(), v.begin(), v.end());
        ctx.progress(static_cast<long>(std::min(n, at + batch)), static_cast<long>(n), "encoding passages");
    }
    return out;
}

std::string passagesFingerprint(const Paper& corpus) {
    std::vector<std::string> texts;
    texts.reserve(corpus.paragraphs.size());
    for (const auto& p : corpus.paragraphs)
        texts.push_back(p.text);
    return corpusFingerprint(texts);
}

struct OpenedIndex {
    IndexOpenResult result;
    double ms = 0.0;
};

// What an index of config.method over config.split's corpus would be built as now.
IndexMeta wantedIndex(const EvalJobConfig& config, const Encoder& encoder, std::string corpusFingerprint) {
    IndexMeta wanted;
    wanted.factory = config.index;
    wanted.encoder = config.method;
    wanted.encoderFingerprint = encoderFingerprint(encoder);
    wanted.corpusFingerprint = std::move(corpusFingerprint);
    wanted.corpus = config.split;
    wanted.dim = encoder.dim();
    return wanted;
}

// The stored index of config.method over `corpus` (corpusView of config.split), opened or built.
Result<OpenedIndex> corpusIndex(const std::string& dir, const EvalJobConfig& config, Encoder& encoder,
                                const Paper& corpus, const JobContext& ctx) {
    const auto start = std::chrono::steady_clock::now();
    const IndexMeta wanted = wantedIndex(config, encoder, passagesFingerprint(corpus));
    const std::string file =
        (std::filesystem::path(dir) / indexFileName(config.method, config.split, config.index)).string();
    auto opened = openOrBuildIndex(
        file, wanted, [&] { return encodeCorpus(encoder, corpus, ctx); }, ctx);
    if (!opened)
        return fail("--index " + config.index + ": " + opened.error());
    return OpenedIndex{std::move(opened.value()),
                       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()};
}

Status checkIndexable(const EvalJobConfig& config) {
    if (config.pool != "corpus")
        return fail("--index " + config.index + ": a stored index serves --pool corpus only (each paper's own " +
                    "pool is searched exactly in memory)");
    const auto id = parseMethod(config.method);
    if (id && (id->method == Method::Bm25 || id->method == Method::LlmRerank))
        return fail("--index " + config.index + ": method " + config.method + " ranks without vectors");
    return Ok{};
}

// A corpus index that could not be opened, as the job's result: cancelled when the user stopped
// its build, failed otherwise (for evaluation and for uae index build alike).
template <class JobResult> JobResult indexFailure(JobResult out, const std::string& error, const JobContext& ctx) {
    out = detail::failedBeforeRun(std::move(out), error);
    if (ctx.cancelled())
        out.status = RunStatus::Cancelled;
    return out;
}

} // namespace

std::string splitCorpusFingerprint(const Dataset& split) {
    // The passages corpusView(split) holds, in its order (paper by paper), without copying the
    // whole split into a view first.
    std::vector<std::string> texts;
    for (const auto& paper : split.papers)
        for (const auto& p : paper.paragraphs)
            texts.push_back(p.text);
    return corpusFingerprint(texts);
}

struct IndexedCorpus {
    std::shared_ptr<Encoder> encoder;
    Dataset corpus; // corpusView of the split: one pool
    OpenedIndex opened;
};

Result<IndexedCorpus> Workspace::openIndexedCorpus(const EvalJobConfig& config, const JobContext& ctx,
                                                   std::shared_ptr<const Dataset> loaded) {
    if (auto s = checkIndexable(config); !s)
        return fail(s.error());
    auto encoder = makeEncoder(config);
    if (!encoder)
        return fail(encoder.error());
    auto data = dataset(config.dataPath, config.split, loaded);
    if (!data)
        return fail(data.error());
    IndexedCorpus out{std::move(encoder.value()), corpusView(*data.value()), {}};
    auto opened = corpusIndex(indexDir(), config, *out.encoder, out.corpus.papers.front(), ctx);
    if (!opened)
        return fail(opened.error());
    out.opened = std::move(opened.value());
    return out;
}

EvalJobResult Workspace::evaluateWithIndex(const EvalJobConfig& config, const JobContext& ctx,
                                           std::shared_ptr<const Dataset> loaded) {
    EvalJobResult out;
    auto indexed = openIndexedCorpus(config, ctx, std::move(loaded));
    if (!indexed)
        return indexFailure(std::move(out), indexed.error(), ctx);
    const Dataset& corpus = indexed->corpus;
    const auto& o = indexed->opened;
    std::vector<float> noScores;
    std::vector<std::int64_t> noLabels;
    const IndexSearchParams params{config.nprobe, config.efSearch};
    if (auto s = o.result.index->search(nullptr, 0, 1, params, noScores, noLabels); !s) // before any run row
        return detail::failedBeforeRun(std::move(out), "--index " + config.index + ": " + s.error());
    RetrieverDense retriever(indexed->encoder);
    retriever.useIndex(&corpus.papers.front(), o.result.index, params, static_cast<int>(kCorpusKeptRanks), o.ms,
                       o.result.loaded ? "loaded" : "built");
    if (!config.modelPath.empty())
        m_store->upsertModel(config.method, config.method, config.modelPath);
    return runEvalJob(*m_store, corpus, retriever, config, ctx);
}

IndexBuildResult Workspace::buildIndex(const IndexBuildConfig& build, const JobContext& ctx,
                                       std::shared_ptr<const Dataset> loaded) {
    IndexBuildResult out;
    EvalJobConfig config = build.evalConfig();
    if (auto s = build.validate(); !s)
        return detail::failedBeforeRun(std::move(out), s.error());
    if (auto s = resolve(config); !s)
        return detail::failedBeforeRun(std::move(out), s.error());
    auto indexed = openIndexedCorpus(config, ctx, std::move(loaded));
    if (!indexed)
        return indexFailure(std::move(out), indexed.error(), ctx);
    const auto& opened = indexed->opened.result;
    out.status = RunStatus::Finished;
    out.meta = opened.index->meta();
    out.loaded = opened.loaded;
    out.rebuiltWhy = opened.rebuiltWhy;
    return out;
}

Result<std::string> Workspace::indexStaleness(const IndexBuildConfig& build, const IndexMeta& stored,
                                              std::shared_ptr<const Dataset> loaded) {
    EvalJobConfig config = build.evalConfig();
    if (auto s = build.validate(); !s)
        return fail(s.error());
    if (auto s = resolve(config); !s)
        return fail(s.error());
    if (auto s = checkIndexable(config); !s)
        return fail(s.error());
    auto encoder = makeEncoder(config);
    if (!encoder)
        return fail(encoder.error());
    auto data = dataset(config.dataPath, config.split, loaded);
    if (!data)
        return fail(data.error());
    return stored.mismatch(wantedIndex(config, *encoder.value(), splitCorpusFingerprint(*data.value())));
}

} // namespace uae
