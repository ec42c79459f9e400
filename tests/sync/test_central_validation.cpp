// The central server against a hostile kiosk, and the kiosk against a hostile server: depth
// limits, field validation, ownership of records.
#include "comptoir/domain/ids.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace comptoir;
using namespace comptoir::test;
using nlohmann::json;

namespace {

const std::string kDeep = std::string(100'000, '[') + std::string(100'000, ']');

sync::PullOptions pullOptions() {
    sync::PullOptions o;
    o.retry = quickRetries();
    return o;
}

/// Makes the server's stored body of one offer `body` at a new catalogue version, as a
/// compromised or buggy catalogue source would (the server splices bodies as stored).
void poisonOffer(const TempDir& dir, const std::string& offerId, const std::string& body) {
    auto db = store::Database::open(dir.file("central.db"));
    std::int64_t next =
        store::queryInt(db, "SELECT CAST(value AS INTEGER) + 1 FROM meta WHERE key = 'catalogue_version'");
    db.prepare("UPDATE cat_entity SET body = ?1, version = ?2 WHERE kind = 'offers' AND id = ?3")
        .bind(1, body)
        .bind(2, next)
        .bind(3, offerId)
        .run();
    db.prepare("UPDATE meta SET value = ?1 WHERE key = 'catalogue_version'")
        .bind(1, std::to_string(next))
        .run();
}

} // namespace

// [SECTION] depth

TEST_CASE("a batch nested 100,000 levels deep is refused with 400 and the server keeps serving") {
    TempDir dir;
    Central central(dir);
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    std::string body = R"({"protocol":1,"kiosk_id":"kiosk-test","events":[{"event_id":")" + newUuidV7() +
                       R"(","type":"feedback.given","schema_version":1,"occurred_at":")" + nowUtcIso8601() +
                       R"(","kiosk_id":"kiosk-test","payload":{"x":)" + kDeep + "}}]}";
    auto res = http.postJson(sync::kPathEvents, body);
    REQUIRE(res.ok());
    CHECK(res.status == 400);
    auto err = sync::parseError(res.body);
    CHECK(err.code == "malformed_json");
    CHECK_THAT(err.message, Catch::Contains("deeper than"));

    // Still serving: a real kiosk pushes right after.
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)kiosk.registerInterest();
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(r.accepted == 1);
    CHECK(central.storage->eventCount() == 1);
}

TEST_CASE("a catalogue or delta nested 100,000 levels deep is refused; the kiosk keeps its catalogue") {
    TempDir dir;
    Central central(dir);
    auto cat = demoCatalogue();
    (void)central.storage->importCatalogue(cat);
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    KioskDb kiosk(dir.file("kiosk.db"));
    REQUIRE(sync::pullCatalogue(kiosk.db, http, pullOptions()).outcome == sync::Outcome::Done);
    auto before = store::loadCatalogue(kiosk.db);

    poisonOffer(dir, cat.offers[0].id, R"({"id":")" + cat.offers[0].id + R"(","x":)" + kDeep + "}");
    // A delta (the kiosk is up to date) and a whole catalogue (a kiosk that only has its seed).
    auto delta = sync::pullCatalogue(kiosk.db, http, pullOptions());
    CHECK(delta.outcome != sync::Outcome::Done);
    CHECK_THAT(delta.lastError, Catch::Contains("deeper than"));
    auto after = store::loadCatalogue(kiosk.db);
    CHECK(after.version == before.version);
    CHECK(after.offers.size() == before.offers.size());

    KioskDb seeded(dir.file("seeded.db"));
    (void)store::importCatalogue(seeded.db, cat);
    auto full = sync::pullCatalogue(seeded.db, http, pullOptions());
    CHECK(full.outcome != sync::Outcome::Done);
    CHECK_THAT(full.lastError, Catch::Contains("deeper than"));
    CHECK(store::offerCount(seeded.db) == static_cast<std::int64_t>(cat.offers.size()));
}
