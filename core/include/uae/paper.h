#pragma once
// The paper's experiment as one plan (`uae pipeline --preset paper|paper-full`): SmolLM2 utility
// labels on a share of QASPER train (BM25's top K plus the gold), the Dirichlet teacher on the
// same questions, UAE-BGE trained on each teacher and the gold-only ablation, then every method
// ranks the same dev questions (BM25, GloVe, MiniLM, BGE-small, the three UAE-BGE runs, LLM
// re-ranking), an LLM reader answers from each method's top 3, and the headline table compares
// each row with BGE-small by paired bootstrap. Sizes are fixed per preset so a run is repeatable.
#include "uae/bootstrap.h"
#include "uae/result.h"
#include "uae/run_types.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace uae {

class Store;

struct PaperPlan {
    std::string preset;      // paper (2 CPU cores, ~30 min) | paper-full (one GPU)
    long trainQuestions = 0; // first N questions of the training split (0: all)
    long evalQuestions = 0;  // first N of the held-out split, ranked and answered by every method (0: all)
    int topK = 0;            // labels: BM25's top K paragraphs, joined by the gold
    int epochs = 0;          // UAE-BGE training
    std::string towers;      // query | both
    std::string teacher = "SmolLM2-135M-Instruct";
    std::string student = "bge-small-en-v1.5";
    std::string otherEncoder = "all-MiniLM-L6-v2";
    std::string reader = "SmolLM2-135M-Instruct";
    int rerankK = 20;      // LLM re-ranking over BM25's top 20 (UPR)
    int answerK = 3;       // paragraphs the reader gets
    int answerTokens = 24; // tokens the reader may generate
    int seed = 13;         // training (shuffling, initial order); the bootstrap uses its own fixed seed
    std::string device = "auto";

    // The student is bge-small-en-v1.5 when it is fetched, else all-MiniLM-L6-v2 (then BGE's row
    // is left out, with a note).
    static Result<PaperPlan> forPreset(const std::string& name);
    std::string describe() const; // sizes, models and seeds, one line each
};

// One row of the headline table: a stored eval run (and the answer run made from it).
struct HeadlineRow {
    std::string label; // e.g. "UAE-BGE-small (SmolLM2 teacher)"
    std::string method;
    std::int64_t evalRun = 0, answerRun = 0;
    long questions = 0; // evaluated for retrieval
    double recall1 = 0, map = 0, tokenF1 = 0, msPerQuery = 0;
    // Against the reference row (paired over the questions both answered; zero for the reference).
    PairedDifference dRecall1, dMap, dTokenF1;
    double gainRecall1 = 0, gainMap = 0, gainTokenF1 = 0; // relative, percent: 100 * (row - ref) / ref
};

struct HeadlineTable {
    std::string reference; // the label the gains are measured against
    std::vector<HeadlineRow> rows;
    std::string toJson() const;
    std::string toMarkdown() const; // README's form, intervals in brackets
};

// A fetched model, intact (uae models).
bool isFetched(const std::string& model);

// What one run of the plan made and measured.
struct PaperResult {
    RunStatus status = RunStatus::Running;
    std::string error;
    std::vector<std::pair<std::string, std::int64_t>> runs; // every run it made, named, in order
    std::vector<std::pair<std::string, std::int64_t>> rows; // the table's rows: (label, eval run)
    std::map<std::string, std::int64_t> labelRuns;          // by scorer: lm, dirichlet
    std::map<std::string, std::int64_t> answerRuns;         // by row label
    std::vector<std::string> notes;                         // e.g. a row left out, and why
    HeadlineTable table;
    double seconds = 0;
    std::string json;        // plan, table, teacher diagnostics, runs, timing: what --results writes
    std::string resultsFile; // where the workspace keeps that JSON (its exports folder)
};

// Progress between steps: which one starts, and the time left estimated from the time so far.
struct PaperProgress {
    int step = 0, steps = 0; // 1-based
    std::string name;
    double elapsedSeconds = 0, etaSeconds = 0;
};

// rows: (label, eval run) in display order; reference: the label the others are compared with.
Result<HeadlineTable> headlineTable(const Store& store, const std::vector<std::pair<std::string, std::int64_t>>& rows,
                                    const std::string& reference);

} // namespace uae
