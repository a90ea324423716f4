// Store: merging another workspace's labels (uae merge of labeling shards, shard.h).
#include "uae/store.h"

#include "store_statement.h"

#include <charconv>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <tuple>

namespace uae {

using detail::Statement;

namespace {

// The source is attached as "src" for the merge and detached whatever happens: ATTACH and DETACH
// cannot run inside a transaction, so the guard lives outside the merge's.
class Attached {
public:
    Attached(sqlite3* db) : m_db(db) {}
    ~Attached() {
        if (m_attached)
            sqlite3_exec(m_db, "DETACH DATABASE src", nullptr, nullptr, nullptr);
    }
    bool attach(const std::string& path) {
        Statement st(m_db, "ATTACH DATABASE ? AS src");
        st.bind(1, path);
        m_attached = st.run();
        return m_attached;
    }

private:
    sqlite3* m_db;
    bool m_attached = false;
};

struct StoredLabel {
    std::int64_t paragraph;
    double utility, nllWith, nllWithout;
};

std::vector<StoredLabel> readLabels(Statement& st, const std::string& question, const LabelKey& key) {
    st.reset();
    st.bind(1, question).bind(2, key.scorer).bind(3, key.promptVersion);
    std::vector<StoredLabel> out;
    while (st.step())
        out.push_back({st.columnInt64(0), st.columnDouble(1), st.columnDouble(2), st.columnDouble(3)});
    return out;
}

// Why two label sets of one question differ, or empty when they are the same (bit for bit: the
// scorers are deterministic, and a difference means the shards did not label alike).
std::string difference(const std::vector<StoredLabel>& here, const std::vector<StoredLabel>& there) {
    auto same = [](const StoredLabel& a, const StoredLabel& b) {
        return std::tie(a.paragraph, a.utility, a.nllWith, a.nllWithout) ==
               std::tie(b.paragraph, b.utility, b.nllWith, b.nllWithout);
    };
    if (std::equal(here.begin(), here.end(), there.begin(), there.end(), same))
        return {};
    auto paragraph = [](const StoredLabel& a, const StoredLabel& b) { return a.paragraph == b.paragraph; };
    if (!std::equal(here.begin(), here.end(), there.begin(), there.end(), paragraph))
        return "different candidates (" + std::to_string(here.size()) + " here, " + std::to_string(there.size()) +
               " in the shard)";
    double most = 0;
    for (size_t i = 0; i < here.size(); ++i)
        most = std::max(most, std::fabs(here[i].utility - there[i].utility));
    char buf[80];
    std::snprintf(buf, sizeof buf, "utilities differ by up to %.3g", most);
    return buf;
}

} // namespace

Result<std::string> Store::workspaceId() const {
    Statement st(m_db, "SELECT value FROM main.workspace_info WHERE key='id'");
    if (!st.step())
        return sqlError("cannot read the workspace id");
    return st.columnText(0);
}

Result<MergeCounts> Store::mergeLabelsFrom(const std::string& sourcePath) {
    const auto myId = workspaceId();
    if (!myId)
        return fail(myId.error());
    Attached src(m_db);
    if (!src.attach(sourcePath))
        return sqlError("cannot attach " + sourcePath);
    Statement version(m_db, "PRAGMA src.user_version");
    if (!version.step() || version.columnInt(0) != kSchemaVersion)
        return fail(sourcePath + ": workspace schema " + std::to_string(version.columnInt(0)) + ", expected " +
                    std::to_string(kSchemaVersion) + " (open it with this uae first)");
    Statement id(m_db, "SELECT value FROM src.workspace_info WHERE key='id'");
    if (!id.step())
        return sqlError("cannot read the workspace id of " + sourcePath);
    const std::string sourceId = id.columnText(0);
    if (sourceId == myId.value())
        return fail(sourcePath + " is this workspace (or a copy of its file): nothing to merge");
    if (auto s = exec("BEGIN IMMEDIATE"); !s)
        return fail(s.error());
    MergeCounts counts;
    auto runs = mergeRuns(sourceId, std::filesystem::absolute(sourcePath).string(), counts);
    Status merged = runs ? mergeQuestions(runs.value(), counts) : Status(fail(runs.error()));
    if (!merged) {
        exec("ROLLBACK");
        return fail(merged.error());
    }
    if (auto s = exec("COMMIT"); !s)
        return fail(s.error());
    return counts;
}

Result<std::map<std::int64_t, std::int64_t>> Store::mergeRuns(const std::string& sourceId,
                                                              const std::string& sourcePath, MergeCounts& counts) {
    Statement st(m_db, "SELECT id, origin, origin_path FROM src.runs WHERE kind='label' ORDER BY id");
    std::map<std::int64_t, std::int64_t> ids;
    while (st.step()) {
        auto here = mergeRun(st, sourceId, sourcePath, counts);
        if (!here)
            return fail(here.error());
        ids[st.columnInt64(0)] = here.value();
    }
    if (!st.ok())
        return sqlError("cannot list the label runs of " + sourcePath);
    return ids;
}

// One label run of the source, as a row of `SELECT id, origin, origin_path`: its id here. A run
// the source merged from elsewhere keeps its first origin, so merging merged workspaces still
// finds each run once; a run that came from this very workspace maps back to itself.
Result<std::int64_t> Store::mergeRun(const Statement& source, const std::string& sourceId,
                                     const std::string& sourcePath, MergeCounts& counts) {
    const std::int64_t there = source.columnInt64(0);
    const bool relayed = !source.columnText(1).empty();
    const std::string origin = relayed ? source.columnText(1) : sourceId + "/" + std::to_string(there);
    const std::string originPath = relayed ? source.columnText(2) : sourcePath;
    const auto myId = workspaceId();
    std::int64_t ownId = 0; // a damaged origin text is no run of ours (never an exception)
    if (myId && origin.starts_with(myId.value() + "/")) {
        const char* digits = origin.data() + myId->size() + 1;
        const auto parsed = std::from_chars(digits, origin.data() + origin.size(), ownId);
        if (parsed.ec != std::errc() || parsed.ptr != origin.data() + origin.size())
            ownId = 0;
    }
    if (ownId > 0) {
        Statement own(m_db, "SELECT id FROM main.runs WHERE id=?");
        own.bind(1, ownId);
        if (own.step())
            return own.columnInt64(0);
    }
    Statement find(m_db, "SELECT id FROM main.runs WHERE origin=?");
    find.bind(1, origin);
    std::int64_t here = find.step() ? find.columnInt64(0) : 0;
    if (here) {
        Statement update(m_db, "UPDATE main.runs SET (status, config, device, ended_at, error) = (SELECT status, "
                               "config, device, ended_at, error FROM src.runs WHERE id=?) WHERE id=?");
        update.bind(1, there).bind(2, here);
        Statement drop(m_db, "DELETE FROM main.metrics WHERE run=?");
        drop.bind(1, here);
        if (!update.run() || !drop.run())
            return sqlError("cannot update merged run " + std::to_string(here));
        ++counts.runsUpdated;
    } else {
        Statement copy(m_db, "INSERT INTO main.runs(kind, method, split, status, config, app_version, device, "
                             "started_at, ended_at, error, pid, host, origin, origin_path) SELECT kind, method, "
                             "split, status, config, app_version, device, started_at, ended_at, error, pid, host, ?, "
                             "? FROM src.runs WHERE id=?");
        copy.bind(1, origin).bind(2, originPath).bind(3, there);
        if (!copy.run())
            return sqlError("cannot copy run " + std::to_string(there) + " of " + sourcePath);
        here = static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_db));
        ++counts.runsCopied;
    }
    Statement metrics(m_db, "INSERT INTO main.metrics(run, step, name, value) SELECT ?, step, name, value FROM "
                            "src.metrics WHERE run=? ORDER BY rowid");
    metrics.bind(1, here).bind(2, there);
    if (!metrics.run())
        return sqlError("cannot copy the metrics of run " + std::to_string(there) + " of " + sourcePath);
    return here;
}

