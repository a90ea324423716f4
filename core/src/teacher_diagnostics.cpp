#include "uae/teacher_diagnostics.h"

#include "config_tables.h"

#include "uae/qasper.h"
#include "uae/retriever.h"
#include "uae/run_types.h"
#include "uae/utility.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

namespace uae {

namespace {

const std::string kEncoderPrefix = "spearman_encoder:";
const std::string kEncoderQuestionsPrefix = "spearman_encoder_questions:";

} // namespace

RankAgreement rankAgreement(const Dataset& data, const std::vector<LabelRow>& labels, Retriever& retriever,
                            const JobContext& ctx) {
    std::map<std::string, std::vector<const LabelRow*>> byQuestion;
    for (const auto& l : labels)
        byQuestion[l.question].push_back(&l);
    RankAgreement out;
    long done = 0;
    for (const auto& [id, rows] : byQuestion) {
        if (ctx.cancelled()) {
            out.cancelled = true;
            break;
        }
        ctx.progress(done++, static_cast<long>(byQuestion.size()), "rank agreement");
        const Question* q = data.findQuestion(id);
        if (!q || rows.size() < 3) // as the BM25 agreement of TeacherStats
            continue;
        const Paper& paper = data.paperOf(*q);
        const Ranking ranking = retriever.rank(RetrievalQuery{q->id, q->text, &paper});
        std::unordered_map<int, double> score;
        for (size_t r = 0; r < ranking.order.size() && r < ranking.scores.size(); ++r)
            score[ranking.order[r]] = ranking.scores[r];
        std::vector<double> u, s;
        for (const auto* row : rows)
            if (auto it = score.find(row->paragraph); it != score.end())
                u.push_back(row->utility), s.push_back(it->second);
        if (u.size() < 3)
            continue;
        out.meanSpearman += spearman(u, s);
        ++out.questions;
    }
    if (out.questions)
        out.meanSpearman /= static_cast<double>(out.questions);
    return out;
}

std::string encoderMetricName(const std::string& encoder) {
    return kEncoderPrefix + encoder;
}

std::string encoderQuestionsMetricName(const std::string& encoder) {
    return kEncoderQuestionsPrefix + encoder;
}

std::vector<std::pair<std::string, double>> teacherStatsMetrics(const TeacherStats& s) {
    return {{"questions", double(s.questions)},
            {"gold_top", double(s.goldTop)},
            {"with_gold", double(s.withGold)},
            {"near_one_hot", double(s.nearOneHot)},
            {"mean_max_p", s.meanMaxProbability},
            {"mean_entropy", s.meanEntropy},
            {"mean_candidates", s.meanCandidates},
            {"spearman_bm25", s.meanSpearmanBm25},
            {"spearman_bm25_questions", double(s.correlated)}};
}

TeacherDiagnostics diagnosticsFromMetrics(const std::vector<MetricPoint>& metrics) {
    std::map<std::string, double> latest; // metrics come oldest first: later values win
    for (const auto& m : metrics)
        latest[m.name] = m.value;
    TeacherDiagnostics d;
    auto get = [&](const std::string& name, auto& into) {
        if (auto it = latest.find(name); it != latest.end())
            into = static_cast<std::remove_reference_t<decltype(into)>>(it->second);
    };
    d.hasStats = latest.count("questions") > 0 && latest.count("mean_max_p") > 0;
    get("questions", d.stats.questions);
    get("gold_top", d.stats.goldTop);
    get("with_gold", d.stats.withGold);
    get("near_one_hot", d.stats.nearOneHot);
    get("mean_max_p", d.stats.meanMaxProbability);
    get("mean_entropy", d.stats.meanEntropy);
    get("mean_candidates", d.stats.meanCandidates);
    d.hasSpearmanBm25 = latest.count("spearman_bm25") > 0;
    get("spearman_bm25", d.stats.meanSpearmanBm25);
    get("spearman_bm25_questions", d.stats.correlated);
    for (const auto& [name, value] : latest) // a std::map: sorted by name
        if (name.starts_with(kEncoderPrefix)) {
            EncoderAgreement e{name.substr(kEncoderPrefix.size()), value, 0};
            get(encoderQuestionsMetricName(e.encoder), e.questions);
            d.encoders.push_back(e);
        }
    return d;
}

const std::vector<Field<DiagnoseConfig>>& DiagnoseConfig::fieldTable() {
    using C = DiagnoseConfig;
    using namespace detail;
    static const std::vector<Field<C>> table{
        {integer("run", "", "label run, or training run (the labels it trained on)", 1, 1e15),
         [](C& c) { return &c.run; }},
        {[] {
             FieldSpec s = text("encoder", "encoder",
                                "compare the teacher with this encoder's similarities (as uae eval --method takes it)");
             s.check = [](const std::string& v) {
                 return v.empty() || parseMethod(v) ? std::string() : "'" + v + "' is not a method";
             };
             s.checkAllowed = "bm25, glove, bert, bert:NAME or uae";
             return s;
         }(),
         [](C& c) { return &c.encoder; }},
        {text("model", "model", "encoder folder, id, fetched name or checkpoint"), [](C& c) { return &c.model; }},
        {integer("train_run", "train-run", "encoder uae: the training run whose model is compared", 0, 1e15),
         [](C& c) { return &c.trainRun; }},
        {text("data", "data", "QASPER folder or file, or BEIR folder (default: the label run's)"),
         [](C& c) { return &c.dataPath; }},
        {deviceSpec(), [](C& c) { return &c.device; }},
        {dtypeSpec(), [](C& c) { return &c.dtype; }},
        {integer("batch", "batch", "sequences per forward pass", 1, 4096), [](C& c) { return &c.batch; }},
        {flag("use_cache", "no-cache", "keep passage vectors in the workspace's cache (the option turns it off)", true),
         [](C& c) { return &c.useCache; }},
    };
    return table;
}

EvalJobConfig DiagnoseConfig::evalConfig(const std::string& split) const {
    EvalJobConfig e;
    e.method = encoder;
    e.split = split;
    e.dataPath = dataPath;
    e.modelPath = model;
    e.device = device;
    e.dtype = dtype;
    e.batch = batch;
    e.useCache = useCache;
    e.trainRun = trainRun;
    return e;
}

std::string encoderName(const EvalJobConfig& c) {
    const auto id = parseMethod(c.method);
    if (!id)
        return c.method;
    if (id->method == Method::Bert && !id->model.empty())
        return id->model;
    if (id->method == Method::Bert && !c.modelPath.empty()) {
        auto p = std::filesystem::path(c.modelPath).lexically_normal();
        return (p.has_filename() ? p : p.parent_path()).filename().string(); // "dir/" names "dir"
    }
    if (id->method == Method::Uae && c.trainRun)
        return "uae-run-" + std::to_string(c.trainRun);
    return c.method;
}

} // namespace uae
