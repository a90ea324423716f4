#pragma once
// The GUI's view of one workspace: which data set and models it uses, the loaded split, and the
// stored runs per method. Owns the GUI thread's Store connection; jobs open their own.
#include "job_runner.h"
#include "uae/evaluation.h"
#include "uae/job_train.h"
#include "uae/qasper.h"
#include "uae/store.h"
#include "uae/workspace.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <unordered_map>

namespace uae::ui {

struct SessionSettings {
    QString workspace; // SQLite file
    QString dataDir;   // QASPER folder or file
    QString gloveDir;  // static-embedding model folder
    QString bertModel; // BERT/BGE folder or Hugging Face id; empty: no "bert" method
    // Defaults are core's: the evaluation split, device and batch of EvalJobConfig.
    QString split = QString::fromStdString(EvalJobConfig{}.split);
    QString device = QString::fromStdString(EvalJobConfig{}.device); // neural encoders: auto | cpu | cuda
    int threads = 0;                                                 // 0: all cores
    int batch = EvalJobConfig{}.batch;                               // sequences per encoder forward pass
    // "paper": each question against its paper's paragraphs; "corpus": against every paragraph of
    // the split (issue 15). What runs are started, picked and shown in.
    QString pool = QString::fromStdString(EvalJobConfig{}.pool);
};

// The newest answering run read from a shown run: its reader, prompt, k and mean Token F1
// (answerSet.rows moved out), and its answers by question id.
struct MethodAnswers {
    AnswerSet answerSet;
    QHash<QString, AnswerRow> byQuestion;
};

// The stored results of one run, indexed by question id.
struct MethodResults {
    RunInfo run;
    EvalSummary summary;
    std::unordered_map<std::string, QuestionResult> byQuestion;

    // The run's result for a question, or null (also callable on a null run).
    static const QuestionResult* find(const MethodResults* run, const std::string& questionId) {
        if (!run)
            return nullptr;
        auto it = run->byQuestion.find(questionId);
        return it == run->byQuestion.end() ? nullptr : &it->second;
    }
};

class WorkbenchSession : public QObject {
    Q_OBJECT
public:
    WorkbenchSession(SessionSettings settings, JobRunner& runner, QObject* parent = nullptr);
    ~WorkbenchSession() override;

    const SessionSettings& settings() const { return m_settings; }
    // Models, device, threads, batch (workspace and split change through their own calls).
    void updateSettings(const SessionSettings& settings);
    // Methods this session can run: bm25 and glove; uae when the workspace holds a finished
    // training run; bert when a BERT model is configured.
    QStringList methods() const;
    // Every finished evaluation run of the loaded split as a key "run:<id>", newest first, with a
    // label for menus; results() takes these keys as well as method names.
    QList<QPair<QString, QString>> storedRuns() const;
    // Checkpoint of the newest finished training run (empty when none).
    QString uaeModel() const;
    Store* store() const { return m_workspace ? &m_workspace->store() : nullptr; }
    Workspace* workspace() const { return m_workspace.get(); }
    // Every run of the workspace, oldest first (empty without a workspace or when it cannot be read).
    std::vector<RunInfo> allRuns() const;
    // Every run with its headline Recall@1 and MAP (empty without a workspace or when unreadable).
    std::vector<RunSummary> runSummaries() const;
    // The workspace's exports folder (the current folder without a workspace).
    QString exportsDir() const;

    // Opens (or creates) the workspace database; returns an error message or an empty string.
    QString openWorkspace(const QString& path);
    // Loads settings().split from dataDir in the background: datasetLoaded or datasetFailed.
    int loadDataset(const QString& dataDir, const QString& split);
    // The split as the inspector ranks and shows it: the loaded split, or in the corpus pool its
    // corpusView (one pool of every paragraph, each tagged with its paper).
    std::shared_ptr<const Dataset> dataset() const { return isCorpusPool() ? m_corpus : m_dataset; }
    // The loaded split itself, whatever the pool (counts, the embedding map, reports).
    std::shared_ptr<const Dataset> splitDataset() const { return m_dataset; }
    // Switches the pool ("paper" | "corpus"): results, stored-run lists, evaluations and dataset()
    // follow; poolChanged is emitted when it changed.
    void setPool(const QString& pool);
    bool isCorpusPool() const { return m_settings.pool == QLatin1String("corpus"); }

