// Opening the kiosk's database: [SECTION] damage or not, [SECTION] salvage, [SECTION] open.
#include "comptoir/store/kiosk_db.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/private_files.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace fs = std::filesystem;

namespace comptoir::store {

// [SECTION] damage or not

bool isCorruption(const DbError& e) {
    int primary = e.code() & 0xff; // extended result codes are on: keep the primary one
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

namespace {

/// Throws DbError when the file is not a healthy database.
Database openAndCheck(const std::string& path) {
    auto db = Database::open(path);
    std::string first;
    {
        // Finished before migrating: a statement still reading would forbid DROP TABLE.
        auto check = db.prepare("PRAGMA quick_check");
        if (check.step()) first = check.text(0);
    }
    if (first != "ok") {
        // quick_check can list hundreds of damaged pages: one line is enough for the journal.
        auto eol = first.find('\n');
        if (eol != std::string::npos) first = first.substr(0, eol) + " …";
        throw DbError("quick_check", SQLITE_CORRUPT, first.empty() ? "no answer" : first);
    }
    migrate(db);
    return db;
}

/// The error a person reads when the kiosk cannot start on its database: what, where, what to do.
DbError refusal(const std::string& path, const std::string& why, const std::string& whatHappened) {
    auto folder = fs::path(path).parent_path().string();
    return DbError("cannot use the kiosk database " + path, 0,
                   why + ". " + whatHappened + " Check that the disk holding " + (folder.empty() ? "." : folder) +
                       " has free space and that the folder and its files can be read and written by the "
                       "kiosk's user, then start the kiosk again");
}

DbError unusable(const std::string& path, const std::string& why) {
    return refusal(path, why, "Nothing was moved or changed: this is not damage to the file.");
}

// [SECTION] salvage

struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinaliser {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinaliser>;

StmtPtr prepareRaw(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        sqlite3_finalize(s);
        return nullptr;
    }
    return StmtPtr(s);
}

/// Reads a damaged file row by row; each read that fails costs that row only.
class Salvager {
  public:
    Salvager(sqlite3* src, Database& dst) : m_src(src), m_dst(dst) {}

    /// Every seq of an unsent event that can be reached, scanning from both ends of the table:
    /// a bad page in the middle stops one scan but not the other.
    std::vector<std::int64_t> unsentSeqs() {
        std::set<std::int64_t> seqs;
        for (const char* order : {"ASC", "DESC"}) {
            auto s = prepareRaw(m_src, std::string("SELECT seq FROM outbox NOT INDEXED WHERE sent_at IS NULL "
                                                   "ORDER BY seq ") + order);
            if (!s) return {};
            while (sqlite3_step(s.get()) == SQLITE_ROW) seqs.insert(sqlite3_column_int64(s.get(), 0));
        }
        return {seqs.begin(), seqs.end()};
    }

    /// Copies the row of `table` whose `key` column equals `value` (integer or text); false when
    /// it cannot be read or written. The fresh database's columns drive the copy.
    template <class Key> bool copyRow(const std::string& table, const char* key, const Key& value) {
        return copyRows(table, std::string(" WHERE ") + key + " = ?1",
                        [&](sqlite3_stmt* sel) { bindKey(sel, value); }) > 0;
    }

    /// Copies every readable row of `table`; returns how many were written.
    int copyTable(const std::string& table) {
        return copyRows(table, "", [](sqlite3_stmt*) {});
    }

    /// Copies the readable rows of `table` that `where` (" WHERE …", no parameter) selects.
    int copyWhere(const std::string& table, const std::string& where) {
        return copyRows(table, where, [](sqlite3_stmt*) {});
    }

    /// One integer column of one row of the damaged file, when readable.
    std::optional<std::int64_t> readInt(const std::string& sql, const std::string& key) {
        auto s = prepareRaw(m_src, sql);
        if (!s) return std::nullopt;
        bindKey(s.get(), key);
        if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
        return sqlite3_column_int64(s.get(), 0);
    }

  private:
    template <class Bind> int copyRows(const std::string& table, const std::string& where, const Bind& bind) {
        auto cols = columns(table);
        if (cols.empty()) return 0;
        std::string list, params;
        for (std::size_t i = 0; i < cols.size(); ++i) {
            list += (i ? ", " : "") + cols[i];
            params += (i ? ", ?" : "?") + std::to_string(i + 1);
        }
        auto sel = prepareRaw(m_src, "SELECT " + list + " FROM " + table + where);
        auto ins = prepareRaw(m_dst.handle(), "INSERT OR IGNORE INTO " + table + "(" + list + ") VALUES(" + params + ")");
        if (!sel || !ins) return 0;
        bind(sel.get());
        int copied = 0;
        while (sqlite3_step(sel.get()) == SQLITE_ROW) {
            sqlite3_reset(ins.get());
            bool bound = true;
            for (std::size_t i = 0; i < cols.size() && bound; ++i)
                bound = sqlite3_bind_value(ins.get(), static_cast<int>(i + 1),
                                           sqlite3_column_value(sel.get(), static_cast<int>(i))) == SQLITE_OK;
            if (bound && sqlite3_step(ins.get()) == SQLITE_DONE && sqlite3_changes(m_dst.handle()) > 0) ++copied;
        }
        return copied;
    }

    static void bindKey(sqlite3_stmt* s, std::int64_t v) { sqlite3_bind_int64(s, 1, v); }
    static void bindKey(sqlite3_stmt* s, const std::string& v) {
        sqlite3_bind_text(s, 1, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }

    const std::vector<std::string>& columns(const std::string& table) {
        auto it = m_columns.find(table);
        if (it != m_columns.end()) return it->second;
        std::vector<std::string> cols;
        auto s = m_dst.prepare("SELECT name FROM pragma_table_info(?1)");
        s.bind(1, table);
        while (s.step()) {
            std::string quoted(1, '"');
            quoted.append(s.text(0)).push_back('"');
            cols.push_back(std::move(quoted));
        }
        return m_columns.emplace(table, std::move(cols)).first->second;
    }

    sqlite3* m_src;
    Database& m_dst;
    std::map<std::string, std::vector<std::string>> m_columns;
};

} // namespace

SalvageReport salvageDamaged(const std::string& damagedPath, Database& fresh) {
    SalvageReport r;
    try {
        sqlite3* raw = nullptr;
        int rc = sqlite3_open_v2(damagedPath.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
        std::unique_ptr<sqlite3, SqliteCloser> src(raw);
        if (rc != SQLITE_OK) return r;
        sqlite3_busy_timeout(raw, 1000);
        // Nothing this connection runs may write to the evidence; writable_schema makes SQLite
        // read a truncated file up to its end instead of refusing it whole.
        sqlite3_exec(raw, "PRAGMA query_only = ON; PRAGMA writable_schema = ON", nullptr, nullptr, nullptr);
        Salvager s(raw, fresh);
        Transaction tx(fresh);
        // The same key keeps the agents' PIN and every sealed copy readable.
        if (s.copyRow("keyring", "id", std::int64_t{1})) r.keyring = true;
        // Each agent's wrap of that key, so every agent's PIN still opens it; the audit trail.
        if (s.copyTable("agent") > 0 && s.copyTable("agent_key") == 0) r.keyring = false;
        (void)s.copyTable("audit");
        auto seqs = s.unsentSeqs();
        for (auto seq : seqs) {
            if (!s.copyRow("outbox", "seq", seq)) {
                ++r.unreadable;
                continue;
            }
            ++r.events;
            // The records the event describes, so agents still see them on this kiosk.
            auto ev = fresh.prepare("SELECT type, json_extract(payload, '$.interest_id'), "
                                    "json_extract(payload, '$.callback_id') FROM outbox WHERE seq = ?1");
            ev.bind(1, seq);
            if (!ev.step()) continue;
            auto type = ev.text(0);
            auto withPersonal = [&](const char* table, const std::string& id) {
                auto personal = s.readInt(std::string("SELECT personal_id FROM ") + table + " WHERE id = ?1", id);
                if (!personal) return;
                if (s.copyRow("personal", "id", *personal)) ++r.records;
                if (s.copyRow(table, "id", id)) ++r.records;
            };
            if (type == "interest.registered" && !ev.isNull(1)) withPersonal("interest", ev.text(1));
            else if (type == "callback.requested" && !ev.isNull(2))
                withPersonal("callback_request", ev.text(2));
        }
        // Feedback rows are rebuilt from their events, whatever the damaged file's schema (an
        // older one had times and contexts); a malformed event's row is simply not made.
        fresh.exec(
            "INSERT OR IGNORE INTO feedback(id, score, given_on, held) "
            "SELECT json_extract(payload, '$.feedback_id'), json_extract(payload, '$.score'), "
            "substr(COALESCE(json_extract(payload, '$.given_on'), json_extract(payload, '$.created_at')), "
            "1, 10), 0 FROM outbox WHERE type = 'feedback.given' AND sent_at IS NULL "
            "AND json_type(payload, '$.feedback_id') = 'text' AND json_type(payload, '$.score') = 'integer' "
            "AND json_extract(payload, '$.score') BETWEEN 1 AND 4",
            "rebuild salvaged feedback");
        r.records += static_cast<std::size_t>(fresh.changes());
        // Feedback still held for its day's end has no event yet: it lives only in its table.
        r.records += static_cast<std::size_t>(s.copyWhere("feedback", " WHERE held = 1"));
        tx.commit();
    } catch (const std::exception& e) {
        // Best effort by design: the fresh database is usable whatever happens here.
        spdlog::error("salvage from {} stopped: {}", damagedPath, e.what());
        r = SalvageReport{};
    }
    return r;
}

// [SECTION] open

namespace {

/// Renames a database with its -wal and -shm; on failure puts back what moved and returns the
/// error (a main file without its WAL would lose commits).
std::error_code moveDatabaseFiles(const std::string& from, const std::string& to) {
    std::vector<std::pair<std::string, std::string>> moved;
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        if (*suffix && !fs::exists(from + suffix, ec)) continue;
        fs::rename(from + suffix, to + suffix, ec);
        if (ec) {
            std::error_code ignored;
            for (auto it = moved.rbegin(); it != moved.rend(); ++it) fs::rename(it->second, it->first, ignored);
            return ec;
        }
        moved.emplace_back(from + suffix, to + suffix);
    }
    return {};
}

void removeDatabaseFiles(const std::string& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix, ignored);
}

} // namespace

OpenedDatabase openKioskDatabase(const std::string& path) {
    std::error_code ec;
    auto parent = fs::path(path).parent_path();
    try {
        createPrivateDirectories(parent.string());
    } catch (const std::system_error& e) {
        throw unusable(path, "the folder " + parent.string() + " cannot be created (" + e.what() + ")");
    }
    try {
        return OpenedDatabase{openAndCheck(path), std::nullopt, {}, {}};
    } catch (const DbError& e) {
        // Only proven damage is moved aside: a full disk or a read-only folder would otherwise
        // cost a healthy database (and, once space is back, start the kiosk on an empty one).
        if (!isCorruption(e)) throw unusable(path, e.what());
        std::string aside = path + ".damaged-" + localTime("%Y%m%d-%H%M%S");
        for (int n = 2; fs::exists(aside, ec); ++n)
            aside = path + ".damaged-" + localTime("%Y%m%d-%H%M%S") + "-" + std::to_string(n);
        spdlog::error("database {} is damaged ({}); moving it aside to {} and starting on a fresh database", path,
                      e.what(), aside);
        // The fresh database is made and filled beside the damaged one, which stays in place
        // until then: a crash or a full disk half-way leaves it to be found and salvaged again.
        const std::string staging = path + ".salvage";
        removeDatabaseFiles(staging);
        SalvageReport salvaged;
        try {
            auto fresh = openAndCheck(staging);
            salvaged = salvageDamaged(path, fresh);
        } catch (const DbError& freshError) {
            removeDatabaseFiles(staging);
            throw refusal(path, "it is damaged, but a fresh database cannot be created (" +
                                    std::string(freshError.what()) + ")",
                          "Nothing was moved.");
        }
        if (auto moveError = moveDatabaseFiles(path, aside)) {
            removeDatabaseFiles(staging);
            throw refusal(path, "it is damaged (" + std::string(e.what()) + ") but cannot be moved aside to " + aside +
                                    " (" + moveError.message() + ")",
                          "Nothing was moved.");
        }
        if (auto moveError = moveDatabaseFiles(staging, path)) {
            (void)moveDatabaseFiles(aside, path);
            throw refusal(path, "it is damaged, but the fresh database cannot take its place (" +
                                    moveError.message() + ")",
                          "The damaged database was put back.");
        }
        OpenedDatabase opened{openAndCheck(path), aside, e.what(), salvaged};
        spdlog::warn("salvaged from {}: {} unsent events ({} unreadable), {} records, sealing key {}", aside,
                     salvaged.events, salvaged.unreadable, salvaged.records, salvaged.keyring ? "kept" : "lost");
        return opened;
    }
}

} // namespace comptoir::store
