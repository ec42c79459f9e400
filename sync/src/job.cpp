#include "comptoir/sync/job.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/spool.hpp"
#include "comptoir/store/visitor_repo.hpp"

#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace comptoir::sync {

// [SECTION] lock

std::optional<RunLock> RunLock::tryAcquire(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open lock file " + path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK) return std::nullopt;
        throw std::system_error(err, std::generic_category(), "lock " + path);
    }
    return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }

RunLock::~RunLock() {
    if (m_fd >= 0) ::close(m_fd); // closing releases the flock
}

// [SECTION] configuration

std::string lockPath(const KioskConfig& c) { return c.dataDir + "/comptoir-sync.lock"; }
std::string mediaDir(const KioskConfig& c) { return c.dataDir + "/media"; }
std::string backupDir(const KioskConfig& c) { return c.dataDir + "/backups"; }

std::optional<HttpOptions> httpOptionsFromConfig(const KioskConfig& c, std::string& error) {
    if (c.serverUrl.empty()) {
        error = "key 'server.url': not set, so there is no server to sync with";
        return std::nullopt;
    }
    if (c.tokenFile.empty()) {
        error = "key 'server.token_file': not set; the server needs this kiosk's token";
        return std::nullopt;
    }
    auto token = readTokenFile(c.tokenFile);
    if (!token) {
        error = "key 'server.token_file': cannot read a token from " + c.tokenFile;
        return std::nullopt;
    }
    std::error_code ec;
    if (!c.caFile.empty() && !fs::is_regular_file(c.caFile, ec)) {
        error = "key 'server.ca_file': no such file " + c.caFile;
        return std::nullopt;
    }
    HttpOptions o;
    o.baseUrl = c.serverUrl;
    o.token = *token;
    o.caFile = c.caFile;
    o.proxy = c.proxy;
    return o;
}

