#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

int cmdRuns(const Args& args) {
    if (rejectUnknown(args, "runs", {}))
        return 2;
    auto store = openWorkspace(args);
    if (!store)
        return 1;
    auto runs = store->runs();
    if (!runs) {
        std::fprintf(stderr, "uae runs: %s\n", runs.error().c_str());
        return 1;
    }
    std::printf("%5s %-6s %-8s %-6s %-12s %-21s %8s %8s\n", "id", "kind", "method", "split", "status",
                "started", "R@1", "MAP");
    for (const auto& r : *runs) {
        double r1 = 0, map = 0;
        if (auto m = store->metrics(r.id))
            for (const auto& p : *m) {
                // Training runs: the last evaluation on the held-out split.
                if (p.name == "recall@1" || p.name == "eval_recall@1")
                    r1 = p.value;
                if (p.name == "map" || p.name == "eval_map")
                    map = p.value;
            }
        std::printf("%5lld %-6s %-8s %-6s %-12s %-21s %8.4f %8.4f\n", static_cast<long long>(r.id),
                    r.kind.c_str(), r.method.c_str(), r.split.c_str(), r.status.c_str(),
                    r.startedAt.c_str(), r1, map);
    }
    return 0;
}

int cmdData(const Args& args) {
    if (rejectUnknown(args, "data", {"split", "data"}))
        return 2;
    auto data = loadSplit(args.get("data"), args.get("split", "dev"));
    if (!data)
        return 1;
    printMappingStats(*data);
    return 0;
}

} // namespace uae::cli
