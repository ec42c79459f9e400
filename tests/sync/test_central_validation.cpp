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

/// One kiosk speaking to the server with hand-made events (a hostile or buggy kiosk).
struct Sender {
    Sender(const Central& central, std::string kioskId, const std::string& token)
        : id(std::move(kioskId)), http(httpFor(central.server.baseUrl(), token)) {}

    /// Posts one event; the server's per-event answer.
    sync::EventResult send(const std::string& type, const json& payload,
                           const std::string& eventId = newUuidV7(), int schemaVersion = 1) {
        store::OutboxEvent e{1, eventId, type, schemaVersion, nowUtcIso8601(), id, payload.dump()};
        auto res = http.postJson(sync::kPathEvents, sync::encodeBatch(id, {e}));
        REQUIRE(res.ok());
        REQUIRE(res.status == 200);
        auto answer = sync::parseBatchAnswer(res.body);
        REQUIRE(answer.ok);
        REQUIRE(answer.results.size() == 1);
        return answer.results[0];
    }
    json interest(const std::string& interestId) const {
        return {{"interest_id", interestId},     {"reference", "K7F-4QX"},        {"offer_id", "off-0001"},
                {"offer_title", "Accueillir"},   {"preferred_moment", "morning"}, {"consent_version", 1},
                {"created_at", nowUtcIso8601()}, {"personal_sealed", "c2VhbGVk"}};
    }
    json introduction(const std::string& introductionId, const std::string& interestId,
                      const std::string& status, const std::string& updatedAt = nowUtcIso8601()) const {
        return {{"introduction_id", introductionId},
                {"interest_id", interestId},
                {"organisation_id", "org-epicerie"},
                {"status", status},
                {"reason", ""},
                {"updated_at", updatedAt}};
    }
    std::string id;
    sync::HttpClient http;
};

bool accepted(const sync::EventResult& r) {
    return r.status == sync::EventStatus::Accepted;
}

std::string introductionStatus(const Central& central, const std::string& introductionId) {
    return queryText(central.db, "SELECT status FROM introduction WHERE introduction_id = " + sqlText(introductionId));
}

std::string today() {
    return nowUtcIso8601().substr(0, 10);
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

// [SECTION] ownership

TEST_CASE("a kiosk cannot touch another kiosk's introduction; the owner's later updates still apply") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend, "kiosk-a");
    Sender a(central, "kiosk-a", central.token);
    Sender b(central, "kiosk-b", central.storage->createKioskToken("kiosk-b"));
    std::string interest = newUuidV7(), intro = newUuidV7();
    REQUIRE(accepted(b.send("interest.registered", b.interest(interest))));
    REQUIRE(accepted(b.send("introduction.updated", b.introduction(intro, interest, "proposed"))));

    // Kiosk A, even with a time far in the future or a plausible one: refused, nothing revealed.
    for (const auto& when : {std::string("2999-01-01T00:00:00.000Z"), nowUtcIso8601()}) {
        auto r = a.send("introduction.updated", a.introduction(intro, interest, "cancelled", when));
        CHECK(r.status == sync::EventStatus::Rejected);
        CHECK_THAT(r.reason, !Catch::Contains("kiosk-b"));
    }
    CHECK(introductionStatus(central, intro) == "proposed");
    REQUIRE(accepted(b.send("introduction.updated", b.introduction(intro, interest, "accepted"))));
    CHECK(introductionStatus(central, intro) == "accepted");

    // An introduction must follow one of the kiosk's own registrations.
    auto foreign = a.send("introduction.updated", a.introduction(newUuidV7(), interest, "proposed"));
    CHECK(foreign.status == sync::EventStatus::Rejected);
    CHECK_THAT(foreign.reason, Catch::Contains("interest_id"));
}

