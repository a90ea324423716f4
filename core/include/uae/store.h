#pragma once
// The workspace: one SQLite file (WAL) holding data sets, models, runs, metrics and per-question
// results. Schema changes are numbered migrations tracked by PRAGMA user_version. One Store = one
// connection: use one per thread.
#include "uae/evaluation.h"
#include "uae/result.h"
#include "uae/run_types.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;
namespace uae::detail {
class Statement;
}

namespace uae {

// One row of the runs table. A kind or status written by a newer version reads as Eval / Failed.
struct RunInfo {
    std::int64_t id = 0;
    RunKind kind = RunKind::Eval;
    // What ran: an eval run's retrieval method ("bm25", "glove", "bert", "bert:all-MiniLM-L6-v2",
    // "llm-rerank", "uae"), a label run's scorer ("dirichlet", "lm"), an answer run's reader
    // ("extractive", "lm:<model>"), a training run's "uae" (GloVe) or "uae-bert".
    std::string method;
    std::string split; // the QASPER split ("dev", "train", ...); an answer run: its eval run's
    RunStatus status = RunStatus::Running;
    std::string configJson; // the job's config as JSON (an eval run's also holds its retriever's)
    std::string appVersion; // of the process that began the run
    // The device the job used: an eval, label or answer run takes it from its loaded model's
    // config ("cuda:0", "cpu"; "cpu" for BM25, GloVe, Dirichlet and the extractive reader); a
    // training run starts with the device asked for ("auto") and gets the one its trainer took
    // through setRunDevice ("cpu" for GloVe; "cuda:0 bf16-autocast", "cpu float32" for BERT).
    std::string device;
    std::string startedAt; // UTC, "2024-05-01T12:00:00Z"
    std::string endedAt;   // same format; empty while running (and again once resumed)
    std::string error;     // why it failed or was interrupted; empty otherwise
    // A run merged in from another workspace (uae merge): "<workspace id>/<run id>" there and
    // that file as named at merge time; both empty for a run that ran here.
    std::string origin;
    std::string originPath;
};

// A run with its headline metrics: Recall@1 and MAP of an eval run, of a training run's last
// held-out evaluation (hasMetrics false when it has none yet).
struct RunSummary {
    RunInfo run;
    double recall1 = 0;
    double map = 0;
    bool hasMetrics = false;
};

// One candidate's utility label. nllWith / nllWithout: mean answer NLL with and without it.
struct LabelRow {
    std::string question;
    int paragraph = 0;
    double utility = 0;
    double nllWith = 0;
    double nllWithout = 0;
};

struct AnswerRow {
    std::string question;
    std::string answer;
    double f1 = 0;
};

// The answers of one answering run, with what they were read with.
struct AnswerSet {
    std::int64_t run = 0;        // the answering run (0: none)
    std::int64_t evalRun = 0;    // the retrieval run whose rankings were read
    std::string reader;          // "extractive", "lm:SmolLM2-135M-Instruct"
    std::string promptVersion;   // lm reader: e.g. "answer-chat-v1:SmolLM2-135M-Instruct"; else empty
    int k = 0;                   // top paragraphs read (0: not recorded)
    double meanF1 = 0;           // mean Answer-F1 over rows, as the official evaluator averages
    std::vector<AnswerRow> rows; // in stored order
};

struct DatasetInfo {
    std::string name; // e.g. qasper-dev
    std::string path;
    long papers = 0;
    long questions = 0;
    std::string addedAt;
};

struct LabelKey {
    std::string scorer;
    std::string promptVersion;
};

// A labelled question and what its labels were computed on.
struct LabelSource {
    std::string question;
    std::string split;
    std::string sourceHash; // labelSourceHash at labelling time; empty for labels older than schema 6
    std::int64_t run = 0;   // the label run that stored them (0: deleted since)
};

// A question labelled in both workspaces of a merge with labels that differ.
struct LabelConflict {
    std::string question;
    LabelKey key;
    std::string why; // "labelled on different text", "different candidates", "utilities differ by up to X"
};

struct MergeCounts {
    long runsCopied = 0;  // label runs new to this workspace
    long runsUpdated = 0; // merged before; their status, end and metrics taken again
    long questionsAdded = 0;
    long questionsSame = 0; // already here with identical labels
    long labelsAdded = 0;   // label rows of the added questions
    std::vector<LabelConflict> conflicts;
};

struct MetricPoint {
    std::int64_t step = 0;
    std::string name;
    double value = 0;
    std::int64_t run = 0; // set when delivered live by a job
};

class Store {
public:
    static constexpr int kSchemaVersion = 7;

