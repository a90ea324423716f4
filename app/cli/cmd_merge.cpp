// uae merge: labeling shards' workspaces joined into one (see label_merge.h).
#include "cli_common.h"

#include "uae/label_merge.h"

#include <cstdio>

namespace uae::cli {

namespace {

constexpr size_t kConflictsShown = 20;

void printMerged(const LabelMergeResult& r, const std::string& into) {
    for (const auto& s : r.sources) {
        std::string shards;
        for (const auto& sh : s.shards)
            shards += (shards.empty() ? "" : ",") + (sh.empty() ? std::string("all") : sh);
        const auto& c = s.counts;
        std::printf("%s (shard %s): %ld questions added (%ld labels), %ld already here alike, %ld conflicting; "
                    "runs %ld copied, %ld updated\n",
                    s.path.c_str(), shards.c_str(), c.questionsAdded, c.labelsAdded, c.questionsSame,
                    static_cast<long>(c.conflicts.size()), c.runsCopied, c.runsUpdated);
    }
    size_t shown = 0;
    for (const auto& s : r.sources)
        for (const auto& c : s.counts.conflicts)
            if (shown++ < kConflictsShown)
                std::fprintf(stderr, "uae merge: conflict: question %s (%s, %s): %s in %s; %s keeps its own\n",
                             c.question.c_str(), c.key.scorer.c_str(), c.key.promptVersion.c_str(), c.why.c_str(),
                             s.path.c_str(), into.c_str());
    if (shown > kConflictsShown)
        std::fprintf(stderr, "uae merge: ... and %zu more conflicts\n", shown - kConflictsShown);
    for (const auto& w : r.warnings)
        std::fprintf(stderr, "uae merge: warning: %s\n", w.c_str());
}

int runMerge(const Args& args) {
    const std::string into = args.get("into");
    if (into.empty()) {
        std::fprintf(stderr, "uae merge: --into: name the workspace to merge the shards into\n");
        return 2;
    }
    auto store = Store::open(into);
    if (!store) {
        std::fprintf(stderr, "uae merge: %s\n", store.error().c_str());
        return 1;
    }
    const auto merged = mergeLabelShards(*store.value(), args.positional());
    if (!merged) {
        std::fprintf(stderr, "uae merge: %s\n", merged.error().c_str());
        return 1;
    }
    printMerged(merged.value(), into);
    // Conflicts leave the target's labels as they were; the status tells a script to look.
    return merged->conflicts() > 0 ? 3 : 0;
}

} // namespace

Command addMerge(CLI::App& root) {
    Command c;
    newCommand(root, "merge",
               "join labeling shards (uae label --shard I/N) into one workspace; merging again changes nothing", c.args)
        .option("into", "the workspace the shards' label runs, metrics and labels are merged into")
        .positionals("shards", "the shards' workspace files");
    c.run = runMerge;
    return c;
}

} // namespace uae::cli
