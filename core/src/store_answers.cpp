// Store: answers read from retrieval runs.
#include "uae/store.h"

#include "store_statement.h"

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
    Statement st(m_db, "SELECT question, answer, f1 FROM answers WHERE run = "
                       "(SELECT max(run) FROM answers WHERE eval_run=?) ORDER BY rowid");
    st.bind(1, evalRun);
    std::vector<AnswerRow> out;
    while (st.step())
        out.push_back(AnswerRow{st.columnText(0), st.columnText(1), st.columnDouble(2)});
    if (!st.ok())
        return sqlError("cannot read answers of run " + std::to_string(evalRun));
    return out;
}

} // namespace uae
