// The central server on PostgreSQL: several processes on one database, concurrent batches and
// catalogue changes, and moving a pilot from SQLite (migrate-storage). Outside sanitizer builds
// only: these start PostgreSQL and comptoir-central processes.
#include "comptoir/domain/followup.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/sync/job.hpp"
#include "comptoir/sync/protocol.hpp"
#include "loopback_attacks.hpp"
#include "sync_fixture.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <sstream>
#include <thread>

#ifdef COMPTOIR_TEST_POSTGRES

using namespace comptoir;
using namespace comptoir::test;

namespace {

std::string centralBinary() {
    return binaryPath("sync/comptoir-central");
}

/// A kiosk with `count` fictional registrations waiting to be sent.
KioskDb backlog(const TempDir& dir, const std::string& id, std::size_t count, std::uint64_t seed) {
    KioskDb k(dir.file(id + ".db"), id);
    sync::fillSyntheticBacklog(k.db, id, count, seed);
    return k;
}

sync::PushOptions fewRetries(const std::string& kioskId) {
    auto o = pushOptions(kioskId, 2);
    o.maxBatchEvents = 100; // many batches, so a kill lands in the middle of one
    return o;
}

std::string baseUrl(int port) {
    return "http://127.0.0.1:" + std::to_string(port);
}

} // namespace

TEST_CASE(
    "two comptoir-central processes on one PostgreSQL: one killed mid-batch, every event stored exactly once",
    "[central][postgres]") {
    TempDir dir;
    const std::string db = newPostgresDatabase();
    constexpr int kKiosks = 8;
    constexpr std::size_t kEvents = 1'500;
    std::vector<std::string> tokens;
    {
        auto storage = sync::central::openPostgresStorage(db);
        for (int k = 0; k < kKiosks; ++k)
            tokens.push_back(storage->createKioskToken("kiosk-" + std::to_string(k)));
    }
    std::filesystem::create_directories(dir.file("a"));
    std::filesystem::create_directories(dir.file("b"));
    attack::CentralProcess a(centralBinary(), db, dir.file("a"));
    attack::CentralProcess b(centralBinary(), db, dir.file("b"));
    REQUIRE(a.port() > 0);
    REQUIRE(b.port() > 0);

    std::vector<KioskDb> kiosks;
    for (int k = 0; k < kKiosks; ++k)
        kiosks.push_back(
            backlog(dir, "kiosk-" + std::to_string(k), kEvents, static_cast<std::uint64_t>(k + 1)));

    // Even kiosks push through A, odd ones through B, all at once; A is killed (SIGKILL) once
    // the database holds a fifth of the events, while batches are in flight.
    std::atomic<int> finished{0};
    std::vector<sync::PushReport> first(kKiosks);
    std::vector<std::thread> threads;
    for (int k = 0; k < kKiosks; ++k)
        threads.emplace_back([&, k] {
            const auto id = "kiosk-" + std::to_string(k);
            sync::HttpClient http(
                httpFor(baseUrl(k % 2 == 0 ? a.port() : b.port()), tokens[static_cast<std::size_t>(k)]));
            first[static_cast<std::size_t>(k)] =
                sync::pushPending(kiosks[static_cast<std::size_t>(k)].db, http, fewRetries(id));
            ++finished;
        });
    auto watcher = sync::central::openPostgresStorage(db, {1});
    REQUIRE(
        waitFor([&] { return watcher->eventCount() >= kKiosks * static_cast<std::int64_t>(kEvents) / 5; }));
    const auto atKill = watcher->eventCount();
    ::kill(a.pid(), SIGKILL);
    (void)a.stop(); // reaps it
    for (auto& t : threads)
        t.join();
    INFO("events stored when A was killed: " << atKill);
    CHECK(atKill < kKiosks * static_cast<std::int64_t>(kEvents));

    // A's kiosks were cut off with events still waiting; B's finished.
    std::int64_t waitingAfterKill = 0;
    for (int k = 0; k < kKiosks; ++k) {
        const auto& r = first[static_cast<std::size_t>(k)];
        if (k % 2 == 1) CHECK(r.outcome == sync::Outcome::Done);
        waitingAfterKill += r.waiting;
    }
    CHECK(waitingAfterKill > 0);

    // The kiosks retry (the next night) through the surviving process.
    for (int k = 0; k < kKiosks; ++k) {
        const auto id = "kiosk-" + std::to_string(k);
        sync::HttpClient http(httpFor(baseUrl(b.port()), tokens[static_cast<std::size_t>(k)]));
        auto r = sync::pushPending(kiosks[static_cast<std::size_t>(k)].db, http, fewRetries(id));
        CHECK(r.outcome == sync::Outcome::Done);
        CHECK(r.deadLettered == 0);
        CHECK(store::pendingCount(kiosks[static_cast<std::size_t>(k)].db) == 0);
    }
    const std::int64_t total = kKiosks * static_cast<std::int64_t>(kEvents);
    CHECK(watcher->eventCount() == total);
    CHECK(watcher->distinctEventCount() == total);
    CHECK(queryInt(db, "SELECT COUNT(*) FROM registration") == total);
    CHECK(queryInt(db, "SELECT COUNT(*) FROM registration r JOIN event e ON e.event_id = r.event_id") ==
          total);
    CHECK(b.stop() == 0);
}

