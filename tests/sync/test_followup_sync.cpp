// The agents' follow-up events and privacy erasures, pushed to the real reference server on loopback.
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/followup_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/privacy_repo.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using namespace comptoir::test;

namespace {
void addAgent(store::Database& db) {
    db.exec("INSERT INTO agent(id, display_name, pin_hash, created_at) VALUES('agent-1', 'A', 'x', 'now')",
            "agent");
}
std::string sealedOnServer(const std::string& centralPath, const std::string& interestId) {
    auto db = store::Database::open(centralPath);
    auto s = db.prepare("SELECT personal_sealed FROM registration WHERE interest_id = ?1");
    s.bind(1, interestId);
    return s.step() ? s.text(0) : std::string("<missing>");
}
} // namespace

TEST_CASE("introductions, hours and offer changes made by an agent are accepted by the server") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)store::importCatalogue(kiosk.db, demoCatalogue());
    addAgent(kiosk.db);
    auto visitor = kiosk.registerInterest("off-0001");
    store::FollowUpStore fu{kiosk.db, store::Keyring::publicKey(kiosk.db), kiosk.id};
    auto n = fu.propose("agent-1", visitor.id, "off-0001", false, "2026-12-03");
    REQUIRE(n.ok());
    REQUIRE(fu.changeStatus("agent-1", n.id, IntroStatus::Accepted, "", "2026-12-03").ok());
    REQUIRE(fu.changeStatus("agent-1", n.id, IntroStatus::NoShow, "no_news", "2026-12-03").ok());
    REQUIRE(store::setOfferState(kiosk.db, kiosk.id, "agent-1", "off-0001", store::OnSiteState::Full).ok);
    auto w = fu.propose("agent-1", kiosk.registerInterest("off-0001").id, "off-0001", true, "2026-12-03");
    REQUIRE(store::setOfferState(kiosk.db, kiosk.id, "agent-1", "off-0001", store::OnSiteState::Open).ok);
    REQUIRE(w.ok());
    auto m = fu.propose("agent-1", kiosk.registerInterest("off-0001").id, "off-0001", false, "2026-12-03");
    REQUIRE(fu.changeStatus("agent-1", m.id, IntroStatus::Accepted, "", "2026-12-03").ok());
    REQUIRE(fu.logHours("agent-1", m.id, 2.5, "2026-12-02", "2026-12-03").ok());
    REQUIRE(store::setOfferState(kiosk.db, kiosk.id, "agent-1", "off-0002", store::OnSiteState::Full).ok);
    Offer local = demoCatalogue().offers.front();
    local.rhythm = Rhythm::OneOff;
    local.frequency.clear();
    local.slots.clear();
    local.dates = {{"2026-12-12T14:00", "2026-12-12T18:00"}};
    REQUIRE(store::addLocalOffer(kiosk.db, kiosk.id, "agent-1", local, demoCatalogue()).ok);

    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(store::deadLetterCount(kiosk.db) == 0);
    CHECK(store::pendingCount(kiosk.db) == 0);
    auto db = store::Database::open(dir.file("central.db"));
    CHECK(store::queryInt(db, "SELECT COUNT(*) FROM introduction") == 3);
    CHECK(store::queryInt(
              db, "SELECT COUNT(*) FROM introduction WHERE status = 'no_show' AND reason = 'no_news'") == 1);
    CHECK(store::queryInt(db, "SELECT COUNT(*) FROM introduction WHERE status = 'waiting'") == 1);
    CHECK(store::queryInt(db, "SELECT SUM(hours) FROM hours") == 2);
    CHECK(store::queryInt(db, "SELECT COUNT(*) FROM event WHERE type LIKE 'offer.%'") == 4);
}

