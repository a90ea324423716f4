// Workspace: teacher diagnostics of stored labels (teacher_diagnostics.h).
#include "uae/workspace.h"

#include "uae/data_paths.h"
#include "uae/qasper.h"
#include "uae/retriever.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>

namespace uae {

namespace {

// What a label run's stored config says: the labels' prompt version, the temperature and data
// folder its statistics used.
struct LabelRunConfig {
    std::string promptVersion;
    double tauT = LabelJobConfig{}.tauT;
    std::string dataPath;
};

LabelRunConfig labelRunConfig(const RunInfo& run) {
    LabelRunConfig c;
    const auto j = nlohmann::json::parse(run.configJson, nullptr, false);
    if (!j.is_object())
        return c;
    if (j.contains("prompt_version") && j["prompt_version"].is_string())
        c.promptVersion = j["prompt_version"].get<std::string>();
    if (j.contains("tau_t") && j["tau_t"].is_number())
        c.tauT = j["tau_t"].get<double>();
    if (j.contains("data") && j["data"].is_string())
        c.dataPath = j["data"].get<std::string>();
    return c;
}

// The newest label run of these labels: finished ones first, then any.
const RunInfo* newestLabelRun(const std::vector<RunInfo>& runs, const LabelKey& key, const std::string& split) {
    const RunInfo* any = nullptr;
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        if (it->kind != RunKind::Label || it->method != key.scorer || it->split != split ||
            labelRunConfig(*it).promptVersion != key.promptVersion)
            continue;
        if (it->status == RunStatus::Finished)
            return &*it;
        any = any ? any : &*it;
    }
    return any;
}

} // namespace

Result<RunInfo> Workspace::labelRunOf(std::int64_t id) const {
    auto run = m_store->run(id);
    if (!run)
        return fail(run.error());
    if (run->kind == RunKind::Label)
        return run;
    if (run->kind != RunKind::Train)
        return fail("run " + std::to_string(id) + " (" + toString(run->kind) +
                    ") is not a label run or a training run: teacher diagnostics belong to labels");
    auto train = TrainConfig::fromJson(run->configJson, "run " + std::to_string(id));
    if (!train)
        return fail(train.error());
    auto label = labelRunFor(LabelKey{train->scorer, train->promptVersion}, train->split);
    if (!label)
        return fail("training run " + std::to_string(id) + ": " + label.error());
    return label;
}

Result<RunInfo> Workspace::labelRunFor(const LabelKey& key, const std::string& split) const {
    auto runs = m_store->runs();
    if (!runs)
        return fail(runs.error());
    if (const RunInfo* label = newestLabelRun(runs.value(), key, split))
        return *label;
    return fail("no label run of " + key.scorer + " labels (" + key.promptVersion + ") on split " + split +
                " in this workspace");
}

Result<TeacherDiagnostics> Workspace::labelDiagnostics(const LabelKey& key, const std::string& split) const {
    auto label = labelRunFor(key, split);
    if (!label)
        return fail(label.error());
    return teacherDiagnostics(label->id);
}

Result<TeacherDiagnostics> Workspace::teacherDiagnostics(std::int64_t run) const {
    auto label = labelRunOf(run);
    if (!label)
        return fail(label.error());
    auto metrics = m_store->metrics(label->id);
    if (!metrics)
        return fail(metrics.error());
    TeacherDiagnostics d = diagnosticsFromMetrics(metrics.value());
    d.labelRun = label.value();
    d.promptVersion = labelRunConfig(*label).promptVersion;
    d.forTrainRun = label->id == run ? 0 : run;
    return d;
}

namespace {

// The agreement of these labels with one encoder, as the metrics stored for it.
Result<std::vector<std::pair<std::string, double>>>
encoderAgreementMetrics(const Workspace& ws, const DiagnoseConfig& config, const Dataset& data,
                        const std::vector<LabelRow>& labels, const JobContext& ctx) {
    EvalJobConfig eval = config.evalConfig(data.name);
    if (auto s = ws.resolve(eval); !s)
        return fail(s.error());
    auto retriever = makeRetriever(eval);
    if (!retriever)
        return fail(retriever.error());
    const RankAgreement a = rankAgreement(data, labels, *retriever.value(), ctx);
    if (a.cancelled)
        return fail("cancelled: nothing stored for " + encoderName(eval));
    const std::string name = encoderName(eval);
    return std::vector<std::pair<std::string, double>>{{encoderMetricName(name), a.meanSpearman},
                                                       {encoderQuestionsMetricName(name), double(a.questions)}};
}

} // namespace

Result<TeacherDiagnostics> Workspace::diagnose(DiagnoseConfig config, const JobContext& ctx,
                                               std::shared_ptr<const Dataset> loaded) {
    if (auto s = config.validate(); !s)
        return fail(s.error());
    auto label = labelRunOf(config.run);
    if (!label)
        return fail(label.error());
    const LabelRunConfig stored = labelRunConfig(*label);
    if (config.dataPath.empty())
        config.dataPath = stored.dataPath;
    auto data = dataset(config.dataPath, label->split, loaded);
    if (!data)
        return fail(data.error());
    auto labels = m_store->labels(LabelKey{label->method, stored.promptVersion}, label->split);
    if (!labels)
        return fail(labels.error());
    if (labels->empty())
        return fail("label run " + std::to_string(label->id) + ": no labels of " + label->method + " (" +
                    stored.promptVersion + ") on split " + label->split);
    auto metrics = teacherStatsMetrics(teacherStats(*data.value(), labels.value(), stored.tauT));
    if (!config.encoder.empty()) {
        try { // LibTorch and FAISS throw: the error names the encoder, never crosses a thread
            auto agreement = encoderAgreementMetrics(*this, config, *data.value(), labels.value(), ctx);
            if (!agreement)
                return fail(config.encoder + ": " + agreement.error());
            metrics.insert(metrics.end(), agreement->begin(), agreement->end());
        } catch (const std::exception& e) {
            return fail(config.encoder + ": " + e.what());
        }
    }
    if (auto s = m_store->replaceMetrics(label->id, 0, metrics); !s)
        return fail(s.error());
    return teacherDiagnostics(config.run);
}

} // namespace uae