TEST_CASE("PostgreSQL: the same batch ingested by two servers at once is stored once, answered accepted or "
          "duplicate",
          "[central][postgres]") {
    TempDir dir;
    const std::string db = newPostgresDatabase();
    auto one = sync::central::openPostgresStorage(db);
    auto two = sync::central::openPostgresStorage(db);
    (void)one->createKioskToken("kiosk-test");
    KioskDb kiosk = backlog(dir, "kiosk-test", 300, 7);
    auto batch = sync::parseBatch(sync::encodeBatch("kiosk-test", store::pendingEvents(kiosk.db, 300)));
    REQUIRE(batch.ok);
    REQUIRE(batch.events.size() == 300);
    for (int round = 0; round < 3; ++round) {
        std::vector<sync::EventResult> r1, r2;
        std::thread t1([&] { r1 = one->ingest("kiosk-test", batch.events); });
        std::thread t2([&] { r2 = two->ingest("kiosk-test", batch.events); });
        t1.join();
        t2.join();
        REQUIRE(r1.size() == 300);
        REQUIRE(r2.size() == 300);
        std::size_t accepted = 0;
        for (std::size_t i = 0; i < 300; ++i) {
            CHECK(r1[i].status != sync::EventStatus::Rejected);
            CHECK(r2[i].status != sync::EventStatus::Rejected);
            accepted +=
                (r1[i].status == sync::EventStatus::Accepted) + (r2[i].status == sync::EventStatus::Accepted);
        }
        CHECK(accepted == (round == 0 ? 300 : 0));
    }
    CHECK(one->eventCount() == 300);
    CHECK(queryInt(db, "SELECT COUNT(*) FROM registration") == 300);
}

TEST_CASE("PostgreSQL: concurrent catalogue changes never lose a version", "[central][postgres]") {
    const std::string db = newPostgresDatabase();
    auto one = sync::central::openPostgresStorage(db);
    auto two = sync::central::openPostgresStorage(db);
    constexpr int kEach = 25;
    auto add = [](sync::central::CentralStorage& s, const std::string& tag) {
        for (int i = 0; i < kEach; ++i)
            (void)s.addMedia("image/png", tag + std::to_string(i));
    };
    std::thread t1([&] { add(*one, "one-"); });
    std::thread t2([&] { add(*two, "two-"); });
    t1.join();
    t2.join();
    // Each new picture took its own version: none was overwritten by a concurrent one.
    CHECK(one->catalogueVersion() == 2 * kEach);
    CHECK(queryInt(db, "SELECT COUNT(DISTINCT version) FROM media") == 2 * kEach);
}

