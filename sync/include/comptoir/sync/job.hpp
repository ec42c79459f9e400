#pragma once
/// @brief The nightly job (comptoir-sync): lock, import the save spool, push, pull, then
/// maintenance — and the synthetic backlog filler used by benchmarks and acceptance checks.

#include "comptoir/domain/config.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/spool.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/sync/sync_client.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace comptoir::sync {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitConfig = 2;
inline constexpr int kExitTryLater = 75; ///< EX_TEMPFAIL: server unreachable, or another run holds the lock
/// The run went through, but the server refused events for good: they wait in dead-letter for an agent.
inline constexpr int kExitDeadLetters = 3;
/// The server's TLS certificate could not be verified (wrong CA file, or an interception): nothing sent.
inline constexpr int kExitUntrusted = 4;

/// One line for a person: what an exit code of comptoir-sync means.
[[nodiscard]] const char* exitMeaning(int code);

/// An exclusive advisory lock (flock) on a file, released when destroyed. The nightly job holds
/// it for its whole run; the kiosk's worker takes it for each cycle, so they never overlap.
class RunLock {
  public:
    /// nullopt when someone else holds it. Throws std::system_error when the file cannot be opened.
    [[nodiscard]] static std::optional<RunLock> tryAcquire(const std::string& path);
    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&&) = delete;
    RunLock(const RunLock&) = delete;
    ~RunLock();

  private:
    explicit RunLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

/// Where the sync keeps its files inside the kiosk's data folder.
[[nodiscard]] std::string lockPath(const KioskConfig& config);
[[nodiscard]] std::string mediaDir(const KioskConfig& config);
[[nodiscard]] std::string backupDir(const KioskConfig& config);

/// HttpOptions from the configuration: URL, token (read from token_file), CA file, proxy.
/// nullopt with `error` set when the configuration cannot work (exit code 2).
[[nodiscard]] std::optional<HttpOptions> httpOptionsFromConfig(const KioskConfig& config, std::string& error);

/// "YYYY-MM-DDTHH:MM:SS.mmmZ" for a Unix time in milliseconds.
[[nodiscard]] std::string isoUtc(std::uint64_t unixMs);

struct JobOptions {
    KioskConfig config; ///< already resolved (resolvePaths)
    bool push = true;
    bool pull = true;
    bool maintenance = true;
    RetryPolicy retry;
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds requestTimeout{120'000};
    int backupsKept = 7;
    std::function<void(const std::string&)> say; ///< progress lines for a person (stdout)
};

struct JobResult {
    int exitCode = kExitOk;
    store::SpoolImport spool; ///< the kiosk's save spool, imported before the push
    PushReport push;
    PullReport pull;
    store::PurgeReport purge;
    std::string integrity;
    std::string backupPath;
    std::string summary; ///< one line
};

/// Runs the whole job once. Never throws: every failure becomes an exit code and a message.
[[nodiscard]] JobResult runJob(const JobOptions& options);

/// Records `count` synthetic, fictional registrations (and their events) as the kiosk would,
/// for benchmarks and acceptance checks. Needs the kiosk's sealing key (created at first start).
/// Commits without waiting for the disk (synchronous=NORMAL) to go fast; restores FULL after.
void fillSyntheticBacklog(store::Database& db, const std::string& kioskId, std::size_t count, std::uint64_t seed,
                          const std::function<void(std::size_t)>& progress = {});

} // namespace comptoir::sync
