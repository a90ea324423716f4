#pragma once
// The evaluation job: builds the retriever for a method, ranks a split, and records the run,
// its per-question results (as they are produced) and its summary metrics in the store.
#include "uae/evaluation.h"
#include "uae/job.h"
#include "uae/result.h"

#include <cstdint>
#include <memory>
#include <string>

namespace uae {

struct Dataset;
class Retriever;
class Store;

struct EvalJobConfig {
    std::string method = "bm25"; // bm25 | glove | bert | llm-rerank
    std::string split = "dev";
    std::string dataPath;        // QASPER folder or file (resolved)
    std::string modelPath;       // encoder folder for dense methods
    long limit = 0;              // first N questions only (0 = all)
    std::string device = "auto"; // dense neural encoders: auto | cpu | cuda[:N]
    std::string dtype = "auto";  // auto | float32 | float16 | bfloat16
    int batch = 64;              // sequences per forward pass
    int rerankK = 20;            // llm-rerank: how many of BM25's top paragraphs the LLM re-orders
    std::string cacheDir;        // neural encoders: persistent embedding cache here (empty: none)

    std::string toJson() const;
    static Result<EvalJobConfig> fromJson(const std::string& json);
};

Result<std::unique_ptr<Retriever>> makeRetriever(const EvalJobConfig& config);
// Where a workspace keeps its embedding caches: <workspace dir>/cache.
std::string embeddingCacheDir(const std::string& workspacePath);

struct EvalJobResult {
    std::int64_t runId = 0;
    std::string status; // finished | cancelled | failed
    std::string error;
    EvalOutcome outcome;
};

// Never throws: third-party exceptions end the run as "failed" with their message.
EvalJobResult runEvalJob(Store& store, const Dataset& data, Retriever& retriever,
                         const EvalJobConfig& config, const JobContext& ctx);

} // namespace uae
