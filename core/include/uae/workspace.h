#pragma once
// The application layer both front ends call: one workspace on disk and the pipelines that run in
// it. It owns the layout (the database, and beside it this workspace's own checkpoints plus the
// shared embedding cache), reads runs with their headline metrics, and runs the jobs with the
// policy they share: where data and models are found, labelling a split before training on it,
// resuming a training run with its own settings, evaluating a trained run. The CLI parses, calls
// and prints; the GUI edits, calls (on a worker thread) and shows.
// One Workspace owns one Store connection: use one per thread.
#include "uae/embedding_map.h"
#include "uae/job.h"
#include "uae/job_answer.h"
#include "uae/job_eval.h"
#include "uae/job_import.h"
#include "uae/job_index.h"
#include "uae/job_label.h"
#include "uae/job_train.h"
#include "uae/paper.h"
#include "uae/store.h"
#include "uae/teacher_diagnostics.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace uae {

struct Dataset;
struct IndexedCorpus; // workspace_index.cpp

// The paper's experiment in one call: utility labels on the training split (the Dirichlet scorer,
// or an LLM teacher), UAE trained on them, then BM25, the untrained base encoder and UAE ranked on
// the held-out split, so the three rows of the paper's table come out of one run.
struct PipelineConfig : Configurable<PipelineConfig> {
    std::string dataPath;
    std::string split = "train";
    std::string evalSplit = "dev";
    EncoderKind encoder = EncoderKind::Glove;
    std::string model; // the base encoder (bert: folder, id or fetched name; glove: folder)
    std::string scorer = "dirichlet";
    std::string teacher; // scorer lm: the LLM (e.g. SmolLM2-135M-Instruct)
    int topK = 0;        // labels: BM25's top K candidates (0: the scorer's preset)
    int epochs = 0;      // 0: the encoder's preset
    long limit = 0;      // questions of each split (0: all)
    std::string device = "auto";
    std::string preset = "none"; // paper | paper-full: the whole experiment of paper.h instead
    std::string resultsPath;     // preset: its results JSON is also written here

    static const std::vector<Field<PipelineConfig>>& fieldTable();
    static std::string jsonExtra() { return {}; }
    // The configs of its steps, from the presets: what `uae label`, `uae train` and `uae eval`
    // would be given.
    LabelJobConfig labelConfig() const;
    TrainConfig trainConfig() const;
    std::vector<EvalJobConfig> evalConfigs(std::int64_t trainRun) const; // bm25, base, uae
    // The preset's plan with what this config sets explicitly: --limit (both splits), --top-k,
    // --epochs, --device, --teacher (also the reader), --model (the student).
    Result<PaperPlan> paperPlan() const;
};

struct PipelineResult {
    RunStatus status = RunStatus::Running;
    std::string error;
    std::int64_t labelRun = 0;
    std::int64_t trainRun = 0;
    std::vector<EvalJobResult> evals; // bm25, base encoder, uae
};

class Workspace {
public:
    // path empty: $UAE_WORKSPACE or ./uae-workspace.db. Creates or migrates the database.
    // readOnly: Store::openReadOnly (a data-parallel rank other than 0 reads labels and checkpoints).
    static Result<std::unique_ptr<Workspace>> open(const std::string& path, bool readOnly = false);

    Store& store() { return *m_store; }
    const Store& store() const { return *m_store; }
    const std::string& path() const { return m_store->path(); }

    // Layout: <dir>/<name>.db with <dir>/<name>.files/checkpoints/ (its own: two workspaces in one
    // folder never share checkpoints) and <dir>/cache/ (embedding caches, keyed by encoder and
    // weights, so shared safely).
    std::string checkpointFile(std::int64_t trainRun) const; // UAE-GloVe projections
    std::string checkpointDir(std::int64_t trainRun) const;  // UAE-BERT: epoch-N/ folders and `latest`
    std::string cacheDir() const;
    // <dir>/<name>.files/exports (created): where exports go unless told otherwise.
    std::string exportsDir() const;
    // <dir>/<name>.files/indexes (created): stored FAISS indexes, one file per method, split and
    // factory string, each with its metadata (vector_index.h).
    std::string indexDir() const;
    // What ranks with a trained run: its GloVe checkpoint file or latest BERT folder.
    Result<std::string> trainedModel(std::int64_t trainRun) const;
    // Newest finished training run (0 when none).
    std::int64_t latestTrainRun() const;
    // The teacher whose utilities are shown for a split: the newest finished LLM label run on it
    // (what UAE is distilled from in the paper's experiment), else the Dirichlet scorer's labels.
    LabelKey shownTeacher(const std::string& split) const;

    // Every run, oldest first, with its headline metrics, in one query.
    Result<std::vector<RunSummary>> runSummaries() const;

    // Fills what a config leaves to the workspace: the data folder, the GloVe folder, a trained
    // run's checkpoint (method uae with trainRun), the embedding cache.
    Status resolve(EvalJobConfig& config) const;
    Status resolve(TrainConfig& config) const;