std::string isoUtc(std::uint64_t unixMs) {
    std::time_t secs = static_cast<std::time_t>(unixMs / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03uZ", buf, static_cast<unsigned>(unixMs % 1000));
    return out;
}

// [SECTION] the job

namespace {

/// A run ends with the most serious thing that happened: an interception outweighs a failure,
/// which outweighs dead letters, which outweigh "try later".
int severity(int code) {
    switch (code) {
    case kExitOk: return 0;
    case kExitTryLater: return 1;
    case kExitDeadLetters: return 2;
    case kExitFailure: return 3;
    case kExitUntrusted: return 4;
    case kExitConfig: return 5;
    }
    return 3;
}

int exitFor(Outcome o) {
    switch (o) {
    case Outcome::Done: return kExitOk;
    case Outcome::Unreachable:
    case Outcome::Cancelled: return kExitTryLater;
    case Outcome::Untrusted: return kExitUntrusted;
    case Outcome::Refused:
    case Outcome::Failed: return kExitFailure;
    }
    return kExitFailure;
}

/// Refused (token, identity) or untrusted (TLS): nothing more is asked of that server this run.
bool stopsRun(Outcome o) { return o == Outcome::Refused || o == Outcome::Untrusted; }

class Job {
  public:
    explicit Job(const JobOptions& options) : m_o(options) {}

    JobResult run() {
        auto t0 = std::chrono::steady_clock::now();
        try {
            runSteps();
        } catch (const std::exception& e) {
            fail(std::string("unexpected error: ") + e.what());
        }
        auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char took[32];
        std::snprintf(took, sizeof took, "%.1f s", secs);
        m_r.summary += std::string(m_r.summary.empty() ? "" : "; ") + "exit " + std::to_string(m_r.exitCode) +
                       " in " + took;
        say("summary: " + m_r.summary);
        return m_r;
    }

  private:
    void say(const std::string& line) {
        if (m_o.say) m_o.say(line);
    }
    void note(const std::string& part) { m_r.summary += (m_r.summary.empty() ? "" : "; ") + part; }
    void fail(const std::string& why) {
        escalate(kExitFailure);
        note(why);
        spdlog::error("comptoir-sync: {}", why);
    }
    void escalate(int code) {
        if (severity(code) > severity(m_r.exitCode)) m_r.exitCode = code;
    }

    void runSteps() {
        const auto& c = m_o.config;
        std::string error;
        auto http = httpOptionsFromConfig(c, error);
        if (!http) {
            m_r.exitCode = kExitConfig;
            note(error);
            return;
        }
        std::error_code ec;
        if (!fs::exists(c.databasePath, ec)) {
            m_r.exitCode = kExitConfig;
            note("no kiosk database at " + c.databasePath + " (check data_dir and database)");
            return;
        }
        auto lock = RunLock::tryAcquire(lockPath(c));
        if (!lock) {
            escalate(kExitTryLater);
            note("another sync run holds " + lockPath(c) + "; try later");
            return;
        }
        auto db = store::Database::open(c.databasePath);
        // Same build as the kiosk: bring an older file up to date rather than fail.
        if (db.userVersion() < store::latestSchemaVersion()) store::migrate(db);
        if (db.userVersion() != store::latestSchemaVersion()) {
            fail("the database schema is newer than this program");
            return;
        }
        http->connectTimeout = m_o.connectTimeout;
        http->totalTimeout = m_o.requestTimeout;
        // Before the push: what the kiosk could not save tonight reaches the server tonight.
        importSpool(db);
        HttpClient client(*http);
        if (m_o.push) push(db, client);
        // A server that refuses this kiosk (token, identity) or cannot prove who it is (TLS) is
        // not one to take a catalogue from.
        bool stop = m_o.push && stopsRun(m_r.push.outcome);
        if (m_o.pull && stop) note("pull skipped: " + std::string(toString(m_r.push.outcome)));
        else if (m_o.pull) pull(db, client);
        if (m_o.maintenance) maintain(db);
        store::setSyncState(db, "job.last_run_at", nowUtcIso8601());
        store::setSyncState(db, "job.last_exit_code", std::to_string(m_r.exitCode));
        store::setSyncState(db, "job.last_outcome", exitMeaning(m_r.exitCode));
    }

    /// Registrations the kiosk's database refused wait in the save spool until someone imports
    /// them; the kiosk does at start-up and every minute, but a kiosk that is off, or whose
    /// writer keeps failing, would leave them there for ever. Idempotent by record and event id,
    /// so a kiosk importing at the same time, or a run killed half-way, never makes two.
    void importSpool(store::Database& db) {
        store::SaveSpool spool(store::spoolDirIn(m_o.config.dataDir));
        if (spool.count() == 0 && spool.unreadableCount() == 0) return;
        auto& r = m_r.spool;
        r = spool.importInto(db);
        say("save spool: " + std::to_string(r.imported) + " registrations imported, " +
            std::to_string(r.alreadyThere) + " already there, " + std::to_string(r.left) + " waiting");
        note("save spool: " + std::to_string(r.imported) + " imported, " + std::to_string(r.left) +
             " waiting");
        if (r.left > 0) {
            // The database still refuses (locked, full, read-only): the files wait for the kiosk
            // or the next night; the push still sends what the database holds.
            note("save spool import stopped: " + r.lastError);
            spdlog::warn("comptoir-sync: {} registrations still wait in the save spool: {}", r.left,
                         r.lastError);
        }
        if (auto aside = spool.unreadableCount(); aside > 0) {
            note(std::to_string(aside) + " save spool files set aside for an agent");
            spdlog::warn("comptoir-sync: {} save spool files are set aside as unreadable; an agent must look",
                         aside);
        }
    }

    void push(store::Database& db, HttpClient& client) {
        auto waiting = store::pendingCount(db);
        say("push: " + std::to_string(waiting) + " events waiting");
        PushOptions po;
        po.kioskId = m_o.config.kioskId;
        po.retry = m_o.retry;
        std::size_t lastShown = 0;
        m_r.push = pushPending(db, client, po, [&](const PushReport& r) {
            std::size_t done = r.accepted + r.duplicates + r.deadLettered;
            if (done - lastShown >= 2000 || done == static_cast<std::size_t>(waiting)) {
                lastShown = done;
                say("push: " + std::to_string(done) + "/" + std::to_string(waiting) + " answered");
            }
        });
        const auto& p = m_r.push;
        note("pushed " + std::to_string(p.accepted) + " events (" + std::to_string(p.duplicates) +
             " already there), " + std::to_string(p.deadLettered) + " to dead-letter, " + std::to_string(p.waiting) +
             " waiting");
        if (p.outcome == Outcome::Done) {
            store::setSyncState(db, "push.last_success_at", nowUtcIso8601());
            store::setSyncState(db, "push.last_error", ""); // status shows only a current problem
        } else {
            store::setSyncState(db, "push.last_error", p.lastError);
            note("push " + std::string(toString(p.outcome)) + ": " + p.lastError);
            escalate(exitFor(p.outcome));
        }
        if (p.deadLettered > 0) {
            // Not a success: these registrations will not reach the CCAS until an agent acts.
            spdlog::warn("comptoir-sync: {} events refused by the server are in dead-letter for an agent",
                         p.deadLettered);
            escalate(kExitDeadLetters);
        }
    }

    void pull(store::Database& db, HttpClient& client) {
        PullOptions po;
        po.mediaDir = mediaDir(m_o.config);
        po.retry = m_o.retry;
        m_r.pull = pullCatalogue(db, client, po);
        const auto& p = m_r.pull;
        if (p.outcome == Outcome::Done) {
            store::setSyncState(db, "pull.last_success_at", nowUtcIso8601());
            note(p.changed ? "catalogue " + std::to_string(p.fromVersion) + " -> " + std::to_string(p.toVersion) + " (" +
                                 std::to_string(p.offersChanged) + " offers changed, " +
                                 std::to_string(p.mediaFetched) + " pictures)"
                           : "catalogue unchanged (version " + std::to_string(p.toVersion) + ")");
            say("pull: " + std::string(p.changed ? "new catalogue version " + std::to_string(p.toVersion)
                                                 : "catalogue unchanged"));
        } else {
            note("pull " + std::string(toString(p.outcome)) + ": " + p.lastError);
            escalate(exitFor(p.outcome));
        }
    }

    void maintain(store::Database& db) {
        const auto& c = m_o.config;
        auto now = nowUnixMs();
        auto cutoff = isoUtc(now - static_cast<std::uint64_t>(c.retentionDays) * 86'400'000ULL);
        m_r.purge = store::purgeSyncedPersonalData(db, cutoff, isoUtc(now));
        say("maintenance: purged the personal data of " + std::to_string(m_r.purge.personalPurged) +
            " records made or synced before " + cutoff.substr(0, 10) + ", and " +
            std::to_string(m_r.purge.notesPurged) + " agents' notes on them");
        note("purged " + std::to_string(m_r.purge.personalPurged) + " personal records");
        try {
            // In its own BEGIN IMMEDIATE: optimize reads, then writes statistics, and a read
            // snapshot that the kiosk's writes made stale is refused at once, busy timeout or not.
            store::Transaction tx(db);
            db.exec("PRAGMA optimize", "optimize");
            tx.commit();
        } catch (const store::DbError& e) {
            // Statistics only: the next night tries again; nothing the kiosk needs is at stake.
            spdlog::warn("maintenance: PRAGMA optimize skipped: {}", e.what());
        }
        m_r.integrity = store::integrityCheck(db);
        if (m_r.integrity != "ok") {
            fail("integrity_check: " + m_r.integrity);
            return; // never rotate a good backup out for a copy of a damaged file
        }
        say("maintenance: integrity ok");
        try {
            m_r.backupPath = store::backupDatabase(db, backupDir(c), "comptoir", localTime("%Y%m%d-%H%M%S"), m_o.backupsKept);
            say("maintenance: backup " + m_r.backupPath);
            note("backup " + fs::path(m_r.backupPath).filename().string());
        } catch (const store::DbError& e) {
            fail(std::string("backup: ") + e.what());
        }
    }

    const JobOptions& m_o;
    JobResult m_r;
};

} // namespace

const char* exitMeaning(int code) {
    switch (code) {
    case kExitOk: return "done";
    case kExitTryLater: return "try later: server unreachable, or another run in progress";
    case kExitDeadLetters: return "done, but events were refused for good and wait in dead-letter for an agent";
    case kExitUntrusted: return "the server's TLS certificate could not be verified (wrong CA, or an interception)";
    case kExitConfig: return "configuration error";
    case kExitFailure: return "failed: needs a person (token or kiosk refused, catalogue, database, backup)";
    }
    return "unknown exit code";
}

JobResult runJob(const JobOptions& options) {
    Job job(options);
    return job.run();
}

// [SECTION] synthetic backlog

void fillSyntheticBacklog(store::Database& db, const std::string& kioskId, std::size_t count, std::uint64_t seed,
                          const std::function<void(std::size_t)>& progress) {
    if (!store::Keyring::exists(db))
        throw std::runtime_error("no sealing key in this database: start the kiosk once to create it");
    // Fictional people only: first names and numbers from the fiction range, never real data.
    static const char* const names[] = {"Camille", "Dominique", "Alex", "Sacha", "Noa", "Lou", "Charlie", "Maël"};
    std::vector<std::pair<std::string, std::string>> offers;
    {
        auto s = db.prepare("SELECT id, title FROM offer ORDER BY id LIMIT 200");
        while (s.step()) offers.emplace_back(s.text(0), s.text(1));
    }
    if (offers.empty()) offers.emplace_back("off-demo", "Offre de démonstration");
    store::VisitorStore visitors{db, store::Keyring::publicKey(db), kioskId};
    std::mt19937_64 rng(seed);
    db.exec("PRAGMA synchronous = NORMAL", "fast commits for synthetic data");
    try {
        for (std::size_t i = 0; i < count; ++i) {
            store::InterestDraft d;
            const auto& offer = offers[rng() % offers.size()];
            d.offerId = offer.first;
            d.offerTitle = offer.second;
            d.contact.firstName = names[rng() % std::size(names)];
            char phone[16];
            // 06 39 98 xx xx: the range ARCEP keeps for fiction, so no real person is ever called.
            std::snprintf(phone, sizeof phone, "063998%04u", static_cast<unsigned>(rng() % 10000));
            d.contact.phone = phone;
            d.preferredMoment = "any";
            if (validateContact(d.contact) != ContactProblem::None) continue;
            (void)visitors.recordInterest(d);
            if (progress && (i + 1) % 1000 == 0) progress(i + 1);
        }
    } catch (...) {
        db.exec("PRAGMA synchronous = FULL", "restore synchronous=FULL");
        throw;
    }
    db.exec("PRAGMA synchronous = FULL", "restore synchronous=FULL");
}

} // namespace comptoir::sync
