#include "uae/store.h"

#include "store_schema.h"
#include "store_statement.h"
#include "uae/version.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace uae {

using detail::Statement;

namespace {

std::string hostName() {
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

bool processAlive(long pid) {
    return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

} // namespace

Error Store::sqlError(const std::string& what) const {
    const int code = sqlite3_errcode(m_db);
    std::string hint;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        hint = " (another process holds the workspace; try again when it is done)";
    else if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        hint = " (the file is not a workspace database or is damaged)";
    return Error{m_path + ": " + what + ": " + sqlite3_errmsg(m_db) + hint};
}

Status Store::exec(const std::string& sql) const {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        sqlite3_free(err);
        return sqlError("cannot run '" + sql.substr(0, 40) + "'");
    }
    return Ok{};
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return fail(path + ": cannot open workspace: " + msg);
    }
    std::unique_ptr<Store> store(new Store(db, path));
    sqlite3_busy_timeout(db, 5000);
    if (auto s = store->exec("PRAGMA journal_mode=WAL"); !s)
        return fail(s.error());
    if (auto s = store->exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL"); !s)
        return fail(s.error());
    if (auto s = store->migrate(); !s)
        return fail(s.error());
    if (auto s = store->markInterrupted(); !s)
        return fail(s.error());
    return store;
}

Result<std::unique_ptr<Store>> Store::openReadOnly(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return fail(path + ": cannot open workspace for reading: " + msg);
    }
    std::unique_ptr<Store> store(new Store(db, path));
    sqlite3_busy_timeout(db, 5000);
    if (const int v = store->schemaVersion(); v != kSchemaVersion)
        return fail(path + ": workspace schema version " + std::to_string(v) + ", this build reads " +
                    std::to_string(kSchemaVersion) + " (open it once read-write, e.g. with uae runs, to migrate)");
    return store;
}

Store::~Store() {
    sqlite3_close(m_db);
}

int Store::schemaVersion() const {
    Statement st(m_db, "PRAGMA user_version");
    return st.step() ? st.columnInt(0) : -1;
}

// Each migration and its version bump commit together or not at all. The version is read again
// inside the write transaction: two processes opening a new workspace at once both see version 0,
// and the second must not run a migration the first has just committed.
Status Store::migrate() {
    for (;;) {
        if (auto s = exec("BEGIN IMMEDIATE"); !s)
            return s;
        const int v = schemaVersion();
        if (v < 0 || v > kSchemaVersion) {
            exec("ROLLBACK");
            if (v < 0)
                return sqlError("cannot read schema version");
            return fail(m_path + ": workspace schema version " + std::to_string(v) +
                        " is newer than this program understands (" + std::to_string(kSchemaVersion) +
                        "); use a newer uae");
        }
        if (v == kSchemaVersion)
            return exec("COMMIT");
        auto s = exec(detail::kMigrations[static_cast<size_t>(v)]);
        if (s)
            s = exec("PRAGMA user_version=" + std::to_string(v + 1));
        if (!s) {
            exec("ROLLBACK");
            return fail(s.error() + " (migration to schema " + std::to_string(v + 1) + ")");
        }
        if (auto c = exec("COMMIT"); !c)
            return c;
    }
}

Status Store::markInterrupted() {
    Statement st(m_db, "SELECT id, pid FROM runs WHERE status='running' AND (host IS NULL OR host=?)");
    st.bind(1, hostName());
    std::vector<std::int64_t> dead;
    while (st.step())
        if (!processAlive(st.columnInt64(1)))
            dead.push_back(st.columnInt64(0));
    if (!st.ok())
        return sqlError("cannot list running runs");
    for (auto id : dead) {
        if (auto s = finishRun(id, RunStatus::Interrupted, "the process running it ended before it finished"); !s)
            return s;
        ++m_interruptedAtOpen;
    }
    return Ok{};
}

Status Store::upsertDataset(const std::string& name, const std::string& path, long papers, long questions) {
    Statement st(m_db, "INSERT INTO datasets(name, path, papers, questions) VALUES(?,?,?,?) "
                       "ON CONFLICT(name) DO UPDATE SET path=excluded.path, papers=excluded.papers, "
                       "questions=excluded.questions");
    st.bind(1, name)
        .bind(2, path)
        .bind(3, static_cast<std::int64_t>(papers))
        .bind(4, static_cast<std::int64_t>(questions));
    return st.run() ? Status(Ok{}) : Status(sqlError("cannot store data set " + name));
}

