#pragma once
/// @brief Writes visitor records off the UI thread, on its own SQLite connection: the frame
/// never waits for the database. A record the database refuses (read-only, full, locked past
/// busy_timeout) goes to the save spool (sealed, fsync'd) and is retried at start-up, every
/// `retryInterval` and on demand; if even the spool cannot take it, it is held in memory,
/// sealed, and retried the same way. status() is what an agent screen shows.

#include "comptoir/domain/config.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/spool.hpp"
#include "comptoir/store/visitor_repo.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace comptoir::app {

/// Where a save stands, as the session shows it (ImHex's request status).
enum class SaveState { Idle, Saving, Saved, Failed };

struct SaveResult {
    SaveState state = SaveState::Saving;
    store::Recorded recorded; ///< when Saved
    bool kept = false;        ///< when Failed: written to the spool, safe from a restart
    std::string error;        ///< when Failed: SQLite's or the file system's message, never personal data
};

/// A snapshot for agent mode ("saving failed" records) and the logs.
struct SaveStatus {
    std::size_t inSpool = 0;      ///< records the database refused, kept on disk, waiting
    std::size_t heldInMemory = 0; ///< refused by the database AND the spool: lost if the kiosk stops
    std::size_t unreadable = 0;   ///< spool files set aside (damaged or not ours)
    std::uint64_t committed = 0;  ///< records committed at the first attempt or by "Réessayer"
    std::uint64_t imported = 0;   ///< records committed later, from the spool or memory
    std::uint64_t failures = 0;   ///< saves the database refused
    std::uint64_t feedbackLost = 0;
    std::string lastError; ///< empty when the last attempt worked
    std::optional<std::chrono::system_clock::time_point> lastFailureAt;
};

struct RecordWriterOptions {
    std::string databasePath;
    std::string spoolDir;
    std::string kioskId;      ///< for feedback events
    int busyTimeoutMs = 5000; ///< how long a save waits for another writer's lock
    std::chrono::milliseconds retryInterval{std::chrono::minutes(1)};
    /// Called on the writer thread after the spool or memory queue was imported (nudge the sync).
    std::function<void()> onImported;
    /// Applied to each new connection before use (tests make it read-only or "full" with
    /// PRAGMA query_only / max_page_count, which stop root as well as anyone).
    std::function<void(store::Database&)> configureConnection;
};

/// The kiosk's own settings: its database, `<data_dir>/spool`, its id.
[[nodiscard]] RecordWriterOptions recordWriterOptions(const KioskConfig& config);

class RecordWriter {
  public:
    /// Starts the thread; it first imports whatever the spool holds.
    explicit RecordWriter(RecordWriterOptions options);
    /// Finishes the save in progress, spools what is still held in memory, joins.
    ~RecordWriter();
    RecordWriter(const RecordWriter&) = delete;
    RecordWriter& operator=(const RecordWriter&) = delete;

    /// Queues a record and returns at once; poll result(ticket). Saving the same record again
    /// (same ids: "Réessayer") can never make a second one.
    [[nodiscard]] std::uint64_t save(store::PreparedRecord record);
    /// Nullopt while the save is in progress; the result once (then forgotten).
    [[nodiscard]] std::optional<SaveResult> takeResult(std::uint64_t ticket);
    /// True once the answer for `ticket` is there (takeResult will return it).
    [[nodiscard]] bool answered(std::uint64_t ticket) const;
    /// True while a save or feedback is queued or being written (scripts wait for it).
    [[nodiscard]] bool busy() const;
    /// The visitor left before the answer: the save goes on, its result is dropped.
    void forget(std::uint64_t ticket);
    /// Anonymous feedback, written in the background; a refusal is logged and counted only.
    void saveFeedback(int score);
    /// Asks for an import of the spool and memory queue now.
    void retryNow();
    [[nodiscard]] SaveStatus status() const;
    /// The spool itself (its entries, for an agent's list).
    [[nodiscard]] const store::SaveSpool& spool() const { return m_spool; }

  private:
    struct Job {
        std::uint64_t ticket = 0; ///< 0: feedback
        store::PreparedRecord record;
        int feedbackScore = 0;
    };
    void loop();
    bool ensureConnection(std::string& error);
    SaveResult write(const store::PreparedRecord& record);
    void writeFeedback(const Job& job);
    void retryWaiting();
    void refreshCounts();

    RecordWriterOptions m_options;
    store::SaveSpool m_spool;
    std::optional<store::Database> m_db; ///< writer thread only
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    std::map<std::uint64_t, SaveResult> m_results;
    std::set<std::uint64_t> m_forgotten;
    std::vector<store::PreparedRecord> m_memory; ///< writer thread only (count mirrored in m_status)
    SaveStatus m_status;
    std::uint64_t m_nextTicket = 1;
    bool m_retryAsked = true; ///< import the spool at start-up
    bool m_stop = false;
    bool m_working = false; ///< a job was taken and is being written
    std::thread m_thread;
};

} // namespace comptoir::app
