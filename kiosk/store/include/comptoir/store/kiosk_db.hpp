#pragma once
/// @brief Opening the kiosk's database at start: checks, recovery from corruption, migrations.

#include "comptoir/store/db.hpp"

#include <optional>
#include <string>

namespace comptoir::store {

struct OpenedDatabase {
    Database db;
    std::optional<std::string> movedAsideTo; ///< set when a damaged file was set aside
    std::string movedAsideReason;
};

/// Opens (creating when missing) and migrates the database at `path`. A file that cannot be
/// opened, is not a database, or fails PRAGMA quick_check is renamed to
/// "<path>.damaged-YYYYMMDD-HHMMSS" (with its -wal and -shm) and a fresh database is created,
/// so the kiosk starts instead of crashing.
[[nodiscard]] OpenedDatabase openKioskDatabase(const std::string& path);

} // namespace comptoir::store
