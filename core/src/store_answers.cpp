// Store: answers read from retrieval runs.
#include "uae/store.h"

#include "store_statement.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace uae {

using detail::Statement;

Status Store::addAnswers(std::int64_t run, std::int64_t evalRun, const std::string& reader,
                         const std::vector<AnswerRow>& rows) {
    if (auto s = exec("BEGIN IMMEDIATE"); !s)
        return s;
    Statement st(m_db,
                 "INSERT OR REPLACE INTO answers(run, eval_run, question, reader, answer, f1) VALUES(?,?,?,?,?,?)");
    for (const auto& r : rows) {
        st.bind(1, run).bind(2, evalRun).bind(3, r.question).bind(4, reader).bind(5, r.answer).bind(6, r.f1);
        if (!st.run()) {
            Error e = sqlError("cannot store the answer to question " + r.question);
            exec("ROLLBACK");
            return e;
        }
        st.reset();
    }
    return exec("COMMIT");
}

Result<std::vector<AnswerRow>> Store::latestAnswers(std::int64_t evalRun) const {
    auto set = latestAnswerSet(evalRun);
    if (!set)
        return fail(set.error());
    return std::move(set->rows);
}

Result<AnswerSet> Store::latestAnswerSet(std::int64_t evalRun) const {
    AnswerSet out;
    out.evalRun = evalRun;
    Statement st(m_db, "SELECT a.run, a.question, a.answer, a.f1, a.reader, r.config FROM answers a "
                       "JOIN runs r ON r.id = a.run WHERE a.run = "
                       "(SELECT max(run) FROM answers WHERE eval_run=?) ORDER BY a.rowid");
    st.bind(1, evalRun);
    std::string config;
    while (st.step()) {
        out.run = st.columnInt64(0);
        out.rows.push_back(AnswerRow{st.columnText(1), st.columnText(2), st.columnDouble(3)});
        out.meanF1 += out.rows.back().f1;
        out.reader = st.columnText(4);
        config = st.columnText(5);
    }
    if (!st.ok())
        return sqlError("cannot read answers of run " + std::to_string(evalRun));
    if (!out.rows.empty())
        out.meanF1 /= static_cast<double>(out.rows.size());
    // What was read with comes from the answering run's own config (older runs lack the prompt).
    const auto j = nlohmann::json::parse(config, nullptr, false);
    if (j.is_object()) {
        out.k = j.value("k", 0);
        if (auto rc = j.find("reader_config"); rc != j.end() && rc->is_object())
            out.promptVersion = rc->value("prompt_version", std::string());
    }
    return out;
}

} // namespace uae
