// runTrecImport: an outside TREC run checked, scored and stored as one eval run (job_import.h).
#include "uae/job_import.h"

#include "config_tables.h"
#include "job_run.h"

#include "uae/qasper.h"
#include "uae/store.h"
#include "uae/trec_run.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace uae {

using namespace detail;

const std::vector<Field<TrecImportConfig>>& TrecImportConfig::fieldTable() {
    using C = TrecImportConfig;
    static const std::vector<Field<C>> table{
        {text("source", "trec", "the TREC run file: 'qid Q0 docno rank score tag' a line", true),
         [](C& c) { return &c.source; }},
        {text("split", "split", "split whose questions the run ranks", true), [](C& c) { return &c.split; }},
        {text("data", "data", "QASPER folder or file, or BEIR folder"), [](C& c) { return &c.dataPath; }},
        {choice("pool", "pool",
                "paper: docnos are paragraphs of each question's paper (p<N> counts within it); corpus: of "
                "the whole split (p<N> counts over it)",
                {"paper", "corpus"}),
         [](C& c) { return &c.pool; }},
        {[] {
             FieldSpec s = text("name", "name", "stored as method trec:NAME (default: the file's tag)");
             s.check = trecRunNameProblem;
             s.checkAllowed = "up to 100 characters without spaces";
             return s;
         }(),
         [](C& c) { return &c.name; }},
    };
    return table;
}

std::string trecRunNameProblem(const std::string& name) {
    if (name.size() > 100)
        return "'" + name.substr(0, 20) + "...' is longer than 100 characters";
    for (unsigned char c : name)
        if (c <= ' ' || c == 0x7f)
            return "'" + name + "' holds a space or control character";
    return {};
}

namespace {

// The stored config: the settings, then what identifies the file that was read.
std::string configJson(const TrecImportConfig& config, const TrecRunFile& run, const TrecRunMapping& mapped) {
    auto j = nlohmann::json::parse(config.toJson());
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(config.source, ec);
    j["source"] = ec ? config.source : absolute.lexically_normal().string();
    j["sha256"] = run.sha256;
    j["lines"] = run.lines;
    j["tags"] = run.tags;
    j["questions_in_run"] = mapped.questionsInRun;
    j["missing_questions"] = mapped.missing;
    // A tag or path that is not UTF-8 is stored with U+FFFD in its place rather than throwing.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void warnAboutFile(const TrecRunFile& run, const TrecRunMapping& mapped, const Dataset& data, const JobContext& ctx) {
    if (run.tags.size() > 1)
        ctx.warn(run.path + ": " + std::to_string(run.tags.size()) + " different tags (first '" + run.tags.front() +
                 "', then '" + run.tags[1] + "'); all lines are read as one run");
    if (mapped.missing > 0)
        ctx.warn(std::to_string(mapped.missing) + " of the " + std::to_string(data.questions.size()) +
                 " questions of split '" + data.name +
                 "' are not in the run and are stored ranked empty: " + std::to_string(mapped.missingWithEvidence) +
                 " of them have text evidence and count 0 in every retrieval mean (as trec_eval -c counts a "
                 "query the run lacks); the rest only change evidence_f1 (all)");
}

} // namespace

EvalJobResult runTrecImport(Store& store, const Dataset& data, const TrecImportConfig& config, const JobContext& ctx) {
    EvalJobResult out;
    if (auto s = config.validate(); !s)
        return failedBeforeRun(std::move(out), s.error());
    auto run = readTrecRun(config.source);
    if (!run)
        return failedBeforeRun(std::move(out), run.error());
    // Reading and mapping a large run take seconds: a cancel meanwhile stores nothing.
    if (ctx.cancelled()) {
        out.status = RunStatus::Cancelled;
        return out;
    }
    auto mapped = mapTrecRun(run.value(), data, config.pool == "corpus");
    if (!mapped)
        return failedBeforeRun(std::move(out), mapped.error());
    if (ctx.cancelled()) {
        out.status = RunStatus::Cancelled;
        return out;
    }
    const std::string name = config.name.empty() ? run->tags.front() : config.name;
    if (const auto problem = trecRunNameProblem(name); !problem.empty())
        return failedBeforeRun(std::move(out), "--name: " + problem);
    warnAboutFile(run.value(), mapped.value(), data, ctx);
    auto id = store.beginRun(RunKind::Eval, "trec:" + name, config.split,
                             configJson(config, run.value(), mapped.value()), "external");
    if (!id)
        return failedBeforeRun(std::move(out), id.error());
    out.runId = id.value();
    return recordRun(store, std::move(out), [&](EvalJobResult& out) -> Result<RunStatus> {
        out.outcome.results = std::move(mapped->results);
        out.outcome.summary = summarize(out.outcome.results);
        if (auto s = store.addQuestionResults(out.runId, out.outcome.results); !s)
            return fail(s.error());
        if (auto s = storeEvalSummary(store, out.runId, out.outcome.summary); !s)
            return fail(s.error());
        return RunStatus::Finished;
    });
}

} // namespace uae
