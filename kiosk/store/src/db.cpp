#include "comptoir/store/db.hpp"

#include "comptoir/store/private_files.hpp"

#include <sqlite3.h>
#include <system_error>

namespace comptoir::store {

DbError::DbError(std::string operation, int code, std::string sqliteMessage)
    : std::runtime_error(operation + ": " + sqliteMessage), m_operation(std::move(operation)), m_code(code) {}

void Database::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

Database Database::open(const std::string& path, Options options) {
    if (!options.readOnly && !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0) {
        // The file holds the wrapped sealing key: 0600 whatever the umask. SQLite creates the
        // -wal and -shm with the database file's permissions, so they follow.
        try {
            tightenExistingDatabaseFiles(path);
            makePrivateFile(path);
        } catch (const std::system_error& e) {
            throw DbError("open database", SQLITE_CANTOPEN, e.what());
        }
    }
    sqlite3* raw = nullptr;
    int flags = options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX; // one connection per thread, by design
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Database db;
    db.m_db.reset(raw);
    db.m_path = path;
    if (rc != SQLITE_OK) {
        std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        throw DbError("open database", rc, msg);
    }
    sqlite3_extended_result_codes(raw, 1);
    rc = sqlite3_busy_timeout(raw, options.busyTimeoutMs);
    if (rc != SQLITE_OK) throw DbError("set busy_timeout", rc, sqlite3_errmsg(raw));
    db.exec("PRAGMA foreign_keys = ON", "enable foreign keys");
    if (!options.readOnly) {
        // WAL lets the nightly job read while the kiosk writes; FULL fsyncs the WAL on every commit
        // so that a registration shown as confirmed survives a power cut.
        auto mode = db.prepare("PRAGMA journal_mode = WAL");
        if (!mode.step() || mode.text(0) != "wal") throw DbError("enable WAL", SQLITE_ERROR, "journal_mode is not wal");
        db.exec("PRAGMA synchronous = FULL", "set synchronous=FULL");
    }
    return db;
}

void Database::exec(std::string_view sql, std::string_view operation) {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(m_db.get(), s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw DbError(std::string(operation), rc, msg);
    }
}

Statement Database::prepare(std::string_view sql) const {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) throw DbError("prepare '" + std::string(sql.substr(0, 60)) + "'", rc, sqlite3_errmsg(m_db.get()));
    return Statement(m_db.get(), stmt, std::string(sql));
}

std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db.get()); }
int Database::changes() const { return sqlite3_changes(m_db.get()); }
int Database::userVersion() {
    auto s = prepare("PRAGMA user_version");
    s.step();
    return s.integer(0);
}

void Statement::Finaliser::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql) : m_db(db), m_stmt(stmt), m_sql(std::move(sql)) {}

namespace {
void check(sqlite3* db, int rc, const char* op, const std::string& sql) {
    if (rc != SQLITE_OK) throw DbError(std::string(op) + " in '" + sql.substr(0, 60) + "'", rc, sqlite3_errmsg(db));
}
} // namespace

Statement& Statement::bind(int index, std::int64_t v) {
    check(m_db, sqlite3_bind_int64(m_stmt.get(), index, v), "bind", m_sql);
    return *this;
}
Statement& Statement::bind(int index, double v) {
    check(m_db, sqlite3_bind_double(m_stmt.get(), index, v), "bind", m_sql);
    return *this;
}
Statement& Statement::bind(int index, std::string_view v) {
    // An empty string_view may carry a null pointer, which SQLite would store as NULL, not ''.
    const char* text = v.data() ? v.data() : "";
    check(m_db, sqlite3_bind_text64(m_stmt.get(), index, text, v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind",
          m_sql);
    return *this;
}
Statement& Statement::bindBlob(int index, const std::vector<unsigned char>& v) {
    check(m_db, sqlite3_bind_blob64(m_stmt.get(), index, v.data(), v.size(), SQLITE_TRANSIENT), "bind", m_sql);
    return *this;
}
Statement& Statement::bindNull(int index) {
    check(m_db, sqlite3_bind_null(m_stmt.get(), index), "bind", m_sql);
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw DbError("run '" + m_sql.substr(0, 60) + "'", rc, sqlite3_errmsg(m_db));
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(m_stmt.get(), col); }
double Statement::real(int col) const { return sqlite3_column_double(m_stmt.get(), col); }
std::string Statement::text(int col) const {
    const auto* p = sqlite3_column_text(m_stmt.get(), col);
    int n = sqlite3_column_bytes(m_stmt.get(), col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}
std::string_view Statement::textView(int col) const {
    const auto* p = sqlite3_column_text(m_stmt.get(), col);
    int n = sqlite3_column_bytes(m_stmt.get(), col);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}
std::vector<unsigned char> Statement::blob(int col) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(m_stmt.get(), col));
    int n = sqlite3_column_bytes(m_stmt.get(), col);
    return p ? std::vector<unsigned char>(p, p + n) : std::vector<unsigned char>();
}
bool Statement::isNull(int col) const { return sqlite3_column_type(m_stmt.get(), col) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE", "begin transaction"); }

Transaction::~Transaction() {
    if (!m_done) sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_db.exec("COMMIT", "commit transaction");
    m_done = true;
}

std::int64_t queryInt(const Database& db, std::string_view sql) {
    auto s = db.prepare(sql);
    if (!s.step()) return 0;
    return s.int64(0);
}

} // namespace comptoir::store
