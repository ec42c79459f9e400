// The nightly job as a program: exit codes, lock, backup rotation, purge, and a kiosk that keeps
// registering while it runs.
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/spool.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "comptoir/sync/job.hpp"
#include "sync_fixture.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace comptoir;
using namespace comptoir::test;
namespace fs = std::filesystem;

namespace {

/// A data folder with a kiosk database, a token file and a configuration pointing at `url`.
struct JobSetup {
    JobSetup(const TempDir& dir, const std::string& url, const std::string& token, const std::string& extra = "")
        : dataDir(dir.file("data")), config(dir.file("kiosk.toml")) {
        fs::create_directories(dataDir);
        kiosk = std::make_unique<KioskDb>(dataDir + "/comptoir.db");
        writeFile(dir.file("token"), token + "\n");
        writeFile(config, "kiosk_id = \"kiosk-test\"\ndata_dir = \"" + dataDir + "\"\n[server]\nurl = \"" + url +
                              "\"\ntoken_file = \"" + dir.file("token") + "\"\n" + extra);
    }
    int run(const std::string& args, std::string& out) const {
        return runCommand(binaryPath("sync/comptoir-sync") + " --config " + config + " " + args, out);
    }
    std::string dataDir, config;
    std::unique_ptr<KioskDb> kiosk;
};

/// A registration the kiosk prepared but its database refused: put in the save spool as the
/// kiosk's writer does (fictional person).
store::PreparedRecord spoolOne(const JobSetup& job) {
    store::InterestDraft d;
    d.offerId = "off-0001";
    d.offerTitle = "Accueillir à l'épicerie";
    d.contact = {"Dominique", "0639981234", "", ""};
    d.preferredMoment = "morning";
    auto rec = store::prepareInterest(d, store::Keyring::publicKey(job.kiosk->db), "kiosk-test");
    store::SaveSpool(store::spoolDirIn(job.dataDir)).put(rec, "database is locked");
    return rec;
}

std::int64_t eventRows(store::Database& db, const std::string& eventId) {
    return store::queryInt(db, "SELECT COUNT(*) FROM outbox WHERE event_id = '" + eventId + "'");
}

} // namespace

TEST_CASE("comptoir-sync: configuration errors exit with 2") {
    TempDir dir;
    std::string out;
    writeFile(dir.file("bad.toml"), "kiosk_id = \"k\"\n[server]\nurll = \"https://x\"\n");
    CHECK(runCommand(binaryPath("sync/comptoir-sync") + " --config " + dir.file("bad.toml"), out) == 2);
    CHECK_THAT(out, Catch::Contains("bad.toml:3") && Catch::Contains("server.urll"));

    writeFile(dir.file("nourl.toml"), "kiosk_id = \"k\"\ndata_dir = \"" + dir.file("d") + "\"\n");
    CHECK(runCommand(binaryPath("sync/comptoir-sync") + " --config " + dir.file("nourl.toml"), out) == 2);
    CHECK_THAT(out, Catch::Contains("server.url"));

    CHECK(runCommand(binaryPath("sync/comptoir-sync") + " --bogus", out) == 2);
}