TEST_CASE("a record id another kiosk already holds is rejected, never answered accepted and dropped") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend, "kiosk-a");
    Sender a(central, "kiosk-a", central.token);
    Sender b(central, "kiosk-b", central.storage->createKioskToken("kiosk-b"));
    std::string interest = newUuidV7(), callback = newUuidV7(), feedback = newUuidV7(), intro = newUuidV7(),
                hours = newUuidV7();
    json callbackPayload = {{"callback_id", callback},       {"reference", "K7F-4QX"},
                            {"recontact_after", today()},    {"consent_version", 1},
                            {"created_at", nowUtcIso8601()}, {"personal_sealed", "c2VhbGVk"}};
    json feedbackPayload = {
        {"feedback_id", feedback}, {"context", "leaving"}, {"score", 3}, {"created_at", nowUtcIso8601()}};
    json hoursPayload = {
        {"hours_id", hours}, {"introduction_id", intro}, {"hours", 2.5}, {"done_on", today()}};
    REQUIRE(accepted(b.send("interest.registered", b.interest(interest))));
    REQUIRE(accepted(b.send("callback.requested", callbackPayload)));
    REQUIRE(accepted(b.send("feedback.given", feedbackPayload)));
    REQUIRE(accepted(b.send("introduction.updated", b.introduction(intro, interest, "started"))));
    REQUIRE(accepted(b.send("hours.logged", hoursPayload)));

    // Kiosk A reuses each id (with an introduction of its own for the hours).
    std::string ownInterest = newUuidV7(), ownIntro = newUuidV7();
    REQUIRE(accepted(a.send("interest.registered", a.interest(ownInterest))));
    REQUIRE(accepted(a.send("introduction.updated", a.introduction(ownIntro, ownInterest, "started"))));
    hoursPayload["introduction_id"] = ownIntro;
    for (const auto& [type, payload] :
         std::vector<std::pair<std::string, json>>{{"interest.registered", a.interest(interest)},
                                                   {"callback.requested", callbackPayload},
                                                   {"feedback.given", feedbackPayload},
                                                   {"hours.logged", hoursPayload}}) {
        auto r = a.send(type, payload);
        CHECK(r.status == sync::EventStatus::Rejected);
        CHECK_THAT(r.reason, Catch::Contains("already used"));
        CHECK_THAT(r.reason, !Catch::Contains("kiosk-b"));
    }
    // Rejected events are not stored either: only what was answered "accepted" is there.
    CHECK(central.storage->eventCount() == 7);
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM registration WHERE kiosk_id = 'kiosk-a'") == 1);
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM callback WHERE kiosk_id = 'kiosk-a'") == 0);
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM feedback WHERE kiosk_id = 'kiosk-a'") == 0);
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM hours WHERE kiosk_id = 'kiosk-a'") == 0);
}

TEST_CASE("hours need an introduction of the same kiosk and a real date") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend, "kiosk-a");
    Sender a(central, "kiosk-a", central.token);
    Sender b(central, "kiosk-b", central.storage->createKioskToken("kiosk-b"));
    std::string interestA = newUuidV7(), introA = newUuidV7(), interestB = newUuidV7(), introB = newUuidV7();
    REQUIRE(accepted(a.send("interest.registered", a.interest(interestA))));
    REQUIRE(accepted(a.send("introduction.updated", a.introduction(introA, interestA, "started"))));
    REQUIRE(accepted(b.send("interest.registered", b.interest(interestB))));
    REQUIRE(accepted(b.send("introduction.updated", b.introduction(introB, interestB, "started"))));
    auto hours = [&](const std::string& intro, const std::string& doneOn) {
        return json{{"hours_id", newUuidV7()}, {"introduction_id", intro}, {"hours", 3}, {"done_on", doneOn}};
    };
    CHECK_THAT(a.send("hours.logged", hours(newUuidV7(), today())).reason,
               Catch::Contains("introduction_id"));
    CHECK_THAT(a.send("hours.logged", hours(introB, today())).reason, Catch::Contains("introduction_id"));
    CHECK_THAT(a.send("hours.logged", hours(introA, "not-a-date")).reason, Catch::Contains("done_on"));
    CHECK_THAT(a.send("hours.logged", hours(introA, "2025-02-30")).reason, Catch::Contains("done_on"));
    CHECK_THAT(a.send("hours.logged", hours(introA, "2999-01-01")).reason, Catch::Contains("done_on"));
    CHECK(accepted(a.send("hours.logged", hours(introA, today()))));
    // the agent who made the change travels as a pseudonymous id (a UUID), never as a name
    auto byAgent = [&](const json& agent) {
        auto p = hours(introA, today());
        p["agent_id"] = agent;
        return a.send("hours.logged", p);
    };
    CHECK(accepted(byAgent(newUuidV7())));
    CHECK_THAT(byAgent("Marie Dupont").reason, Catch::Contains("agent_id"));
    CHECK_THAT(byAgent(42).reason, Catch::Contains("agent_id"));
    auto intro = a.introduction(introA, interestA, "completed");
    intro["agent_id"] = "Marie Dupont";
    CHECK_THAT(a.send("introduction.updated", intro).reason, Catch::Contains("agent_id"));
}

