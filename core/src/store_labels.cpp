// Store: utility labels.
#include "uae/store.h"

#include "store_statement.h"

#include <sqlite3.h>

namespace uae {

using detail::Statement;

Result<bool> Store::addQuestionLabels(std::int64_t run, const LabelKey& key, const std::string& split,
                                      const std::string& question, const std::vector<LabelRow>& rows,
                                      const std::string& sourceHash, const std::function<void()>& beforeCommit) {
    if (auto s = exec("BEGIN IMMEDIATE"); !s)
        return fail(s.error());
    // Two labelers on one workspace: whoever commits a question first wins, the other skips it.
    Statement seen(m_db, "SELECT source_hash FROM labeled_questions WHERE question=? AND scorer=? AND "
                         "prompt_version=?");
    seen.bind(1, question).bind(2, key.scorer).bind(3, key.promptVersion);
    if (seen.step()) {
        const std::string stored = seen.columnText(0);
        if (stored.empty() || stored == sourceHash) {
            exec("ROLLBACK");
            return false;
        }
        if (auto s = dropQuestionLabels(key, question); !s) { // computed on text that changed since
            exec("ROLLBACK");
            return fail(s.error());
        }
    }
    Statement st(m_db, "INSERT INTO labels(question, paragraph, scorer, prompt_version, split, run, utility, "
                       "nll_with, nll_without) VALUES(?,?,?,?,?,?,?,?,?)");
    for (const auto& r : rows) {
        st.bind(1, question)
            .bind(2, static_cast<std::int64_t>(r.paragraph))
            .bind(3, key.scorer)
            .bind(4, key.promptVersion)
            .bind(5, split)
            .bind(6, run)
            .bind(7, r.utility)
            .bind(8, r.nllWith)
            .bind(9, r.nllWithout);
        if (!st.run()) {
            Error e = sqlError("cannot store labels of question " + question);
            exec("ROLLBACK");
            return e;
        }
        st.reset();
    }
    // A throw from the hook must not leave the transaction open: the job's end (finishRun) would
    // then be written into it and lost when the connection closes, leaving the run "running".
    if (beforeCommit) {
        try {
            beforeCommit();
        } catch (...) {
            exec("ROLLBACK");
            throw;
        }
    }
    Statement done(m_db, "INSERT INTO labeled_questions(question, scorer, prompt_version, split, candidates, run, "
                         "source_hash) VALUES(?,?,?,?,?,?,?)");
    done.bind(1, question)
        .bind(2, key.scorer)
        .bind(3, key.promptVersion)
        .bind(4, split)
        .bind(5, static_cast<std::int64_t>(rows.size()))
        .bind(6, run)
        .bind(7, sourceHash);
    if (!done.run()) {
        Error e = sqlError("cannot mark question " + question + " labeled");
        exec("ROLLBACK");
        return e;
    }
    if (auto s = exec("COMMIT"); !s)
        return fail(s.error());
    return true;
}

Status Store::dropQuestionLabels(const LabelKey& key, const std::string& question) {
    for (const char* sql : {"DELETE FROM labels WHERE question=? AND scorer=? AND prompt_version=?",
                            "DELETE FROM labeled_questions WHERE question=? AND scorer=? AND prompt_version=?"}) {
        Statement st(m_db, sql);
        st.bind(1, question).bind(2, key.scorer).bind(3, key.promptVersion);
        if (!st.run())
            return sqlError("cannot replace the stale labels of question " + question);
    }
    return Ok{};
}

Result<std::vector<LabelSource>> Store::labelSources(const LabelKey& key) const {
    Statement st(m_db, "SELECT question, split, source_hash, run FROM labeled_questions WHERE scorer=? AND "
                       "prompt_version=?");
    st.bind(1, key.scorer).bind(2, key.promptVersion);
    std::vector<LabelSource> out;
    while (st.step())
        out.push_back(LabelSource{st.columnText(0), st.columnText(1), st.columnText(2), st.columnInt64(3)});
    if (!st.ok())
        return sqlError("cannot list labeled questions");
    return out;
}

Result<std::vector<std::string>> Store::labeledQuestions(const LabelKey& key) const {
    Statement st(m_db, "SELECT question FROM labeled_questions WHERE scorer=? AND prompt_version=?");
    st.bind(1, key.scorer).bind(2, key.promptVersion);
    std::vector<std::string> out;
    while (st.step())
        out.push_back(st.columnText(0));
    if (!st.ok())
        return sqlError("cannot list labeled questions");
    return out;
}

Result<std::vector<LabelRow>> Store::labels(const LabelKey& key, const std::string& split) const {
    Statement st(m_db, "SELECT question, paragraph, utility, nll_with, nll_without FROM labels "
                       "WHERE scorer=? AND prompt_version=? AND split=? ORDER BY question, paragraph");
    st.bind(1, key.scorer).bind(2, key.promptVersion).bind(3, split);
    std::vector<LabelRow> out;
    while (st.step())
        out.push_back(
            LabelRow{st.columnText(0), st.columnInt(1), st.columnDouble(2), st.columnDouble(3), st.columnDouble(4)});
    if (!st.ok())
        return sqlError("cannot read labels");
    return out;
}

} // namespace uae
