// uae import-run: an outside system's TREC run stored as an eval run, its metrics printed.
#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

int runImportRun(const Args& args) {
    TrecImportConfig config;
    if (!parseConfig(args, "import-run", config))
        return 2;
    if (auto s = config.validate(); !s) { // --trec is required: said before the workspace is touched
        std::fprintf(stderr, "uae import-run: %s\n", s.error().c_str());
        return 2;
    }
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    const auto r = ws->importTrecRun(config, jobContext("import-run", args.has("quiet"), false));
    return report("import-run", r, r.runId, [&] {
        if (auto run = ws->store().run(r.runId))
            printEvalSummary(run.value(), r.outcome.summary, false);
    });
}

} // namespace

Command addImportRun(CLI::App& root) {
    Command c;
    newCommand(root, "import-run",
               "store an outside system's TREC run (qid Q0 docno rank score tag) as an eval run, ranked and scored "
               "as trec_eval does",
               c.args)
        .fields(TrecImportConfig{}.fields())
        .flag("quiet", "no progress lines");
    c.run = runImportRun;
    return c;
}

} // namespace uae::cli
