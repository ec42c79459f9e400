#pragma once
/// @brief What the sync needs from the local store: pending events, per-event answers applied in
/// one transaction, the dead-letter table, the catalogue swap, retention purge and backups.

#include "comptoir/domain/types.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/outbox.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace comptoir::store {

// [SECTION] outbox, answers, dead letters

/// Oldest events neither sent nor dead-lettered, at most `limit`, in outbox order.
[[nodiscard]] std::vector<OutboxEvent> pendingEvents(const Database& db, std::size_t limit);
/// Events still to send (dead-lettered ones are not waiting any more: an agent must act on them).
[[nodiscard]] std::int64_t pendingCount(const Database& db);
[[nodiscard]] std::int64_t deadLetterCount(const Database& db);

/// The server's answer for one event of a batch.
struct EventAnswer {
    enum class Outcome { Accepted, Duplicate, Rejected };
    std::string eventId;
    Outcome outcome = Outcome::Accepted;
    std::string reason; ///< for Rejected
    int httpStatus = 200;
};

struct AnswerTally {
    std::size_t markedSent = 0;   ///< accepted or duplicate, newly marked
    std::size_t deadLettered = 0; ///< newly put in dead-letter
};

/// Applies a batch of per-event answers in ONE transaction: accepted and duplicate events get
/// `sent_at = now`, rejected ones go to dead-letter with the reason. Answers for unknown ids are
/// ignored; applying the same answers twice changes nothing.
AnswerTally recordAnswers(Database& db, const std::vector<EventAnswer>& answers, const std::string& now);

struct DeadLetter {
    std::string eventId;
    std::string type;
    std::string occurredAt;
    std::string reason;
    int httpStatus = 0;
    std::string failedAt;
};
/// Newest first, for agent mode.
[[nodiscard]] std::vector<DeadLetter> deadLetters(const Database& db, std::size_t limit);
/// Puts a dead-lettered event back in the queue (after an agent or an upgrade fixed the cause).
/// False when the id is not in dead-letter.
bool retryDeadLetter(Database& db, const std::string& eventId);

// [SECTION] small key/value state of the sync

void setSyncState(Database& db, const std::string& key, const std::string& value);
[[nodiscard]] std::optional<std::string> syncState(const Database& db, const std::string& key);

// [SECTION] catalogue swap

/// A validated catalogue change to apply atomically.
struct CatalogueSwap {
    bool replaceAll = false; ///< true: `upserts` is the whole catalogue, everything else goes
    Catalogue upserts;       ///< entries to insert or update; `upserts.version` becomes the local version
    std::vector<std::string> deletedOffers, deletedOrganisations, deletedThemes, deletedNeighbourhoods;
    std::vector<std::pair<std::string, std::string>> meta; ///< extra catalogue_meta keys, same transaction
};

/// Applies the change in one transaction; any failure (e.g. a foreign key) rolls everything back
/// and rethrows, so readers see the old catalogue or the new one, never a mix.
void swapCatalogue(Database& db, const CatalogueSwap& swap);
[[nodiscard]] std::optional<std::string> catalogueMeta(const Database& db, const std::string& key);

// [SECTION] maintenance

struct PurgeReport {
    std::int64_t personalPurged = 0; ///< sealed personal rows set to NULL
    std::int64_t eventsDeleted = 0;  ///< sent outbox events (carrying sealed copies) deleted
    std::int64_t outboxCopiesBlanked = 0; ///< unsent or dead-lettered events whose sealed copy was blanked
    std::int64_t notesPurged = 0; ///< agents' sealed notes (introductions, call-back follow-ups) cleared
};
/// Purges the personal data of records made before `cutoff` (ISO 8601 UTC) whatever their sync
/// state, and of records whose event the server acknowledged (or refused) before it; blanks the
/// sealed copy in their events still waiting or dead-lettered (the events still go, as after an
/// erasure) and the agents' sealed notes on them (introductions, call-back follow-ups); deletes
/// the acknowledged events past `cutoff`. One transaction.
PurgeReport purgeSyncedPersonalData(Database& db, const std::string& cutoff, const std::string& now);

/// `PRAGMA integrity_check`: "ok" or the first problems found.
[[nodiscard]] std::string integrityCheck(const Database& db);

/// Online copy of the live database with SQLite's backup API into `<dir>/<stem>-<stamp>.db`
/// (written aside as `.partial`, then renamed), then keeps only the `keep` newest `<stem>-*.db`
/// files. Leftover `<stem>-*.partial` files of an interrupted run are removed first, so the
/// caller must be the only one backing up (the nightly job holds its run lock).
/// Returns the new file's path. Throws DbError on failure, leaving older backups in place.
std::string backupDatabase(const Database& db, const std::string& dir, const std::string& stem,
                           const std::string& stamp, int keep);
/// Removes `<dir>/<stem>-*.partial`: copies a killed backup left behind. Throws DbError when one stays.
void removeLeftoverPartials(const std::string& dir, const std::string& stem);

} // namespace comptoir::store
