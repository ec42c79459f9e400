#include "comptoir/domain/followup.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/sync/job.hpp"
#include "fault_proxy.hpp"
#include "sync_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <httplib.h>
#include <sstream>
#include <thread>

using namespace comptoir;
using namespace comptoir::test;

namespace {
std::string csvOf(sync::central::CentralStorage& s) {
    std::ostringstream out;
    s.exportRegistrationsCsv(out);
    return out.str();
}
} // namespace

TEST_CASE("registrations made on the kiosk arrive on the server and in its CSV export") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    KioskDb kiosk(dir.file("kiosk.db"));
    auto a = kiosk.registerInterest("off-0001");
    auto b = kiosk.registerInterest("off-0002");
    store::VisitorStore visitors{kiosk.db, store::Keyring::publicKey(kiosk.db), kiosk.id};
    // Every kind of record the kiosk makes passes the server's validation.
    (void)visitors.recordCallback(store::CallbackDraft{{"Noé", "", "noe@exemple.fr", ""},
                                                       nowUtcIso8601().substr(0, 10)});
    // ... a call-back asked from a full offer too (it carries the offer), and a foreign number
    store::CallbackDraft fromFull{{"Amal", "+212612345678", "", ""}, nowUtcIso8601().substr(0, 10)};
    fromFull.offerId = "off-0034";
    fromFull.offerTitle = "Aider au tournoi de boccia";
    (void)visitors.recordCallback(fromFull);
    // Anonymous feedback: today's is held; the push releases yesterday's, all of that day at once.
    const std::string today = nowUtcIso8601().substr(0, 10), yesterday = addDays(today, -1);
    (void)visitors.recordFeedback(1);
    std::vector<std::string> yesterdays;
    for (int score : {4, 3, 2})
        yesterdays.push_back(visitors.recordFeedback(score, yesterday));
    REQUIRE(store::pendingCount(kiosk.db) == 4);

    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(r.accepted == 7);
    CHECK(r.duplicates == 0);
    CHECK(r.waiting == 0);
    CHECK(store::pendingCount(kiosk.db) == 0);
    CHECK(store::heldFeedbackCount(kiosk.db) == 1);
    CHECK(central.storage->eventCount() == 7);

    // What the server received ties no answer to a registration: sent in the order of their
    // random ids, the day only (the event's time is that day's midnight), no context.
    std::sort(yesterdays.begin(), yesterdays.end());
    std::vector<std::string> sent;
    auto order = kiosk.db.prepare("SELECT json_extract(payload, '$.feedback_id') FROM outbox WHERE type = "
                                  "'feedback.given' ORDER BY seq");
    while (order.step())
        sent.push_back(order.text(0));
    CHECK(sent == yesterdays);
    // (asked in SQL both backends speak)
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM feedback WHERE context = '' AND created_at = " +
                                   sqlText(yesterday)) == 3);
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM event WHERE type = 'feedback.given' AND schema_version = 2 "
                               "AND occurred_at = " +
                                   sqlText(yesterday + "T00:00:00.000Z")) == 3);
    for (const auto& id : yesterdays)
        CHECK(queryInt(central.db, "SELECT COUNT(*) FROM feedback WHERE feedback_id = " + sqlText(id)) == 1);
    // and counts in the indicators, on its day
    auto input = central.storage->indicatorInput();
    REQUIRE(input.feedback.size() == 3);
    for (const auto& f : input.feedback)
        CHECK(f.createdOn == yesterday);

    auto csv = csvOf(*central.storage);
    CHECK(csv.find(a.reference) != std::string::npos);
    CHECK(csv.find(b.reference) != std::string::npos);
    CHECK(csv.find("off-0002") != std::string::npos);
    // The server keeps personal fields sealed: no clear name or number in the export.
    CHECK(csv.find("Camille") == std::string::npos);
    CHECK(csv.find("0612345678") == std::string::npos);

    // Nothing left: a second run sends nothing.
    auto again = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(again.outcome == sync::Outcome::Done);
    CHECK(again.requests == 0);
}

TEST_CASE("re-sending events the server already has creates no duplicate") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    KioskDb kiosk(dir.file("kiosk.db"));
    for (int i = 0; i < 5; ++i) (void)kiosk.registerInterest();
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    REQUIRE(sync::pushPending(kiosk.db, http, pushOptions()).accepted == 5);

    // As after a crash between the server's commit and ours: the events look unsent again.
    kiosk.db.exec("UPDATE outbox SET sent_at = NULL", "forget the answers");
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(r.accepted == 0);
    CHECK(r.duplicates == 5);
    CHECK(central.storage->eventCount() == 5);
    CHECK(store::pendingCount(kiosk.db) == 0);
}

TEST_CASE("batches respect the event limit") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    for (int i = 0; i < 25; ++i) (void)kiosk.registerInterest();
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    auto o = pushOptions();
    o.maxBatchEvents = 10;
    auto r = sync::pushPending(kiosk.db, http, o);
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(r.requests == 3);
    CHECK(r.accepted == 25);
}