TEST_CASE("comptoir-central migrate-storage copies a pilot's SQLite database into PostgreSQL, once",
          "[central][postgres]") {
    TempDir dir;
    Central pilot(dir, "kiosk-a");
    (void)pilot.storage->createKioskToken("kiosk-b");
    (void)pilot.storage->createKioskToken("kiosk-c");
    REQUIRE(pilot.storage->revokeKioskToken("kiosk-c"));
    (void)pilot.storage->importCatalogue(demoCatalogue());
    (void)pilot.storage->addMedia("image/png", std::string("\x89PNG\r\n\x1a\n\0\xff", 10));
    KioskDb kiosk(dir.file("kiosk.db"), "kiosk-a");
    for (int i = 0; i < 3; ++i)
        (void)kiosk.registerInterest();
    store::VisitorStore visitors{kiosk.db, store::Keyring::publicKey(kiosk.db), kiosk.id};
    // yesterday's feedback: released by the push (today's would be held until the day ends)
    (void)visitors.recordFeedback(4, addDays(nowUtcIso8601().substr(0, 10), -1));
    sync::HttpClient http(httpFor(pilot.server.baseUrl(), pilot.token));
    REQUIRE(sync::pushPending(kiosk.db, http, pushOptions("kiosk-a")).accepted == 4);
    pilot.server.stop();

    const std::string target = newPostgresDatabase();
    std::string out;
    const std::string command =
        centralBinary() + " migrate-storage --from 'sqlite:" + pilot.db + "' --to '" + target + "'";
    const int exitCode = runCommand(command, out);
    INFO(out);
    REQUIRE(exitCode == 0);
    CHECK_THAT(out, Catch::Contains("event\t4") && Catch::Contains("registration\t3") &&
                        Catch::Contains("feedback\t1") && Catch::Contains("kiosk\t3") &&
                        Catch::Contains("media\t1"));

    auto moved = sync::central::openPostgresStorage(target);
    CHECK(moved->eventCount() == pilot.storage->eventCount());
    CHECK(moved->catalogueVersion() == pilot.storage->catalogueVersion());
    CHECK(moved->catalogueDelta(0) == pilot.storage->catalogueDelta(0));
    CHECK(moved->catalogueDelta(1) == pilot.storage->catalogueDelta(1));
    std::ostringstream before, after;
    pilot.storage->exportRegistrationsCsv(before);
    moved->exportRegistrationsCsv(after);
    CHECK(after.str() == before.str());
    const auto sha = sync::sha256Hex(std::string("\x89PNG\r\n\x1a\n\0\xff", 10));
    REQUIRE(moved->media(sha));
    CHECK(moved->media(sha)->data == std::string("\x89PNG\r\n\x1a\n\0\xff", 10));
    // The kiosks keep their tokens (a revoked one stays revoked) and their history: a resend is
    // a duplicate, new events go on.
    CHECK(moved->kioskForToken(pilot.token) == std::optional<std::string>("kiosk-a"));
    CHECK(moved->listKioskTokens().size() == 3);
    CHECK_FALSE(moved->listKioskTokens()[2].revokedAt.empty());
    sync::central::CentralServer server(*moved, {});
    REQUIRE(server.start());
    sync::HttpClient movedHttp(httpFor(server.baseUrl(), pilot.token));
    kiosk.db.exec("UPDATE outbox SET sent_at = NULL", "forget the answers");
    (void)kiosk.registerInterest();
    auto r = sync::pushPending(kiosk.db, movedHttp, pushOptions("kiosk-a"));
    CHECK(r.duplicates == 4);
    CHECK(r.accepted == 1);

    // A second copy into the now busy database is refused and changes nothing.
    REQUIRE(runCommand(command, out) != 0);
    CHECK_THAT(out, Catch::Contains("not empty"));
    CHECK(moved->eventCount() == 5);
}

#endif