TEST_CASE("comptoir-sync: pushes, pulls, purges, checks and backs up; exit 0") {
    TempDir dir;
    Central central(dir);
    (void)central.storage->importCatalogue(demoCatalogue());
    JobSetup job(dir, central.server.baseUrl(), central.token, "[privacy]\nretention_days = 30\n");
    auto& k = *job.kiosk;
    auto old = k.registerInterest();
    auto recent = k.registerInterest();
    // The first one was acknowledged 40 days ago: past the 30-day retention once the job runs.
    {
        sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
        REQUIRE(sync::pushPending(k.db, http, pushOptions()).outcome == sync::Outcome::Done);
        k.db.prepare("UPDATE outbox SET sent_at = ?1 WHERE event_id = ?2")
            .bind(1, sync::isoUtc(nowUnixMs() - 40ULL * 86'400'000ULL))
            .bind(2, old.eventId)
            .run();
    }
    (void)k.registerInterest(); // waiting
    // Older backups, to see the rotation keep only the newest two.
    fs::create_directories(job.dataDir + "/backups");
    for (const char* name : {"comptoir-20200101-000000.db", "comptoir-20210101-000000.db"})
        writeFile(job.dataDir + "/backups/" + name, "old");

    std::string out;
    int rc = job.run("--keep-backups 2", out);
    INFO(out);
    REQUIRE(rc == 0);
    CHECK_THAT(out, Catch::Contains("summary:") && Catch::Contains("pushed 1 events"));
    CHECK(central.storage->eventCount() == 3);
    CHECK(store::pendingCount(k.db) == 0);
    CHECK(store::offerCount(k.db) > 0);
    // Purge: the old record's sealed data and its acknowledged event are gone, the recent ones stay.
    CHECK(store::queryInt(k.db, "SELECT COUNT(*) FROM personal WHERE sealed IS NULL") == 1);
    CHECK(store::queryInt(k.db, "SELECT COUNT(*) FROM personal WHERE sealed IS NOT NULL") == 2);
    CHECK(store::queryInt(k.db, "SELECT COUNT(*) FROM outbox") == 2);
    CHECK(store::queryInt(k.db, "SELECT COUNT(*) FROM interest") == 3);
    (void)recent;
    // Backups: the new one plus the newest old one.
    std::vector<std::string> backups;
    for (const auto& e : fs::directory_iterator(job.dataDir + "/backups")) backups.push_back(e.path().filename());
    std::sort(backups.begin(), backups.end());
    REQUIRE(backups.size() == 2);
    CHECK(backups[0] == "comptoir-20210101-000000.db");
    auto copy = store::Database::open(job.dataDir + "/backups/" + backups[1], {true, 1000});
    CHECK(store::integrityCheck(copy) == "ok");
    CHECK(store::queryInt(copy, "SELECT COUNT(*) FROM interest") == 3);

    CHECK(job.run("status", out) == 0);
    CHECK_THAT(out, Catch::Contains("events waiting: 0") && Catch::Contains("job.last_exit_code: 0"));
}

TEST_CASE("comptoir-sync: an unreachable server exits with 75, nothing lost") {
    TempDir dir;
    int closedPort = 0;
    {
        Central gone(dir);
        closedPort = gone.server.port();
    }
    JobSetup job(dir, "http://127.0.0.1:" + std::to_string(closedPort), "t");
    (void)job.kiosk->registerInterest();
    std::string out;
    CHECK(job.run("--attempts 2 --backoff-ms 10", out) == 75);
    CHECK(store::pendingCount(job.kiosk->db) == 1);
    // Maintenance still ran: the backup is there.
    CHECK(fs::exists(job.dataDir + "/backups"));
}

TEST_CASE("comptoir-sync with another kiosk's token: exit 1, every event still waiting, none dead-lettered") {
    TempDir dir;
    Central central(dir, "kiosk-other"); // the token in the kiosk's token_file is kiosk-other's
    JobSetup job(dir, central.server.baseUrl(), central.token);
    (void)job.kiosk->registerInterest();
    (void)job.kiosk->registerInterest();
    std::string out;
    int rc = job.run("--attempts 2 --backoff-ms 10", out);
    INFO(out);
    CHECK(rc == 1); // a failure for systemd (only 0 and 75 count as success)
    CHECK_THAT(out, Catch::Contains("kiosk_mismatch"));
    CHECK(store::pendingCount(job.kiosk->db) == 2);
    CHECK(store::deadLetterCount(job.kiosk->db) == 0);
    CHECK(central.storage->eventCount() == 0);
    CHECK_FALSE(store::syncState(job.kiosk->db, "push.last_success_at"));
    CHECK(job.run("status", out) == 1); // the last run needs a person
    CHECK_THAT(out, Catch::Contains("needs attention: the last nightly run failed"));
    CHECK_THAT(out, Catch::Contains("events waiting: 2") && Catch::Contains("dead letters: 0") &&
                        Catch::Contains("push.last_success_at: never") && Catch::Contains("push.last_error: HTTP 403"));
    // The right token: everything goes, and status no longer shows the old problem.
    writeFile(dir.file("token"), central.storage->createKioskToken("kiosk-test") + "\n");
    CHECK(job.run("", out) == 0);
    CHECK(central.storage->eventCount() == 2);
    CHECK(job.run("status", out) == 0);
    CHECK(out.find("push.last_error") == std::string::npos);
}

TEST_CASE("comptoir-sync: a run that dead-letters events exits with 3, and status says why") {
    TempDir dir;
    Central central(dir);
    (void)central.storage->importCatalogue(demoCatalogue());
    JobSetup job(dir, central.server.baseUrl(), central.token);
    (void)job.kiosk->registerInterest();
    {
        store::Transaction tx(job.kiosk->db);
        (void)store::appendEvent(job.kiosk->db, "feedback.given", 1, "kiosk-test", {{"feedback_id", "f-1"}, {"score", 9}});
        tx.commit();
    }
    std::string out;
    int rc = job.run("", out);
    INFO(out);
    CHECK(rc == 3); // not a success for systemd: an agent must look at the dead letters
    CHECK_THAT(out, Catch::Contains("1 to dead-letter"));
    CHECK(central.storage->eventCount() == 1);
    CHECK(store::deadLetterCount(job.kiosk->db) == 1);
    CHECK(job.run("status", out) == 1);
    CHECK_THAT(out, Catch::Contains("dead letters: 1") && Catch::Contains("job.last_exit_code: 3") &&
                        Catch::Contains("dead-letter for an agent"));
    // Nothing new refused: the next run is a plain success again.
    CHECK(job.run("", out) == 0);
}