    // The jobs. `loaded`: the split already in memory (the GUI's), used when it is the one asked for.
    EvalJobResult evaluate(EvalJobConfig config, const JobContext& ctx, std::shared_ptr<const Dataset> loaded = {});
    // An outside TREC run stored as an eval run (job_import.h): the data folder found as evaluate()
    // finds it; nothing is written when the file or its tie to the split has a problem.
    EvalJobResult importTrecRun(TrecImportConfig config, const JobContext& ctx);
    LabelJobResult label(LabelJobConfig config, const JobContext& ctx, std::shared_ptr<const Dataset> loaded = {});
    // The stored index of a dense method over a split's corpus: loaded when up to date, else built
    // (progress with ETA, cancel between chunks) and saved (workspace_index.cpp).
    IndexBuildResult buildIndex(const IndexBuildConfig& config, const JobContext& ctx,
                                std::shared_ptr<const Dataset> loaded = {});
    // Why the stored index `stored` would be rebuilt if `config` (its method, split and factory)
    // used it now, in IndexMeta::mismatch's words (the encoder changed, the corpus changed, an
    // older format); empty when it would be loaded as it is. Loads the encoder (seconds for a large
    // model) and the split: for a worker thread. An error when either cannot be had.
    Result<std::string> indexStaleness(const IndexBuildConfig& config, const IndexMeta& stored,
                                       std::shared_ptr<const Dataset> loaded = {});
    AnswerJobResult answer(AnswerJobConfig config, const std::string& dataDir, const JobContext& ctx,
                           std::shared_ptr<const Dataset> loaded = {});
    // Label-then-train: a resumed run takes its own settings; with labelFirst, a split not wholly
    // labelled by the default Dirichlet scorer is labelled (or completed) first — an LLM's labels
    // are a job of their own (uae label).
    TrainResult train(TrainConfig config, const std::string& dataDir, const JobContext& ctx,
                      const std::function<void(const MetricPoint&)>& onMetric = {},
                      std::shared_ptr<const Dataset> loaded = {}, bool labelFirst = true);

    // Teacher diagnostics (teacher_diagnostics.h) of a label run as stored, or of the label run a
    // training run trained on (the newest of its scorer, prompt version and split).
    Result<TeacherDiagnostics> teacherDiagnostics(std::int64_t run) const;
    // Those of the newest label run of these labels on a split (finished ones first).
    Result<TeacherDiagnostics> labelDiagnostics(const LabelKey& key, const std::string& split) const;
    // Computes them again for the stored labels, without relabelling: the distribution statistics
    // and, when config.encoder names one, the agreement with that encoder's similarities (through
    // the embedding cache); stores them with the label run and returns what is stored then.
    Result<TeacherDiagnostics> diagnose(DiagnoseConfig config, const JobContext& ctx,
                                        std::shared_ptr<const Dataset> loaded = {});

    // The embedding map of a split for each of config.methods (workspace_map.cpp): every method's
    // encoder resolved as evaluate() resolves it, its passage vectors through the embedding cache.
    // Third-party exceptions come back as the error, naming the method.
    Result<EmbeddingMap> embeddingMap(const EmbeddingMapConfig& config, const JobContext& ctx,
                                      std::shared_ptr<const Dataset> loaded = {});

    // The paper pipeline; `onStep` names each step as it starts ("label", "train", "eval bm25"...).
    PipelineResult runPipeline(const PipelineConfig& config, const JobContext& ctx,
                               const std::function<void(const std::string&)>& onStep = {});

    // The paper's experiment (paper.h) on dataPath's split (trained on) and evalSplit (ranked).
    PaperResult runPaper(const PaperPlan& plan, const std::string& dataPath, const std::string& split,
                         const std::string& evalSplit, const JobContext& ctx,
                         const std::function<void(const PaperProgress&)>& onStep = {});

private:
    // evaluate() with config.index set: the corpus searched through its stored index.
    EvalJobResult evaluateWithIndex(const EvalJobConfig& config, const JobContext& ctx,
                                    std::shared_ptr<const Dataset> loaded);
    // What evaluateWithIndex and buildIndex share: the config's encoder, its split's corpus view
    // and the stored index over it, opened or built (workspace_index.cpp).
    Result<IndexedCorpus> openIndexedCorpus(const EvalJobConfig& config, const JobContext& ctx,
                                            std::shared_ptr<const Dataset> loaded);
    explicit Workspace(std::unique_ptr<Store> store) : m_store(std::move(store)) {}
    // Every question of the split has labels of the config's scorer and prompt version.
    bool labelsComplete(const TrainConfig& config, const Dataset& train) const;
    // The label run whose labels `run` stands for: itself, or a training run's (workspace_diagnostics.cpp).
    Result<RunInfo> labelRunOf(std::int64_t run) const;
    Result<RunInfo> labelRunFor(const LabelKey& key, const std::string& split) const;
    Result<std::shared_ptr<const Dataset>> dataset(const std::string& dataDir, const std::string& split,
                                                   const std::shared_ptr<const Dataset>& loaded);

    std::unique_ptr<Store> m_store;
};

} // namespace uae
