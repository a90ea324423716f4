// Store: per-question results and the read side (runs, metrics, results).
#include "uae/store.h"

#include "store_statement.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace uae {

using detail::Statement;
using nlohmann::json;

namespace {

json metricsToJson(const MetricValues& m) {
    json j = json::object();
    for (int i = 0; i < kMetricCount; ++i)
        j[metricName(static_cast<Metric>(i))] = m.v[i];
    return j;
}

MetricValues metricsFromJson(const json& j) {
    MetricValues m;
    for (int i = 0; i < kMetricCount; ++i)
        m.v[i] = j.value(metricName(static_cast<Metric>(i)), 0.0);
    return m;
}

RunInfo readRun(const Statement& st) {
    RunInfo r;
    r.id = st.columnInt64(0);
    // An unknown name (a newer version's) reads as the closest meaning: an eval run, a failed run.
    r.kind = parseRunKind(st.columnText(1)).value_or(RunKind::Eval);
    r.method = st.columnText(2);
    r.split = st.columnText(3);
    r.status = parseRunStatus(st.columnText(4)).value_or(RunStatus::Failed);
    r.configJson = st.columnText(5);
    r.appVersion = st.columnText(6);
    r.device = st.columnText(7);
    r.startedAt = st.columnText(8);
    r.endedAt = st.columnText(9);
    r.error = st.columnText(10);
    r.origin = st.columnText(11);
    r.originPath = st.columnText(12);
    return r;
}

constexpr const char* kRunColumns =
    "SELECT id, kind, method, split, status, config, app_version, device, started_at, ended_at, error, origin, "
    "origin_path FROM runs";

} // namespace

Status Store::addQuestionResults(std::int64_t run, const std::vector<QuestionResult>& results) {
    auto method = this->run(run);
    if (!method)
        return fail(method.error());
    if (auto s = exec("BEGIN IMMEDIATE"); !s)
        return s;
    Statement st(m_db, "INSERT OR REPLACE INTO question_results"
                       "(run, question, method, ranking, scores, gold, latency_ms, metrics, query_latency_ms) "
                       "VALUES(?,?,?,?,?,?,?,?,?)");
    for (const auto& r : results) {
        st.bind(1, run)
            .bind(2, r.questionId)
            .bind(3, method->method)
            .bind(4, json(r.order).dump())
            .bind(5, json(r.scores).dump())
            .bind(6, json(r.gold).dump())
            .bind(7, r.latencyMs)
            .bind(8, metricsToJson(r.metrics).dump());
        if (r.queryLatencyMs) // else NULL: clear_bindings after each row
            st.bind(9, *r.queryLatencyMs);
        if (!st.run()) {
            Error e = sqlError("cannot store results of question " + r.questionId);
            exec("ROLLBACK");
            return e;
        }
        st.reset();
    }
    return exec("COMMIT");
}

Result<std::vector<RunInfo>> Store::runs() const {
    Statement st(m_db, (std::string(kRunColumns) + " ORDER BY id").c_str());
    std::vector<RunInfo> out;
    while (st.step())
        out.push_back(readRun(st));
    if (!st.ok())
        return sqlError("cannot list runs");
    return out;
}

Result<std::vector<RunSummary>> Store::runSummaries() const {
    // The newest value of each headline metric per run (an eval run's own, or a training run's
    // last held-out evaluation), as correlated subqueries: one statement for the whole list.
    const std::string sql =
        std::string(kRunColumns)
            .replace(std::string(kRunColumns).find(" FROM runs"), 10,
                     ", (SELECT value FROM metrics m WHERE m.run=runs.id AND m.name IN ('recall@1','eval_recall@1') "
                     "ORDER BY m.step DESC, m.rowid DESC LIMIT 1), "
                     "(SELECT value FROM metrics m WHERE m.run=runs.id AND m.name IN ('map','eval_map') "
                     "ORDER BY m.step DESC, m.rowid DESC LIMIT 1) FROM runs ORDER BY id");
    Statement st(m_db, sql.c_str());
    std::vector<RunSummary> out;
    while (st.step()) {
        RunSummary s{readRun(st)};
        s.hasMetrics = !st.columnIsNull(13);
        s.recall1 = st.columnDouble(13);
        s.map = st.columnDouble(14);
        out.push_back(std::move(s));
    }
    if (!st.ok())
        return sqlError("cannot list runs");
    return out;
}

Result<RunInfo> Store::run(std::int64_t id) const {
    Statement st(m_db, (std::string(kRunColumns) + " WHERE id=?").c_str());
    st.bind(1, id);
    if (st.step())
        return readRun(st);
    if (!st.ok())
        return sqlError("cannot read run " + std::to_string(id));
    return fail(m_path + ": no run " + std::to_string(id));
}

Result<std::int64_t> Store::latestRun(const std::string& method, const std::string& split,
                                      const std::string& pool) const {
    // The pool is another setting: a per-paper run is never the newest corpus run and the reverse
    // (runs stored before pools existed are per-paper).
    Statement st(m_db, "SELECT max(id) FROM runs WHERE kind='eval' AND method=? AND split=? AND status='finished' "
                       "AND coalesce(json_extract(config, '$.pool'), 'paper')=?");
    st.bind(1, method).bind(2, split).bind(3, pool);
    if (st.step())
        return st.columnInt64(0);
    if (!st.ok())
        return sqlError("cannot look up runs of " + method);
    return std::int64_t{0};
}

Result<std::vector<MetricPoint>> Store::metrics(std::int64_t run) const {
    Statement st(m_db, "SELECT step, name, value FROM metrics WHERE run=? ORDER BY step, rowid");
    st.bind(1, run);
    std::vector<MetricPoint> out;
    while (st.step())
        out.push_back(MetricPoint{st.columnInt64(0), st.columnText(1), st.columnDouble(2)});
    if (!st.ok())
        return sqlError("cannot read metrics of run " + std::to_string(run));
    return out;
}

Result<std::vector<QuestionResult>> Store::questionResults(std::int64_t run) const {
    Statement st(m_db, "SELECT question, ranking, scores, gold, latency_ms, metrics, query_latency_ms "
                       "FROM question_results WHERE run=? ORDER BY rowid");
    st.bind(1, run);
    std::vector<QuestionResult> out;
    try {
        while (st.step()) {
            QuestionResult r;
            r.questionId = st.columnText(0);
            r.order = json::parse(st.columnText(1)).get<std::vector<int>>();
            r.scores = json::parse(st.columnText(2)).get<std::vector<float>>();
            r.gold = json::parse(st.columnText(3)).get<std::vector<int>>();
            r.latencyMs = st.columnDouble(4);
            r.metrics = metricsFromJson(json::parse(st.columnText(5)));
            if (!st.columnIsNull(6))
                r.queryLatencyMs = st.columnDouble(6);
            out.push_back(std::move(r));
        }
    } catch (const json::exception& e) {
        return fail(m_path + ": damaged result row in run " + std::to_string(run) + ": " + e.what());
    }
    if (!st.ok())
        return sqlError("cannot read results of run " + std::to_string(run));
    return out;
}

} // namespace uae
