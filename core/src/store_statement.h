#pragma once
// Private: a prepared SQLite statement that finalises itself. Errors surface as ok() == false;
// the caller turns them into a message with the database's errmsg.
#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace uae::detail {

class Statement {
public:
    Statement(sqlite3* db, const char* sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& v) {
        if (m_stmt)
            sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, std::int64_t v) {
        if (m_stmt)
            sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Statement& bind(int i, double v) {
        if (m_stmt)
            sqlite3_bind_double(m_stmt, i, v);
        return *this;
    }
    // true while a row is available; false at the end or on error (see ok()).
    bool step() {
        if (!m_stmt)
            return false;
        m_rc = sqlite3_step(m_stmt);
        return m_rc == SQLITE_ROW;
    }
    // Executes to completion; true on success.
    bool run() {
        while (step()) {
        }
        return ok();
    }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    bool ok() const { return m_stmt && (m_rc == SQLITE_OK || m_rc == SQLITE_DONE || m_rc == SQLITE_ROW); }

    int columnInt(int i) const { return sqlite3_column_int(m_stmt, i); }
    std::int64_t columnInt64(int i) const { return sqlite3_column_int64(m_stmt, i); }
    double columnDouble(int i) const { return sqlite3_column_double(m_stmt, i); }
    bool columnIsNull(int i) const { return sqlite3_column_type(m_stmt, i) == SQLITE_NULL; }
    std::string columnText(int i) const {
        const auto* p = sqlite3_column_text(m_stmt, i);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(m_stmt, i)))
                 : std::string();
    }

private:
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc = SQLITE_OK;
};

} // namespace uae::detail
