// uae eval: rank a split with one method, store the run, print its metrics.
#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

void printSummary(const RunInfo& run, const EvalSummary& s) {
    std::printf("run %lld  %s  %s  %s  %ld questions, %ld with text evidence\n", static_cast<long long>(run.id),
                run.method.c_str(), run.split.c_str(), toString(run.status), s.questions, s.evaluated);
    std::printf("  %-28s %8s\n", "metric", "value");
    for (int m = 0; m < kMetricCount; ++m)
        std::printf("  %-28s %8.4f\n", metricName(static_cast<Metric>(m)), s.mean.v[m]);
    std::printf("  %-28s %8.4f\n", "evidence_f1 (all, official)", s.evidenceF1All);
    std::printf("  %-28s %8.3f\n", "latency ms/query (whole)", s.meanLatencyMs);
    std::printf("  %-28s %8.3f\n", "query path ms/query", s.meanQueryLatencyMs);
    std::printf("  %-28s %8.1f\n", "pool preparation ms (total)", s.preparationMs);
}

int runEval(const Args& args) {
    EvalJobConfig config;
    if (!parseConfig(args, "eval", config))
        return 2;
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    const auto r = ws->evaluate(config, jobContext(config.method, args.has("quiet"), false));
    return report("eval", r, r.runId, [&] {
        if (auto run = ws->store().run(r.runId))
            printSummary(run.value(), r.outcome.summary);
    });
}

} // namespace

Command addEval(CLI::App& root) {
    Command c;
    newCommand(root, "eval", "rank a split with one method, store the run, print its metrics", c.args)
        .fields(EvalJobConfig{}.fields())
        .flag("quiet", "no progress lines");
    c.run = runEval;
    return c;
}

} // namespace uae::cli
