#pragma once
/// @brief Versioned schema migrations keyed by PRAGMA user_version.

#include "comptoir/store/db.hpp"

namespace comptoir::store {

/// The schema version this build writes.
[[nodiscard]] int latestSchemaVersion();

/// Brings the database from its current user_version up to `target` (default: latest), one
/// transaction per step. Refuses a database from a newer build.
void migrate(Database& db, int target = -1);

} // namespace comptoir::store
