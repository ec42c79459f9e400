#include "comptoir/sync/status.hpp"

#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/spool.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "comptoir/sync/job.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <sys/stat.h>
#include <system_error>

namespace comptoir::sync {

namespace fs = std::filesystem;

namespace {

/// Unix ms of "YYYY-MM-DDTHH:MM:SS…" (UTC); nullopt when it is not one.
std::optional<std::uint64_t> unixMsOf(const std::string& iso) {
    std::tm tm{};
    if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return std::nullopt;
    std::time_t t = timegm(&tm);
    if (t < 0) return std::nullopt;
    return static_cast<std::uint64_t>(t) * 1000;
}

/// Seconds from `then` to `now`, never negative (a clock set back must not look like the future).
std::int64_t ageSeconds(std::uint64_t thenMs, std::uint64_t nowMs) {
    return nowMs > thenMs ? static_cast<std::int64_t>((nowMs - thenMs) / 1000) : 0;
}

std::uint64_t fileBytes(const std::string& path) {
    std::error_code ec;
    auto n = fs::file_size(path, ec);
    return ec ? 0 : static_cast<std::uint64_t>(n);
}

/// The newest comptoir-*.db in the backups folder, by modification time (Unix ms).
std::optional<std::uint64_t> newestBackupMs(const std::string& dir) {
    std::error_code ec;
    std::optional<std::uint64_t> newest;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.rfind("comptoir-", 0) != 0 || it->path().extension() != ".db") continue;
        struct stat st {};
        if (::stat(it->path().c_str(), &st) != 0) continue;
        auto ms = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000 +
                  static_cast<std::uint64_t>(st.st_mtim.tv_nsec / 1'000'000);
        if (!newest || ms > *newest) newest = ms;
    }
    return newest;
}

/// The time and age of a sync-state timestamp.
void stamp(const store::Database& db, const char* key, std::uint64_t now, std::optional<std::string>& at,
           std::optional<std::int64_t>& age) {
    at = store::syncState(db, key);
    if (at && at->empty()) at.reset();
    if (auto ms = at ? unixMsOf(*at) : std::nullopt) age = ageSeconds(*ms, now);
}

} // namespace

KioskHealth readHealth(const KioskConfig& config, std::uint64_t now, const HealthLimits& limits) {
    KioskHealth h;
    h.kioskId = config.kioskId;
    h.serverConfigured = !config.serverUrl.empty();
    if (auto office = decodePublicKey(config.officePublicKey)) h.officeKeyId = store::keyIdHex(store::keyIdOf(*office));
    {
        auto db = store::Database::open(config.databasePath, {true, 5000});
        h.eventsWaiting = store::pendingCount(db);
        auto oldest = store::pendingEvents(db, 1);
        if (!oldest.empty())
            if (auto ms = unixMsOf(oldest.front().occurredAt)) h.oldestWaitingSeconds = ageSeconds(*ms, now);
        h.feedbackHeld = store::heldFeedbackCount(db);
        h.deadLetters = store::deadLetterCount(db);
        h.catalogueVersion = store::catalogueVersion(db);
        stamp(db, "push.last_success_at", now, h.lastPushAt, h.lastPushSeconds);
        stamp(db, "pull.last_success_at", now, h.lastPullAt, h.lastPullSeconds);
        std::optional<std::int64_t> unused;
        stamp(db, "job.last_run_at", now, h.lastJobRunAt, unused);
        if (auto code = store::syncState(db, "job.last_exit_code"); code && !code->empty())
            h.lastJobExitCode = std::atoi(code->c_str());
        h.lastPushError = store::syncState(db, "push.last_error").value_or("");
    }
    store::SaveSpool spool(store::spoolDirIn(config.dataDir));
    h.spoolWaiting = static_cast<std::int64_t>(spool.count());
    h.spoolSetAside = static_cast<std::int64_t>(spool.unreadableCount());
    if (auto ms = newestBackupMs(backupDir(config))) {
        h.lastBackupAt = isoUtc(*ms);
        h.lastBackupSeconds = ageSeconds(*ms, now);
    }
    h.databaseBytes = fileBytes(config.databasePath) + fileBytes(config.databasePath + "-wal");
    std::error_code ec;
    auto space = fs::space(config.dataDir, ec);
    h.diskFreeBytes = ec ? 0 : static_cast<std::uint64_t>(space.available);

    if (h.deadLetters > 0)
        h.problems.push_back(std::to_string(h.deadLetters) + " events refused for good wait in dead-letter");
    if (h.oldestWaitingSeconds && *h.oldestWaitingSeconds > limits.oldestWaitingSeconds)
        h.problems.push_back("the oldest event has waited " + std::to_string(*h.oldestWaitingSeconds / 3600) +
                             " hours");
    // 0 is done and 75 "try later" (the next run tries again); anything else needs a person.
    if (h.lastJobExitCode && *h.lastJobExitCode != kExitOk && *h.lastJobExitCode != kExitTryLater)
        h.problems.push_back(std::string("the last nightly run ") + exitMeaning(*h.lastJobExitCode));
    if (h.lastBackupSeconds && *h.lastBackupSeconds > limits.lastBackupSeconds)
        h.problems.push_back("no backup since " + *h.lastBackupAt);
    if (!h.lastBackupAt && h.lastJobRunAt) h.problems.push_back("the nightly job ran but no backup exists");
    if (h.diskFreeBytes < limits.diskFreeBytes)
        h.problems.push_back("only " + std::to_string(h.diskFreeBytes >> 20) +
                             " MiB free for the data folder");
    if (h.spoolWaiting > 0)
        h.problems.push_back(std::to_string(h.spoolWaiting) + " registrations wait in the save spool");
    if (h.spoolSetAside > 0)
        h.problems.push_back(std::to_string(h.spoolSetAside) + " save spool files were set aside");
    return h;
}

