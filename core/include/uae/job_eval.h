#pragma once
// The evaluation job: builds the retriever for a method, ranks a split, and records the run,
// its per-question results (as they are produced) and its summary metrics in the store.
#include "uae/config_fields.h"
#include "uae/evaluation.h"
#include "uae/job.h"
#include "uae/result.h"
#include "uae/run_types.h"

#include <cstdint>
#include <memory>
#include <string>

namespace uae {

struct Dataset;
class Encoder;
class Retriever;
class Store;

struct EvalJobConfig : Configurable<EvalJobConfig> {
    std::string method = "bm25"; // as parseMethod reads it: bm25 | glove | bert | bert:NAME | llm-rerank | uae
    std::string split = "dev";
    std::string dataPath;        // QASPER folder or file (resolved)
    std::string modelPath;       // encoder folder for dense methods
    long limit = 0;              // first N questions only (0 = all)
    std::string device = "auto"; // dense neural encoders: auto | cpu | cuda[:N]
    std::string dtype = "auto";  // auto | float32 | float16 | bfloat16
    int batch = 64;              // sequences per forward pass
    int rerankK = 20;            // llm-rerank: how many of BM25's top paragraphs the LLM re-orders
    std::string cacheDir;        // neural encoders: persistent embedding cache here (empty: none)
    bool useCache = true;        // the workspace fills cacheDir only when set
    std::int64_t trainRun = 0;   // method uae: the training run whose checkpoint ranks (the workspace finds it)
    // paper: each question against its own paper's paragraphs (QASPER's evidence setting);
    // corpus: against every paragraph of the split (corpusView), to depth kCorpusKeptRanks.
    std::string pool = "paper";
    // Corpus pool, dense methods: search a stored FAISS index of this index-factory string (Flat,
    // HNSW32, IVF4096,Flat, OPQ20,IVF4096,PQ20...) kept in the workspace, built when missing or
    // stale (vector_index.h); empty: exact search in memory, nothing stored.
    std::string index;
    int nprobe = 0;   // IVF indexes: lists visited per query (0: FAISS's default, 1)
    int efSearch = 0; // HNSW indexes: candidate list size (0: FAISS's default, 16)

    static const std::vector<Field<EvalJobConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
};

Result<std::unique_ptr<Retriever>> makeRetriever(const EvalJobConfig& config);

// A corpus run ranks each question's first kCorpusKeptRanks only (the whole ranking of ~13k
// paragraphs would be ~100 kB a stored row); its metrics are those of that depth, as trec_eval's
// of the exported run.
inline constexpr size_t kCorpusKeptRanks = 1000;
// Whether a stored eval run's config says pool "corpus": it ranked corpusView(split), not the split.
bool isCorpusRun(const std::string& runConfigJson);
// The encoder behind a dense method (glove, bert, bert:NAME, uae), behind the persistent embedding
// cache when config.cacheDir is set: the same vectors the method's runs rank with. BM25 and LLM
// re-ranking have none (an error says so).
Result<std::shared_ptr<Encoder>> makeEncoder(const EvalJobConfig& config);
// Where a workspace keeps its embedding caches: <workspace dir>/cache.
std::string embeddingCacheDir(const std::string& workspacePath);

struct EvalJobResult {
    std::int64_t runId = 0;
    RunStatus status = RunStatus::Running;
    std::string error;
    EvalOutcome outcome;
};

// The summary metrics of an eval run, stored at step 0 under metricName() and evidence_f1_all,
// questions, evaluated, latency_ms, query_latency_ms, preparation_ms (what `uae runs` reads).
Status storeEvalSummary(Store& store, std::int64_t run, const EvalSummary& summary);

// Never throws: third-party exceptions end the run as "failed" with their message.
EvalJobResult runEvalJob(Store& store, const Dataset& data, Retriever& retriever, const EvalJobConfig& config,
                         const JobContext& ctx);

} // namespace uae