TEST_CASE("comptoir-sync: a second run while one holds the lock exits with 75") {
    TempDir dir;
    Central central(dir);
    JobSetup job(dir, central.server.baseUrl(), central.token);
    (void)job.kiosk->registerInterest();
    auto held = sync::RunLock::tryAcquire(job.dataDir + "/comptoir-sync.lock");
    REQUIRE(held);
    std::string out;
    CHECK(job.run("", out) == 75);
    CHECK_THAT(out, Catch::Contains("lock"));
    CHECK(central.storage->eventCount() == 0);
    held.reset();
    CHECK(job.run("", out) == 0);
    CHECK(central.storage->eventCount() == 1);
}

TEST_CASE("comptoir-sync: copies left by a backup killed half-way are removed by the next run") {
    TempDir dir;
    Central central(dir);
    JobSetup job(dir, central.server.baseUrl(), central.token);
    (void)job.kiosk->registerInterest();
    // What a kill during the copy leaves: full copies (sealed data, wrapped key) named .partial.
    fs::create_directories(job.dataDir + "/backups");
    const std::string left = job.dataDir + "/backups/comptoir-20260101-023000.db.partial";
    fs::copy_file(job.dataDir + "/comptoir.db", left);
    writeFile(job.dataDir + "/backups/comptoir-20260102-023000.db.partial", "half a copy");
    writeFile(job.dataDir + "/backups/notes.txt", "not ours"); // anything else stays
    std::string out;
    int rc = job.run("--no-push --no-pull", out);
    INFO(out);
    CHECK(rc == 0);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(job.dataDir + "/backups")) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    REQUIRE(names.size() == 2);
    CHECK(names[0].rfind("comptoir-", 0) == 0);
    CHECK(names[0].ends_with(".db"));
    CHECK(names[1] == "notes.txt");
}

TEST_CASE("under umask 022, what the sync and the server create is private (0700 folders, 0600 files)") {
    const mode_t previous = ::umask(022);
    TempDir dir;
    Central central(dir);
    (void)central.storage->importCatalogue(demoCatalogue());
    auto sha = central.storage->addMedia("image/png", "\x89PNG fictional picture bytes");
    JobSetup job(dir, central.server.baseUrl(), central.token);
    (void)job.kiosk->registerInterest();
    std::string out;
    int rc = job.run("", out);
    ::umask(previous);
    INFO(out);
    REQUIRE(rc == 0);
    auto mode = [](const std::string& path) {
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        return st.st_mode & 07777;
    };
    CHECK(mode(dir.file("central.db")) == 0600);
    CHECK(mode(job.dataDir + "/comptoir.db") == 0600);
    CHECK(mode(job.dataDir + "/comptoir-sync.lock") == 0600);
    CHECK(mode(job.dataDir + "/backups") == 0700);
    for (const auto& e : fs::directory_iterator(job.dataDir + "/backups")) CHECK(mode(e.path()) == 0600);
    CHECK(mode(job.dataDir + "/media") == 0700);
    CHECK(mode(job.dataDir + "/media/" + sha) == 0600);
}

TEST_CASE("the systemd units keep the data folder private and count only 0 and 75 as a success") {
    for (const char* unit : {"comptoir-sync.service", "comptoir-kiosk.service"}) {
        INFO(unit);
        auto text = readFile(sourcePath(std::string("config/systemd/") + unit));
        CHECK_THAT(text, Catch::Contains("\nUMask=0077\n") && Catch::Contains("\nStateDirectory=comptoir\n") &&
                             Catch::Contains("\nStateDirectoryMode=0700\n"));
    }
    auto sync = readFile(sourcePath("config/systemd/comptoir-sync.service"));
    CHECK_THAT(sync, Catch::Contains("\nSuccessExitStatus=75\n"));
}

