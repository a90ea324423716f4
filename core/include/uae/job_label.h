#pragma once
// The utility labeling job: for every question of a split and every candidate paragraph (all of
// the paper's, or the base retriever's top K), u = meanNLL(a | q) - meanNLL(a | q, c), stored per
// (question, paragraph, scorer, prompt version). Resumable: questions already stored are skipped,
// and each question is stored atomically, so a killed job restarts without loss or duplicates.
// With a shard (shard.h) it labels only that share of the split, into a workspace of its own;
// label_merge.h joins the shards' workspaces.
#include "uae/config_fields.h"
#include "uae/job.h"
#include "uae/run_types.h"
#include "uae/result.h"
#include "uae/store.h"
#include "uae/utility.h"

#include <cstdint>
#include <memory>
#include <string>

namespace uae {

struct Dataset;

struct LabelJobConfig : Configurable<LabelJobConfig> {
    std::string scorer = "dirichlet"; // dirichlet | lm
    std::string split = "train";
    std::string dataPath;
    double mu = 100.0; // Dirichlet scorer prior mass
    double tauT = 0.1; // teacher temperature, for the reported statistics
    int topK = 0;      // 0: every paragraph of the paper; else BM25's top K
    long limit = 0;    // first N questions only (0 = all)
    std::string model; // lm scorer: llama2.c .bin or Hugging Face folder / id
    std::string device = "auto";
    std::string dtype = "auto";
    std::string prompt = "plain"; // lm scorer: plain | chat (the instruct model's ChatML turns)
    std::string shard;            // "I/N": only that share of the questions (shard.h); empty: all

    // An LLM teacher (fetched name, GGUF, llama2.c .bin or folder, e.g. SmolLM2-135M-Instruct):
    // the lm scorer over BM25's top 20 plus nothing else, sized for a CPU.
    static LabelJobConfig forModel(const std::string& model);
    static const std::vector<Field<LabelJobConfig>>& fieldTable();
    static std::string jsonExtra();
};

Result<std::unique_ptr<UtilityScorer>> makeScorer(const LabelJobConfig& config);

// How the teacher distribution softmax(u / tauT) looks over the labeled questions of a split.
struct TeacherStats {
    long questions = 0;  // with labels
    long withGold = 0;   // of those, with mapped gold evidence among the candidates
    long goldTop = 0;    // the top-utility candidate is gold
    long nearOneHot = 0; // max teacher probability >= 0.9
    double meanMaxProbability = 0;
    double meanEntropy = 0; // nats
    double meanCandidates = 0;
    // Mean over questions with 3+ candidates of Spearman's correlation between the teacher's
    // utilities and BM25's scores of the same candidates: how far the teacher agrees with
    // lexical overlap (near 1: the student is asked to imitate BM25).
    double meanSpearmanBm25 = 0;
    long correlated = 0; // questions in that mean
};
TeacherStats teacherStats(const Dataset& data, const std::vector<LabelRow>& labels, double tauT);

struct LabelJobResult {
    std::int64_t runId = 0;
    RunStatus status = RunStatus::Running;
    std::string error;
    std::string promptVersion; // of the scorer that labelled
    long labeledNow = 0;
    long alreadyLabeled = 0;
    long relabeled = 0; // of labeledNow: questions whose stored labels were of text that changed since
    long skippedUnanswerable = 0;
    double seconds = 0;    // labelling time of this run
    long tokensScored = 0; // tokens the scorer ran through its model (LLM scorers)
    TeacherStats stats;
};

LabelJobResult runLabelJob(Store& store, const Dataset& data, UtilityScorer& scorer, const LabelJobConfig& config,
                           const JobContext& ctx);

} // namespace uae
