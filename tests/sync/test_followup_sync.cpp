// The agents' follow-up events and privacy erasures, pushed to the real reference server on loopback.
#include "comptoir/store/followup_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"
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