    // Ranks the loaded split with `method` in the background and stores the run; runStored follows.
    int runEvaluation(const QString& method);
    // Latest finished run of `method` on the loaded split, or the run a "run:<id>" key names, read
    // from the store (null when none).
    const MethodResults* results(const QString& method);
    // The teacher's utilities (Workspace::shownTeacher: the newest LLM labels of the loaded split,
    // else Dirichlet's) of one question's paragraphs;
    // empty when the split is not labelled.
    QHash<int, double> utilities(const std::string& questionId);

    // The newest answering run read from the run `method` shows (results(method)); null when
    // there is no run, empty when it has no answers yet. Every panel's method has its own.
    const MethodAnswers* answers(const QString& method);
    // Answers every question from the top-3 paragraphs of `method`'s latest run with the
    // extractive reader (no LLM needed), stores them with their Answer-F1; answersStored follows.
    int runAnswers(const QString& method);

    // Trains UAE in the background on `config.split` (labelling it with the Dirichlet scorer first
    // when it has no labels yet); metrics arrive live through trainingMetric, the run id with
    // trainingStarted. Returns the job id.
    int startTraining(TrainConfig config);
    int trainingJob() const { return m_trainJob; }

    // The loss settings (τ_S, τ_T) a plot of these methods should use: those of the training run
    // behind the first trained (uae) method among them, else core's defaults.
    UaeLossConfig lossFor(const QStringList& methods);

    // The embedding map (uae/embedding_map.h) of the loaded split for one or two methods (names
    // from methods()), computed in the background (encoders through the embedding cache, PCA);
    // embeddingMapReady or jobFailed follows. Returns the job id (0 without a split or workspace).
    int computeEmbeddingMap(const QStringList& methods, long limit = 0); // limit: first N questions (0: all)
    int embeddingMapJob() const { return m_mapJob; }
    // The newest map computed for the loaded split (null when none).
    std::shared_ptr<const EmbeddingMap> embeddingMap() const { return m_map; }
    // Per map item: the shown teacher's utility of a paragraph (the highest over its paper's
    // questions), NaN where there is none (uae::itemUtilities).
    std::vector<float> mapUtilities() const;

    // --- Stored FAISS indexes (workbench_session_index.cpp) ---
    // The methods with passage vectors, what an index can hold: methods() less BM25.
    QStringList denseMethods() const;
    // What `uae index build` would be given for this method, split and factory string: the
    // session's model folder for the method, its device and batch.
    IndexBuildConfig indexBuildConfig(const QString& method, const QString& split, const QString& factory) const;
    // How corpus evaluations of one method search: a stored index (factory) with its knob, or
    // exactly in memory (factory empty). What EvalJobConfig's index, nprobe and efSearch get.
    struct IndexChoice {
        QString factory;
        int nprobe = 0;
        int efSearch = 0;
    };
    // Builds the index (or loads it when up to date) in the background; indexJobFinished follows.
    // `useAfter`: once built, corpus evaluations of config.method search it (setIndexChoice).
    // Returns the job id (0 without a workspace).
    int buildIndex(const IndexBuildConfig& config, std::optional<IndexChoice> useAfter = std::nullopt);
    int indexJob() const { return m_indexJob; }
    // The workspace's stored indexes, by file name (empty without a workspace).
    std::vector<IndexMeta> storedIndexes() const;
    // Whether the loaded split's corpus is the one `meta` was built over: nullopt when the index is
    // of another split (or none is loaded), so the session cannot tell.
    std::optional<bool> indexCorpusCurrent(const IndexMeta& meta) const;
    // Checks every stored index of the loaded split against what its method would build now (core's
    // Workspace::indexStaleness: the encoder and the corpus) in a background job, where encoders
    // load; indexStatesChanged follows at once (states cleared) and when it ends. A check already on
    // its way is cancelled. Returns the job id, 0 when there is nothing to check.
    int checkIndexes();
    // What the last check found for an index file: nullopt when it has not been checked since the
    // last checkIndexes(); an empty string when current; otherwise why it would be rebuilt when
    // used (or, starting "cannot check: ", why the check could not tell).
    std::optional<QString> indexState(const QString& file) const;
    int indexCheckJob() const { return m_indexCheckJob; }
    // Deletes a stored index (core's removeIndex); the error, empty when deleted. Choices that
    // named it fall back to exact search.
    QString removeIndex(const QString& file);
    // Corpus evaluations of `method` search this from now on; in the corpus pool with a split
    // loaded, the method is evaluated again at once (runStored follows), so the inspector shows it.
    void setIndexChoice(const QString& method, const IndexChoice& choice);
    IndexChoice indexChoice(const QString& method) const { return m_indexChoice.value(method); }
    // The largest nprobe / efSearch core's eval config accepts (its field table), for the spin boxes.
    static int searchKnobMax();

