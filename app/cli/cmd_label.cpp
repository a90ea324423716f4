// uae label: utility labels for a split, resumable (see job_label.h).
#include "cli_common.h"

#include "uae/data_paths.h"
#include "uae/device.h"
#include "uae/job_label.h"

#include <atomic>
#include <cstdio>

namespace uae::cli {

int cmdLabel(const Args& args) {
    if (rejectUnknown(args, "label", {"scorer", "split", "data", "mu", "tau-t", "top-k", "limit", "quiet", "model", "device", "dtype"}))
        return 2;
    configureThreads(static_cast<int>(args.getLong("threads", 0)));
    LabelJobConfig config;
    config.scorer = args.get("scorer", config.scorer);
    config.split = args.get("split", config.split);
    config.dataPath = findQasperDir(args.get("data"));
    config.mu = std::stod(args.get("mu", std::to_string(config.mu)));
    config.tauT = std::stod(args.get("tau-t", std::to_string(config.tauT)));
    config.topK = static_cast<int>(args.getLong("top-k", 0));
    config.limit = args.getLong("limit", 0);
    config.model = args.get("model");
    config.device = args.get("device", config.device);
    config.dtype = args.get("dtype", config.dtype);
    auto scorer = makeScorer(config);
    if (!scorer) {
        std::fprintf(stderr, "uae label: %s\n", scorer.error().c_str());
        return 2;
    }
    auto data = loadSplit(config.dataPath, config.split);
    if (!data)
        return 1;
    auto store = openWorkspace(args);
    if (!store)
        return 1;
    JobContext ctx;
    ctx.cancelFlag = cancelOnSigint();
    ctx.onProgress = progressPrinter("label", args.has("quiet"), true);
    const auto r = runLabelJob(*store, *data, **scorer, config, ctx);
    restoreSigint();
    if (r.status == "failed") {
        std::fprintf(stderr, "uae label: run %lld failed: %s\n", static_cast<long long>(r.runId), r.error.c_str());
        return 1;
    }
    const auto& s = r.stats;
    std::printf("run %lld  label  %s  %s  %s\n", static_cast<long long>(r.runId), (*scorer)->promptVersion().c_str(),
                config.split.c_str(), r.status.c_str());
    std::printf("  labeled now %ld, already stored %ld, skipped (unanswerable) %ld\n", r.labeledNow,
                r.alreadyLabeled, r.skippedUnanswerable);
    std::printf("  teacher softmax(u / %g) over %ld labeled questions (%.1f candidates each):\n", config.tauT,
                s.questions, s.meanCandidates);
    std::printf("    near one-hot (max p >= 0.9): %ld (%.1f%%), mean max p %.3f, mean entropy %.3f nats\n",
                s.nearOneHot, s.questions ? 100.0 * s.nearOneHot / s.questions : 0.0, s.meanMaxProbability,
                s.meanEntropy);
    std::printf("    top utility is gold evidence: %ld of %ld questions with gold (%.1f%%)\n", s.goldTop, s.withGold,
                s.withGold ? 100.0 * s.goldTop / s.withGold : 0.0);
    return r.status == "finished" ? 0 : 130;
}

} // namespace uae::cli
