#pragma once
/// @brief Opening the kiosk's database at start: checks, recovery from corruption, migrations.

#include "comptoir/store/db.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace comptoir::store {

/// What was saved from a damaged database into the fresh one.
struct SalvageReport {
    std::size_t events = 0;       ///< unsent outbox events copied (they will be sent)
    std::size_t unreadable = 0;   ///< unsent events seen but whose row could not be read or copied
    std::size_t records = 0;      ///< interest, call-back, feedback and personal rows copied with them
    bool keyring = false;         ///< the sealing key came along (sealed data stays readable, same PIN)
};

struct OpenedDatabase {
    Database db;
    std::optional<std::string> movedAsideTo; ///< set when a damaged file was set aside
    std::string movedAsideReason;
    SalvageReport salvaged; ///< what came back from the damaged file
};

/// True only when the error proves the file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB, or
/// a failed quick_check). A full disk, a read-only file or folder, a lock or a newer schema are
/// not damage: the file is fine and must be left where it is.
[[nodiscard]] bool isCorruption(const DbError& e);

/// Opens (creating when missing, with its folder, private to the user) and migrates the database
/// at `path`. When the file is proven damaged (isCorruption), a fresh database is created beside
/// it ("<path>.salvage") and receives the damaged file's unsent events, the records they describe
/// and the sealing key (salvageDamaged); only then is the damaged file renamed to
/// "<path>.damaged-YYYYMMDD-HHMMSS" (with its -wal and -shm) and the fresh one put in its place. Any other failure throws a DbError that says what, where and what
/// to do, and touches nothing.
[[nodiscard]] OpenedDatabase openKioskDatabase(const std::string& path);

/// Copies from the damaged database at `damagedPath` into `fresh` (just created, empty) what
/// must not be lost: the unsent outbox events (their payloads carry the sealed contact details),
/// the interest, call-back, personal and feedback rows they describe, and the keyring. Reads
/// row by row, forwards then backwards, so a bad page costs only the rows on it. Never throws.
SalvageReport salvageDamaged(const std::string& damagedPath, Database& fresh);

} // namespace comptoir::store
