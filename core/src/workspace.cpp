#include "uae/workspace.h"

#include "job_run.h"
#include "uae/data_paths.h"
#include "uae/dataset_loader.h"
#include "uae/qasper.h"
#include "uae/retriever.h"
#include "uae/scorer_dirichlet.h"
#include "uae/utility.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

namespace uae {

namespace {

// A folder as the stored config names it: absolute, so the run reads the same from any working
// directory (a resumed run takes its folders back from it) and a path typed relative to a shell's
// folder stores as the GUI's chosen folder does.
std::string absoluteFolder(const std::string& dir) {
    if (dir.empty())
        return dir;
    std::error_code ec;
    auto p = std::filesystem::absolute(dir, ec).lexically_normal();
    if (ec)
        return dir;
    if (!p.has_filename() && p.has_parent_path()) // "glove/" names the folder "glove"
        p = p.parent_path();
    return p.string();
}

} // namespace

Result<std::unique_ptr<Workspace>> Workspace::open(const std::string& path, bool readOnly) {
    auto store = readOnly ? Store::openReadOnly(defaultWorkspacePath(path)) : Store::open(defaultWorkspacePath(path));
    if (!store)
        return fail(store.error());
    return std::unique_ptr<Workspace>(new Workspace(std::move(store.value())));
}

std::string Workspace::checkpointFile(std::int64_t trainRun) const {
    return checkpointPath(path(), trainRun);
}
std::string Workspace::checkpointDir(std::int64_t trainRun) const {
    return bertCheckpointDir(path(), trainRun);
}
std::string Workspace::cacheDir() const {
    return embeddingCacheDir(path());
}

Result<std::string> Workspace::trainedModel(std::int64_t trainRun) const {
    auto found = trainedModelPath(path(), trainRun);
    if (found)
        return found;
    // Runs trained before checkpoints moved into NAME.files/ name theirs in their stored config.
    auto run = m_store->run(trainRun);
    const auto j = run ? nlohmann::json::parse(run->configJson, nullptr, false) : nlohmann::json();
    if (!j.is_object() || !j.contains("checkpoint") || !j["checkpoint"].is_string())
        return found;
    const std::filesystem::path old = j["checkpoint"].get<std::string>();
    std::error_code ec;
    if (std::filesystem::is_regular_file(old, ec))
        return old.string();
    std::ifstream latest(old / "latest"); // UAE-BERT: the newest complete epoch folder
    std::string epoch;
    if (latest >> epoch && std::filesystem::is_directory(old / epoch, ec))
        return (old / epoch).string();
    return found;
}

std::int64_t Workspace::latestTrainRun() const {
    auto runs = m_store->runs();
    std::int64_t newest = 0;
    if (runs)
        for (const auto& r : runs.value())
            if (r.kind == RunKind::Train && r.status == RunStatus::Finished)
                newest = std::max(newest, r.id);
    return newest;
}

LabelKey Workspace::shownTeacher(const std::string& split) const {
    LabelKey key{"dirichlet", ScorerDirichlet().promptVersion()};
    std::int64_t newest = 0;
    if (auto runs = m_store->runs())
        for (const auto& r : runs.value())
            if (r.kind == RunKind::Label && r.split == split && r.status == RunStatus::Finished && r.method == "lm" &&
                r.id > newest) {
                const auto j = nlohmann::json::parse(r.configJson, nullptr, false);
                if (j.is_object() && j.contains("prompt_version") && j["prompt_version"].is_string())
                    key = LabelKey{"lm", j["prompt_version"].get<std::string>()}, newest = r.id;
            }
    return key;
}

Result<std::vector<RunSummary>> Workspace::runSummaries() const {
    return m_store->runSummaries();
}

Status Workspace::resolve(EvalJobConfig& c) const {
    if (auto s = c.validate(); !s)
        return s;
    c.dataPath = findQasperDir(c.dataPath);
    const auto id = parseMethod(c.method);
    if (id && id->method == Method::Glove)
        c.modelPath = findGloveDir(c.modelPath);
    if (id && id->method == Method::Uae && c.modelPath.empty()) {
        // A named training run, else the newest finished one: what "uae" means in both front ends.
        const std::int64_t run = c.trainRun ? c.trainRun : latestTrainRun();
        if (!run)
            return fail("method uae needs a trained model: no finished training run in " + path() +
                        " (uae train, or --run RUN / --model FILE)");
        auto model = trainedModel(run);
        if (!model)
            return fail(model.error());
        c.trainRun = run;
        c.modelPath = model.value();
    }
    if (c.useCache && c.cacheDir.empty())
        c.cacheDir = cacheDir();
    if (!c.useCache)
        c.cacheDir.clear();
    return Ok{};
}

Status Workspace::resolve(TrainConfig& c) const {
    c.cacheDir = cacheDir(); // towers query: the frozen passage tower's vectors, shared with eval runs
    if (c.resumeRun) {       // the run's own splits: the rest comes back from its checkpoint
        auto run = m_store->run(c.resumeRun);
        if (!run)
            return fail(run.error());
        auto saved = TrainConfig::fromJson(run->configJson, "run " + std::to_string(c.resumeRun));
        if (!saved)
            return fail(saved.error());
        c.split = saved->split;
        c.evalSplit = saved->evalSplit;
        return Ok{};
    }
    if (c.encoder == EncoderKind::Glove) {
        c.gloveDir = absoluteFolder(findGloveDir(c.gloveDir.empty() ? c.modelDir : c.gloveDir));
        c.modelDir.clear();
    } else if (c.modelDir.empty()) {
        return fail("--encoder bert needs --model DIR|ORG/NAME|NAME (a BERT-family checkpoint)");
    } else {
        c.gloveDir.clear(); // BERT reads no GloVe: its run names none (the GUI's session passes one)
        if (std::error_code ec; std::filesystem::is_directory(c.modelDir, ec))
            c.modelDir = absoluteFolder(c.modelDir); // a folder; an id or fetched name stays as given
    }
    if (c.scorer != "dirichlet" && c.promptVersion.starts_with("dirichlet-"))
        c.promptVersion.clear(); // the preset's version belongs to the Dirichlet scorer only
    if (c.promptVersion.empty() && c.scorer == "dirichlet")
        c.promptVersion = ScorerDirichlet().promptVersion();
    if (c.promptVersion.empty())
        return fail("give --prompt-version for " + c.scorer + " labels (uae runs shows them)");
    return c.validate();
}

Result<std::shared_ptr<const Dataset>> Workspace::dataset(const std::string& dataDir, const std::string& split,
                                                          const std::shared_ptr<const Dataset>& loaded) {
    if (loaded && loaded->name == split)
        return loaded;
    auto found = requireQasperDir(dataDir);
    if (!found)
        return fail(found.error());
    const std::string dir = found.value();
    auto data = loadDataset(dir, split);
    if (!data)
        return fail(data.error());
    m_store->upsertDataset(data->format + "-" + split, dir, static_cast<long>(data->papers.size()),
                           static_cast<long>(data->questions.size()));
    return std::shared_ptr<const Dataset>(std::make_shared<const Dataset>(std::move(data.value())));
}

EvalJobResult Workspace::evaluate(EvalJobConfig config, const JobContext& ctx, std::shared_ptr<const Dataset> loaded) {
    EvalJobResult out;
    if (auto s = resolve(config); !s)
        return detail::failedBeforeRun(std::move(out), s.error());
    if (!config.index.empty())
        return evaluateWithIndex(config, ctx, loaded);
    auto retriever = makeRetriever(config);
    if (!retriever)
        return detail::failedBeforeRun(std::move(out), retriever.error());
    if (const auto w = retriever.value()->warning(); !w.empty())
        ctx.warn(w);
    auto data = dataset(config.dataPath, config.split, loaded);
    if (!data)
        return detail::failedBeforeRun(std::move(out), data.error());
    if (!config.modelPath.empty())
        m_store->upsertModel(config.method, config.method, config.modelPath);
    if (config.pool == "corpus")
        return runEvalJob(*m_store, corpusView(*data.value()), *retriever.value(), config, ctx);
    return runEvalJob(*m_store, *data.value(), *retriever.value(), config, ctx);
}

EvalJobResult Workspace::importTrecRun(TrecImportConfig config, const JobContext& ctx) {
    EvalJobResult out;
    // Loaded without dataset(): the split is recorded in the workspace only once the run is stored.
    auto dir = requireQasperDir(config.dataPath);
    if (!dir)
        return detail::failedBeforeRun(std::move(out), dir.error());
    config.dataPath = dir.value();
    auto data = loadDataset(config.dataPath, config.split);
    if (!data)
        return detail::failedBeforeRun(std::move(out), data.error());
    out = runTrecImport(*m_store, data.value(), config, ctx);
    if (out.runId)
        m_store->upsertDataset(data->format + "-" + config.split, config.dataPath,
                               static_cast<long>(data->papers.size()), static_cast<long>(data->questions.size()));
    return out;
}

LabelJobResult Workspace::label(LabelJobConfig config, const JobContext& ctx, std::shared_ptr<const Dataset> loaded) {
    LabelJobResult out;
    if (auto s = config.validate(); !s)
        return detail::failedBeforeRun(std::move(out), s.error());
    auto scorer = makeScorer(config);
    if (!scorer)
        return detail::failedBeforeRun(std::move(out), scorer.error());
    auto data = dataset(config.dataPath, config.split, loaded);
    if (!data)
        return detail::failedBeforeRun(std::move(out), data.error());
    config.dataPath = findQasperDir(config.dataPath);
    return runLabelJob(*m_store, *data.value(), *scorer.value(), config, ctx);
}

AnswerJobResult Workspace::answer(AnswerJobConfig config, const std::string& dataDir, const JobContext& ctx,
                                  std::shared_ptr<const Dataset> loaded) {
    AnswerJobResult out;
    if (auto s = config.validate(); !s)
        return detail::failedBeforeRun(std::move(out), s.error());
    config.prompt = config.resolvedPrompt(); // the run records the prompt it was read with
    auto run = m_store->run(config.evalRun);
    if (!run)
        return detail::failedBeforeRun(std::move(out), run.error());
    if (run->kind != RunKind::Eval)
        return detail::failedBeforeRun(std::move(out), "run " + std::to_string(config.evalRun) + " is a " +
                                                           toString(run->kind) + " run, not a retrieval run");
    auto evalConfig = EvalJobConfig::fromJson(run->configJson, "run " + std::to_string(config.evalRun));
    if (!evalConfig)
        return detail::failedBeforeRun(std::move(out), evalConfig.error());
    auto reader = makeReader(config);
    if (!reader)
        return detail::failedBeforeRun(std::move(out), reader.error());
    // Paragraph texts come from the data set the run was made on, unless another is named.
    auto data = dataset(dataDir.empty() ? evalConfig->dataPath : dataDir, run->split, loaded);
    if (!data)
        return detail::failedBeforeRun(std::move(out), data.error());
    if (isCorpusRun(run->configJson)) // its indices point into the split's pool; otherwise no copy
        return runAnswerJob(*m_store, corpusView(*data.value()), *reader.value(), config, ctx);
    return runAnswerJob(*m_store, *data.value(), *reader.value(), config, ctx);
}

// Complete: every question labelled, and labelled on the text the data holds now.
bool Workspace::labelsComplete(const TrainConfig& config, const Dataset& train) const {
    auto done = m_store->labelSources(LabelKey{config.scorer, config.promptVersion});
    if (!done)
        return false;
    std::unordered_map<std::string, std::string> labelled;
    for (const auto& s : done.value())
        labelled[s.question] = s.sourceHash;
    return std::all_of(train.questions.begin(), train.questions.end(), [&](const Question& q) {
        const auto it = labelled.find(q.id);
        return it != labelled.end() && (it->second.empty() || it->second == labelSourceHash(q, train.paperOf(q)));
    });
}

TrainResult Workspace::train(TrainConfig config, const std::string& dataDir, const JobContext& ctx,
                             const std::function<void(const MetricPoint&)>& onMetric,
                             std::shared_ptr<const Dataset> loaded, bool labelFirst) {
    TrainResult out;
    if (auto s = resolve(config); !s)
        return detail::failedBeforeRun(std::move(out), s.error());
    auto train = dataset(dataDir, config.split, loaded);
    auto eval = train ? dataset(dataDir, config.evalSplit, loaded) : Result<std::shared_ptr<const Dataset>>(fail(""));
    if (!train || !eval)
        return detail::failedBeforeRun(std::move(out), !train ? train.error() : eval.error());
    // Labels of the default Dirichlet scorer are made (or completed, after a cancelled labelling)
    // here; an LLM's labels, or another prompt version's, are a job of their own (uae label).
    const bool defaultDirichlet =
        config.scorer == "dirichlet" && config.promptVersion == ScorerDirichlet().promptVersion();
    // A data-parallel rank trains on labels already stored: ranks other than 0 cannot write them.
    if (config.distributed && !config.resumeRun && !labelsComplete(config, *train.value()))
        return detail::failedBeforeRun(std::move(out), "--distributed trains on stored labels, but split '" +
                                                           config.split + "' is not wholly labelled by " +
                                                           config.scorer + " in " + path() + ": run uae label first");
    if (labelFirst && defaultDirichlet && !config.resumeRun && !labelsComplete(config, *train.value())) {
        ctx.progress(0, 1, "labelling " + config.split + " with the Dirichlet scorer");
        LabelJobConfig lc;
        lc.split = config.split;
        lc.dataPath = findQasperDir(dataDir);
        lc.tauT = config.loss.tauT;
        const auto labelled = label(lc, ctx, train.value());
        if (labelled.status != RunStatus::Finished) {
            out.status = labelled.status == RunStatus::Cancelled ? RunStatus::Cancelled : RunStatus::Failed;
            out.error =
                "labelling " + config.split + " (run " + std::to_string(labelled.runId) + "): " + labelled.error;
            return out;
        }
    }
    return runTrainJob(*m_store, *train.value(), *eval.value(), config, ctx, onMetric);
}

} // namespace uae