TEST_CASE("comptoir-sync fill-backlog records synthetic registrations") {
    TempDir dir;
    Central central(dir);
    JobSetup job(dir, central.server.baseUrl(), central.token);
    std::string out;
    CHECK(job.run("fill-backlog --count 250 --seed 3", out) == 0);
    CHECK(store::pendingCount(job.kiosk->db) == 250);
    CHECK(store::interestCount(job.kiosk->db) == 250);
    CHECK(job.run("--no-maintenance", out) == 0);
    CHECK(central.storage->eventCount() == 250);
}

TEST_CASE("the kiosk keeps registering (10 per second) while the nightly job runs; no error on either side") {
    TempDir dir;
    Central central(dir);
    // A large catalogue: its swap is the job's longest write, the one most likely to collide.
    std::string gen;
    REQUIRE(runCommand(binaryPath("kiosk/app/comptoir-catgen") + " --base " + sourcePath("assets/catalogue/demo.json") +
                           " --offers 5000 --out " + dir.file("big.json"),
                       gen) == 0);
    auto big = parseCatalogue(readFile(dir.file("big.json")));
    REQUIRE(big.ok);
    (void)central.storage->importCatalogue(big.catalogue);
    JobSetup job(dir, central.server.baseUrl(), central.token);
    sync::fillSyntheticBacklog(job.kiosk->db, "kiosk-test", 3000, 5);

    std::atomic<bool> stop{false};
    std::atomic<int> recorded{0};
    std::string kioskError;
    std::thread kiosk([&] {
        try {
            // Its own connection, as the kiosk process has.
            KioskDb recorder(job.dataDir + "/comptoir.db", "kiosk-test", false);
            for (int i = 0; i < 600 && !stop; ++i) {
                (void)recorder.registerInterest();
                ++recorded;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        } catch (const std::exception& e) {
            kioskError = e.what();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string out;
    int rc = job.run("", out);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    kiosk.join();
    INFO(out);
    CHECK(rc == 0);
    CHECK(kioskError.empty());
    CHECK(out.find("locked") == std::string::npos);
    CHECK(recorded > 3);
    CHECK(store::offerCount(job.kiosk->db) == 5000);
    // What was recorded during the run goes with the next one.
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    REQUIRE(sync::pushPending(job.kiosk->db, http, pushOptions()).outcome == sync::Outcome::Done);
    CHECK(central.storage->eventCount() == 3000 + recorded);
}

TEST_CASE("comptoir-sync status --json: what monitoring needs, and exit 1 once something needs attention") {
    TempDir dir;
    JobSetup job(dir, "http://127.0.0.1:9", "t");
    (void)job.kiosk->registerInterest();
    std::string out;
    REQUIRE(job.run("status --json", out) == 0);
    auto first = nlohmann::json::parse(out);
    CHECK(first["kiosk_id"] == "kiosk-test");
    CHECK(first["healthy"] == true);
    CHECK(first["events_waiting"] == 1);
    CHECK(first["oldest_waiting_seconds"].get<std::int64_t>() < 3600);
    CHECK(first["dead_letters"] == 0);
    CHECK(first["feedback_held"] == 0);
    CHECK(first["last_push_at"].is_null());
    CHECK(first["last_backup_at"].is_null());
    CHECK(first["database_bytes"].get<std::uint64_t>() > 0);
    CHECK(first["disk_free_bytes"].get<std::uint64_t>() > 0);

    // A backup made now, and an event that has waited three days: needs attention.
    fs::create_directories(job.dataDir + "/backups");
    writeFile(job.dataDir + "/backups/comptoir-20261203-020000.db", "copy");
    job.kiosk->db.prepare("UPDATE outbox SET sent_at = ?1").bind(1, nowUtcIso8601()).run(); // the first one went
    {
        store::Transaction tx(job.kiosk->db);
        store::appendEventAs(job.kiosk->db, newUuidV7(), sync::isoUtc(nowUnixMs() - 3ULL * 86'400'000ULL),
                             "feedback.given", 1, "kiosk-test", {{"feedback_id", "f-old"}, {"score", 3}});
        tx.commit();
    }
    // Anonymous feedback given today is held, not an event yet: status counts it on its own.
    {
        store::VisitorStore visitors{job.kiosk->db, store::Keyring::publicKey(job.kiosk->db), "kiosk-test"};
        (void)visitors.recordFeedback(4);
        (void)visitors.recordFeedback(2);
    }
    REQUIRE(job.run("status --json", out) == 1);
    auto second = nlohmann::json::parse(out);
    CHECK(second["feedback_held"] == 2);
    CHECK(second["events_waiting"] == 1); // the old event only: held answers are not events
    CHECK(second["healthy"] == false);
    CHECK(second["oldest_waiting_seconds"].get<std::int64_t>() >= 3 * 86'400 - 60);
    CHECK(second["last_backup_age_seconds"].get<std::int64_t>() < 3600);
    REQUIRE(second["problems"].size() == 1);
    CHECK_THAT(second["problems"][0].get<std::string>(), Catch::Contains("oldest event has waited 72 hours"));
    // The same, for a person.
    CHECK(job.run("status", out) == 1);
    CHECK_THAT(out, Catch::Contains("needs attention: the oldest event has waited 72 hours") &&
                        Catch::Contains("feedback held until its day ends: 2"));
    CHECK(job.run("run --json", out) == 2); // --json is for status only
}

TEST_CASE("comptoir-sync imports what waits in the kiosk's save spool, once, and pushes it the same night") {
    TempDir dir;
    Central central(dir);
    JobSetup job(dir, central.server.baseUrl(), central.token);
    auto& k = *job.kiosk;
    (void)k.registerInterest();
    auto waiting = spoolOne(job);
    // A kiosk killed between its commit and the file's removal: stored already, file still there.
    auto stored = spoolOne(job);
    REQUIRE_FALSE(store::commitRecord(k.db, stored).alreadyThere);
    store::SaveSpool spool(store::spoolDirIn(job.dataDir));
    REQUIRE(spool.count() == 2);

    std::string out;
    int rc = job.run("", out);
    INFO(out);
    REQUIRE(rc == 0);
    CHECK_THAT(out, Catch::Contains("save spool: 1 registrations imported, 1 already there, 0 waiting"));
    CHECK(spool.count() == 0);
    CHECK(eventRows(k.db, waiting.eventId) == 1);
    CHECK(eventRows(k.db, stored.eventId) == 1);
    CHECK(store::queryInt(k.db, "SELECT COUNT(*) FROM interest") == 3);
    CHECK(store::pendingCount(k.db) == 0);
    CHECK(central.storage->eventCount() == 3);

    // The same file again (restored from a backup, say): recognised, never a second registration.
    store::SaveSpool(spool.dir()).put(waiting, "again");
    CHECK(job.run("", out) == 0);
    CHECK(spool.count() == 0);
    CHECK(store::queryInt(k.db, "SELECT COUNT(*) FROM interest") == 3);
    CHECK(central.storage->eventCount() == 3);
}

TEST_CASE("comptoir-sync killed while importing the save spool: nothing lost, nothing twice") {
    TempDir dir;
    JobSetup job(dir, "http://127.0.0.1:1", "t");
    auto& k = *job.kiosk;
    constexpr int kRecords = 120;
    std::vector<std::string> events;
    for (int i = 0; i < kRecords; ++i)
        events.push_back(spoolOne(job).eventId);
    store::SaveSpool spool(store::spoolDirIn(job.dataDir));
    REQUIRE(spool.count() == kRecords);
    const std::string bin = binaryPath("sync/comptoir-sync");
    std::vector<std::string> args{bin,         "run",       "--config",        job.config,
                                  "--no-push", "--no-pull", "--no-maintenance"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    // Every record is either stored exactly once or still in the spool (or both, killed between
    // the commit and the removal) — never neither, never twice.
    auto checkNothingLostOrDoubled = [&] {
        for (const auto& e : events) {
            INFO(e);
            auto rows = eventRows(k.db, e);
            CHECK(rows <= 1);
            if (rows == 0) CHECK(fs::exists(spool.dir() + "/" + e + ".spool.json"));
        }
        CHECK(store::queryInt(k.db, "SELECT COUNT(*) FROM interest") ==
              store::queryInt(k.db, "SELECT COUNT(*) FROM outbox"));
        CHECK(store::integrityCheck(k.db) == "ok");
    };
    int killedMidway = 0;
    for (int round = 0; round < 4 && spool.count() > 0; ++round) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid = -1;
        const auto before = spool.count();
        int spawned = posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE(spawned == 0);
        // Kill it as soon as it has imported something (or let it finish, on a slow machine).
        int status = 0;
        pid_t done = 0;
        while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 && spool.count() >= before)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (done == 0) {
            ::kill(pid, SIGKILL);
            REQUIRE(::waitpid(pid, &status, 0) == pid);
            killedMidway += WIFSIGNALED(status) ? 1 : 0;
        }
        checkNothingLostOrDoubled();
    }
    INFO("runs killed half-way: " << killedMidway);
    std::string out;
    CHECK(job.run("--no-push --no-pull --no-maintenance", out) == 0);
    checkNothingLostOrDoubled();
    CHECK(spool.count() == 0);
    for (const auto& e : events)
        CHECK(eventRows(k.db, e) == 1);
    CHECK(store::pendingCount(k.db) == kRecords);
}
