// uae label: utility labels for a split, resumable (see job_label.h).
#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

void printLabelResult(const LabelJobResult& r, const LabelJobConfig& config) {
    const auto& s = r.stats;
    std::printf("run %lld  label  %s  %s  %s\n", static_cast<long long>(r.runId), r.promptVersion.c_str(),
                config.split.c_str(), toString(r.status));
    std::printf("  labeled now %ld, already stored %ld, skipped (unanswerable or no answer given) %ld\n", r.labeledNow,
                r.alreadyLabeled, r.skippedUnanswerable);
    if (r.relabeled > 0)
        std::printf("  relabeled %ld whose paper, question or answers changed since they were labelled\n", r.relabeled);
    if (r.labeledNow > 0 && r.seconds > 0)
        std::printf("  %.2f s per question%s\n", r.seconds / static_cast<double>(r.labeledNow),
                    r.tokensScored > 0 ? (", " + std::to_string(static_cast<long>(r.tokensScored / r.seconds)) +
                                          " tokens/s through the model")
                                             .c_str()
                                       : "");
    std::printf("  teacher softmax(u / %g) over %ld labeled questions (%.1f candidates each):\n", config.tauT,
                s.questions, s.meanCandidates);
    std::printf("    near one-hot (max p >= 0.9): %ld (%.1f%%), mean max p %.3f, mean entropy %.3f nats\n",
                s.nearOneHot, s.questions ? 100.0 * s.nearOneHot / s.questions : 0.0, s.meanMaxProbability,
                s.meanEntropy);
    std::printf("    top utility is gold evidence: %ld of %ld questions with gold (%.1f%%)\n", s.goldTop, s.withGold,
                s.withGold ? 100.0 * s.goldTop / s.withGold : 0.0);
    std::printf("    rank correlation with BM25 (Spearman, mean over %ld questions): %.3f\n", s.correlated,
                s.meanSpearmanBm25);
    std::printf("    with an encoder's similarities: uae diagnose %lld --encoder bert:NAME\n",
                static_cast<long long>(r.runId));
}

int runLabel(const Args& args) {
    LabelJobConfig config;
    if (!parseConfig(args, "label", config))
        return 2;
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    const auto r = ws->label(config, jobContext("label", args.has("quiet"), true));
    return report("label", r, r.runId, [&] { printLabelResult(r, config); });
}

} // namespace

Command addLabel(CLI::App& root) {
    Command c;
    newCommand(root, "label", "utility labels for every candidate; resumes where a killed run stopped", c.args)
        .fields(LabelJobConfig{}.fields())
        .flag("quiet", "no progress lines");
    c.run = runLabel;
    return c;
}

} // namespace uae::cli
