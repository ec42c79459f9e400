#pragma once
/// @brief The kiosk's background sync: its own thread, SQLite connection and libcurl handle;
/// syncs every few minutes and soon after nudge(); the UI reads status() and never waits.

#include "comptoir/sync/http_client.hpp"
#include "comptoir/sync/sync_client.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace comptoir::sync {

enum class SyncState { Idle, InProgress, Succeeded, Failed };
[[nodiscard]] const char* toString(SyncState s);

/// A snapshot for the UI (agent mode's "sync health").
struct SyncStatus {
    SyncState state = SyncState::Idle;
    std::optional<std::chrono::system_clock::time_point> lastSuccess; ///< last cycle that finished everything
    std::optional<std::chrono::system_clock::time_point> lastAttempt;
    std::int64_t eventsWaiting = -1; ///< -1 until the worker has read the database once
    std::int64_t deadLetters = 0;    ///< refused by the server, waiting for an agent
    std::string lastError;           ///< empty after a success; never personal data
    std::size_t deadLetteredLastCycle = 0; ///< events the server refused for good in the last cycle
    bool untrusted = false; ///< last cycle: the server's TLS certificate could not be verified (interception?)
    std::int64_t catalogueVersion = 0;
    std::uint64_t catalogueSwaps = 0; ///< increments each time a new catalogue was swapped in: reload then
    std::uint64_t cycles = 0;
};

struct WorkerOptions {
    std::string databasePath;
    std::string lockPath;  ///< shared with comptoir-sync: a cycle is skipped while the nightly job runs
    std::string mediaDir;  ///< empty: pictures not fetched
    std::string kioskId;
    HttpOptions http;
    std::chrono::milliseconds interval{std::chrono::minutes(5)};
    std::chrono::milliseconds nudgeDelay{std::chrono::seconds(3)}; ///< groups a burst of nudges into one cycle
    bool pullCatalogue = true;
    /// Inside one cycle: a few quick retries, then wait for the next cycle.
    RetryPolicy retry{std::chrono::milliseconds(500), std::chrono::milliseconds(5'000), std::chrono::seconds(300), 3};
};

class SyncWorker {
  public:
    /// Starts the thread; the first cycle runs after nudgeDelay.
    explicit SyncWorker(WorkerOptions options);
    /// Stops promptly: a transfer in flight is aborted, nothing half-written (transactions).
    ~SyncWorker();
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    /// Asks for a cycle soon (after a registration). Never blocks.
    void nudge();
    /// Thread-safe copy of the current state.
    [[nodiscard]] SyncStatus status() const;
    /// Stops and joins; idempotent.
    void stop();

  private:
    void loop();
    void cycle();
    void publish(const std::function<void(SyncStatus&)>& change);

    WorkerOptions m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_nudged = true;
    std::atomic<bool> m_stop{false};
    SyncStatus m_status;
    std::thread m_thread;
};

} // namespace comptoir::sync
