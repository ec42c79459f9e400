// The central tests on both storage backends: one throwaway PostgreSQL cluster per test run.
#include "central_backends.hpp"

#include "comptoir/store/db.hpp"
#include "pg_cluster.hpp"
#include "temp_dir.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <unistd.h>

namespace comptoir::test {

std::string newPostgresDatabase() {
    // One cluster per test binary run, started on first use, stopped and removed at exit.
    static std::mutex mutex;
    static std::unique_ptr<pg::Cluster> cluster;
    std::lock_guard lock(mutex);
    if (!cluster) cluster = std::make_unique<pg::Cluster>();
    return cluster->newDatabase();
}

namespace {
bool isPostgres(const std::string& db) {
    return db.rfind("postgresql://", 0) == 0;
}
} // namespace

std::string queryText(const std::string& db, const std::string& sql) {
    if (isPostgres(db)) {
        pqxx::connection c(db);
        pqxx::nontransaction w(c);
        auto r = w.exec(sql);
        return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
    }
    auto d = store::Database::open(db);
    auto s = d.prepare(sql);
    return s.step() && !s.isNull(0) ? s.text(0) : std::string();
}

std::int64_t queryInt(const std::string& db, const std::string& sql) {
    const auto v = queryText(db, sql);
    return v.empty() ? 0 : std::stoll(v);
}

void execSql(const std::string& db, const std::string& sql) {
    if (isPostgres(db)) {
        pqxx::connection c(db);
        pqxx::nontransaction w(c);
        w.exec(sql);
        return;
    }
    auto d = store::Database::open(db);
    d.exec(sql, "test SQL");
}

std::string sqlText(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

const char* backendName(Backend b) {
    return b == Backend::Postgres ? "PostgreSQL" : "SQLite";
}

} // namespace comptoir::test