nlohmann::json toJson(const KioskHealth& h) {
    auto opt = [](const auto& v) -> nlohmann::json {
        if (v) return *v;
        return nullptr;
    };
    return {
        {"kiosk_id", h.kioskId},
        {"healthy", h.problems.empty()},
        {"problems", h.problems},
        {"server_configured", h.serverConfigured},
        {"events_waiting", h.eventsWaiting},
        {"oldest_waiting_seconds", opt(h.oldestWaitingSeconds)},
        {"feedback_held", h.feedbackHeld},
        {"dead_letters", h.deadLetters},
        {"spool_waiting", h.spoolWaiting},
        {"spool_set_aside", h.spoolSetAside},
        {"catalogue_version", h.catalogueVersion},
        {"last_push_at", opt(h.lastPushAt)},
        {"last_push_age_seconds", opt(h.lastPushSeconds)},
        {"last_push_error", h.lastPushError},
        {"last_pull_at", opt(h.lastPullAt)},
        {"last_pull_age_seconds", opt(h.lastPullSeconds)},
        {"last_backup_at", opt(h.lastBackupAt)},
        {"last_backup_age_seconds", opt(h.lastBackupSeconds)},
        {"last_job_run_at", opt(h.lastJobRunAt)},
        {"last_job_exit_code", opt(h.lastJobExitCode)},
        {"database_bytes", h.databaseBytes},
        {"disk_free_bytes", h.diskFreeBytes},
        {"office_key_id", h.officeKeyId.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.officeKeyId)},
    };
}

std::string toLines(const KioskHealth& h) {
    std::ostringstream out;
    out << "events waiting: " << h.eventsWaiting << "\n";
    if (h.oldestWaitingSeconds) out << "oldest waiting: " << *h.oldestWaitingSeconds << " s\n";
    out << "feedback held until its day ends: " << h.feedbackHeld << "\n";
    out << "dead letters: " << h.deadLetters << "\n"
        << "catalogue version: " << h.catalogueVersion << "\n"
        << "registrations waiting in the save spool: " << h.spoolWaiting << "\n"
        << "save spool files set aside: " << h.spoolSetAside << "\n"
        << "push.last_success_at: " << h.lastPushAt.value_or("never") << "\n"
        << "pull.last_success_at: " << h.lastPullAt.value_or("never") << "\n"
        << "job.last_run_at: " << h.lastJobRunAt.value_or("never") << "\n"
        << "job.last_exit_code: " << (h.lastJobExitCode ? std::to_string(*h.lastJobExitCode) : "never")
        << "\n";
    if (h.lastJobExitCode) out << "job.last_outcome: " << exitMeaning(*h.lastJobExitCode) << "\n";
    if (!h.lastPushError.empty()) out << "push.last_error: " << h.lastPushError << "\n";
    out << "last backup: " << h.lastBackupAt.value_or("never") << "\n"
        << "database size: " << h.databaseBytes << " bytes\n"
        << "disk free: " << h.diskFreeBytes << " bytes\n";
    // Whether the CCAS can read this kiosk's registrations centrally (docs/privacy.md).
    if (!h.officeKeyId.empty())
        out << "office key: " << h.officeKeyId
            << " (contact details sealed to this kiosk's key and to the CCAS's office key)\n";
    else
        out << "office key: none (contact details sealed to this kiosk's key only: the CCAS cannot read "
               "them from the central server; set [privacy] office_public_key)\n";
    for (const auto& p : h.problems)
        out << "needs attention: " << p << "\n";
    return out.str();
}

int statusExitCode(const KioskHealth& h) {
    return h.problems.empty() ? 0 : 1;
}

} // namespace comptoir::sync