Result<std::vector<DatasetInfo>> Store::datasets() const {
    Statement st(m_db, "SELECT name, path, papers, questions, added_at FROM datasets ORDER BY name");
    std::vector<DatasetInfo> out;
    while (st.step())
        out.push_back(DatasetInfo{st.columnText(0), st.columnText(1), static_cast<long>(st.columnInt64(2)),
                                  static_cast<long>(st.columnInt64(3)), st.columnText(4)});
    if (!st.ok())
        return sqlError("cannot list data sets");
    return out;
}

Status Store::upsertModel(const std::string& name, const std::string& kind, const std::string& path) {
    Statement st(m_db, "INSERT INTO models(name, kind, path) VALUES(?,?,?) "
                       "ON CONFLICT(name) DO UPDATE SET kind=excluded.kind, path=excluded.path");
    st.bind(1, name).bind(2, kind).bind(3, path);
    return st.run() ? Status(Ok{}) : Status(sqlError("cannot store model " + name));
}

Result<std::int64_t> Store::beginRun(RunKind kind, const std::string& method, const std::string& split,
                                     const std::string& configJson, const std::string& device) {
    Statement st(m_db, "INSERT INTO runs(kind, method, split, status, config, app_version, device, pid, host) "
                       "VALUES(?,?,?,'running',?,?,?,?,?)");
    st.bind(1, std::string(toString(kind)))
        .bind(2, method)
        .bind(3, split)
        .bind(4, configJson)
        .bind(5, appVersion())
        .bind(6, device)
        .bind(7, static_cast<std::int64_t>(getpid()))
        .bind(8, hostName());
    if (!st.run())
        return sqlError("cannot start a run");
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_db));
}

Status Store::finishRun(std::int64_t run, RunStatus status, const std::string& error) {
    Statement st(m_db, "UPDATE runs SET status=?, error=NULLIF(?, ''), "
                       "ended_at=strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id=?");
    st.bind(1, std::string(toString(status))).bind(2, error).bind(3, run);
    return st.run() ? Status(Ok{}) : Status(sqlError("cannot finish run " + std::to_string(run)));
}

Status Store::addMetrics(std::int64_t run, std::int64_t step,
                         const std::vector<std::pair<std::string, double>>& values) {
    if (auto s = exec("BEGIN IMMEDIATE"); !s)
        return s;
    for (const auto& [name, value] : values)
        if (auto s = addMetric(run, step, name, value); !s) {
            exec("ROLLBACK");
            return s;
        }
    return exec("COMMIT");
}

Status Store::replaceMetrics(std::int64_t run, std::int64_t step,
                             const std::vector<std::pair<std::string, double>>& values) {
    if (auto s = exec("BEGIN IMMEDIATE"); !s)
        return s;
    for (const auto& [name, value] : values) {
        Statement del(m_db, "DELETE FROM metrics WHERE run=? AND step=? AND name=?");
        del.bind(1, run).bind(2, step).bind(3, name);
        Status s = del.run() ? addMetric(run, step, name, value) : Status(sqlError("cannot replace metric " + name));
        if (!s) {
            exec("ROLLBACK");
            return s;
        }
    }
    return exec("COMMIT");
}

Status Store::reopenRun(std::int64_t run, std::int64_t keepUpToStep) {
    Statement st(m_db, "UPDATE runs SET status='running', ended_at=NULL, error=NULL, pid=?, host=? WHERE id=?");
    st.bind(1, static_cast<std::int64_t>(getpid())).bind(2, hostName()).bind(3, run);
    if (!st.run())
        return sqlError("cannot reopen run " + std::to_string(run));
    Statement del(m_db, "DELETE FROM metrics WHERE run=? AND step>?");
    del.bind(1, run).bind(2, keepUpToStep);
    return del.run() ? Status(Ok{}) : Status(sqlError("cannot trim metrics of run " + std::to_string(run)));
}

Status Store::setRunDevice(std::int64_t run, const std::string& device) {
    Statement st(m_db, "UPDATE runs SET device=? WHERE id=?");
    st.bind(1, device).bind(2, run);
    return st.run() ? Status(Ok{}) : Status(sqlError("cannot record the device of run " + std::to_string(run)));
}

Status Store::addMetric(std::int64_t run, std::int64_t step, const std::string& name, double value) {
    Statement st(m_db, "INSERT INTO metrics(run, step, name, value) VALUES(?,?,?,?)");
    st.bind(1, run).bind(2, step).bind(3, name).bind(4, value);
    return st.run() ? Status(Ok{}) : Status(sqlError("cannot store metric " + name));
}

} // namespace uae