TEST_CASE("an event the server rejects goes to dead-letter with the reason; the others are accepted") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)kiosk.registerInterest();
    std::string bad;
    {
        store::Transaction tx(kiosk.db);
        bad = store::appendEvent(kiosk.db, "feedback.given", 1, kiosk.id,
                                 {{"feedback_id", newUuidV7()}, {"score", 9}});
        tx.commit();
    }
    (void)kiosk.registerInterest();

    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(r.accepted == 2);
    CHECK(r.deadLettered == 1);
    CHECK(central.storage->eventCount() == 2);
    CHECK(store::pendingCount(kiosk.db) == 0);
    auto dead = store::deadLetters(kiosk.db, 10);
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].eventId == bad);
    CHECK(dead[0].type == "feedback.given");
    CHECK_THAT(dead[0].reason, Catch::Contains("context") || Catch::Contains("score"));

    // Never retried forever: the next run does not send it again.
    auto again = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(again.requests == 0);
    // An agent can put it back in the queue; it is refused again, and stays visible.
    CHECK(store::retryDeadLetter(kiosk.db, bad));
    CHECK(store::pendingCount(kiosk.db) == 1);
    auto third = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(third.deadLettered == 1);
    CHECK(store::deadLetterCount(kiosk.db) == 1);
}

TEST_CASE("a batch refused as a whole is split until the offending event is alone") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    for (int i = 0; i < 6; ++i) (void)kiosk.registerInterest();
    // An envelope the server refuses for the whole batch (422): the event id is not a UUID.
    kiosk.db.exec("INSERT INTO outbox(event_id, type, schema_version, occurred_at, kiosk_id, payload) "
                  "VALUES('not-a-uuid', 'feedback.given', 1, '2025-01-01T00:00:00.000Z', 'kiosk-test', '{}')",
                  "add a malformed event");
    for (int i = 0; i < 6; ++i) (void)kiosk.registerInterest();

    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(r.accepted == 12);
    CHECK(r.deadLettered == 1);
    CHECK(central.storage->eventCount() == 12);
    auto dead = store::deadLetters(kiosk.db, 10);
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].eventId == "not-a-uuid");
    CHECK(dead[0].httpStatus == 422);
    CHECK_THAT(dead[0].reason, Catch::Contains("UUID"));
}

TEST_CASE("a refused token stops the push without dead-lettering anything") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)kiosk.registerInterest();
    sync::HttpClient http(httpFor(central.server.baseUrl(), "not-the-token"));
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Refused);
    CHECK_THAT(r.lastError, Catch::Contains("401"));
    CHECK(store::pendingCount(kiosk.db) == 1);
    CHECK(store::deadLetterCount(kiosk.db) == 0);
    CHECK(central.storage->eventCount() == 0);
}

TEST_CASE("a kiosk using another kiosk's token: the batch is refused (403), the push stops, every event waits") {
    TempDir dir;
    Central central(dir, "kiosk-a"); // the token of kiosk-a…
    KioskDb kiosk(dir.file("kiosk.db"), "kiosk-b"); // …configured on kiosk-b
    (void)kiosk.registerInterest();
    (void)kiosk.registerInterest();
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    auto r = sync::pushPending(kiosk.db, http, pushOptions("kiosk-b"));
    CHECK(r.outcome == sync::Outcome::Refused);
    CHECK_THAT(r.lastError, Catch::Contains("403") && Catch::Contains("kiosk_mismatch") && Catch::Contains("kiosk-a"));
    CHECK(r.requests == 1); // no split, no retry: nothing the kiosk can change by itself
    CHECK(r.deadLettered == 0);
    CHECK(store::deadLetterCount(kiosk.db) == 0);
    CHECK(store::pendingCount(kiosk.db) == 2);
    CHECK(central.storage->eventCount() == 0);

    SECTION("the batch names the token's kiosk but its events another one (kiosk_id changed since): refused too") {
        auto again = sync::pushPending(kiosk.db, http, pushOptions("kiosk-a"));
        CHECK(again.outcome == sync::Outcome::Refused);
        CHECK_THAT(again.lastError, Catch::Contains("kiosk_mismatch"));
        CHECK(store::deadLetterCount(kiosk.db) == 0);
        CHECK(store::pendingCount(kiosk.db) == 2);
        CHECK(central.storage->eventCount() == 0);
    }
    SECTION("once the right token is in place, every event goes") {
        auto right = central.storage->createKioskToken("kiosk-b");
        sync::HttpClient fixed(httpFor(central.server.baseUrl(), right));
        auto ok = sync::pushPending(kiosk.db, fixed, pushOptions("kiosk-b"));
        CHECK(ok.outcome == sync::Outcome::Done);
        CHECK(ok.accepted == 2);
        CHECK(store::pendingCount(kiosk.db) == 0);
    }
}

