#pragma once
// The report for stakeholders (`uae report`, File > Export report…): what comparing two stored
// retrieval runs shows, as plain data — the headline table with intervals (the numbers exactly as
// `uae compare` prints them), the chart series, the teacher diagnostics and the pinned example
// questions side by side with the gold's journey. Rendering (the PDF) is the front ends' part:
// ui/report/. Plain C++: no Qt.
#include "uae/comparison.h"
#include "uae/config_fields.h"
#include "uae/result.h"
#include "uae/store.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace uae {

class Workspace;
struct Dataset;

// How `uae report` is configured (besides its two runs).
struct ReportConfig : Configurable<ReportConfig> {
    std::string out;           // the PDF written
    std::string pinned;        // question ids, comma-separated; empty: the biggest MAP win and loss of B
    int top = 10;              // ranks shown per run for each pinned question
    std::string split = "dev"; // the split whose latest run a method name means
    std::string dataPath;      // QASPER folder for the questions' text (default: the runs')

    static const std::vector<Field<ReportConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
    std::vector<std::string> pinnedIds() const; // `pinned` split at commas, blanks dropped
};

// What to report on.
struct ReportRequest {
    std::int64_t runA = 0, runB = 0; // eval runs of one split; B is compared against A
    std::vector<std::string> pinned; // question ids; empty: chosen (biggest MAP win and loss)
    int top = 10;
    // A pinned question not ranked by both runs: an error (the CLI), or left out with a note (the
    // GUI, whose pins are kept across splits).
    bool skipUnrankedPinned = false;
};

// A table with every cell already written as the report prints it.
struct ReportTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

// One ranked paragraph of a pinned question in one run.
struct ReportHit {
    int rank = 0;                 // 1-based
    int paragraph = 0;            // index into the paper's pool (shown as ¶N, as in the inspector)
    std::string section, excerpt; // empty without the data set
    float score = 0;
    bool gold = false;
};

// Where one gold paragraph went: its rank in each run (0: not ranked).
struct GoldJourney {
    int paragraph = 0;
    std::string section, excerpt;
    int rankA = 0, rankB = 0;
};

struct ReportQuestion {
    std::string id;
    std::string text, paper, answer; // empty without the data set
    std::string why;                 // chosen automatically: "biggest MAP win of B"; empty when pinned
    bool evaluated = false;          // has text evidence (gold)
    double mapA = 0, mapB = 0;
    std::vector<ReportHit> topA, topB;
    std::vector<GoldJourney> journey;
};

// The metrics charted with their intervals (the compare view's four).
inline constexpr std::array<Metric, 4> kReportChartMetrics{Metric::Recall1, Metric::Map, Metric::Mrr, Metric::Ndcg10};
inline constexpr std::array<const char*, 4> kReportChartMetricNames{"R@1", "MAP", "MRR", "nDCG@10"};

struct ReportRun {
    RunInfo run;
    std::string label;                     // "#10 bert:all-MiniLM-L6-v2", as `uae compare` heads its columns
    std::string description;               // what ranked: model, training run, questions
    std::array<MeanInterval, 4> intervals; // kReportChartMetrics order
    double queryMs = 0;                    // the query path's mean (the whole call's for older runs)
};

struct ComparisonReport {
    ReportRun a, b;
    std::string title, generated;   // generated: UTC time and app version
    std::vector<std::string> notes; // unfinished runs, different question sets, pins left out
    long questions = 0;             // ranked by both: every figure is over these
    ReportTable headline;           // metric | A | 95% CI | B | 95% CI | B-A
    ReportTable paired;             // metric | wins | ties | losses | B-A | 95% interval | p
    std::string latency;            // the query path: who is how many times slower
    std::string teacherTitle;       // what the diagnostics are of, or why there are none
    ReportTable teacher;            // name | value; no rows when there are none
    std::vector<ReportQuestion> examples;
};

// Why two runs cannot be reported on (not both eval runs; runs of two splits); empty when they can.
std::string unreportable(const RunInfo& a, const RunInfo& b);

// Reads both runs and computes the report; refuses what cannot be compared: a run that is not an
// eval run, runs of two splits, a pinned question not ranked by both (see ReportRequest). `data`
// (may be null: paragraphs are then shown by number only): the runs' split, for question and
// paragraph text.
Result<ComparisonReport> buildComparisonReport(const Workspace& workspace, const ReportRequest& request,
                                               const Dataset* data);

} // namespace uae
