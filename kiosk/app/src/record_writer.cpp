#include "comptoir/app/record_writer.hpp"

#include "comptoir/store/sealing.hpp"

#include <spdlog/spdlog.h>

namespace comptoir::app {

RecordWriterOptions recordWriterOptions(const KioskConfig& config) {
    RecordWriterOptions o;
    o.databasePath = config.databasePath;
    o.spoolDir = store::spoolDirIn(config.dataDir);
    o.kioskId = config.kioskId;
    return o;
}

RecordWriter::RecordWriter(RecordWriterOptions options)
    : m_options(std::move(options)), m_spool(m_options.spoolDir), m_thread([this] { loop(); }) {}

RecordWriter::~RecordWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

std::uint64_t RecordWriter::save(store::PreparedRecord record) {
    std::uint64_t ticket = 0;
    {
        std::lock_guard lock(m_mutex);
        ticket = m_nextTicket++;
        m_jobs.push_back(Job{ticket, std::move(record), 0});
    }
    m_wake.notify_all();
    return ticket;
}

std::optional<SaveResult> RecordWriter::takeResult(std::uint64_t ticket) {
    std::lock_guard lock(m_mutex);
    auto it = m_results.find(ticket);
    if (it == m_results.end()) return std::nullopt;
    SaveResult r = std::move(it->second);
    m_results.erase(it);
    return r;
}

bool RecordWriter::answered(std::uint64_t ticket) const {
    std::lock_guard lock(m_mutex);
    return m_results.count(ticket) != 0;
}

bool RecordWriter::busy() const {
    std::lock_guard lock(m_mutex);
    return m_working || !m_jobs.empty();
}

void RecordWriter::forget(std::uint64_t ticket) {
    std::lock_guard lock(m_mutex);
    if (m_results.erase(ticket) == 0) m_forgotten.insert(ticket);
}

void RecordWriter::saveFeedback(int score) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(Job{0, {}, score});
    }
    m_wake.notify_all();
}

void RecordWriter::retryNow() {
    {
        std::lock_guard lock(m_mutex);
        m_retryAsked = true;
    }
    m_wake.notify_all();
}

SaveStatus RecordWriter::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

bool RecordWriter::ensureConnection(std::string& error) {
    if (m_db) return true;
    try {
        auto db = store::Database::open(m_options.databasePath, {false, m_options.busyTimeoutMs});
        if (m_options.configureConnection) m_options.configureConnection(db);
        m_db.emplace(std::move(db));
        return true;
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
}

void RecordWriter::refreshCounts() {
    std::size_t inSpool = m_spool.count(), unreadable = m_spool.unreadableCount();
    std::lock_guard lock(m_mutex);
    m_status.inSpool = inSpool;
    m_status.unreadable = unreadable;
    m_status.heldInMemory = m_memory.size();
}

SaveResult RecordWriter::write(const store::PreparedRecord& record) {
    SaveResult r;
    std::string error;
    // A second attempt of a record that is waiting somewhere: this one takes over.
    std::erase_if(m_memory, [&](const store::PreparedRecord& m) { return m.eventId == record.eventId; });
    if (ensureConnection(error)) {
        try {
            r.recorded = store::commitRecord(*m_db, record).recorded;
            r.state = SaveState::Saved;
            (void)m_spool.remove(record.eventId); // it may have waited there before "Réessayer"
            std::lock_guard lock(m_mutex);
            ++m_status.committed;
            m_status.lastError.clear();
            return r;
        } catch (const std::exception& e) {
            error = e.what();
        }
    }
    r.state = SaveState::Failed;
    r.error = error;
    spdlog::error("saving a visitor record failed: {}", error);
    try {
        m_spool.put(record, error);
        r.kept = true;
        spdlog::warn("the record waits in the save spool {} and will be imported when the database takes it",
                     m_spool.dir());
    } catch (const std::exception& e) {
        // Sealed, so holding it is safe; retried with the spool. Lost only if the kiosk stops.
        m_memory.push_back(record);
        spdlog::error("the save spool cannot take it either ({}): held in memory, retried every {} s",
                      e.what(),
                      std::chrono::duration_cast<std::chrono::seconds>(m_options.retryInterval).count());
    }
    std::lock_guard lock(m_mutex);
    ++m_status.failures;
    m_status.lastError = error;
    m_status.lastFailureAt = std::chrono::system_clock::now();
    return r;
}

void RecordWriter::writeFeedback(const Job& job) {
    std::string error;
    if (ensureConnection(error)) {
        try {
            store::VisitorStore visitors{*m_db, store::PublicKey{}, m_options.kioskId};
            (void)visitors.recordFeedback(job.feedbackScore);
            return;
        } catch (const std::exception& e) {
            error = e.what();
        }
    }
    spdlog::error("saving anonymous feedback failed: {}", error);
    std::lock_guard lock(m_mutex);
    ++m_status.feedbackLost;
}

void RecordWriter::retryWaiting() {
    std::string error;
    if (!ensureConnection(error)) {
        std::lock_guard lock(m_mutex);
        m_status.lastError = error;
        return;
    }
    std::size_t imported = 0;
    // Held in memory first: the spool could not take them, so they are the most at risk.
    for (auto it = m_memory.begin(); it != m_memory.end();) {
        try {
            if (!store::commitRecord(*m_db, *it).alreadyThere) ++imported;
            it = m_memory.erase(it);
        } catch (const std::exception& e) {
            error = e.what();
            try {
                m_spool.put(*it, error);
                it = m_memory.erase(it);
            } catch (const std::exception&) {
                ++it;
            }
        }
    }
    auto report = m_spool.importInto(*m_db);
    imported += report.imported;
    if (!report.lastError.empty()) error = report.lastError;
    if (report.imported + report.alreadyThere > 0 || report.left > 0)
        spdlog::info("save spool: {} imported, {} already there, {} still waiting", report.imported,
                     report.alreadyThere, report.left);
    {
        std::lock_guard lock(m_mutex);
        m_status.imported += imported;
        m_status.lastError = error;
    }
    if (imported > 0 && m_options.onImported) m_options.onImported();
}

void RecordWriter::loop() {
    for (;;) {
        std::optional<Job> job;
        bool retry = false;
        {
            std::unique_lock lock(m_mutex);
            bool timedOut = !m_wake.wait_for(lock, m_options.retryInterval,
                                             [&] { return m_stop || m_retryAsked || !m_jobs.empty(); });
            if (!m_jobs.empty()) {
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
                m_working = true;
            } else if (m_stop) {
                break;
            } else {
                retry = m_retryAsked || timedOut;
                m_retryAsked = false;
            }
        }
        if (job && job->ticket == 0) {
            writeFeedback(*job);
        } else if (job) {
            SaveResult r = write(job->record);
            refreshCounts(); // before the answer: whoever reads it sees the spool as it now is
            std::lock_guard lock(m_mutex);
            if (m_forgotten.erase(job->ticket) == 0) m_results[job->ticket] = std::move(r);
        } else if (retry) {
            retryWaiting();
        }
        refreshCounts();
        std::lock_guard lock(m_mutex);
        m_working = false;
    }
    // Stopping: what is only in memory goes to the spool if it can.
    for (const auto& rec : m_memory) {
        try {
            m_spool.put(rec, "held in memory when the kiosk stopped");
        } catch (const std::exception& e) {
            spdlog::critical("a visitor record could not be kept when the kiosk stopped: {}", e.what());
        }
    }
}

} // namespace comptoir::app
