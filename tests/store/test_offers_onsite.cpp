#include "comptoir/store/audit.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/store/sync_state.hpp"
#include "followup_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace comptoir;
using namespace comptoir::store;
using test::FollowUpFixture;

namespace {
const Offer* find(const Catalogue& c, const std::string& id) {
    for (const auto& o : c.offers)
        if (o.id == id) return &o;
    return nullptr;
}
Catalogue withOnSite(const Database& db) {
    auto c = loadCatalogue(db);
    applyOnSiteChanges(db, c);
    return c;
}
std::string eventOf(const Database& db, const std::string& type) {
    auto s = db.prepare("SELECT event_id FROM outbox WHERE type = ?1 ORDER BY seq DESC LIMIT 1");
    s.bind(1, type);
    return s.step() ? s.text(0) : std::string();
}
/// The server's catalogue arriving by a pull, every offer at `version`.
void pull(Database& db, Catalogue c, std::int64_t version) {
    c.version = version;
    CatalogueSwap swap;
    swap.replaceAll = true;
    swap.upserts = std::move(c);
    swapCatalogue(db, swap);
}
} // namespace

TEST_CASE("an offer marked full, closed and reopened on site: events, audit, and the local catalogue") {
    FollowUpFixture f;
    const Offer& offer = f.openOffer();
    auto r = setOfferState(f.db, "kiosk-test", f.kAgent, offer.id, OnSiteState::Full);
    REQUIRE(r.ok);
    CHECK(offerFull(f.db, offer.id));
    auto c = withOnSite(f.db);
    CHECK(find(c, offer.id)->placesLeft == 0);
    CHECK_FALSE(find(c, offer.id)->registrationOpen);
    CHECK(queryInt(f.db,
                   "SELECT COUNT(*) FROM outbox WHERE type = 'offer.state_changed' AND "
                   "json_extract(payload, '$.state') = 'full' AND json_extract(payload, '$.offer_id') = '" +
                       offer.id + "'") == 1);

    REQUIRE(setOfferState(f.db, "kiosk-test", f.kAgent, offer.id, OnSiteState::Closed).ok);
    CHECK(find(withOnSite(f.db), offer.id)->status == OfferStatus::Paused);
    // a closed offer takes no introduction at all
    auto fu = f.followUp();
    CHECK(fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, true, "2026-12-03").problem ==
          FollowUpProblem::OfferClosed);

    REQUIRE(setOfferState(f.db, "kiosk-test", f.kAgent, offer.id, OnSiteState::Open).ok);
    auto after = withOnSite(f.db);
    const Offer* reopened = find(after, offer.id);
    REQUIRE(reopened);
    CHECK(reopened->status == OfferStatus::Published);
    CHECK(reopened->registrationOpen);
    CHECK_FALSE(offerFull(f.db, offer.id));
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE action LIKE 'offer.%' AND subject = '" + offer.id +
                             "'") == 3);
    CHECK_FALSE(setOfferState(f.db, "kiosk-test", f.kAgent, "off-nowhere", OnSiteState::Full).ok);
}

TEST_CASE("reopening a full offer names the first person on its waiting list") {
    FollowUpFixture f;
    const Offer& offer = f.openOffer();
    REQUIRE(setOfferState(f.db, "kiosk-test", f.kAgent, offer.id, OnSiteState::Full).ok);
    auto fu = f.followUp();
    auto w = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, true, "2026-12-03");
    REQUIRE(w.ok());
    CHECK_FALSE(nextToCallFor(f.db, offer.id).has_value());
    REQUIRE(setOfferState(f.db, "kiosk-test", f.kAgent, offer.id, OnSiteState::Open).ok);
    auto next = nextToCallFor(f.db, offer.id);
    REQUIRE(next);
    CHECK(next->id == w.id);
}

