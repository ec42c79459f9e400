#include "comptoir/store/sync_state.hpp"

#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/private_files.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <system_error>

namespace fs = std::filesystem;

namespace comptoir::store {

// [SECTION] outbox, answers, dead letters

std::vector<OutboxEvent> pendingEvents(const Database& db, std::size_t limit) {
    auto s = db.prepare("SELECT seq, event_id, type, schema_version, occurred_at, kiosk_id, payload FROM outbox "
                        "WHERE sent_at IS NULL AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.event_id = "
                        "outbox.event_id) ORDER BY seq LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<OutboxEvent> out;
    while (s.step())
        out.push_back(OutboxEvent{s.int64(0), s.text(1), s.text(2), s.integer(3), s.text(4), s.text(5), s.text(6)});
    return out;
}

std::int64_t pendingCount(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND NOT EXISTS "
                        "(SELECT 1 FROM dead_letter d WHERE d.event_id = outbox.event_id)");
}

std::int64_t deadLetterCount(const Database& db) { return queryInt(db, "SELECT COUNT(*) FROM dead_letter"); }

AnswerTally recordAnswers(Database& db, const std::vector<EventAnswer>& answers, const std::string& now) {
    AnswerTally tally;
    Transaction tx(db);
    auto markSent = db.prepare("UPDATE outbox SET sent_at = ?1 WHERE event_id = ?2 AND sent_at IS NULL");
    auto undead = db.prepare("DELETE FROM dead_letter WHERE event_id = ?1");
    auto bury = db.prepare(
        "INSERT INTO dead_letter(event_id, reason, http_status, failed_at) SELECT ?1, ?2, ?3, ?4 "
        "WHERE EXISTS (SELECT 1 FROM outbox WHERE event_id = ?1 AND sent_at IS NULL) ON CONFLICT(event_id) DO NOTHING");
    for (const auto& a : answers) {
        if (a.outcome == EventAnswer::Outcome::Rejected) {
            bury.bind(1, a.eventId).bind(2, a.reason).bind(3, a.httpStatus).bind(4, now).run();
            tally.deadLettered += static_cast<std::size_t>(db.changes());
        } else {
            markSent.bind(1, now).bind(2, a.eventId).run();
            tally.markedSent += static_cast<std::size_t>(db.changes());
            // The server has it after all (e.g. an agent retried it): it is no longer a dead letter.
            undead.bind(1, a.eventId).run();
        }
    }
    tx.commit();
    return tally;
}

std::vector<DeadLetter> deadLetters(const Database& db, std::size_t limit) {
    auto s = db.prepare("SELECT d.event_id, o.type, o.occurred_at, d.reason, d.http_status, d.failed_at "
                        "FROM dead_letter d JOIN outbox o ON o.event_id = d.event_id "
                        "ORDER BY d.failed_at DESC, o.seq DESC LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<DeadLetter> out;
    while (s.step()) out.push_back(DeadLetter{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4), s.text(5)});
    return out;
}

bool retryDeadLetter(Database& db, const std::string& eventId) {
    Transaction tx(db);
    db.prepare("DELETE FROM dead_letter WHERE event_id = ?1").bind(1, eventId).run();
    bool found = db.changes() > 0;
    tx.commit();
    return found;
}

// [SECTION] small key/value state of the sync

void setSyncState(Database& db, const std::string& key, const std::string& value) {
    db.prepare("INSERT INTO sync_state(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
}

std::optional<std::string> syncState(const Database& db, const std::string& key) {
    auto s = db.prepare("SELECT value FROM sync_state WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

// [SECTION] catalogue swap

namespace {
void deleteIds(Database& db, const char* table, const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    // json_each keeps it one statement whatever the number of ids.
    db.prepare(std::string("DELETE FROM ") + table + " WHERE id IN (SELECT value FROM json_each(?1))")
        .bind(1, nlohmann::json(ids).dump())
        .run();
}
} // namespace

void swapCatalogue(Database& db, const CatalogueSwap& swap) {
    Transaction tx(db);
    if (swap.replaceAll) {
        for (const char* table : {"offer", "organisation", "activity", "theme", "neighbourhood"})
            db.exec(std::string("DELETE FROM ") + table, "clear the catalogue before a full swap");
    } else {
        deleteIds(db, "offer", swap.deletedOffers);
    }
    (void)upsertCatalogueRows(db, swap.upserts);
    auto staleActivities =
        db.prepare("DELETE FROM activity WHERE theme_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2))");
    for (const auto& t : swap.upserts.themes) {
        std::vector<std::string> keep;
        for (const auto& a : t.activities) keep.push_back(a.id);
        staleActivities.bind(1, t.id).bind(2, nlohmann::json(keep).dump()).run();
    }
    if (!swap.replaceAll) {
        deleteIds(db, "organisation", swap.deletedOrganisations);
        deleteIds(db, "theme", swap.deletedThemes);
        deleteIds(db, "neighbourhood", swap.deletedNeighbourhoods);
    }
    auto meta = db.prepare("INSERT INTO catalogue_meta(key, value) VALUES(?1, ?2) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    for (const auto& [k, v] : swap.meta) meta.bind(1, k).bind(2, v).run();
    tx.commit();
}

std::optional<std::string> catalogueMeta(const Database& db, const std::string& key) {
    auto s = db.prepare("SELECT value FROM catalogue_meta WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

// [SECTION] maintenance

PurgeReport purgeSyncedPersonalData(Database& db, const std::string& cutoff, const std::string& now) {
    PurgeReport r;
    Transaction tx(db);
    db.prepare("UPDATE personal SET sealed = NULL, purged_at = ?2 WHERE sealed IS NOT NULL AND id IN ("
               " SELECT i.personal_id FROM outbox o JOIN interest i ON i.id = json_extract(o.payload, "
               "'$.interest_id')"
               "  WHERE o.type = 'interest.registered' AND o.sent_at IS NOT NULL AND o.sent_at < ?1"
               " UNION"
               " SELECT c.personal_id FROM outbox o JOIN callback_request c"
               "  ON c.id = json_extract(o.payload, '$.callback_id')"
               "  WHERE o.type = 'callback.requested' AND o.sent_at IS NOT NULL AND o.sent_at < ?1"
               " UNION"
               // refused for good: kept for the agents, but not their visitors' data past retention
               " SELECT COALESCE(i.personal_id, c.personal_id) FROM dead_letter d"
               "  JOIN outbox o ON o.event_id = d.event_id"
               "  LEFT JOIN interest i ON i.id = json_extract(o.payload, '$.interest_id')"
               "  LEFT JOIN callback_request c ON c.id = json_extract(o.payload, '$.callback_id')"
               "  WHERE o.occurred_at < ?1"
               " UNION"
               // the consent promises a time from the visitor's visit, synced or not: a kiosk
               // that never reaches the server must not keep anyone's data for ever
               " SELECT personal_id FROM interest WHERE created_at < ?1"
               " UNION"
               " SELECT personal_id FROM callback_request WHERE created_at < ?1)")
        .bind(1, cutoff)
        .bind(2, now)
        .run();
    r.personalPurged = db.changes();
    // An agent's notes may name the visitor: they go with the record's contact details (purged
    // now or before, or erased), whenever they were written.
    db.prepare("UPDATE introduction SET notes_sealed = NULL WHERE notes_sealed IS NOT NULL AND interest_id IN "
               "(SELECT i.id FROM interest i JOIN personal p ON p.id = i.personal_id WHERE p.sealed IS NULL)")
        .run();
    r.notesPurged = db.changes();
    db.prepare("UPDATE callback_followup SET note_sealed = NULL WHERE note_sealed IS NOT NULL AND callback_id "
               "IN (SELECT c.id FROM callback_request c JOIN personal p ON p.id = c.personal_id "
               "WHERE p.sealed IS NULL)")
        .run();
    r.notesPurged += db.changes();
    db.prepare("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?1 AND NOT EXISTS "
               "(SELECT 1 FROM dead_letter d WHERE d.event_id = outbox.event_id)")
        .bind(1, cutoff)
        .run();
    r.eventsDeleted = db.changes();
    // Events kept (waiting, dead-lettered, or acknowledged within retention) carry a sealed copy:
    // blank it once the record's own data is purged; the event itself still goes, as after an erasure.
    db.prepare("UPDATE outbox SET payload = json_set(payload, '$.personal_sealed', '') "
               "WHERE type IN ('interest.registered', 'callback.requested') "
               "AND json_type(payload, '$.personal_sealed') = 'text' AND json_extract(payload, "
               "'$.personal_sealed') <> '' "
               "AND EXISTS (SELECT 1 FROM personal p WHERE p.sealed IS NULL AND p.id IN ("
               " SELECT personal_id FROM interest WHERE id = json_extract(outbox.payload, '$.interest_id')"
               " UNION ALL"
               " SELECT personal_id FROM callback_request WHERE id = json_extract(outbox.payload, "
               "'$.callback_id')))")
        .run();
    r.outboxCopiesBlanked = db.changes();
    tx.commit();
    return r;
}

std::string integrityCheck(const Database& db) {
    auto s = db.prepare("PRAGMA integrity_check(20)");
    std::string out;
    while (s.step()) {
        if (!out.empty()) out += "; ";
        out += s.text(0);
    }
    return out.empty() ? "no answer" : out;
}

namespace {
struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
} // namespace

void removeLeftoverPartials(const std::string& dir, const std::string& stem) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        auto name = entry.path().filename().string();
        if (name.rfind(stem + "-", 0) == 0 && name.size() > 8 && name.ends_with(".partial")) {
            std::error_code removeError;
            fs::remove(entry.path(), removeError);
            if (removeError) throw DbError("remove the unfinished backup " + entry.path().string(), 0, removeError.message());
        }
    }
}

std::string backupDatabase(const Database& db, const std::string& dir, const std::string& stem,
                           const std::string& stamp, int keep) {
    std::error_code ec;
    try {
        createPrivateDirectories(dir);
    } catch (const std::system_error& e) {
        throw DbError("create backup folder " + dir, 0, e.what());
    }
    std::string final = dir + "/" + stem + "-" + stamp + ".db";
    std::string partial = final + ".partial";
    // A run killed while copying leaves a full copy (sealed data and wrapped key included)
    // under a name nothing rotates: remove every leftover before making a new one.
    removeLeftoverPartials(dir, stem);
    try {
        makePrivateFile(partial); // a copy of everything, wrapped key included: 0600 before a byte is written
    } catch (const std::system_error& e) {
        throw DbError("create backup file", 0, e.what());
    }
    {
        sqlite3* raw = nullptr;
        int rc = sqlite3_open_v2(partial.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        std::unique_ptr<sqlite3, SqliteCloser> dest(raw);
        if (rc != SQLITE_OK) throw DbError("open backup file", rc, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
        sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", db.handle(), "main");
        if (!backup) throw DbError("start backup", sqlite3_errcode(dest.get()), sqlite3_errmsg(dest.get()));
        // One step copies a consistent snapshot; in WAL mode the kiosk keeps writing meanwhile.
        // BUSY/LOCKED can only come from the destination, which nobody else opens: retry briefly.
        for (int attempt = 0; attempt < 50; ++attempt) {
            rc = sqlite3_backup_step(backup, -1);
            if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
            sqlite3_sleep(100);
        }
        int finishRc = sqlite3_backup_finish(backup);
        if (rc != SQLITE_DONE) throw DbError("copy database to backup", rc, sqlite3_errstr(rc));
        if (finishRc != SQLITE_OK) throw DbError("finish backup", finishRc, sqlite3_errmsg(dest.get()));
    }
    fs::rename(partial, final, ec);
    if (ec) throw DbError("rename backup into place", 0, ec.message());

    std::vector<std::string> existing;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        auto name = entry.path().filename().string();
        if (name.rfind(stem + "-", 0) == 0 && entry.path().extension() == ".db") existing.push_back(entry.path());
    }
    // Stamps sort as text (YYYYMMDD-HHMMSS), so the oldest come first.
    std::sort(existing.begin(), existing.end());
    for (std::size_t i = 0; keep > 0 && existing.size() > static_cast<std::size_t>(keep) &&
                            i < existing.size() - static_cast<std::size_t>(keep);
         ++i)
        fs::remove(existing[i], ec);
    return final;
}

} // namespace comptoir::store
