// uae report: two runs compared in a PDF for stakeholders (core's uae/report.h, drawn by uae_report).
#include "cli_common.h"

#include "report/report_pdf.h"
#include "uae/job_eval.h"
#include "uae/report.h"

#include <cstdio>

namespace uae::cli {

namespace {

// Both runs by id or method name, checked reportable before the data set is read.
std::optional<std::pair<RunInfo, RunInfo>> reportRuns(const Store& store, const Args& args,
                                                      const ReportConfig& config) {
    std::vector<RunInfo> runs;
    for (const auto& token : args.positional()) {
        auto id = resolveRun(store, token, config.split);
        if (!id)
            return std::nullopt;
        auto run = store.run(*id);
        if (!run) {
            std::fprintf(stderr, "uae report: %s\n", run.error().c_str());
            return std::nullopt;
        }
        runs.push_back(run.value());
    }
    if (const auto why = unreportable(runs[0], runs[1]); !why.empty()) {
        std::fprintf(stderr, "uae report: %s\n", why.c_str());
        return std::nullopt;
    }
    return std::pair{runs[0], runs[1]};
}

// The runs' split for the questions' text: --data, else the folder run A ranked. Without --data a
// folder that is gone only costs the text (paragraphs are then shown by number).
std::optional<Dataset> reportData(const RunInfo& run, const ReportConfig& config, bool& failed) {
    std::string dir = config.dataPath;
    if (dir.empty())
        if (auto eval = EvalJobConfig::fromJson(run.configJson))
            dir = eval->dataPath;
    auto data = loadSplit(dir, run.split, true);
    failed = !data && !config.dataPath.empty();
    if (!data && !failed)
        std::fprintf(stderr, "note: the questions and paragraphs are shown without their text\n");
    return data;
}

int runReport(const Args& args) {
    ReportConfig config;
    if (args.positional().size() != 2) {
        std::fprintf(stderr, "uae report: give two runs (ids or method names), e.g. uae report 1 2 --out report.pdf\n");
        return 2;
    }
    if (!parseConfig(args, "report", config))
        return 2;
    if (auto s = config.validate(); !s) {
        std::fprintf(stderr, "uae report: %s\n", s.error().c_str());
        return 2;
    }
    auto ws = openWorkspace();
    if (!ws)
        return 1;
    const auto runs = reportRuns(ws->store(), args, config);
    if (!runs)
        return 1;
    bool dataFailed = false;
    const auto data = reportData(runs->first, config, dataFailed);
    if (dataFailed)
        return 1;
    const ReportRequest request{runs->first.id, runs->second.id, config.pinnedIds(), config.top, false};
    auto report = buildComparisonReport(*ws, request, data ? &*data : nullptr);
    if (!report) {
        const bool pinned = report.error().rfind("pinned question", 0) == 0;
        std::fprintf(stderr, "uae report: %s%s\n", pinned ? "--pinned: " : "", report.error().c_str());
        return 1;
    }
    for (const auto& note : report->notes)
        std::fprintf(stderr, "note: %s\n", note.c_str());
    if (auto s = ui::writeReportPdf(report.value(), config.out); !s) {
        std::fprintf(stderr, "uae report: --out %s\n", s.error().c_str());
        return 1;
    }
    std::printf("%s\n", config.out.c_str());
    return 0;
}

} // namespace

Command addReport(CLI::App& root) {
    Command c;
    newCommand(root, "report",
               "a PDF for stakeholders: two runs' headline table with intervals, the charts, the teacher "
               "diagnostics and example questions side by side with the gold's journey",
               c.args)
        .fields(ReportConfig{}.fields())
        .positionals("RUNS", "RUN_A RUN_B (B is compared against A)");
    c.run = runReport;
    return c;
}

} // namespace uae::cli