TEST_CASE("a catalogue pull does not undo a local change before the server knows it") {
    FollowUpFixture f;
    const Offer& offer = f.openOffer();
    REQUIRE(setOfferState(f.db, "kiosk-test", f.kAgent, offer.id, OnSiteState::Closed).ok);
    // a newer catalogue arrives while the change still waits in the outbox: the change holds
    pull(f.db, f.catalogue, 7);
    CHECK(find(withOnSite(f.db), offer.id)->status == OfferStatus::Paused);
    // the server acknowledges the change; the catalogue it sent before that does not count
    auto eventId = eventOf(f.db, "offer.state_changed");
    (void)recordAnswers(f.db, {{eventId, EventAnswer::Outcome::Accepted, "", 200}},
                        "2026-12-03T10:00:00.000Z");
    pull(f.db, f.catalogue, 7);
    CHECK(find(withOnSite(f.db), offer.id)->status == OfferStatus::Paused);
    // the server publishes the offer again after knowing the change: its word wins
    pull(f.db, f.catalogue, 8);
    CHECK(find(withOnSite(f.db), offer.id)->status == OfferStatus::Published);
}

TEST_CASE("a local one-off offer shows at once, can be proposed, and gives way to the server's copy") {
    FollowUpFixture f;
    Offer o = f.openOffer();
    o.title = "Tenir la buvette de la fête de quartier";
    o.rhythm = Rhythm::OneOff;
    o.frequency.clear();
    o.slots.clear();
    o.dates = {{"2026-12-12T14:00", "2026-12-12T18:00"}};
    o.placesWanted = 3;
    o.placesLeft = 3;
    auto r = addLocalOffer(f.db, "kiosk-test", f.kAgent, o, f.catalogue);
    REQUIRE(r.ok);
    CHECK(r.offerId.rfind("local-", 0) == 0);
    auto c = withOnSite(f.db);
    REQUIRE(find(c, r.offerId));
    CHECK(find(c, r.offerId)->title == o.title);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox WHERE type = 'offer.added_locally'") == 1);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE action = 'offer.add_local'") == 1);

    auto fu = f.followUp();
    auto n = fu.propose(f.kAgent, f.interest(r.offerId).id, r.offerId, false, "2026-12-03");
    REQUIRE(n.ok());
    CHECK(loadIntroduction(f.db, n.id)->offerTitle == o.title);

    Offer bad = o;
    bad.themeId = "no-such-theme";
    auto refused = addLocalOffer(f.db, "kiosk-test", f.kAgent, bad, f.catalogue);
    CHECK_FALSE(refused.ok);
    CHECK(refused.problem.rfind("invalid_offer", 0) == 0);
    // what the catalogue's parser would drop on reading it back is refused before it is written
    Offer undescribed = o;
    undescribed.description.clear();
    refused = addLocalOffer(f.db, "kiosk-test", f.kAgent, undescribed, f.catalogue);
    CHECK_FALSE(refused.ok);
    CHECK(refused.problem.rfind("invalid_offer", 0) == 0);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM local_offer") == 1);

    // the agent's list of offers reads ids and titles only, yet names the same offers as the
    // shown catalogue, the local one included, by title; the local-offer form's choices come
    // without any offer
    auto titles = shownOfferTitles(f.db);
    REQUIRE(titles.size() == c.offers.size());
    CHECK(std::is_sorted(titles.begin(), titles.end(),
                         [](const OfferTitle& a, const OfferTitle& b) { return a.title < b.title; }));
    for (const auto& t : titles) {
        INFO(t.id);
        REQUIRE(find(c, t.id));
        CHECK(find(c, t.id)->title == t.title);
    }
    auto refs = loadCatalogueReferences(f.db);
    CHECK(refs.offers.empty());
    CHECK(refs.organisations.size() == c.organisations.size());
    CHECK(refs.themes.size() == c.themes.size());
    CHECK(refs.neighbourhoods.size() == c.neighbourhoods.size());

    // the server adopts it under the same id: one offer, the server's
    Catalogue server = f.catalogue;
    Offer adopted = o;
    adopted.id = r.offerId;
    adopted.title = "Buvette de la fête de quartier";
    server.offers.push_back(adopted);
    pull(f.db, server, 9);
    auto after = withOnSite(f.db);
    int copies = 0;
    for (const auto& x : after.offers)
        copies += x.id == r.offerId;
    CHECK(copies == 1);
    CHECK(find(after, r.offerId)->title == "Buvette de la fête de quartier");
}
