// uae diagnose: teacher diagnostics of stored labels (see teacher_diagnostics.h), printed.
#include "cli_common.h"

#include <cstdio>

namespace uae::cli {

namespace {

void printDiagnostics(const TeacherDiagnostics& d) {
    const auto& s = d.stats;
    if (d.forTrainRun)
        std::printf("training run %lld trained on the labels of label run %lld\n",
                    static_cast<long long>(d.forTrainRun), static_cast<long long>(d.labelRun.id));
    std::printf("run %lld  label  %s  %s  %s\n", static_cast<long long>(d.labelRun.id), d.promptVersion.c_str(),
                d.labelRun.split.c_str(), toString(d.labelRun.status));
    if (!d.hasStats) {
        std::printf("  no teacher statistics stored (uae diagnose %lld computes them)\n",
                    static_cast<long long>(d.labelRun.id));
        return;
    }
    std::printf("  teacher over %ld labelled questions (%.1f candidates each):\n", s.questions, s.meanCandidates);
    std::printf("    top utility is gold evidence: %ld of %ld questions with gold (%.1f%%)\n", s.goldTop, s.withGold,
                100.0 * d.goldTopShare());
    std::printf("    mean max p %.3f, near one-hot (max p >= 0.9) %ld, mean entropy %.3f nats\n", s.meanMaxProbability,
                s.nearOneHot, s.meanEntropy);
    if (d.hasSpearmanBm25)
        std::printf("    rank correlation (Spearman, mean per question) with BM25: %.3f\n", s.meanSpearmanBm25);
    for (const auto& e : d.encoders)
        std::printf("    rank correlation (Spearman, mean per question) with %s: %.3f over %ld questions\n",
                    e.encoder.c_str(), e.meanSpearman, e.questions);
}

int runDiagnose(const Args& args) {
    DiagnoseConfig config;
    if (!parseConfig(args, "diagnose", config))
        return 2;
    if (args.positional().size() != 1) {
        std::fprintf(stderr, "uae diagnose: give one label run (or a training run: the labels it trained on)\n");
        return 2;
    }
    if (auto s = setFieldText(config.fields().front(), args.positional()[0]); !s) {
        std::fprintf(stderr, "uae diagnose: %s\n", s.error().c_str());
        return 2;
    }
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    auto d = args.has("stored") ? ws->teacherDiagnostics(config.run)
                                : ws->diagnose(config, jobContext("diagnose", args.has("quiet"), false));
    if (!d) {
        std::fprintf(stderr, "uae diagnose: %s\n", d.error().c_str());
        return 1;
    }
    printDiagnostics(d.value());
    return 0;
}

} // namespace

Command addDiagnose(CLI::App& root) {
    Command c;
    newCommand(root, "diagnose",
               "teacher diagnostics of stored labels (gold top, max p, entropy, agreement with BM25 and an encoder); "
               "stored with the label run",
               c.args)
        .fields(DiagnoseConfig{}.fields())
        .flag("stored", "print what is stored, compute nothing")
        .flag("quiet", "no progress lines")
        .positionals("RUN", "label run, or training run (the labels it trained on)");
    c.run = runDiagnose;
    return c;
}

} // namespace uae::cli
