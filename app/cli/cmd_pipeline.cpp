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

int runPipeline(const Args& args) {
    PipelineConfig config;
    if (!parseConfig(args, "pipeline", config))
        return 2;
    auto ws = openWorkspace();
    if (!ws)
        return 1;
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
