#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

int runRuns(const Args&) {
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    auto runs = ws->runSummaries();
    if (!runs) {
        std::fprintf(stderr, "uae runs: %s\n", runs.error().c_str());
        return 1;
    }
    std::printf("%5s %-6s %-8s %-6s %-12s %-21s %8s %8s\n", "id", "kind", "method", "split", "status", "started", "R@1",
                "MAP");
    for (const auto& s : *runs) {
        const RunInfo& r = s.run;
        std::printf("%5lld %-6s %-8s %-6s %-12s %-21s %8.4f %8.4f\n", static_cast<long long>(r.id), toString(r.kind),
                    r.method.c_str(), r.split.c_str(), toString(r.status), r.startedAt.c_str(), s.recall1, s.map);
    }
    return 0;
}

int runData(const Args& args) {
    auto data = loadSplit(args.get("data"), args.get("split", EvalJobConfig{}.split));
    if (!data)
        return 1;
    printMappingStats(*data);
    return 0;
}

} // namespace

Command addRuns(CLI::App& root) {
    Command c;
    newCommand(root, "runs", "list stored runs with their headline metrics", c.args);
    c.run = runRuns;
    return c;
}

Command addData(CLI::App& root) {
    Command c;
    newCommand(root, "data", "load a split and report how its evidence maps onto paragraphs", c.args)
        .option("split", "QASPER split (default dev)")
        .option("data", "QASPER folder or file");
    c.run = runData;
    return c;
}

} // namespace uae::cli