    // --- Outside runs (workbench_session_import.cpp): File > Import TREC run… ---
    // What `uae import-run` would be given: the file, the session's split and data folder, the
    // pool ("paper" | "corpus") and the name (empty: core takes the file's tag). Not validated here:
    // core's field table does that (TrecImportConfig::validate, and the job again).
    TrecImportConfig trecImportConfig(const QString& file, const QString& pool, const QString& name) const;
    // Imports the run in the background (Workspace::importTrecRun); runImported or jobFailed
    // follows. Returns the job id; 0 without a workspace, or while another import runs.
    int importTrecRun(const TrecImportConfig& config);
    int importJob() const { return m_importJob; }
    // What the last import stored (for the status line): read from the run's stored config.
    struct ImportedRun {
        RunInfo run;
        QString pool;
        int questionsInRun = 0; // questions of the split the file ranks
        int missing = 0;        // questions of the split it lacks, stored ranked empty
        int warnings = 0;       // ctx.warn calls, shown in the Jobs log
    };
    const std::optional<ImportedRun>& lastImport() const { return m_lastImport; }

    // Job id of the evaluation of `method` now running or queued (0 when none).
    int pendingJob(const QString& method) const { return m_pendingEval.value(evalKey(method), 0); }

    // --- Workspace reads for the widgets (issue #11): widgets ask the session, never the Store. ---
    // What the workspace dock shows of the open workspace.
    struct WorkspaceInfo {
        QString path;
        int schemaVersion = 0;
        std::vector<DatasetInfo> datasets; // empty when they cannot be read
    };
    // One stored run with its per-question results in the order they were stored.
    struct StoredRun {
        RunInfo run;
        std::vector<QuestionResult> questions;
        AnswerSet answers; // the newest answering run read from it (run 0: none)
    };
    bool hasWorkspace() const { return m_workspace != nullptr; }
    // The open workspace (nullopt when none is open).
    std::optional<WorkspaceInfo> workspaceInfo() const;
    // Metric points of a run (empty without a workspace or when they cannot be read).
    std::vector<MetricPoint> runMetrics(qint64 runId) const;
    // A run and its results read afresh from the store (not cached); the error is the store's.
    Result<StoredRun> storedRun(qint64 runId) const;
    // Teacher diagnostics of a label run, or of the labels a training run trained on; the error
    // says why there are none (another kind of run, no workspace).
    Result<TeacherDiagnostics> teacherDiagnostics(qint64 runId) const;
    // Those of the labels the whole-run view compares these methods with: the labels the training
    // run behind the first trained (uae) method learnt from, else the loaded split's Dirichlet
    // labels (what utilities() reads).
    Result<TeacherDiagnostics> teacherDiagnosticsFor(const QStringList& methods);
    // The report for stakeholders (uae/report.h) on two eval runs of the loaded split, written as
    // a PDF to `path`; `pinned`: example question ids (those not ranked by both are left out with
    // a note; none: the biggest MAP win and loss). Runs on the GUI thread (a second or two).
    // Returns the error (naming the run or the file), empty when written.
    QString exportReport(qint64 runA, qint64 runB, const QStringList& pinned, const QString& path);

Q_SIGNALS:
    void datasetLoaded();
    void poolChanged();
    void datasetFailed(const QString& error);
    void runStored(const QString& method, qint64 runId);
    void jobFailed(const QString& title, const QString& error);
    void trainingStarted(qint64 runId);
    void answersStored(const QString& method);
    void trainingMetric(qint64 runId, qint64 step, const QString& name, double value);
    void trainingFinished(qint64 runId, uae::RunStatus status);
    void embeddingMapReady();
    // An index job ended: `message` is the index file when finished, the core's error otherwise.
    void indexJobFinished(uae::RunStatus status, const QString& message);
    void indexChoiceChanged(const QString& method);
    void indexStatesChanged();
    // An import stored run `runId` (lastImport() describes it).
    void runImported(qint64 runId);

private:
    void onJobFinished(int id, RunStatus status, const QString& error, qint64 value);
    bool finishEmbeddingMap(int id, RunStatus status, const QString& error); // false: not the map's job
    bool finishIndexJob(int id, RunStatus status, const QString& error);     // false: not the index job
    bool finishIndexCheck(int id, RunStatus status);                         // false: not the check job
    void restoreIndexChoices(); // the open workspace's choices from QSettings (workbench_session_index.cpp)
    void saveIndexChoices() const;
    bool finishImportJob(int id, RunStatus status, const QString& error, qint64 runId); // false: not an import
    EvalJobConfig evalConfigFor(const QString& method) const; // the session's settings for `method`
    void makePoolView();                                      // m_corpus for the corpus pool
    // Pending evaluations are per method and pool: a paper run in flight does not block a corpus one.
    QString evalKey(const QString& method) const { return isCorpusPool() ? method + "@corpus" : method; }

