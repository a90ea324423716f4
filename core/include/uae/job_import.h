#pragma once
// Importing an outside system's TREC run (trec_run.h) as one eval run of the workspace: method
// "trec:NAME", per-question results and summary metrics as `uae eval` stores them, so `uae runs`,
// `uae compare`, `uae report`, `uae export` and the GUI (`--methods run:ID`) take it like any run.
#include "uae/config_fields.h"
#include "uae/job.h"
#include "uae/job_eval.h"

#include <string>

namespace uae {

struct Dataset;
class Store;

struct TrecImportConfig : Configurable<TrecImportConfig> {
    std::string source;        // the run file (--trec)
    std::string split = "dev"; // whose questions the run's qids are
    std::string dataPath;      // QASPER folder or file, or BEIR folder (resolved by the workspace)
    // paper: docnos name paragraphs of each question's own paper; corpus: of the whole split (as a
    // run of `uae eval --pool corpus` is exported). Stored as the run's pool.
    std::string pool = "paper";
    std::string name; // the run is stored as method "trec:<name>"; empty: the file's (first) tag

    static const std::vector<Field<TrecImportConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
};

// What a run name must be: no whitespace or control characters, at most 100 bytes; empty if fine.
std::string trecRunNameProblem(const std::string& name);

// Reads and checks the whole file, ties it to `data` (the per-paper split: the split's questions
// and paragraphs, trec_run.h), and only then stores one finished eval run whose config holds the
// settings, the file's absolute path, sha256, line count and tags. Any problem in the file fails
// the job before a run exists: nothing is written. Questions of the split the run lacks are stored
// ranked empty (as trec_eval -c counts them) and reported through ctx.warn with their count.
// Never throws.
EvalJobResult runTrecImport(Store& store, const Dataset& data, const TrecImportConfig& config, const JobContext& ctx);

} // namespace uae
