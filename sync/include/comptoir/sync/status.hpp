#pragma once
/// @brief `comptoir-sync status`: what a supervision tool needs to know about one kiosk (events
/// waiting, dead letters, last push, pull and backup, disk), as lines or JSON, with an exit code.

#include "comptoir/domain/config.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace comptoir::sync {

/// Above these, `status` exits 1 ("needs attention") and names the problem.
struct HealthLimits {
    std::int64_t oldestWaitingSeconds = 2 * 86'400; ///< an event waiting for two days
    std::int64_t lastPushSeconds = 2 * 86'400;      ///< no push for two days (with a server)
    std::int64_t lastBackupSeconds = 2 * 86'400;    ///< no backup for two days
    std::uint64_t diskFreeBytes = 500ULL << 20;     ///< less than 500 MiB free for the data folder
};

struct KioskHealth {
    std::string kioskId;
    bool serverConfigured = false;
    std::int64_t eventsWaiting = 0;
    std::optional<std::int64_t> oldestWaitingSeconds; ///< age of the oldest event waiting
    /// Anonymous feedback answers held on the kiosk until their day ends (docs/privacy.md): not
    /// events yet, so not in eventsWaiting, but still data that has not left the kiosk.
    std::int64_t feedbackHeld = 0;
    std::int64_t deadLetters = 0;
    std::int64_t spoolWaiting = 0;  ///< registrations the database refused, waiting sealed
    std::int64_t spoolSetAside = 0; ///< save spool files that could not be read
    std::string catalogueVersion;
    std::optional<std::string> lastPushAt, lastPullAt, lastBackupAt, lastJobRunAt;
    std::optional<std::int64_t> lastPushSeconds, lastPullSeconds, lastBackupSeconds;
    std::optional<int> lastJobExitCode;
    std::string lastPushError;
    std::uint64_t databaseBytes = 0;   ///< the database with its WAL
    std::uint64_t diskFreeBytes = 0;   ///< available to the kiosk's user in the data folder
    /// The CCAS's office key id when configured (docs/privacy.md); empty: contact details are
    /// sealed to this kiosk's key only and the CCAS cannot read them centrally.
    std::string officeKeyId;
    std::vector<std::string> problems; ///< plain English, one per limit crossed; empty when healthy
};

/// Reads the kiosk's database (read-only), its backups folder and the disk. `nowUnixMs` is the
/// clock the ages are measured against. Throws store::DbError when the database cannot be read.
[[nodiscard]] KioskHealth readHealth(const KioskConfig& config, std::uint64_t nowUnixMs,
                                     const HealthLimits& limits = {});

/// Stable field names for monitoring (docs/operations.md); absent times are null.
[[nodiscard]] nlohmann::json toJson(const KioskHealth& health);

/// One "key: value" per line, for a person.
[[nodiscard]] std::string toLines(const KioskHealth& health);

/// 0 healthy, 1 needs attention (health.problems is not empty).
[[nodiscard]] int statusExitCode(const KioskHealth& health);

} // namespace comptoir::sync
