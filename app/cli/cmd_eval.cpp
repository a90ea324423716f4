#include "cli_common.h"

#include "uae/data_paths.h"
#include "uae/device.h"
#include "uae/job_eval.h"
#include "uae/job_train.h"
#include "uae/retriever.h"

#include <atomic>
#include <cstdio>

namespace uae::cli {

namespace {

void printSummary(const RunInfo& run, const EvalSummary& s) {
    std::printf("run %lld  %s  %s  %s  %ld questions, %ld with text evidence\n",
                static_cast<long long>(run.id), run.method.c_str(), run.split.c_str(), run.status.c_str(),
                s.questions, s.evaluated);
    std::printf("  %-28s %8s\n", "metric", "value");
    for (int m = 0; m < kMetricCount; ++m)
        std::printf("  %-28s %8.4f\n", metricName(static_cast<Metric>(m)), s.mean.v[m]);
    std::printf("  %-28s %8.4f\n", "evidence_f1 (all, official)", s.evidenceF1All);
    std::printf("  %-28s %8.3f\n", "latency ms/query", s.meanLatencyMs);
    std::printf("  %-28s %8.1f\n", "pool encoding ms (total)", s.preparationMs);
}

} // namespace

int cmdEval(const Args& args) {
    if (rejectUnknown(args, "eval", {"method", "split", "data", "model", "limit", "quiet", "device", "dtype", "batch", "rerank-k", "run", "no-cache"}))
        return 2;
    configureThreads(static_cast<int>(args.getLong("threads", 0)));
    EvalJobConfig config;
    config.method = args.get("method", "bm25");
    config.split = args.get("split", "dev");
    config.limit = args.getLong("limit", 0);
    config.dataPath = findQasperDir(args.get("data"));
    if (config.method == "glove")
        config.modelPath = findGloveDir(args.get("model"));
    else if (config.method == "uae" && args.has("run") && !args.has("model")) {
        auto path = trainedModelPath(defaultWorkspacePath(args.get("workspace")), args.getLong("run", 0));
        if (!path) {
            std::fprintf(stderr, "uae eval: %s\n", path.error().c_str());
            return 1;
        }
        config.modelPath = path.value();
    } else
        config.modelPath = args.get("model");
    config.device = args.get("device", config.device);
    config.dtype = args.get("dtype", config.dtype);
    config.batch = static_cast<int>(args.getLong("batch", config.batch));
    config.rerankK = static_cast<int>(args.getLong("rerank-k", config.rerankK));
    if (!args.has("no-cache"))
        config.cacheDir = embeddingCacheDir(defaultWorkspacePath(args.get("workspace")));
    auto retriever = makeRetriever(config);
    if (!retriever) {
        std::fprintf(stderr, "uae eval: %s\n", retriever.error().c_str());
        return 1;
    }
    auto data = loadSplit(config.dataPath, config.split);
    if (!data)
        return 1;
    auto store = openWorkspace(args);
    if (!store)
        return 1;
    store->upsertDataset("qasper-" + config.split, config.dataPath, static_cast<long>(data->papers.size()),
                         static_cast<long>(data->questions.size()));
    if (!config.modelPath.empty())
        store->upsertModel(config.method, config.method, config.modelPath);

    JobContext ctx;
    ctx.cancelFlag = cancelOnSigint();
    ctx.onProgress = progressPrinter(config.method, args.has("quiet"), false);
    const auto result = runEvalJob(*store, *data, **retriever, config, ctx);
    restoreSigint();
    if (result.status == "failed") {
        std::fprintf(stderr, "uae eval: run %lld failed: %s\n", static_cast<long long>(result.runId),
                     result.error.c_str());
        return 1;
    }
    auto run = store->run(result.runId);
    if (run)
        printSummary(run.value(), result.outcome.summary);
    return result.status == "finished" ? 0 : 130;
}

} // namespace uae::cli
