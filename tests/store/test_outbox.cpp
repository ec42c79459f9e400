#include "comptoir/store/migrations.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using namespace comptoir::store;

namespace {
struct Fixture : test::StoreFixture {
    VisitorStore visitors() { return VisitorStore{db, Keyring::publicKey(db), "test-kiosk"}; }
};

InterestDraft draft() {
    InterestDraft d;
    d.offerId = "off-0001";
    d.offerTitle = "Accueillir à l'épicerie";
    d.contact = {"Camille", "0612345678", "", "Plutôt le matin"};
    d.preferredMoment = "morning";
    return d;
}

std::int64_t count(const Database& db, const char* table) {
    return queryInt(db, std::string("SELECT COUNT(*) FROM ") + table);
}
} // namespace

TEST_CASE("a registration writes exactly one interest, one sealed personal row and one event") {
    Fixture f;
    auto rec = f.visitors().recordInterest(draft());
    CHECK(count(f.db, "interest") == 1);
    CHECK(count(f.db, "personal") == 1);
    CHECK(count(f.db, "outbox") == 1);
    auto events = pendingEvents(f.db, 10);
    REQUIRE(events.size() == 1);
    CHECK(events[0].eventId == rec.eventId);
    CHECK(events[0].type == "interest.registered");
    CHECK(events[0].kioskId == "test-kiosk");
    auto payload = nlohmann::json::parse(events[0].payload);
    CHECK(payload["interest_id"] == rec.id);
    CHECK(payload["reference"] == rec.reference);
    CHECK(payload["offer_id"] == "off-0001");
    // no personal field in clear anywhere in the event
    CHECK(events[0].payload.find("Camille") == std::string::npos);
    CHECK(events[0].payload.find("0612345678") == std::string::npos);
    CHECK(payload.contains("personal_sealed"));
}

TEST_CASE("a failure while writing the event leaves neither the change nor the event") {
    Fixture f;
    f.db.exec("CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox "
              "BEGIN SELECT RAISE(ABORT, 'injected outbox failure'); END",
              "inject failure");
    CHECK_THROWS_WITH(f.visitors().recordInterest(draft()), Catch::Contains("injected outbox failure"));
    CHECK(count(f.db, "interest") == 0);
    CHECK(count(f.db, "personal") == 0);
    CHECK(count(f.db, "outbox") == 0);
    // and the connection is usable again afterwards
    f.db.exec("DROP TRIGGER temp.fail_outbox", "remove failure");
    f.visitors().recordInterest(draft());
    CHECK(count(f.db, "interest") == 1);
    CHECK(count(f.db, "outbox") == 1);
}

TEST_CASE("a failure while writing the change leaves no event behind") {
    Fixture f;
    f.db.exec("CREATE TEMP TRIGGER fail_interest BEFORE INSERT ON interest "
              "BEGIN SELECT RAISE(ABORT, 'injected interest failure'); END",
              "inject failure");
    CHECK_THROWS(f.visitors().recordInterest(draft()));
    CHECK(count(f.db, "outbox") == 0);
    CHECK(count(f.db, "personal") == 0);
}

TEST_CASE("a registration committed on one connection is there after the process 'dies'") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    std::string reference;
    {
        auto db = Database::open(path);
        migrate(db);
        Keyring::create(db, "135790", PinCost::minimum());
        VisitorStore v{db, Keyring::publicKey(db), "k"};
        reference = v.recordInterest(draft()).reference;
        // no checkpoint, no close: the connection is simply dropped with the WAL in place
    }
    auto db = Database::open(path);
    auto s = db.prepare("SELECT COUNT(*) FROM interest WHERE reference = ?1");
    s.bind(1, reference);
    REQUIRE(s.step());
    CHECK(s.int64(0) == 1);
    CHECK(pendingCount(db) == 1);
}

TEST_CASE("outbox events are immutable and unsent ones cannot be deleted") {
    Fixture f;
    f.visitors().recordInterest(draft());
    CHECK_THROWS_WITH(f.db.exec("UPDATE outbox SET payload = '{}'", "tamper"), Catch::Contains("immutable"));
    CHECK_THROWS_WITH(f.db.exec("DELETE FROM outbox", "drop"), Catch::Contains("cannot be deleted"));
    f.db.exec("UPDATE outbox SET sent_at = 'now'", "mark sent"); // marking sent is allowed
    CHECK(pendingCount(f.db) == 0);
}

TEST_CASE("unvalidated contact details are refused before anything is written") {
    Fixture f;
    auto d = draft();
    d.contact.phone = "06 12";
    CHECK_THROWS_AS(f.visitors().recordInterest(d), std::invalid_argument);
    CHECK(count(f.db, "interest") == 0);
}

TEST_CASE("call-back requests and feedback also write their event in the same transaction") {
    Fixture f;
    auto v = f.visitors();
    v.recordCallback(CallbackDraft{{"Noé", "", "noe@exemple.fr", ""}, "2027-01-15"});
    v.recordFeedback("leaving", 4);
    CHECK(count(f.db, "callback_request") == 1);
    CHECK(count(f.db, "feedback") == 1);
    auto events = pendingEvents(f.db, 10);
    REQUIRE(events.size() == 2);
    CHECK(events[0].type == "callback.requested");
    CHECK(events[1].type == "feedback.given");
    CHECK(events[0].eventId < events[1].eventId); // UUIDv7 order follows write order
    CHECK_THROWS(v.recordFeedback("leaving", 7)); // out of range: refused by the schema
    CHECK(count(f.db, "outbox") == 2);
}

TEST_CASE("a call-back asked from a full offer keeps it, through the save spool's JSON too") {
    Fixture f;
    CallbackDraft d{{"Lina", "+32470123456", "", ""}, "2027-01-15"};
    d.offerId = "off-0034";
    d.offerTitle = "Aider au tournoi de boccia";
    auto prepared = prepareCallback(d, SealingKeys{Keyring::publicKey(f.db), std::nullopt}, "test-kiosk");
    std::string error;
    auto back = preparedFromJson(toJson(prepared), error);
    REQUIRE(back);
    CHECK(back->offerId == "off-0034");
    CHECK(back->offerTitle == "Aider au tournoi de boccia");
    (void)commitRecord(f.db, *back);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM callback_request WHERE offer_id = 'off-0034'") == 1);
    auto events = pendingEvents(f.db, 10);
    REQUIRE(events.size() == 1);
    CHECK(events[0].payload.find("\"offer_id\":\"off-0034\"") != std::string::npos);
}