TEST_CASE("a per-event answer 'kiosk_id does not match the token' (an older server) stops the run, nothing dead-lettered") {
    TempDir dir;
    KioskDb kiosk(dir.file("kiosk.db"), "kiosk-b");
    auto first = kiosk.registerInterest();
    auto second = kiosk.registerInterest();
    // A canned answer, as a server of the previous release gave it: the first event accepted,
    // the second refused for its kiosk_id.
    httplib::Server old;
    old.Post(sync::kPathEvents, [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(sync::encodeBatchAnswer({{first.eventId, sync::EventStatus::Accepted, {}},
                                                 {second.eventId, sync::EventStatus::Rejected,
                                                  "kiosk_id does not match the kiosk of the token"}}),
                        "application/json");
    });
    int port = old.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread serving([&] { (void)old.listen_after_bind(); });
    REQUIRE(waitFor([&] { return old.is_running(); }));
    sync::PushReport r;
    {
        sync::HttpClient http(httpFor("http://127.0.0.1:" + std::to_string(port), "t"));
        r = sync::pushPending(kiosk.db, http, pushOptions("kiosk-b"));
    }
    old.stop();
    serving.join();
    CHECK(r.outcome == sync::Outcome::Refused);
    CHECK_THAT(r.lastError, Catch::Contains("kiosk_id"));
    CHECK(r.accepted == 1);
    CHECK(r.deadLettered == 0);
    CHECK(store::deadLetterCount(kiosk.db) == 0);
    CHECK(store::pendingCount(kiosk.db) == 1);
    CHECK(store::pendingEvents(kiosk.db, 5).at(0).eventId == second.eventId);
}

TEST_CASE("a server that cannot be reached ends the push as 'unreachable' with nothing lost") {
    TempDir dir;
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)kiosk.registerInterest();
    int closedPort = 0;
    {
        // A port that was just free: nothing listens there any more.
        Central central(dir);
        closedPort = central.server.port();
    }
    sync::HttpClient http(httpFor("http://127.0.0.1:" + std::to_string(closedPort), "t"));
    auto r = sync::pushPending(kiosk.db, http, pushOptions("kiosk-test", 3));
    CHECK(r.outcome == sync::Outcome::Unreachable);
    CHECK(r.failedRequests == 3);
    CHECK_THAT(r.lastError, Catch::Contains("network"));
    CHECK(store::pendingCount(kiosk.db) == 1);
}

TEST_CASE("10,000 events through a network where 30 % of requests fail: all arrive exactly once") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    sync::fillSyntheticBacklog(kiosk.db, kiosk.id, 10'000, 42);
    REQUIRE(store::pendingCount(kiosk.db) == 10'000);

    // Stalls last until the client's short timeout gives up (bounded at 5 s anyway).
    FaultProxy proxy(central.server.port(), 0.30, 7, std::chrono::milliseconds(5'000));
    auto http = httpFor("http://127.0.0.1:" + std::to_string(proxy.port()), central.token);
    http.totalTimeout = std::chrono::milliseconds(1'500);
    http.connectTimeout = std::chrono::milliseconds(1'000);
    sync::HttpClient client(http);
    auto o = pushOptions("kiosk-test", 25);
    o.maxBatchEvents = 200;
    sync::PushReport total;
    // A run may end as "unreachable" after a streak of faults; the next run resumes.
    for (int run = 0; run < 5 && store::pendingCount(kiosk.db) > 0; ++run) {
        auto r = sync::pushPending(kiosk.db, client, o);
        total.accepted += r.accepted;
        total.duplicates += r.duplicates;
        total.deadLettered += r.deadLettered;
        total.requests += r.requests;
    }
    INFO("requests " << total.requests << ", duplicates " << total.duplicates << ", through the proxy " << proxy.requests());
    CHECK(store::pendingCount(kiosk.db) == 0);
    CHECK(store::deadLetterCount(kiosk.db) == 0);
    CHECK(central.storage->eventCount() == 10'000);
    // Folded once each: a re-sent event must not become a second registration for the agents.
    std::ostringstream csv;
    central.storage->exportRegistrationsCsv(csv);
    const std::string text = csv.str();
    auto rows = std::count(text.begin(), text.end(), '\n');
    CHECK(rows - 1 == 10'000); // minus the header line
    // Every event was answered: accepted once, or "duplicate" when its first answer was lost.
    CHECK(total.accepted + total.duplicates >= 10'000);
    CHECK(total.accepted <= 10'000);
    CHECK(total.deadLettered == 0);

    auto counts = proxy.counts();
    for (auto f : {Fault::Refuse, Fault::Reset, Fault::Status500, Fault::Status503, Fault::Stall, Fault::Truncate,
                   Fault::LoseAnswer}) {
        INFO("fault " << toString(f));
        CHECK(counts[f] >= 1);
    }
    // Answers lost after the server committed came back as "duplicate" on the retry.
    CHECK(total.duplicates > 0);
    // Retry-After: 1 was honoured.
    for (double gap : proxy.gapsAfter503()) CHECK(gap >= 0.95);
}
