// The report for stakeholders as plain data: two eval runs read, compared and written as cells.
#include "config_tables.h"
#include "report_detail.h"

#include "uae/job_eval.h"
#include "uae/qasper.h"
#include "uae/version.h"
#include "uae/workspace.h"

#include <cstdio>
#include <ctime>

namespace uae {

using namespace detail;

const std::vector<Field<ReportConfig>>& ReportConfig::fieldTable() {
    using C = ReportConfig;
    static const std::vector<Field<C>> table{
        {text("out", "out", "the PDF to write", true), [](C& c) { return &c.out; }},
        {text("pinned", "pinned",
              "example questions: ids separated by commas (default: the biggest MAP win and loss of B)"),
         [](C& c) { return &c.pinned; }},
        {integer("top", "top", "ranks shown per run for each example question", 1, 100), [](C& c) { return &c.top; }},
        {text("split", "split", "split whose latest run a method name means"), [](C& c) { return &c.split; }},
        {text("data", "data", "QASPER or BEIR folder for the questions' text (default: the one the runs ranked)"),
         [](C& c) { return &c.dataPath; }},
    };
    return table;
}

std::vector<std::string> ReportConfig::pinnedIds() const {
    std::vector<std::string> ids;
    size_t start = 0;
    while (start <= pinned.size()) {
        size_t end = pinned.find(',', start);
        end = end == std::string::npos ? pinned.size() : end;
        std::string id = pinned.substr(start, end - start);
        id.erase(0, id.find_first_not_of(" \t"));
        id.erase(id.find_last_not_of(" \t") + 1);
        if (!id.empty())
            ids.push_back(id);
        start = end + 1;
    }
    return ids;
}

namespace {

// Numbers in `uae compare`'s formats, so the report and the terminal agree to the digit.
std::string format(const char* fmt, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::string interval(double low, double high, const char* fmt) {
    return "[" + format(fmt, low) + ", " + format(fmt, high) + "]";
}

Result<ReportRun> readRun(const Store& store, std::int64_t id, std::vector<QuestionResult>& results) {
    auto run = store.run(id);
    if (!run)
        return fail(run.error());
    auto stored = store.questionResults(id);
    if (!stored)
        return fail(stored.error());
    results = std::move(stored.value());
    ReportRun r;
    r.run = run.value();
    r.label = "#" + std::to_string(id) + " " + r.run.method;
    return r;
}

// What ranked and over what: method, model or training run, questions.
std::string describe(const RunInfo& run, const EvalSummary& s) {
    std::string d = run.method + " on " + run.split;
    if (auto config = EvalJobConfig::fromJson(run.configJson)) {
        if (config->trainRun)
            d += ", trained in run #" + std::to_string(config->trainRun);
        else if (!config->modelPath.empty())
            d += ", model " + config->modelPath.substr(config->modelPath.find_last_of('/') + 1);
    }
    d += "; " + std::to_string(s.evaluated) + " of " + std::to_string(s.questions) + " questions with gold evidence";
    if (run.status != RunStatus::Finished)
        d += "; " + std::string(toString(run.status));
    return d + "; started " + run.startedAt;
}

void fillRun(ReportRun& r, const std::vector<QuestionResult>& results, const EvalSummary& s) {
    for (size_t m = 0; m < kReportChartMetrics.size(); ++m)
        r.intervals[m] = meanInterval(results, kReportChartMetrics[m]);
    r.queryMs = s.queryTimed ? s.meanQueryLatencyMs : s.meanLatencyMs;
    r.description = describe(r.run, s);
}

// Every metric's mean per run with its 95% interval, and B - A; then counts and latencies.
ReportTable headlineTable(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b,
                          const ComparisonReport& rep) {
    const auto sa = summarize(a), sb = summarize(b);
    ReportTable t{{"metric", rep.a.label, "95% CI", rep.b.label, "95% CI", "B-A"}, {}};
    for (int m = 0; m < kMetricCount; ++m) {
        const auto metric = static_cast<Metric>(m);
        const auto ia = meanInterval(a, metric), ib = meanInterval(b, metric);
        t.rows.push_back({metricName(metric), format("%.4f", sa.mean.v[m]), interval(ia.low, ia.high, "%.4f"),
                          format("%.4f", sb.mean.v[m]), interval(ib.low, ib.high, "%.4f"),
                          format("%+.4f", sb.mean.v[m] - sa.mean.v[m])});
    }
    t.rows.push_back({"questions evaluated", std::to_string(sa.evaluated), "", std::to_string(sb.evaluated), "", ""});
    t.rows.push_back(
        {"latency ms/query", format("%.3f", sa.meanLatencyMs), "", format("%.3f", sb.meanLatencyMs), "", ""});
    if (const auto l = compareQueryLatency(a, b); l.comparable())
        t.rows.push_back({"query path ms/query", format("%.3f", l.meanA), "", format("%.3f", l.meanB), "", ""});
    return t;
}

ReportTable pairedTable(const std::vector<QuestionResult>& a, const std::vector<QuestionResult>& b) {
    ReportTable t{{"metric", "wins", "ties", "losses", "B-A", "95% interval", "p"}, {}};
    for (Metric m : {Metric::Recall1, Metric::Recall5, Metric::Mrr, Metric::Map, Metric::Ndcg10, Metric::EvidenceF1}) {
        const auto c = comparePaired(a, b, m);
        t.rows.push_back({metricName(m), std::to_string(c.wins), std::to_string(c.ties), std::to_string(c.losses),
                          format("%+.4f", c.difference.mean), interval(c.difference.low, c.difference.high, "%+.4f"),
                          format("%.4f", c.difference.p)});
    }
    return t;
}

std::string latencySentence(const ComparisonReport& rep, const LatencyComparison& l) {
    if (!l.comparable())
        return "Query latency: not timed in both runs (stored before query_latency_ms).";
    const ReportRun &slow = l.bSlower() ? rep.b : rep.a, &fast = l.bSlower() ? rep.a : rep.b;
    return "Query path: " + slow.label + " is " + format("%.1f", l.factor()) + "x slower per query than " + fast.label +
           " (B/A = " + format("%.4g", l.ratio) + ", " + std::to_string(l.questions) + " questions timed in both).";
}

std::vector<std::vector<std::string>> teacherRows(const TeacherDiagnostics& d) {
    const auto& s = d.stats;
    std::vector<std::vector<std::string>> rows{
        {"questions", std::to_string(s.questions) + " (" + format("%.1f", s.meanCandidates) + " candidates each)"},
        {"gold top", format("%.1f", 100.0 * d.goldTopShare()) + "% (" + std::to_string(s.goldTop) + " of " +
                         std::to_string(s.withGold) + ")"},
        {"mean max p", format("%.3f", s.meanMaxProbability)},
        {"near one-hot", std::to_string(s.nearOneHot)},
        {"mean entropy", format("%.3f", s.meanEntropy) + " nats"}};
    if (d.hasSpearmanBm25)
        rows.push_back({"Spearman vs BM25", format("%.3f", s.meanSpearmanBm25)});
    for (const auto& e : d.encoders)
        rows.push_back({"Spearman vs " + e.encoder,
                        format("%.3f", e.meanSpearman) + " (" + std::to_string(e.questions) + " questions)"});
    return rows;
}

// The labels a trained run (B first, then A) learnt from; else the teacher shown for the split.
void teacherSection(const Workspace& ws, ComparisonReport& rep) {
    Result<TeacherDiagnostics> d = fail("");
    std::int64_t trainRun = 0;
    for (const ReportRun* r : {&rep.b, &rep.a})
        if (auto eval = EvalJobConfig::fromJson(r->run.configJson); eval && eval->trainRun && !trainRun)
            trainRun = eval->trainRun;
    const std::string split = rep.a.run.split;
    d = trainRun ? ws.teacherDiagnostics(trainRun) : ws.labelDiagnostics(ws.shownTeacher(split), split);
    if (!d) {
        rep.teacherTitle = "Teacher diagnostics: none (" + d.error() + ")";
        return;
    }
    const std::string labels = "label run #" + std::to_string(d->labelRun.id) + ", " + d->labelRun.method + " " +
                               d->promptVersion + ", " + d->labelRun.split;
    rep.teacherTitle = d->forTrainRun ? "Teacher diagnostics of the labels training run #" +
                                            std::to_string(d->forTrainRun) + " learnt from (" + labels + ")"
                                      : "Teacher diagnostics of " + labels;
    rep.teacher.header = {"", ""};
    if (!d->hasStats)
        rep.teacherTitle += ": no statistics stored (uae diagnose " + std::to_string(d->labelRun.id) + ")";
    else
        rep.teacher.rows = teacherRows(d.value());
}

std::string generatedLine() {
    const std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    return std::string("Generated ") + buf + " by UAE Workbench " + appVersion();
}

// The paragraphs the runs' indices point into: the split's own pools, or its corpus view when both
// ranked the whole split; when one did and the other did not, no paragraph text (said in a note).
const Dataset* poolOfRuns(ComparisonReport& rep, const Dataset* data, Dataset& corpus) {
    const bool corpusA = isCorpusRun(rep.a.run.configJson), corpusB = isCorpusRun(rep.b.run.configJson);
    const bool isView = data && data->papers.size() == 1 && data->papers[0].id == kCorpusPaperId;
    if (!data || corpusA != corpusB) {
        if (data && corpusA != corpusB)
            rep.notes.push_back("run A and run B rank different pools (each paper's paragraphs against the whole "
                                "split): examples show ranks without paragraph text");
        return nullptr;
    }
    if (!corpusA || isView)
        return data;
    corpus = corpusView(*data);
    return &corpus;
}

} // namespace

std::string unreportable(const RunInfo& a, const RunInfo& b) {
    for (const RunInfo* run : {&a, &b})
        if (run->kind != RunKind::Eval)
            return "run " + std::to_string(run->id) + " is a " + toString(run->kind) +
                   " run: a report compares two retrieval (eval) runs";
    return incomparable(a, b);
}

Result<ComparisonReport> buildComparisonReport(const Workspace& workspace, const ReportRequest& request,
                                               const Dataset* data) {
    std::vector<QuestionResult> ra, rb;
    auto a = readRun(workspace.store(), request.runA, ra);
    if (!a)
        return fail(a.error());
    auto b = readRun(workspace.store(), request.runB, rb);
    if (!b)
        return fail(b.error());
    if (const auto why = unreportable(a->run, b->run); !why.empty())
        return fail(why);
    ComparisonReport rep;
    rep.a = a.value();
    rep.b = b.value();
    rep.notes = comparisonNotes(a->run, b->run, ra, rb);
    const auto [sharedA, sharedB] = sharedQuestions(ra, rb);
    if (sharedA.empty())
        return fail("runs " + std::to_string(request.runA) + " and " + std::to_string(request.runB) +
                    " share no ranked question");
    rep.questions = static_cast<long>(sharedA.size());
    fillRun(rep.a, sharedA, summarize(sharedA));
    fillRun(rep.b, sharedB, summarize(sharedB));
    rep.title = "Retrieval report: " + rep.b.label + " (B) against " + rep.a.label + " (A)";
    rep.generated = generatedLine();
    rep.headline = headlineTable(sharedA, sharedB, rep);
    rep.paired = pairedTable(sharedA, sharedB);
    rep.latency = latencySentence(rep, compareQueryLatency(sharedA, sharedB));
    Dataset corpus;
    std::vector<std::string> missing;
    rep.examples = reportExamples(request, sharedA, sharedB, poolOfRuns(rep, data, corpus), missing);
    for (const auto& id : missing) {
        const std::string why = "pinned question '" + id + "' is not among the " + std::to_string(rep.questions) +
                                " questions both runs ranked";
        if (!request.skipUnrankedPinned)
            return fail(why);
        rep.notes.push_back(why + ": left out");
    }
    teacherSection(workspace, rep);
    return rep;
}

} // namespace uae