    SessionSettings m_settings;
    JobRunner& m_runner;
    std::unique_ptr<Workspace> m_workspace;
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const Dataset> m_corpus; // corpusView(m_dataset) in the corpus pool
    std::vector<int> m_corpusOffsets;        // per paper: its first paragraph's index in m_corpus
    int m_loadJob = 0;
    int m_trainJob = 0;
    int m_mapJob = 0;
    std::shared_ptr<const EmbeddingMap> m_map;
    int m_importJob = 0;
    int m_importWarnings = 0;  // of m_importJob
    QString m_importSource;    // its file, for the failure title
    QString m_importWorkspace; // where it stores: a run id read in another workspace would be another run
    std::optional<ImportedRun> m_lastImport;
    int m_indexJob = 0;
    std::shared_ptr<IndexBuildResult> m_indexSlot; // filled by the index job's thread
    std::optional<IndexChoice> m_indexUseAfter;    // for m_indexSlot's method
    std::string m_indexMethod;                     // the index job's method
    QHash<QString, IndexChoice> m_indexChoice;     // method -> how its corpus evaluations search
    int m_indexCheckJob = 0;
    QHash<QString, QString> m_indexStates; // index file -> what the last check found (indexState)
    std::shared_ptr<std::vector<std::pair<QString, QString>>> m_indexCheckSlot; // filled by its thread
    mutable std::string m_corpusFingerprint; // splitCorpusFingerprint(m_dataset), from the load job
    std::shared_ptr<std::shared_ptr<const EmbeddingMap>> m_mapSlot; // filled by the map job's thread
    QHash<int, QString> m_answerJobs;                               // job id -> method
    QHash<QString, MethodAnswers> m_answers;                        // method -> its answers
    std::shared_ptr<std::shared_ptr<const Dataset>> m_loading;      // filled by the load job's thread
    std::shared_ptr<std::string> m_loadingFingerprint;              // splitCorpusFingerprint, by that thread too
    QHash<QString, int> m_pendingEval;                              // method -> job id
    QHash<QString, std::shared_ptr<MethodResults>> m_results;       // cache, cleared when runs change
    std::shared_ptr<std::unordered_map<std::string, QHash<int, double>>> m_utilities; // loaded on first use
};

} // namespace uae::ui