TEST_CASE("feedback: version 2 (random id, the day only, no context) and version 1 of older kiosks") {
    TempDir dir;
    Central central(dir, "kiosk-a");
    Sender a(central, "kiosk-a", central.token);
    auto v2 = [&](const std::string& givenOn, int score = 3) {
        return json{{"feedback_id", newUuidV4()}, {"score", score}, {"given_on", givenOn}};
    };
    auto send2 = [&](const json& payload) { return a.send("feedback.given", payload, newUuidV4(), 2); };
    auto kept = v2(today());
    CHECK(accepted(send2(kept)));
    CHECK(accepted(a.send("feedback.given", {{"feedback_id", newUuidV7()},
                                             {"context", "after_registration"},
                                             {"score", 4},
                                             {"created_at", nowUtcIso8601()}})));
    // The day only: a time of day, a wrong date or score is refused; so is an unknown version.
    CHECK_THAT(send2(v2(nowUtcIso8601())).reason, Catch::Contains("given_on"));
    CHECK_THAT(send2(v2("2025-02-30")).reason, Catch::Contains("given_on"));
    CHECK_THAT(send2(v2("2999-01-01")).reason, Catch::Contains("given_on"));
    CHECK_THAT(send2(v2(today(), 5)).reason, Catch::Contains("score"));
    CHECK_THAT(a.send("feedback.given", v2(today()), newUuidV4(), 3).reason,
               Catch::Contains("schema_version"));

    auto db = store::Database::open(dir.file("central.db"));
    auto s = db.prepare("SELECT context, created_at FROM feedback WHERE feedback_id = ?1");
    s.bind(1, kept["feedback_id"].get<std::string>());
    REQUIRE(s.step());
    CHECK(s.text(0).empty());
    CHECK(s.text(1) == today());
    auto input = central.storage->indicatorInput();
    REQUIRE(input.feedback.size() == 2);
    for (const auto& f : input.feedback)
        CHECK(f.createdOn == today()); // both count on their day
}

TEST_CASE("ownership is checked before duplicates: another kiosk's event is never confirmed") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend, "kiosk-a");
    Sender b(central, "kiosk-b", central.storage->createKioskToken("kiosk-b"));
    std::string eventId = newUuidV7();
    json payload = {
        {"feedback_id", newUuidV7()}, {"context", "leaving"}, {"score", 2}, {"created_at", nowUtcIso8601()}};
    REQUIRE(accepted(b.send("feedback.given", payload, eventId)));

    // Kiosk A's token replays kiosk B's exact event, then the same id as its own.
    sync::WireEvent replay{eventId, "feedback.given", 1, nowUtcIso8601(), "kiosk-b", payload.dump(), payload};
    auto asB = central.storage->ingest("kiosk-a", {replay});
    CHECK(asB.at(0).status == sync::EventStatus::Rejected);
    CHECK_THAT(asB.at(0).reason, Catch::Contains("kiosk_id"));
    replay.kioskId = "kiosk-a";
    auto asA = central.storage->ingest("kiosk-a", {replay});
    CHECK(asA.at(0).status == sync::EventStatus::Rejected);
    CHECK_THAT(asA.at(0).reason, !Catch::Contains("kiosk-b"));
    CHECK(central.storage->eventCount() == 1);
}

