// The paper pipeline: labels, training, and the three-way evaluation (see workspace.h).
#include "config_tables.h"

#include "uae/workspace.h"

namespace uae {

using namespace detail;

const std::vector<Field<PipelineConfig>>& PipelineConfig::fieldTable() {
    using C = PipelineConfig;
    static const std::vector<Field<C>> table{
        {text("data", "data", "QASPER folder or file, or BEIR folder"), [](C& c) { return &c.dataPath; }},
        {text("split", "split", "split labelled and trained on", true), [](C& c) { return &c.split; }},
        {text("eval_split", "eval-split", "split ranked by every method", true), [](C& c) { return &c.evalSplit; }},
        {choice("encoder", "encoder", "what UAE fine-tunes", encoderNames()),
         [](C& c) {
             return ChoiceRef{[&c] { return std::string(toString(c.encoder)); },
                              [&c](const std::string& n) {
                                  auto e = parseEncoder(n);
                                  return e ? (c.encoder = *e, true) : false;
                              }};
         }},
        {text("model", "model", "base encoder: BERT-family folder, id or fetched name; GloVe folder"),
         [](C& c) { return &c.model; }},
        {choice("scorer", "labels", "who judges utility", {"dirichlet", "lm"}), [](C& c) { return &c.scorer; }},
        {text("teacher", "teacher", "labels lm: the LLM (fetched name, GGUF, .bin or folder)"),
         [](C& c) { return &c.teacher; }},
        {integer("top_k", "top-k", "labels: BM25's top K candidates (0: the scorer's preset)", 0, 100000),
         [](C& c) { return &c.topK; }},
        {integer("epochs", "epochs", "training epochs (0: the encoder's preset)", 0, 1000),
         [](C& c) { return &c.epochs; }},
        {integer("limit", "limit", "first N questions of each split (0: all)", 0, kNoLimit),
         [](C& c) { return &c.limit; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {choice("preset", "preset",
                "the whole paper experiment: paper (2 CPU cores, ~30 min) or paper-full (one GPU); none: "
                "labels, UAE, BM25/base/UAE",
                {"none", "paper", "paper-full"}),
         [](C& c) { return &c.preset; }},
        {text("results", "results", "preset: also write its results JSON here"), [](C& c) { return &c.resultsPath; }},
    };
    return table;
}

Result<PaperPlan> PipelineConfig::paperPlan() const {
    auto plan = PaperPlan::forPreset(preset);
    if (!plan)
        return plan;
    if (limit > 0)
        plan->trainQuestions = plan->evalQuestions = limit;
    if (topK > 0)
        plan->topK = topK;
    if (epochs > 0)
        plan->epochs = epochs;
    if (device != "auto")
        plan->device = device;
    if (!teacher.empty())
        plan->teacher = plan->reader = teacher;
    if (!model.empty())
        plan->student = model;
    return plan;
}

LabelJobConfig PipelineConfig::labelConfig() const {
    LabelJobConfig c = scorer == "lm" ? LabelJobConfig::forModel(teacher) : LabelJobConfig{};
    c.split = split;
    c.dataPath = dataPath;
    c.limit = limit;
    c.device = device;
    if (topK > 0)
        c.topK = topK;
    return c;
}

TrainConfig PipelineConfig::trainConfig() const {
    TrainConfig c = TrainConfig::preset(encoder, model);
    c.modelDir = model;
    c.split = split;
    c.evalSplit = evalSplit;
    c.device = device;
    if (epochs > 0)
        c.epochs = epochs;
    if (limit > 0)
        c.evalLimit = limit;
    if (scorer == "lm") { // the LLM's labels, as its scorer stores them
        c.scorer = "lm";
        c.promptVersion.clear();
    }
    return c;
}

std::vector<EvalJobConfig> PipelineConfig::evalConfigs(std::int64_t trainRun) const {
    std::vector<EvalJobConfig> out(3);
    out[0].method = "bm25";
    out[1].method = encoder == EncoderKind::Glove ? "glove" : "bert";
    out[1].modelPath = model;
    out[2].method = "uae";
    out[2].trainRun = trainRun;
    for (auto& e : out) {
        e.split = evalSplit;
        e.dataPath = dataPath;
        e.limit = limit;
        e.device = device;
    }
    return out;
}

PipelineResult Workspace::runPipeline(const PipelineConfig& config, const JobContext& ctx,
                                      const std::function<void(const std::string&)>& onStep) {
    PipelineResult out;
    auto stop = [&](RunStatus status, std::string error) {
        out.status = status;
        out.error = std::move(error);
        return out;
    };
    if (auto s = config.validate(); !s)
        return stop(RunStatus::Failed, s.error());
    if (config.scorer == "lm" && config.teacher.empty())
        return stop(RunStatus::Failed, "--labels lm needs --teacher LLM (e.g. SmolLM2-135M-Instruct)");
    TrainConfig train = config.trainConfig();
    if (onStep) // labels as asked (scorer, top K, limit): training then uses exactly these
        onStep("label");
    const auto labelled = label(config.labelConfig(), ctx);
    out.labelRun = labelled.runId;
    if (labelled.status != RunStatus::Finished)
        return stop(labelled.status, labelled.error);
    train.promptVersion = labelled.promptVersion;
    if (onStep)
        onStep("train");
    const auto trained = this->train(train, config.dataPath, ctx, {}, {}, false);
    out.trainRun = trained.runId;
    if (trained.status != RunStatus::Finished)
        return stop(trained.status, trained.error);
    for (const auto& e : config.evalConfigs(trained.runId)) {
        if (onStep)
            onStep("eval " + e.method);
        out.evals.push_back(evaluate(e, ctx));
        if (out.evals.back().status != RunStatus::Finished)
            return stop(out.evals.back().status, out.evals.back().error);
    }
    return stop(RunStatus::Finished, {});
}

} // namespace uae
