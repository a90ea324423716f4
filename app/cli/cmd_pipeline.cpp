// uae pipeline: the paper's experiment in one command (see Workspace::runPipeline).
#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

void printPipeline(const PipelineResult& r, const Workspace& ws) {
    std::printf("pipeline: labels run %lld, training run %lld\n", static_cast<long long>(r.labelRun),
                static_cast<long long>(r.trainRun));
    std::printf("  %-6s %-28s %9s %9s %9s\n", "run", "method", "R@1", "MAP", "ms/query");
    for (const auto& e : r.evals) {
        const auto run = ws.store().run(e.runId);
        const auto& s = e.outcome.summary;
        std::printf("  %-6lld %-28s %9.4f %9.4f %9.3f\n", static_cast<long long>(e.runId),
                    run ? run->method.c_str() : "?", s.mean[Metric::Recall1], s.mean[Metric::Map], s.meanLatencyMs);
    }
    if (r.evals.size() == 3)
        std::printf("  compare with: uae compare %lld %lld (base vs UAE), uae compare %lld %lld (BM25 vs UAE)\n",
                    static_cast<long long>(r.evals[1].runId), static_cast<long long>(r.evals[2].runId),
                    static_cast<long long>(r.evals[0].runId), static_cast<long long>(r.evals[2].runId));
}

std::string minutes(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(seconds) / 60, static_cast<int>(seconds) % 60);
    return buf;
}

int runPaper(const Args& args, const PipelineConfig& config, Workspace& ws) {
    auto plan = config.paperPlan();
    if (!plan) {
        std::fprintf(stderr, "uae pipeline: %s\n", plan.error().c_str());
        return 2;
    }
    const bool quiet = args.has("quiet");
    if (!quiet)
        std::fprintf(stderr, "%s", plan->describe().c_str());
    auto ctx = jobContext("pipeline", quiet, true);
    const auto r = ws.runPaper(
        plan.value(), config.dataPath, config.split, config.evalSplit, ctx, [quiet](const PaperProgress& p) {
            if (!quiet)
                std::fprintf(stderr, "== [%d/%d] %s (elapsed %s, about %s left)\n", p.step, p.steps, p.name.c_str(),
                             minutes(p.elapsedSeconds).c_str(), minutes(p.etaSeconds).c_str());
        });
    if (!config.resultsPath.empty()) {
        if (std::FILE* f = std::fopen(config.resultsPath.c_str(), "w")) {
            std::fprintf(f, "%s\n", r.json.c_str());
            std::fclose(f);
        } else {
            std::fprintf(stderr, "uae pipeline: --results: cannot write %s\n", config.resultsPath.c_str());
        }
    }
    for (const auto& note : r.notes)
        std::fprintf(stderr, "note: %s\n", note.c_str());
    if (r.status != RunStatus::Finished) {
        std::fprintf(stderr, "uae pipeline: %s after %s: %s\n", toString(r.status), minutes(r.seconds).c_str(),
                     r.error.c_str());
        return 1;
    }
    std::printf("%s\nvs %s: difference [95%% paired bootstrap interval]; %s in %s; results %s\n",
                r.table.toMarkdown().c_str(), r.table.reference.c_str(), plan->preset.c_str(),
                minutes(r.seconds).c_str(), r.resultsFile.c_str());
    return 0;
}

int runPipeline(const Args& args) {
    PipelineConfig config;
    if (!parseConfig(args, "pipeline", config))
        return 2;
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    if (config.preset != "none")
        return runPaper(args, config, *ws);
    auto ctx = jobContext("pipeline", args.has("quiet"), true);
    const auto r = ws->runPipeline(config, ctx, [quiet = args.has("quiet")](const std::string& step) {
        if (!quiet)
            std::fprintf(stderr, "== %s\n", step.c_str());
    });
    return report("pipeline", r, 0, [&] { printPipeline(r, *ws); });
}

} // namespace

Command addPipeline(CLI::App& root) {
    Command c;
    newCommand(root, "pipeline",
               "the paper's experiment: label the training split, train UAE, rank the held-out "
               "split with BM25, the base encoder and UAE",
               c.args)
        .fields(PipelineConfig{}.fields())
        .flag("quiet", "no progress lines");
    c.run = runPipeline;
    return c;
}

} // namespace uae::cli