    // Opens or creates the workspace and migrates it. Runs left "running" by a process of this
    // host that no longer exists are marked "interrupted" (their stored results are kept).
    static Result<std::unique_ptr<Store>> open(const std::string& path);
    // An existing workspace of this schema, for reading only (a data-parallel rank other than 0):
    // no migration, no run marked; every write fails.
    static Result<std::unique_ptr<Store>> openReadOnly(const std::string& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    const std::string& path() const { return m_path; }
    int schemaVersion() const;
    long interruptedAtOpen() const { return m_interruptedAtOpen; }

    Status upsertDataset(const std::string& name, const std::string& path, long papers, long questions);
    Result<std::vector<DatasetInfo>> datasets() const;
    Status upsertModel(const std::string& name, const std::string& kind, const std::string& path);

    // A new run, status running, owned by this process; device as RunInfo::device describes.
    Result<std::int64_t> beginRun(RunKind kind, const std::string& method, const std::string& split,
                                  const std::string& configJson, const std::string& device);
    Status finishRun(std::int64_t run, RunStatus status, const std::string& error = {});
    Status addMetric(std::int64_t run, std::int64_t step, const std::string& name, double value);
    // Several metrics of one step in one transaction.
    Status addMetrics(std::int64_t run, std::int64_t step, const std::vector<std::pair<std::string, double>>& values);
    // The same, replacing the values these names already have at that step (a diagnostic computed
    // again for a finished run).
    Status replaceMetrics(std::int64_t run, std::int64_t step,
                          const std::vector<std::pair<std::string, double>>& values);
    // A run taken up again by this process (resume): running, owned by this pid, its end time
    // and error cleared, metrics logged after `keepUpToStep` dropped.
    Status reopenRun(std::int64_t run, std::int64_t keepUpToStep);
    // The device a run really used, once its job knows it (a training run's trainer).
    Status setRunDevice(std::int64_t run, const std::string& device);
    Status addQuestionResults(std::int64_t run, const std::vector<QuestionResult>& results);

    Result<std::vector<RunInfo>> runs() const;
    // Every run, oldest first, with its headline Recall@1 and MAP, in one query.
    Result<std::vector<RunSummary>> runSummaries() const;
    Result<RunInfo> run(std::int64_t id) const;
    Result<std::vector<MetricPoint>> metrics(std::int64_t run) const;
    Result<std::vector<QuestionResult>> questionResults(std::int64_t run) const;
    // Stores all labels of one question (possibly none: skipped) and marks it labeled, atomically,
    // with the hash of the text they were computed on. Labels stored before with another hash
    // (the text changed) are replaced in the same transaction. Returns false, storing nothing, when
    // the question already has labels of this text (or of unknown text: an older workspace), e.g.
    // another job labeled it meanwhile. beforeCommit runs inside the transaction (tests kill the
    // process there).
    Result<bool> addQuestionLabels(std::int64_t run, const LabelKey& key, const std::string& split,
                                   const std::string& question, const std::vector<LabelRow>& rows,
                                   const std::string& sourceHash, const std::function<void()>& beforeCommit = {});
    // Questions already labeled with this scorer and prompt version.
    Result<std::vector<std::string>> labeledQuestions(const LabelKey& key) const;
    // The same with what each was labelled on.
    Result<std::vector<LabelSource>> labelSources(const LabelKey& key) const;
    // All labels of a key on a split, ordered by question then paragraph.
    Result<std::vector<LabelRow>> labels(const LabelKey& key, const std::string& split) const;

    // This workspace's id (schema 7): merged runs name their origin by it.
    Result<std::string> workspaceId() const;
    // Copies the label runs (with their metrics) and the labels of another workspace into this
    // one, in one transaction (see store_merge.cpp). Idempotent: a run merged before (same
    // origin) is updated, not copied again; a question labelled here already with the same
    // labels is left alone, and one with different labels (other values, candidates or text) is
    // kept as it is here and reported as a conflict. The source must be at this schema version
    // (open it with Store::open first).
    Result<MergeCounts> mergeLabelsFrom(const std::string& sourcePath);

    Status addAnswers(std::int64_t run, std::int64_t evalRun, const std::string& reader,
                      const std::vector<AnswerRow>& rows);
    // Answers of the newest answer run made from evalRun (empty when none).
    Result<std::vector<AnswerRow>> latestAnswers(std::int64_t evalRun) const;
    // The same with the run, reader, prompt, k and mean F1 (run 0 and no rows when none).
    Result<AnswerSet> latestAnswerSet(std::int64_t evalRun) const;

    // Newest finished eval run of a method on a split (0 when none) in one pool setting ("paper":
    // each question against its paper, the default; "corpus": against the whole split).
    Result<std::int64_t> latestRun(const std::string& method, const std::string& split,
                                   const std::string& pool = "paper") const;

private:
    Store(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}
    Status exec(const std::string& sql) const;
    Status migrate();
    Status markInterrupted();
    Status dropQuestionLabels(const LabelKey& key, const std::string& question);
    // store_merge.cpp: the attached source's label runs, mapped to their ids here.
    Result<std::map<std::int64_t, std::int64_t>> mergeRuns(const std::string& sourceId, const std::string& sourcePath,
                                                           MergeCounts& counts);
    Result<std::int64_t> mergeRun(const detail::Statement& source, const std::string& sourceId,
                                  const std::string& sourcePath, MergeCounts& counts);
    Status mergeQuestions(const std::map<std::int64_t, std::int64_t>& runs, MergeCounts& counts);
    Error sqlError(const std::string& what) const;

    sqlite3* m_db = nullptr;
    std::string m_path;
    long m_interruptedAtOpen = 0;
};

} // namespace uae
