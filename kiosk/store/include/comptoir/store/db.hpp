#pragma once
/// @brief RAII wrappers over sqlite3: connection, prepared statement, transaction, errors.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace comptoir::store {

/// An SQLite failure: the operation we attempted and SQLite's own message.
class DbError : public std::runtime_error {
  public:
    DbError(std::string operation, int code, std::string sqliteMessage);
    [[nodiscard]] const std::string& operation() const { return m_operation; }
    [[nodiscard]] int code() const { return m_code; }

  private:
    std::string m_operation;
    int m_code;
};

class Statement;

/// One SQLite connection with the kiosk's durability settings.
class Database {
  public:
    struct Options {
        bool readOnly = false;
        int busyTimeoutMs = 5000;
    };
    /// Opens (creating when allowed) the file and applies WAL, foreign keys, synchronous=FULL.
    static Database open(const std::string& path, Options options);
    static Database open(const std::string& path) { return open(path, Options{}); }

    void exec(std::string_view sql, std::string_view operation);
    [[nodiscard]] Statement prepare(std::string_view sql) const;
    [[nodiscard]] std::int64_t lastInsertRowId() const;
    [[nodiscard]] int changes() const;
    [[nodiscard]] sqlite3* handle() const { return m_db.get(); }
    [[nodiscard]] const std::string& path() const { return m_path; }
    [[nodiscard]] int userVersion();

  private:
    struct Closer {
        void operator()(sqlite3* db) const;
    };
    std::unique_ptr<sqlite3, Closer> m_db;
    std::string m_path;
};

/// A prepared statement; bind with 1-based indexes, step, read columns.
class Statement {
  public:
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
    Statement& bind(int index, std::int64_t v);
    Statement& bind(int index, int v) { return bind(index, static_cast<std::int64_t>(v)); }
    Statement& bind(int index, bool v) { return bind(index, static_cast<std::int64_t>(v ? 1 : 0)); }
    Statement& bind(int index, double v);
    Statement& bind(int index, std::string_view v);
    Statement& bind(int index, const char* v) { return bind(index, std::string_view(v)); }
    Statement& bind(int index, const std::string& v) { return bind(index, std::string_view(v)); }
    Statement& bindBlob(int index, const std::vector<unsigned char>& v);
    Statement& bindNull(int index);
    Statement& bindOptional(int index, const std::optional<std::string>& v) {
        return v ? bind(index, *v) : bindNull(index);
    }
    /// True when a row is available; false when done. Throws DbError on failure.
    bool step();
    /// Runs a statement that returns no rows.
    void run();
    void reset();
    [[nodiscard]] std::int64_t int64(int col) const;
    [[nodiscard]] int integer(int col) const { return static_cast<int>(int64(col)); }
    [[nodiscard]] double real(int col) const;
    [[nodiscard]] std::string text(int col) const;
    /// The column's text without a copy: valid until the next step(), reset() or destruction.
    [[nodiscard]] std::string_view textView(int col) const;
    [[nodiscard]] std::vector<unsigned char> blob(int col) const;
    [[nodiscard]] bool isNull(int col) const;

  private:
    struct Finaliser {
        void operator()(sqlite3_stmt* s) const;
    };
    sqlite3* m_db;
    std::unique_ptr<sqlite3_stmt, Finaliser> m_stmt;
    std::string m_sql;
};

/// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed without commit().
class Transaction {
  public:
    explicit Transaction(Database& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

  private:
    Database& m_db;
    bool m_done = false;
};

/// Runs one query returning a single integer (e.g. COUNT(*)).
[[nodiscard]] std::int64_t queryInt(const Database& db, std::string_view sql);

} // namespace comptoir::store