// [SECTION] field validation

TEST_CASE("one UUID has one spelling: upper-case ids are refused, not stored twice") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    Sender k(central, "kiosk-test", central.token);
    std::string eventId = newUuidV7();
    std::string upper = eventId;
    for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    REQUIRE(accepted(k.send(
        "feedback.given",
        {{"feedback_id", newUuidV7()}, {"context", "leaving"}, {"score", 2}, {"created_at", nowUtcIso8601()}},
        eventId)));
    store::OutboxEvent e{1, upper, "feedback.given", 1, nowUtcIso8601(), "kiosk-test", R"({"score":2})"};
    auto res = k.http.postJson(sync::kPathEvents, sync::encodeBatch("kiosk-test", {e}));
    REQUIRE(res.ok());
    CHECK(res.status == 422);
    CHECK(sync::parseError(res.body).eventId == upper);
    CHECK(central.storage->eventCount() == 1);

    std::string interest = newUuidV7();
    std::string interestUpper = interest;
    for (char& c : interestUpper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK_THAT(k.send("interest.registered", k.interest(interestUpper)).reason,
               Catch::Contains("lower case"));
    CHECK(accepted(k.send("interest.registered", k.interest(interest))));
}

TEST_CASE("every field a kiosk sends is checked: times, dates, text, numbers") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    Sender k(central, "kiosk-test", central.token);
    auto rejectedFor = [&](const char* key, const json& value, const char* type = "interest.registered") {
        json p = k.interest(newUuidV7());
        if (std::string(type) == "callback.requested")
            p = {{"callback_id", newUuidV7()},    {"reference", "K7F-4QX"},
                 {"recontact_after", today()},    {"consent_version", 1},
                 {"created_at", nowUtcIso8601()}, {"personal_sealed", "c2VhbGVk"}};
        p[key] = value;
        auto r = k.send(type, p);
        CHECK(r.status == sync::EventStatus::Rejected);
        return r.reason;
    };
    CHECK_THAT(rejectedFor("created_at", "yesterday"), Catch::Contains("created_at"));
    CHECK_THAT(rejectedFor("created_at", "2025-13-01T10:00:00.000Z"), Catch::Contains("created_at"));
    CHECK_THAT(rejectedFor("created_at", "2999-01-01T10:00:00.000Z"), Catch::Contains("created_at"));
    CHECK_THAT(rejectedFor("created_at", "2025-01-01T10:00:00+02:00"), Catch::Contains("created_at"));
    CHECK_THAT(rejectedFor("offer_title", std::string("Accueil\0lir", 11)), Catch::Contains("control"));
    CHECK_THAT(rejectedFor("offer_title", std::string(100'000, 'a')), Catch::Contains("longer"));
    CHECK_THAT(rejectedFor("offer_id", "OFF 1"), Catch::Contains("offer_id"));
    CHECK_THAT(rejectedFor("reference", "k7f-4qx\n"), Catch::Contains("reference"));
    CHECK_THAT(rejectedFor("preferred_moment", "midnight"), Catch::Contains("preferred_moment"));
    CHECK_THAT(rejectedFor("consent_version", 0), Catch::Contains("consent_version"));
    CHECK_THAT(rejectedFor("personal_sealed", std::string(70'000, 'A')), Catch::Contains("personal_sealed"));
    CHECK_THAT(rejectedFor("recontact_after", "not-a-date", "callback.requested"),
               Catch::Contains("recontact_after"));
    CHECK_THAT(rejectedFor("recontact_after", "2999-01-01", "callback.requested"),
               Catch::Contains("recontact_after"));
    // a call-back asked from a full offer carries it (optional): checked like an interest's
    CHECK_THAT(rejectedFor("offer_id", "OFF 1", "callback.requested"), Catch::Contains("offer_id"));
    CHECK(central.storage->eventCount() == 0);
    json withOffer = {{"callback_id", newUuidV7()},    {"reference", "K7F-4QX"},
                      {"recontact_after", today()},    {"consent_version", 1},
                      {"created_at", nowUtcIso8601()}, {"personal_sealed", "c2VhbGVk"},
                      {"offer_id", "off-0003"},        {"offer_title", std::string("Collecte\0", 9)}};
    CHECK_THAT(k.send("callback.requested", withOffer).reason, Catch::Contains("control"));
    withOffer["offer_title"] = "Grande collecte de Noël au supermarché";
    CHECK(accepted(k.send("callback.requested", withOffer)));
    CHECK(central.storage->eventCount() == 1);

    // The envelope: an occurred_at that is not a time refuses the batch (422).
    store::OutboxEvent e{1, newUuidV7(), "feedback.given", 1, "not-a-time", "kiosk-test", R"({"score":2})"};
    auto res = k.http.postJson(sync::kPathEvents, sync::encodeBatch("kiosk-test", {e}));
    REQUIRE(res.ok());
    CHECK(res.status == 422);
    CHECK_THAT(sync::parseError(res.body).message, Catch::Contains("occurred_at"));
}

TEST_CASE("a registration for a kiosk's local one-off offer is accepted, not dead-lettered") {
    TempDir dir;
    Central central(dir);
    Sender k(central, "kiosk-test", central.token);
    json p = k.interest(newUuidV7());
    // offers_onsite.cpp names a local offer "local-" + UUID: 42 characters, longer than a
    // catalogue id, and it must reach the server like any other registration.
    p["offer_id"] = "local-" + newUuidV7();
    auto r = k.send("interest.registered", p);
    CHECK(r.status == sync::EventStatus::Accepted);
    CHECK(central.storage->eventCount() == 1);
    p = k.interest(newUuidV7());
    p["offer_id"] = "local-" + std::string(80, 'a'); // still bounded
    CHECK(k.send("interest.registered", p).status == sync::EventStatus::Rejected);
}

// [SECTION] export

TEST_CASE("the CSV export neutralises every cell a spreadsheet would run as a formula") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    Sender k(central, "kiosk-test", central.token);
    const std::vector<std::string> titles = {"=1+1",      "+1",      "-1",      "@SUM(A1)",
                                             "\uFF1D1+1", "\uFF0B1", "\uFF0D1", "\uFF20SUM(A1)"};
    for (const auto& t : titles) {
        auto p = k.interest(newUuidV7());
        p["offer_title"] = t;
        REQUIRE(accepted(k.send("interest.registered", p)));
    }
    // Rows stored before the server refused control characters.
    for (const char* old : {"\t=1+1", "\r=1+1"}) {
        const auto id = sqlText(newUuidV7());
        execSql(central.db, "INSERT INTO registration(interest_id, kiosk_id, reference, offer_id, offer_title, "
                            "preferred_moment, consent_version, created_at, personal_sealed, event_id) VALUES(" +
                                id + ", 'kiosk-test', 'K7F-4QX', 'off-0001', " + sqlText(old) +
                                ", 'any', 1, '2025-01-01T10:00:00.000Z', 'c2VhbGVk', " + id + ")");
    }
    std::ostringstream out;
    central.storage->exportRegistrationsCsv(out);
    auto csv = out.str();
    for (const auto& t : titles)
        CHECK(csv.find(",'" + t + ",") != std::string::npos);
    CHECK(csv.find(",'\t=1+1,") != std::string::npos);
    CHECK(csv.find(",\"'\r=1+1\",") != std::string::npos);
}
