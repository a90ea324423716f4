// The headline table of the paper's experiment: each method against a reference, paired.
#include "uae/comparison.h"
#include "uae/paper.h"
#include "uae/store.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

namespace uae {

namespace {

struct RunValues {
    std::vector<QuestionResult> results;
    EvalSummary summary;              // means over the evaluated questions
    std::map<std::string, double> f1; // by question
    double msPerQuery = 0;
};

Result<RunValues> readRun(const Store& store, std::int64_t evalRun) {
    RunValues v;
    auto results = store.questionResults(evalRun);
    if (!results)
        return fail(results.error());
    v.results = std::move(results.value());
    v.summary = summarize(v.results);
    auto metrics = store.metrics(evalRun);
    if (!metrics)
        return fail(metrics.error());
    double total = 0, query = -1;
    for (const auto& m : metrics.value()) {
        if (m.name == "latency_ms")
            total = m.value;
        else if (m.name == "query_latency_ms") // dense methods: the question's path alone
            query = m.value;
    }
    v.msPerQuery = query >= 0 ? query : total;
    auto answers = store.latestAnswers(evalRun);
    if (!answers)
        return fail(answers.error());
    for (const auto& a : answers.value())
        v.f1[a.question] = a.f1;
    return v;
}

double gain(double value, double reference) {
    return reference != 0 ? 100.0 * (value - reference) / reference : 0.0;
}

// Token F1 of both runs over the questions both answered, in one order.
PairedDifference pairedF1(const RunValues& ref, const RunValues& row) {
    std::vector<double> a, b;
    for (const auto& [question, f1] : ref.f1)
        if (auto it = row.f1.find(question); it != row.f1.end())
            a.push_back(f1), b.push_back(it->second);
    return a.empty() ? PairedDifference{} : pairedBootstrap(a, b);
}

double mean(const std::map<std::string, double>& values) {
    double sum = 0;
    for (const auto& [question, v] : values)
        sum += v;
    return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

} // namespace

Result<HeadlineTable> headlineTable(const Store& store, const std::vector<std::pair<std::string, std::int64_t>>& rows,
                                    const std::string& reference) {
    HeadlineTable table;
    table.reference = reference;
    std::vector<RunValues> values;
    const RunValues* ref = nullptr;
    for (const auto& [label, run] : rows) {
        auto v = readRun(store, run);
        if (!v)
            return fail(label + " (run " + std::to_string(run) + "): " + v.error());
        values.push_back(std::move(v.value()));
    }
    for (size_t i = 0; i < rows.size(); ++i)
        if (rows[i].first == reference)
            ref = &values[i];
    if (!ref)
        return fail("the reference '" + reference + "' is not a row of the table");
    for (size_t i = 0; i < rows.size(); ++i) {
        const RunValues& v = values[i];
        HeadlineRow row;
        row.label = rows[i].first;
        row.evalRun = rows[i].second;
        if (auto info = store.run(row.evalRun))
            row.method = info->method;
        const auto r1 = comparePaired(ref->results, v.results, Metric::Recall1);
        const auto map = comparePaired(ref->results, v.results, Metric::Map);
        row.recall1 = v.summary.mean[Metric::Recall1];
        row.map = v.summary.mean[Metric::Map];
        row.questions = v.summary.evaluated;
        row.tokenF1 = mean(v.f1);
        row.msPerQuery = v.msPerQuery;
        row.dRecall1 = r1.difference, row.dMap = map.difference, row.dTokenF1 = pairedF1(*ref, v);
        row.gainRecall1 = gain(row.recall1, ref->summary.mean[Metric::Recall1]);
        row.gainMap = gain(row.map, ref->summary.mean[Metric::Map]);
        row.gainTokenF1 = gain(row.tokenF1, mean(ref->f1));
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::string HeadlineTable::toJson() const {
    auto diff = [](const PairedDifference& d, double gainPct) {
        return nlohmann::json{{"diff", d.mean}, {"low", d.low}, {"high", d.high}, {"p", d.p}, {"gain_pct", gainPct}};
    };
    nlohmann::json out{{"reference", reference}, {"rows", nlohmann::json::array()}};
    for (const auto& r : rows)
        out["rows"].push_back({{"label", r.label},
                               {"method", r.method},
                               {"eval_run", r.evalRun},
                               {"answer_run", r.answerRun},
                               {"questions", r.questions},
                               {"recall@1", r.recall1},
                               {"map", r.map},
                               {"token_f1", r.tokenF1},
                               {"ms_per_query", r.msPerQuery},
                               {"vs_reference",
                                {{"recall@1", diff(r.dRecall1, r.gainRecall1)},
                                 {"map", diff(r.dMap, r.gainMap)},
                                 {"token_f1", diff(r.dTokenF1, r.gainTokenF1)}}}});
    return out.dump(1);
}

std::string HeadlineTable::toMarkdown() const {
    auto cell = [&](double value, const PairedDifference& d, double gainPct, bool isRef) {
        char buf[96];
        if (isRef)
            std::snprintf(buf, sizeof buf, "%.3f", value);
        else
            std::snprintf(buf, sizeof buf, "%.3f (%+.0f%%; %+.3f [%+.3f, %+.3f])", value, gainPct, d.mean, d.low,
                          d.high);
        return std::string(buf);
    };
    std::string md = "| Method | Recall@1 | MAP | Token F1 | ms/query |\n|---|---|---|---|---|\n";
    for (const auto& r : rows) {
        const bool isRef = r.label == reference;
        // One fixed precision fails both ends: BM25's 0.003 ms read as 0.0 (as if unmeasured), LLM
        // re-ranking's 8423.2 carried a meaningless decimal. About three significant digits instead.
        const int decimals = r.msPerQuery < 1 ? 3 : r.msPerQuery < 100 ? 1 : 0;
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.*f", decimals, r.msPerQuery);
        md += "| " + r.label + " | " + cell(r.recall1, r.dRecall1, r.gainRecall1, isRef) + " | " +
              cell(r.map, r.dMap, r.gainMap, isRef) + " | " + cell(r.tokenF1, r.dTokenF1, r.gainTokenF1, isRef) +
              " | " + ms + " |\n";
    }
    return md;
}

} // namespace uae
