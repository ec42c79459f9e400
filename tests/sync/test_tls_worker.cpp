// TLS with a certificate made for the test, and the kiosk's background worker.
#include "comptoir/sync/job.hpp"
#include "comptoir/sync/worker.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace comptoir;
using namespace comptoir::test;

TEST_CASE("TLS: a self-signed server is refused until its CA file is configured") {
    TempDir dir;
    auto o = selfSignedTls(dir);
    Central central(dir, "kiosk-test", o);
    REQUIRE(central.server.baseUrl().rfind("https://127.0.0.1:", 0) == 0);
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)kiosk.registerInterest();

    {
        sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
        auto health = http.get(sync::kPathHealth);
        CHECK(health.transport == sync::HttpResponse::Transport::Failed);
        CHECK(sync::isTlsVerificationError(health.curlCode));
        auto r = sync::pushPending(kiosk.db, http, pushOptions("kiosk-test", 2));
        CHECK(r.outcome == sync::Outcome::Unreachable);
        CHECK(central.storage->eventCount() == 0);
    }
    auto withCa = httpFor(central.server.baseUrl(), central.token);
    withCa.caFile = dir.file("cert.pem");
    sync::HttpClient http(withCa);
    auto health = http.get(sync::kPathHealth);
    CHECK(health.ok());
    CHECK(health.status == 200);
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(central.storage->eventCount() == 1);
}

TEST_CASE("the background worker syncs soon after a nudge and reports its state") {
    TempDir dir;
    Central central(dir);
    (void)central.storage->importCatalogue(demoCatalogue());
    KioskDb kiosk(dir.file("kiosk.db"));
    sync::WorkerOptions o;
    o.databasePath = dir.file("kiosk.db");
    o.lockPath = dir.file("sync.lock");
    o.kioskId = "kiosk-test";
    o.http = httpFor(central.server.baseUrl(), central.token);
    o.interval = std::chrono::hours(1);
    o.nudgeDelay = std::chrono::milliseconds(50);
    o.retry = quickRetries(2);
    sync::SyncWorker worker(o);
    REQUIRE(test::waitFor([&] { return worker.status().state == sync::SyncState::Succeeded; }));
    auto first = worker.status();
    CHECK(first.eventsWaiting == 0);
    CHECK(first.catalogueSwaps == 1);
    CHECK(first.catalogueVersion == 1);
    CHECK(first.lastSuccess.has_value());

    for (int i = 0; i < 3; ++i) (void)kiosk.registerInterest();
    worker.nudge();
    REQUIRE(test::waitFor([&] { return central.storage->eventCount() == 3; }));
    REQUIRE(test::waitFor([&] { return worker.status().cycles >= 2 && worker.status().state == sync::SyncState::Succeeded; }));
    CHECK(worker.status().eventsWaiting == 0);
    CHECK(worker.status().lastError.empty());

    // While the nightly job holds the lock, a cycle steps aside.
    {
        auto held = sync::RunLock::tryAcquire(dir.file("sync.lock"));
        REQUIRE(held);
        (void)kiosk.registerInterest();
        auto cycles = worker.status().cycles;
        worker.nudge();
        REQUIRE(test::waitFor([&] { return worker.status().cycles > cycles && worker.status().state == sync::SyncState::Idle; }));
        CHECK(central.storage->eventCount() == 3);
    }
    worker.nudge();
    REQUIRE(test::waitFor([&] { return central.storage->eventCount() == 4; }));
}

TEST_CASE("the worker reports a failure when the server is down, and stops promptly") {
    TempDir dir;
    int closedPort = 0;
    {
        Central gone(dir);
        closedPort = gone.server.port();
    }
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)kiosk.registerInterest();
    sync::WorkerOptions o;
    o.databasePath = dir.file("kiosk.db");
    o.kioskId = "kiosk-test";
    o.http = httpFor("http://127.0.0.1:" + std::to_string(closedPort), "t");
    o.interval = std::chrono::hours(1);
    o.nudgeDelay = std::chrono::milliseconds(20);
    o.retry = quickRetries(2);
    auto worker = std::make_unique<sync::SyncWorker>(o);
    REQUIRE(test::waitFor([&] { return worker->status().state == sync::SyncState::Failed; }));
    auto s = worker->status();
    CHECK_THAT(s.lastError, Catch::Contains("unreachable"));
    CHECK(s.eventsWaiting == 1);
    CHECK_FALSE(s.lastSuccess.has_value());
    auto t0 = std::chrono::steady_clock::now();
    worker.reset();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
}
