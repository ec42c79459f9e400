#include "comptoir/store/migrations.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "store_fixture.hpp"

#include <algorithm>
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

TEST_CASE("call-back requests also write their event in the same transaction") {
    Fixture f;
    auto v = f.visitors();
    v.recordCallback(CallbackDraft{{"Noé", "", "noe@exemple.fr", ""}, "2027-01-15"});
    CHECK(count(f.db, "callback_request") == 1);
    auto events = pendingEvents(f.db, 10);
    REQUIRE(events.size() == 1);
    CHECK(events[0].type == "callback.requested");
}

TEST_CASE(
    "anonymous feedback cannot be linked to the registration it follows, in the table or in the outbox") {
    Fixture f;
    auto v = f.visitors();
    const std::string day = "2026-11-30", nextDay = "2026-12-01";
    // Visitors of one day: each registers, then answers "Comment s'est passée votre visite ?".
    std::vector<std::string> given; // in the order the answers were given
    for (int i = 0; i < 8; ++i) {
        auto d = draft();
        d.contact.phone = "063998004" + std::to_string(i);
        (void)v.recordInterest(d);
        given.push_back(v.recordFeedback(1 + i % 4, day));
    }
    CHECK_THROWS(v.recordFeedback(7, day)); // out of range: refused by the schema

    // The table: a random id, the day only, no context, no rowid (no order of writing).
    std::vector<std::string> columns;
    auto cols = f.db.prepare("SELECT name FROM pragma_table_info('feedback') ORDER BY cid");
    while (cols.step())
        columns.push_back(cols.text(0));
    CHECK(columns == std::vector<std::string>{"id", "score", "given_on", "held"});
    CHECK_THROWS_AS((void)f.db.prepare("SELECT rowid FROM feedback"), DbError);
    for (const auto& id : given)
        CHECK(id[14] == '4'); // UUIDv4: no time in it
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM feedback WHERE given_on = '2026-11-30'") == 8);
    // The order the table gives back is the ids' order, not the order they were written.
    std::vector<std::string> stored;
    auto rows = f.db.prepare("SELECT id FROM feedback");
    while (rows.step())
        stored.push_back(rows.text(0));
    auto sorted = given;
    std::sort(sorted.begin(), sorted.end());
    CHECK(stored == sorted);

    // Held while the day lasts: the outbox holds the registrations only.
    CHECK(heldFeedbackCount(f.db) == 8);
    CHECK(releaseHeldFeedback(f.db, "test-kiosk", day) == 0);
    CHECK(count(f.db, "outbox") == 8);

    // The day over, all of that day's answers join the outbox together, in the order of their
    // random ids: a property of every release, not a chance.
    CHECK(releaseHeldFeedback(f.db, "test-kiosk", nextDay) == 8);
    CHECK(heldFeedbackCount(f.db) == 0);
    auto events = pendingEvents(f.db, 100);
    REQUIRE(events.size() == 16);
    std::vector<std::string> released;
    for (std::size_t i = 8; i < events.size(); ++i) {
        const auto& e = events[i];
        REQUIRE(e.type == "feedback.given");
        CHECK(e.seq == events[i - 1].seq + 1);
        CHECK(e.schemaVersion == 2);
        CHECK(e.eventId[14] == '4');
        CHECK(e.occurredAt == "2026-11-30T00:00:00.000Z"); // the same for every answer of the day
        auto p = nlohmann::json::parse(e.payload);
        CHECK(p.size() == 3);
        CHECK(p["given_on"] == day);
        CHECK(p.contains("score"));
        released.push_back(p["feedback_id"].get<std::string>());
    }
    CHECK(released == sorted);
    CHECK(releaseHeldFeedback(f.db, "test-kiosk", nextDay) == 0); // once only
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
