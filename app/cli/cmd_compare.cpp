#include "cli_common.h"

#include "uae/comparison.h"

#include <cmath>
#include <cstdio>

namespace uae::cli {

namespace {

// The query path of both runs and the ratio (see compareQueryLatency).
void printQueryLatency(const std::vector<RunInfo>& runs, const std::vector<std::vector<QuestionResult>>& results) {
    const auto l = compareQueryLatency(results[0], results[1]);
    if (!l.comparable()) {
        const bool imported = runs[0].method.starts_with("trec:") || runs[1].method.starts_with("trec:");
        std::printf("%-22s %12s %12s  (not timed in both runs: %s)\n", "query path ms/query", "-", "-",
                    imported ? "an imported run (uae import-run) carries no timings"
                             : "stored before query_latency_ms");
        return;
    }
    std::printf("%-22s %12.3f %12.3f  (%ld questions timed in both)\n", "query path ms/query", l.meanA, l.meanB,
                l.questions);
    const RunInfo &slow = l.bSlower() ? runs[1] : runs[0], &fast = l.bSlower() ? runs[0] : runs[1];
    std::printf("%-22s %s is %.1fx slower per query than %s (B/A = %.4g)\n", "query path ratio", slow.method.c_str(),
                l.factor(), fast.method.c_str(), l.ratio);
}

int runCompare(const Args& args) {
    if (args.positional().size() != 2) {
        std::fprintf(stderr, "uae compare: give two runs (ids or method names), e.g. uae compare 1 2\n");
        return 2;
    }
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    const Store* store = &ws->store();
    const std::string split = args.get("split", EvalJobConfig{}.split);
    std::vector<RunInfo> runs;
    std::vector<std::vector<QuestionResult>> results;
    for (const auto& token : args.positional()) {
        auto id = resolveRun(*store, token, split);
        if (!id)
            return 1;
        auto run = store->run(*id);
        auto res = store->questionResults(*id);
        if (!run || !res) {
            std::fprintf(stderr, "uae compare: %s\n", (!run ? run.error() : res.error()).c_str());
            return 1;
        }
        runs.push_back(run.value());
        results.push_back(std::move(res.value()));
    }
    if (const auto why = incomparable(runs[0], runs[1]); !why.empty()) {
        std::fprintf(stderr, "uae compare: %s\n", why.c_str());
        return 1;
    }
    for (const auto& note : comparisonNotes(runs[0], runs[1], results[0], results[1]))
        std::fprintf(stderr, "note: %s\n", note.c_str());
    auto shared = sharedQuestions(results[0], results[1]);
    results = {std::move(shared.first), std::move(shared.second)};
    const auto sa = summarize(results[0]), sb = summarize(results[1]);
    auto label = [](const RunInfo& r) { return "#" + std::to_string(r.id) + " " + r.method; };
    std::printf("%-22s %12s %12s %9s\n", "metric", label(runs[0]).c_str(), label(runs[1]).c_str(), "B-A");
    for (int m = 0; m < kMetricCount; ++m)
        std::printf("%-22s %12.4f %12.4f %+9.4f\n", metricName(static_cast<Metric>(m)), sa.mean.v[m], sb.mean.v[m],
                    sb.mean.v[m] - sa.mean.v[m]);
    std::printf("%-22s %12ld %12ld\n", "questions evaluated", sa.evaluated, sb.evaluated);
    std::printf("%-22s %12.3f %12.3f\n", "latency ms/query", sa.meanLatencyMs, sb.meanLatencyMs);
    printQueryLatency(runs, results);

    std::printf("\nper question, B against A (questions with text evidence in both runs);\n"
                "B-A with a 95%% paired bootstrap interval (2000 resamples) and two-sided p:\n");
    std::printf("%-14s %6s %6s %6s %9s %21s %7s\n", "metric", "wins", "ties", "losses", "B-A", "95% interval", "p");
    for (Metric m : {Metric::Recall1, Metric::Recall5, Metric::Mrr, Metric::Map, Metric::Ndcg10, Metric::EvidenceF1}) {
        const auto c = comparePaired(results[0], results[1], m);
        std::printf("%-14s %6ld %6ld %6ld %+9.4f  [%+8.4f, %+8.4f] %7.4f\n", metricName(m), c.wins, c.ties, c.losses,
                    c.difference.mean, c.difference.low, c.difference.high, c.difference.p);
    }
    return 0;
}

} // namespace

Command addCompare(CLI::App& root) {
    Command c;
    newCommand(root, "compare",
               "two runs (ids, or method names = latest finished run) side by side, with "
               "per-question wins, ties and losses",
               c.args)
        .option("split", "split whose latest run a method name means (default dev)")
        .positionals("RUNS", "RUN_A RUN_B");
    c.run = runCompare;
    return c;
}

} // namespace uae::cli