TEST_CASE("an erasure reaches the server, which erases the sealed copies it holds") {
    TempDir dir;
    auto central = std::make_unique<Central>(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    addAgent(kiosk.db);
    auto sent = kiosk.registerInterest();
    sync::HttpClient http(httpFor(central->server.baseUrl(), central->token));
    REQUIRE(sync::pushPending(kiosk.db, http, pushOptions()).accepted == 1);
    std::string blob = sealedOnServer(dir.file("central.db"), sent.id);
    REQUIRE(blob.size() > 40);
    // a second visitor is erased before their registration was ever sent
    auto unsent = kiosk.registerInterest();

    REQUIRE(store::eraseVisitor(kiosk.db, kiosk.id, "agent-1", sent.reference).ok);
    REQUIRE(store::eraseVisitor(kiosk.db, kiosk.id, "agent-1", unsent.reference).ok);
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.outcome == sync::Outcome::Done);
    CHECK(r.accepted == 3); // the blanked registration and two erasures
    CHECK(store::deadLetterCount(kiosk.db) == 0);
    CHECK(sealedOnServer(dir.file("central.db"), sent.id).empty());
    CHECK(sealedOnServer(dir.file("central.db"), unsent.id).empty());
    {
        auto db = store::Database::open(dir.file("central.db"));
        CHECK(store::queryInt(db, "SELECT COUNT(*) FROM event WHERE instr(payload, '" + blob.substr(0, 40) +
                                      "') > 0") == 0);
    }
    // closed, the server's files keep no byte of the erased blob either
    central.reset();
    std::string bytes = readFile(dir.file("central.db"));
    if (std::filesystem::exists(dir.file("central.db-wal"))) bytes += readFile(dir.file("central.db-wal"));
    CHECK(bytes.find(blob.substr(0, 40)) == std::string::npos);
}

TEST_CASE("a call-back's follow-up reaches the server, which keeps the latest outcome; only the kiosk that "
          "owns the call-back may follow it up") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    KioskDb kiosk(dir.file("kiosk.db"));
    addAgent(kiosk.db);
    const std::string today = nowUtcIso8601().substr(0, 10);
    store::VisitorStore visitors{kiosk.db, store::Keyring::publicKey(kiosk.db), kiosk.id};
    store::CallbackDraft asked;
    asked.contact = {"Sacha", "0639980003", "", ""};
    asked.recontactAfter = today;
    auto cb = visitors.recordCallback(asked);
    store::FollowUpStore fu{kiosk.db, store::Keyring::publicKey(kiosk.db), kiosk.id};
    REQUIRE(fu.followUpCallback("agent-1", cb.id, CallbackOutcome::NoAnswer, addDays(today, 2), "répondeur",
                                today)
                .ok());
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    REQUIRE(sync::pushPending(kiosk.db, http, pushOptions()).accepted == 2);
    CHECK(queryText(central.db, "SELECT outcome || ' ' || next_call_on FROM callback") ==
          "no_answer " + addDays(today, 2));
    REQUIRE(fu.followUpCallback("agent-1", cb.id, CallbackOutcome::WrongNumber, "", "", today).ok());
    auto r = sync::pushPending(kiosk.db, http, pushOptions());
    CHECK(r.accepted == 1);
    CHECK(store::deadLetterCount(kiosk.db) == 0);
    CHECK(queryText(central.db, "SELECT outcome || '|' || next_call_on FROM callback") == "wrong_number|");
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM event WHERE type = 'callback.followed_up'") == 2);
    CHECK(queryInt(central.db, "SELECT COUNT(*) FROM event WHERE type = 'callback.followed_up' AND "
                               "payload LIKE '%répondeur%'") == 0);

    // Another kiosk cannot record an outcome on this kiosk's call-back: refused for good.
    std::string otherToken = central.storage->createKioskToken("kiosk-other");
    KioskDb other(dir.file("other.db"), "kiosk-other");
    addAgent(other.db);
    {
        store::Transaction tx(other.db);
        (void)store::appendAgentEvent(other.db, "callback.followed_up", 1, other.id, "agent-1",
                                      {{"callback_id", cb.id},
                                       {"reference", cb.reference},
                                       {"outcome", "no_longer_wishes"},
                                       {"next_call_on", ""},
                                       {"followed_up_at", nowUtcIso8601()}});
        tx.commit();
    }
    sync::HttpClient otherHttp(httpFor(central.server.baseUrl(), otherToken));
    auto refused = sync::pushPending(other.db, otherHttp, pushOptions(other.id));
    INFO(refused.lastError);
    CHECK(refused.accepted == 0);
    CHECK(refused.deadLettered == 1);
    auto dead = store::deadLetters(other.db, 10);
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].reason.find("not a call-back request received from this kiosk") != std::string::npos);
    CHECK(queryText(central.db, "SELECT outcome FROM callback") == "wrong_number");
}
