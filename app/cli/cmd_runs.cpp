#include "cli_common.h"

#include "uae/data_paths.h"
#include "uae/dataset_loader.h"

#include <algorithm>
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
    // Encoder names (bert:all-MiniLM-L6-v2) outgrow a fixed column; size it to the longest.
    int methodWidth = 8;
    for (const auto& s : *runs)
        methodWidth = std::max(methodWidth, static_cast<int>(s.run.method.size()));
    std::printf("%5s %-6s %-*s %-6s %-12s %-21s %8s %8s\n", "id", "kind", methodWidth, "method", "split", "status",
                "started", "R@1", "MAP");
    for (const auto& s : *runs) {
        const RunInfo& r = s.run;
        std::printf("%5lld %-6s %-*s %-6s %-12s %-21s", static_cast<long long>(r.id), toString(r.kind), methodWidth,
                    r.method.c_str(), r.split.c_str(), toString(r.status), r.startedAt.c_str());
        // No stored ranking metric (label and answer runs, an eval still running): a dash, as the
        // GUI's runs table leaves the cell empty, not a 0.0000 that reads as a failed ranking.
        if (s.hasMetrics)
            std::printf(" %8.4f %8.4f", s.recall1, s.map);
        else
            std::printf(" %8s %8s", "-", "-");
        // A run merged from a shard (uae merge) says where it was made: that file and its run there.
        if (!r.origin.empty())
            std::printf("  merged from %s (%s)", r.originPath.c_str(), r.origin.c_str());
        std::printf("\n");
    }
    return 0;
}

int runData(const Args& args) {
    if (args.positional().size() > 1 || (args.positional().size() == 1 && args.has("data"))) {
        std::fprintf(stderr, "uae data: usage: uae data [DIR | --data DIR] [--split S] [--format auto|qasper|beir]\n");
        return 2;
    }
    auto format = parseDataFormat(args.get("format", "auto"));
    if (!format) {
        std::fprintf(stderr, "uae data: %s\n", format.error().c_str());
        return 2;
    }
    const std::string dir = args.positional().empty() ? args.get("data") : args.positional().front();
    auto data = loadSplit(dir, args.get("split", EvalJobConfig{}.split), false, format.value());
    if (!data)
        return 1;
    const auto c = countDataset(*data);
    std::printf(
        "%s split %s: %ld papers (pools), %ld passages, %ld queries, %ld with gold passages, %ld with answers\n",
        data->format.c_str(), data->name.c_str(), c.papers, c.passages, c.questions, c.withGold, c.withAnswers);
    printMappingStats(*data);
    std::string splits;
    for (const auto& s : availableSplits(dir.empty() ? findQasperDir() : dir, format.value()))
        splits += (splits.empty() ? "" : ", ") + s;
    if (!splits.empty())
        std::printf("splits here: %s\n", splits.c_str());
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
    newCommand(root, "data", "check a split (QASPER or BEIR) and report its size and how evidence maps onto paragraphs",
               c.args)
        .option("split", "split (default dev): QASPER qasper-SPLIT-*.json or BEIR qrels/SPLIT.tsv")
        .option("data", "QASPER folder or file, or BEIR folder (same as DIR)")
        .option("format", "auto (default: BEIR when DIR holds corpus.jsonl and queries.jsonl), qasper or beir")
        .positionals("DIR", "the data to check (default: --data, $UAE_QASPER_DIR, ./datasets/qasper)");
    c.run = runData;
    return c;
}

} // namespace uae::cli
