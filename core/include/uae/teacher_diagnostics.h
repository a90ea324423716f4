#pragma once
// Teacher diagnostics: what a label run asks the student to imitate. The distribution statistics
// (gold top, max p, entropy, agreement with BM25) are stored by the label job itself; agreement
// with an encoder (the base student before training, or any other) is computed afterwards for the
// stored labels, without relabelling, and stored with the label run as one metric per encoder:
// "spearman_encoder:<encoder>" (with "spearman_encoder_questions:<encoder>"), so several
// encoders can be compared on one teacher. Plain C++: no Qt, no LibTorch in this header.
#include "uae/config_fields.h"
#include "uae/job.h"
#include "uae/job_eval.h"
#include "uae/job_label.h"
#include "uae/store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace uae {

class Retriever;
struct Dataset;

// Mean over questions with 3+ labelled candidates of Spearman's correlation between the teacher's
// utilities and the retriever's scores of the same candidates (a bi-encoder's scores are cosine
// similarities). Questions without their paper in `data` are skipped; stops early when cancelled.
struct RankAgreement {
    double meanSpearman = 0;
    long questions = 0; // in that mean
    bool cancelled = false;
};
RankAgreement rankAgreement(const Dataset& data, const std::vector<LabelRow>& labels, Retriever& retriever,
                            const JobContext& ctx);

struct EncoderAgreement {
    std::string encoder; // "all-MiniLM-L6-v2", "glove", "uae-run-7", ...
    double meanSpearman = 0;
    long questions = 0;
};

// A label run's diagnostics as stored (hasStats false for a run that stored none, e.g. failed
// early). For a training run: those of the label run it trained on (forTrainRun set).
struct TeacherDiagnostics {
    RunInfo labelRun;
    std::string promptVersion; // with labelRun.method (the scorer), the labels' key
    std::int64_t forTrainRun = 0;
    bool hasStats = false;
    TeacherStats stats;
    bool hasSpearmanBm25 = false;           // label runs before the BM25 agreement have none
    std::vector<EncoderAgreement> encoders; // sorted by name
    double goldTopShare() const { return stats.withGold ? double(stats.goldTop) / double(stats.withGold) : 0.0; }
};

// Metric names as stored with the label run.
std::string encoderMetricName(const std::string& encoder);
std::string encoderQuestionsMetricName(const std::string& encoder);
// Reads the label job's statistics and every encoder agreement; the newest value of a name wins.
TeacherDiagnostics diagnosticsFromMetrics(const std::vector<MetricPoint>& metrics);
// The same statistics as metrics of step 0 (what the label job stores).
std::vector<std::pair<std::string, double>> teacherStatsMetrics(const TeacherStats& stats);

// How `uae diagnose` is configured: the label run (or a training run: its labels) and the encoder
// whose similarities the teacher is compared with, named as `uae eval --method` takes it.
struct DiagnoseConfig : Configurable<DiagnoseConfig> {
    std::int64_t run = 0;        // label run, or training run (the labels it trained on)
    std::string encoder;         // bert:NAME | bert (with model) | glove | uae (trainRun) | bm25; empty: none
    std::string model;           // bert: folder or id; glove: folder; uae: checkpoint
    std::int64_t trainRun = 0;   // encoder uae: the training run whose model is compared
    std::string dataPath;        // QASPER folder (default: the label run's)
    std::string device = "auto"; // neural encoders
    std::string dtype = "auto";
    int batch = 64;
    bool useCache = true; // passage vectors from and into the workspace's embedding cache

    static const std::vector<Field<DiagnoseConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
    // The retrieval config that builds the encoder for a label run's split.
    EvalJobConfig evalConfig(const std::string& split) const;
};

// The name an encoder is stored under: a fetched model's name, a folder's name, "glove",
// "uae-run-N" (config resolved by the workspace).
std::string encoderName(const EvalJobConfig& resolved);

} // namespace uae
