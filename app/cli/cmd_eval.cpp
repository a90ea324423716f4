// uae eval: rank a split with one method, store the run, print its metrics.
#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

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
            printEvalSummary(run.value(), r.outcome.summary);
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
