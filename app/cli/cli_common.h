#pragma once
#include "cli_args.h"
#include "uae/qasper.h"
#include "uae/job.h"
#include "uae/store.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace uae::cli {

// Each prints a message naming the problem to stderr and returns empty on failure.
std::unique_ptr<Store> openWorkspace(const Args& args);
// dataArg: --data as given (may be empty: then $UAE_QASPER_DIR and the usual places).
std::optional<Dataset> loadSplit(const std::string& dataArg, const std::string& split, bool quiet = false);
// A run id, or a method name meaning its latest finished eval run on `split`.
std::optional<std::int64_t> resolveRun(const Store& store, const std::string& token, const std::string& split);
bool rejectUnknown(const Args& args, const std::string& cmd, std::set<std::string> known);

void printMappingStats(const Dataset& data);

// Progress lines on stderr: redrawn 5 times a second on a terminal, one line every 5 s in a log.
std::function<void(const JobProgress&)> progressPrinter(std::string label, bool quiet, bool withMessage);

// Ctrl-C sets the returned flag (the job stops at its next check) until restoreSigint().
std::atomic<bool>* cancelOnSigint();
void restoreSigint();

} // namespace uae::cli
