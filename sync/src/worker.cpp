#include "comptoir/sync/worker.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/sync/job.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace comptoir::sync {

const char* toString(SyncState s) {
    switch (s) {
    case SyncState::Idle: return "idle";
    case SyncState::InProgress: return "in progress";
    case SyncState::Succeeded: return "succeeded";
    case SyncState::Failed: return "failed";
    }
    return "idle";
}

SyncWorker::SyncWorker(WorkerOptions options) : m_options(std::move(options)) {
    m_options.http.cancel = &m_stop;
    m_thread = std::thread([this] { loop(); });
}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void SyncWorker::nudge() {
    {
        std::lock_guard lock(m_mutex);
        m_nudged = true;
    }
    m_wake.notify_all();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void SyncWorker::publish(const std::function<void(SyncStatus&)>& change) {
    std::lock_guard lock(m_mutex);
    change(m_status);
}

void SyncWorker::loop() {
    Backoff failures(RetryPolicy{m_options.nudgeDelay, m_options.interval, std::chrono::seconds(0), 0});
    auto nextRegular = std::chrono::steady_clock::now() + m_options.interval;
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(lock, nextRegular, [&] { return m_stop.load() || m_nudged; });
            if (m_stop) return;
            bool nudged = m_nudged;
            m_nudged = false;
            if (nudged) {
                // Let a burst of registrations settle into one cycle, still waking for stop().
                m_wake.wait_for(lock, m_options.nudgeDelay, [&] { return m_stop.load(); });
                if (m_stop) return;
                m_nudged = false;
            }
        }
        cycle();
        bool ok = status().state == SyncState::Succeeded;
        if (ok) failures.reset();
        nextRegular = std::chrono::steady_clock::now() +
                      (ok ? m_options.interval : std::max(failures.next(), m_options.nudgeDelay));
    }
}

void SyncWorker::cycle() {
    // Everything lives on this thread: the SQLite connection and the CURL handle are never shared.
    publish([](SyncStatus& s) {
        s.state = SyncState::InProgress;
        s.lastAttempt = std::chrono::system_clock::now();
        ++s.cycles;
    });
    std::string error;
    bool done = false;
    try {
        auto lock = m_options.lockPath.empty() ? std::nullopt : RunLock::tryAcquire(m_options.lockPath);
        if (!m_options.lockPath.empty() && !lock) {
            publish([](SyncStatus& s) { s.state = SyncState::Idle; });
            return; // the nightly job is syncing right now
        }
        auto db = store::Database::open(m_options.databasePath);
        HttpClient http(m_options.http);
        PushOptions po;
        po.kioskId = m_options.kioskId;
        po.retry = m_options.retry;
        po.cancel = &m_stop;
        auto push = pushPending(db, http, po);
        bool ok = push.outcome == Outcome::Done;
        bool untrusted = push.outcome == Outcome::Untrusted;
        if (!ok) error = "push " + std::string(toString(push.outcome)) + ": " + push.lastError;
        bool swapped = false;
        if (ok && m_options.pullCatalogue) {
            PullOptions pl;
            pl.mediaDir = m_options.mediaDir;
            pl.retry = m_options.retry;
            pl.cancel = &m_stop;
            auto pull = pullCatalogue(db, http, pl);
            ok = pull.outcome == Outcome::Done;
            untrusted = pull.outcome == Outcome::Untrusted;
            swapped = pull.changed;
            if (!ok) error = "catalogue " + std::string(toString(pull.outcome)) + ": " + pull.lastError;
        }
        auto waiting = store::pendingCount(db);
        auto dead = store::deadLetterCount(db);
        auto version = store::catalogueVersion(db);
        if (ok) store::setSyncState(db, "push.last_success_at", isoUtc(nowUnixMs()));
        publish([&](SyncStatus& s) {
            s.eventsWaiting = waiting;
            s.deadLetters = dead;
            s.catalogueVersion = version;
            s.deadLetteredLastCycle = push.deadLettered;
            s.untrusted = untrusted;
            if (swapped) ++s.catalogueSwaps;
        });
        done = ok;
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!done && !m_stop) spdlog::warn("sync: {}", error);
    publish([&](SyncStatus& s) {
        if (done) {
            s.state = SyncState::Succeeded;
            s.lastSuccess = std::chrono::system_clock::now();
            s.lastError.clear();
        } else {
            s.state = SyncState::Failed;
            s.lastError = m_stop ? "stopped" : error;
        }
    });
}

} // namespace comptoir::sync