Status Store::mergeQuestions(const std::map<std::int64_t, std::int64_t>& runs, MergeCounts& counts) {
    Statement each(m_db, "SELECT question, scorer, prompt_version, split, candidates, run, source_hash FROM "
                         "src.labeled_questions ORDER BY rowid");
    Statement here(m_db, "SELECT source_hash FROM main.labeled_questions WHERE question=? AND scorer=? AND "
                         "prompt_version=?");
    Statement mine(m_db, "SELECT paragraph, utility, nll_with, nll_without FROM main.labels WHERE question=? AND "
                         "scorer=? AND prompt_version=? ORDER BY paragraph");
    Statement theirs(m_db, "SELECT paragraph, utility, nll_with, nll_without FROM src.labels WHERE question=? AND "
                           "scorer=? AND prompt_version=? ORDER BY paragraph");
    Statement copyLabels(m_db, "INSERT INTO main.labels(question, paragraph, scorer, prompt_version, split, run, "
                               "utility, nll_with, nll_without) SELECT question, paragraph, scorer, prompt_version, "
                               "split, NULLIF(?, 0), utility, nll_with, nll_without FROM src.labels WHERE "
                               "question=? AND scorer=? AND prompt_version=?");
    Statement mark(m_db, "INSERT INTO main.labeled_questions(question, scorer, prompt_version, split, candidates, "
                         "run, source_hash) VALUES(?,?,?,?,?,NULLIF(?, 0),NULLIF(?, ''))");
    while (each.step()) {
        const std::string question = each.columnText(0);
        const LabelKey key{each.columnText(1), each.columnText(2)};
        const std::string hash = each.columnText(6);
        here.reset();
        here.bind(1, question).bind(2, key.scorer).bind(3, key.promptVersion);
        if (here.step()) {
            std::string why = here.columnText(0) != hash
                                  ? "labelled on different text"
                                  : difference(readLabels(mine, question, key), readLabels(theirs, question, key));
            if (why.empty())
                ++counts.questionsSame;
            else
                counts.conflicts.push_back(LabelConflict{question, key, std::move(why)});
            continue;
        }
        const auto run = runs.find(each.columnInt64(5));
        const std::int64_t mapped = run == runs.end() ? 0 : run->second;
        copyLabels.reset();
        copyLabels.bind(1, mapped).bind(2, question).bind(3, key.scorer).bind(4, key.promptVersion);
        mark.reset();
        mark.bind(1, question).bind(2, key.scorer).bind(3, key.promptVersion).bind(4, each.columnText(3));
        mark.bind(5, each.columnInt64(4)).bind(6, mapped).bind(7, hash);
        if (!copyLabels.run())
            return sqlError("cannot copy the labels of question " + question);
        counts.labelsAdded += sqlite3_changes(m_db);
        if (!mark.run())
            return sqlError("cannot mark question " + question + " labeled");
        ++counts.questionsAdded;
    }
    return each.ok() ? Status(Ok{}) : Status(sqlError("cannot read the shard's labeled questions"));
}

} // namespace uae
