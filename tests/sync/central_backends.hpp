#pragma once
/// @brief The central tests on both storage backends: a throwaway PostgreSQL cluster (initdb + pg_ctl in a
/// temporary folder, a free port on 127.0.0.1 and a unix socket in that folder; run as `nobody` when the
/// tests run as root (PostgreSQL refuses root). One cluster per test binary run, started on
/// first use and stopped at exit; each test gets a database of its own.

#include <cstdint>
#include <string>

namespace comptoir::test {

/// The shared cluster's URI for a new, empty database (`postgresql:///NAME?host=…&port=…`).
/// Throws std::runtime_error (with initdb's or pg_ctl's output) when the cluster cannot start.
[[nodiscard]] std::string newPostgresDatabase();

/// The same database seen by another process: the URI as given to `comptoir-central --db`.
enum class Backend { Sqlite, Postgres };
[[nodiscard]] const char* backendName(Backend b);

/// What a test reads or writes behind the server's back, on either backend (`db`: an SQLite
/// path or a PostgreSQL URI). Plain SQL both understand, values written in it.
[[nodiscard]] std::int64_t queryInt(const std::string& db, const std::string& sql);
[[nodiscard]] std::string queryText(const std::string& db, const std::string& sql);
void execSql(const std::string& db, const std::string& sql);
/// `v` as an SQL string literal.
[[nodiscard]] std::string sqlText(const std::string& v);

} // namespace comptoir::test

// The central tests run against both storage backends where PostgreSQL can be started: not in
// sanitizer builds (tests that start external programs stay out of them).
#ifdef COMPTOIR_TEST_POSTGRES
#define CENTRAL_BACKEND() GENERATE(comptoir::test::Backend::Sqlite, comptoir::test::Backend::Postgres)
#else
#define CENTRAL_BACKEND() comptoir::test::Backend::Sqlite
#endif
