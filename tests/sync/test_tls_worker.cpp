// TLS with a certificate made for the test, and the kiosk's background worker.
#include "comptoir/sync/job.hpp"
#include "comptoir/sync/worker.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

using namespace comptoir;
using namespace comptoir::test;

namespace {
/// A worker on `databasePath` that waits for nudges (an hour between regular cycles), quick retries.
sync::WorkerOptions workerOptions(const std::string& databasePath, sync::HttpOptions http) {
    sync::WorkerOptions o;
    o.databasePath = databasePath;
    o.kioskId = "kiosk-test";
    o.http = std::move(http);
    o.interval = std::chrono::hours(1);
    o.nudgeDelay = std::chrono::milliseconds(20);
    o.retry = quickRetries(2);
    return o;
}
} // namespace

TEST_CASE("TLS: a self-signed server is refused until its CA file is configured") {
    TempDir dir;
    Central central(dir, "kiosk-test", selfSignedTls(dir));
    REQUIRE(central.server.baseUrl().rfind("https://127.0.0.1:", 0) == 0);
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)kiosk.registerInterest();

    {
        sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
        auto health = http.get(sync::kPathHealth);
        CHECK(health.transport == sync::HttpResponse::Transport::Failed);
        CHECK(sync::isTlsVerificationError(health.curlCode));
        auto r = sync::pushPending(kiosk.db, http, pushOptions("kiosk-test", 5));
        // Not "try later": a possible interception, reported as such, and not retried.
        CHECK(r.outcome == sync::Outcome::Untrusted);
        CHECK(r.requests == 1);
        CHECK_THAT(r.lastError, Catch::Contains("TLS") && Catch::Contains("interception"));
        CHECK(central.storage->eventCount() == 0);
        CHECK(store::pendingCount(kiosk.db) == 1);
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
    auto o = workerOptions(dir.file("kiosk.db"), httpFor(central.server.baseUrl(), central.token));
    o.lockPath = dir.file("sync.lock");
    o.nudgeDelay = std::chrono::milliseconds(50);
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
    auto o = workerOptions(dir.file("kiosk.db"), httpFor("http://127.0.0.1:" + std::to_string(closedPort), "t"));
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

TEST_CASE("TLS: comptoir-sync and the worker report an unverifiable server as such (exit 4, status)") {
    TempDir dir;
    Central central(dir, "kiosk-test", selfSignedTls(dir));
    const std::string dataDir = dir.file("data");
    std::filesystem::create_directories(dataDir);
    KioskDb kiosk(dataDir + "/comptoir.db");
    (void)kiosk.registerInterest();
    writeFile(dir.file("token"), central.token + "\n");
    writeFile(dir.file("kiosk.toml"), "kiosk_id = \"kiosk-test\"\ndata_dir = \"" + dataDir + "\"\n[server]\nurl = \"" +
                                          central.server.baseUrl() + "\"\ntoken_file = \"" + dir.file("token") + "\"\n");
    const std::string job = binaryPath("sync/comptoir-sync") + " --config " + dir.file("kiosk.toml");
    std::string out;
    int rc = runCommand(job + " --attempts 3 --backoff-ms 10", out);
    INFO(out);
    CHECK(rc == 4);
    CHECK_THAT(out, Catch::Contains("interception") && Catch::Contains("pull skipped"));
    CHECK(store::pendingCount(kiosk.db) == 1);
    CHECK(runCommand(job + " status", out) == 1); // the last run needs a person
    CHECK_THAT(out, Catch::Contains("job.last_exit_code: 4") && Catch::Contains("TLS certificate could not be verified"));

    sync::SyncWorker worker(workerOptions(dataDir + "/comptoir.db", httpFor(central.server.baseUrl(), central.token)));
    REQUIRE(test::waitFor([&] { return worker.status().state == sync::SyncState::Failed; }));
    CHECK(worker.status().untrusted);
    CHECK_THAT(worker.status().lastError, Catch::Contains("TLS"));
}
