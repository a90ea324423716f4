#pragma once
#include "cli_args.h"
#include "uae/dataset_loader.h"
#include "uae/qasper.h"
#include "uae/job.h"
#include "uae/store.h"
#include "uae/workspace.h"

#include <atomic>
#include <cstdio>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace uae::cli {

// Each prints a message naming the problem to stderr and returns empty on failure.
std::unique_ptr<Workspace> openWorkspace(bool readOnly = false);
// dataArg: --data as given (may be empty: then $UAE_QASPER_DIR and the usual places).
// QASPER or a BEIR folder, told apart by what the path holds unless format names one.
std::optional<Dataset> loadSplit(const std::string& dataArg, const std::string& split, bool quiet = false,
                                 DataFormat format = DataFormat::Auto);
// A run id, or a method name meaning its latest finished eval run on `split`.
std::optional<std::int64_t> resolveRun(const Store& store, const std::string& token, const std::string& split);
// A job context for the command: Ctrl-C cancels, progress on stderr.
JobContext jobContext(const std::string& label, bool quiet, bool withMessage);
// The exit status of a finished job after printing its failure: 0 finished, 1 failed, 130 cancelled.
int exitStatus(const std::string& command, RunStatus status, std::int64_t runId, const std::string& error);

// A config from the command line's options; false after printing which option is wrong.
template <class Config> bool parseConfig(const Args& args, const std::string& command, Config& config) {
    if (auto s = args.apply(config.fields()); !s) {
        std::fprintf(stderr, "uae %s: %s\n", command.c_str(), s.error().c_str());
        return false;
    }
    return true;
}

// A job's outcome: its failure printed, or `print` run for a finished or cancelled job; the exit status.
template <class JobResult, class Print>
int report(const std::string& command, const JobResult& r, std::int64_t runId, Print&& print) {
    if (exitStatus(command, r.status, runId, r.error) == 1)
        return 1;
    print();
    return r.status == RunStatus::Finished ? 0 : 130;
}

void printMappingStats(const Dataset& data);
// An eval run's line and its summary metrics (uae eval, uae import-run); timed: with its latencies.
void printEvalSummary(const RunInfo& run, const EvalSummary& s, bool timed = true);

// Progress lines on stderr: redrawn 5 times a second on a terminal, one line every 5 s in a log.
std::function<void(const JobProgress&)> progressPrinter(std::string label, bool quiet, bool withMessage);

// Ctrl-C sets the returned flag (the job stops at its next check) until restoreSigint().
std::atomic<bool>* cancelOnSigint();
void restoreSigint();

} // namespace uae::cli
