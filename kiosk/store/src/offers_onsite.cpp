// Offer changes made at the Comptoir, layered over the pulled catalogue (rule in offers_onsite.hpp).
#include "comptoir/store/offers_onsite.hpp"

#include "comptoir/store/catalogue_repo.hpp"

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/followup.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/outbox.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace comptoir::store {

const char* toString(OnSiteState s) {
    switch (s) {
    case OnSiteState::Full:
        return "full";
    case OnSiteState::Closed:
        return "closed";
    case OnSiteState::Open:
        return "open";
    }
    return "open";
}

namespace {
bool parseOnSite(const std::string& text, OnSiteState& out) {
    for (auto s : {OnSiteState::Full, OnSiteState::Closed, OnSiteState::Open})
        if (text == toString(s)) {
            out = s;
            return true;
        }
    return false;
}

// The one statement of the rule: in force while the event waits, then until the server
// publishes a newer version of the offer (a local offer has no row: always newer than nothing).
constexpr const char* kStatesInForce =
    "SELECT s.offer_id, s.state FROM offer_local_state s "
    "LEFT JOIN outbox o ON o.event_id = s.event_id LEFT JOIN offer f ON f.id = s.offer_id "
    "WHERE (o.event_id IS NOT NULL AND o.sent_at IS NULL) OR f.catalogue_version IS NULL "
    "   OR f.catalogue_version <= s.base_version";

std::unordered_map<std::string, OnSiteState> statesInForce(const Database& db) {
    std::unordered_map<std::string, OnSiteState> out;
    auto s = db.prepare(kStatesInForce);
    while (s.step()) {
        OnSiteState st{};
        if (parseOnSite(s.text(1), st)) out.emplace(s.text(0), st);
    }
    return out;
}

/// Local offers the pulled catalogue does not hold (yet).
std::vector<Offer> localOffers(const Database& db) {
    std::vector<Offer> out;
    auto s = db.prepare(
        "SELECT body FROM local_offer l WHERE NOT EXISTS (SELECT 1 FROM offer f WHERE f.id = l.id) "
        "ORDER BY created_at, id");
    while (s.step()) {
        std::string error;
        auto j = nlohmann::json::parse(s.text(0), nullptr, false);
        if (auto o = parseOfferJson(j, error)) out.push_back(std::move(*o));
    }
    return out;
}

void applyState(Offer& o, OnSiteState st) {
    switch (st) {
    case OnSiteState::Closed:
        o.status = OfferStatus::Paused;
        break;
    case OnSiteState::Full:
        o.placesLeft = 0;
        o.registrationOpen = false;
        break;
    case OnSiteState::Open:
        o.status = OfferStatus::Published;
        o.registrationOpen = true;
        if (o.placesWanted > 0 && o.placesLeft == 0) o.placesLeft = 1;
        break;
    }
}
} // namespace

bool OfferFacts::full() const {
    if (onSiteState == OnSiteState::Open) return false;
    return offerIsFull(placesWanted, placesLeft - held, onSiteState == OnSiteState::Full);
}

std::optional<OfferFacts> offerFacts(const Database& db, const std::string& offerId) {
    OfferFacts f;
    auto s = db.prepare(
        "SELECT id, title, organisation_id, theme_id, neighbourhood_id, places_wanted, places_left, "
        "permis_citoyen FROM offer WHERE id = ?1");
    s.bind(1, offerId);
    if (s.step()) {
        f = OfferFacts{s.text(0),    s.text(1), s.text(2),         s.text(3), s.text(4),   s.integer(5),
                       s.integer(6), 0,         s.integer(7) != 0, false,     std::nullopt};
    } else {
        auto l = db.prepare("SELECT body FROM local_offer WHERE id = ?1");
        l.bind(1, offerId);
        if (!l.step()) return std::nullopt;
        std::string error;
        auto o = parseOfferJson(nlohmann::json::parse(l.text(0), nullptr, false), error);
        if (!o) return std::nullopt;
        f = OfferFacts{
            o->id,         o->title, o->organisationId, o->themeId, o->neighbourhoodId, o->placesWanted,
            o->placesLeft, 0,        o->permisCitoyen,  true,       std::nullopt};
    }
    auto states = statesInForce(db);
    if (auto it = states.find(offerId); it != states.end()) f.onSiteState = it->second;
    auto held = db.prepare(
        "SELECT COUNT(*) FROM introduction WHERE offer_id = ?1 AND status IN ('accepted','started')");
    held.bind(1, offerId);
    if (held.step()) f.held = held.integer(0);
    return f;
}

OnSiteResult setOfferState(Database& db, const std::string& kioskId, const std::string& agentId,
                           const std::string& offerId, OnSiteState state) {
    OnSiteResult r;
    r.offerId = offerId;
    Transaction tx(db);
    std::int64_t base = 0;
    {
        auto s = db.prepare("SELECT catalogue_version FROM offer WHERE id = ?1");
        s.bind(1, offerId);
        if (s.step()) {
            base = s.int64(0);
        } else {
            auto l = db.prepare("SELECT 1 FROM local_offer WHERE id = ?1");
            l.bind(1, offerId);
            if (!l.step()) {
                r.problem = "unknown_offer";
                return r;
            }
        }
    }
    std::string now = nowUtcIso8601();
    r.eventId = appendAgentEvent(db, "offer.state_changed", 1, kioskId, agentId,
                                 {{"offer_id", offerId}, {"state", toString(state)}, {"changed_at", now}});
    db.prepare(
          "INSERT INTO offer_local_state(offer_id, state, base_version, event_id, agent_id, changed_at) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(offer_id) DO UPDATE SET state = excluded.state, "
          "base_version = excluded.base_version, event_id = excluded.event_id, agent_id = excluded.agent_id, "
          "changed_at = excluded.changed_at")
        .bind(1, offerId)
        .bind(2, toString(state))
        .bind(3, base)
        .bind(4, r.eventId)
        .bind(5, agentId)
        .bind(6, now)
        .run();
    appendAudit(db, agentId, std::string("offer.") + toString(state), offerId);
    tx.commit();
    r.ok = true;
    return r;
}

OnSiteResult addLocalOffer(Database& db, const std::string& kioskId, const std::string& agentId, Offer offer,
                           const Catalogue& refs) {
    OnSiteResult r;
    // The catalogue format allows ids of 40 characters at most: the UUID without its dashes.
    std::string uuid = newUuidV7();
    std::erase(uuid, '-');
    offer.id = "local-" + uuid;
    offer.rhythm = Rhythm::OneOff;
    offer.status = OfferStatus::Published;
    r.offerId = offer.id;
    if (auto why = validateOffer(offer, refs); !why.empty()) {
        r.problem = "invalid_offer: " + why;
        return r;
    }
    // It is read back through the catalogue's parser (localOffers): refuse here what would be
    // dropped there (an empty description, a title too long…), not after the agent left.
    auto body = offerToJson(offer);
    if (std::string why; !parseOfferJson(body, why)) {
        r.problem = "invalid_offer: " + why;
        return r;
    }
    Transaction tx(db);
    std::string now = nowUtcIso8601();
    r.eventId = appendAgentEvent(db, "offer.added_locally", 1, kioskId, agentId,
                                 {{"offer_id", offer.id}, {"offer", body}, {"created_at", now}});
    db.prepare("INSERT INTO local_offer(id, body, event_id, agent_id, created_at) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, offer.id)
        .bind(2, body.dump())
        .bind(3, r.eventId)
        .bind(4, agentId)
        .bind(5, now)
        .run();
    appendAudit(db, agentId, "offer.add_local", offer.id);
    tx.commit();
    r.ok = true;
    return r;
}

void applyOnSiteChanges(const Database& db, Catalogue& catalogue) {
    for (auto& o : localOffers(db))
        catalogue.offers.push_back(std::move(o));
    auto states = statesInForce(db);
    if (states.empty()) return;
    for (auto& o : catalogue.offers)
        if (auto it = states.find(o.id); it != states.end()) applyState(o, it->second);
}

Catalogue shownCatalogue(const Database& db) {
    Catalogue c = loadCatalogue(db);
    applyOnSiteChanges(db, c);
    return c;
}

void forEachShownOfferPlaces(const Database& db, const std::function<void(const Offer&)>& f) {
    auto states = statesInForce(db);
    auto shown = [&](Offer& o) {
        if (auto it = states.find(o.id); it != states.end()) applyState(o, it->second);
        f(o);
    };
    Offer o;
    auto s = db.prepare("SELECT id, organisation_id, theme_id, neighbourhood_id, status, registration_open, "
                        "places_wanted, places_left FROM offer");
    while (s.step()) {
        o.id = s.textView(0);
        o.organisationId = s.textView(1);
        o.themeId = s.textView(2);
        o.neighbourhoodId = s.textView(3);
        (void)parseOfferStatus(s.text(4), o.status);
        o.registrationOpen = s.integer(5) != 0;
        o.placesWanted = s.integer(6);
        o.placesLeft = s.integer(7);
        shown(o);
    }
    for (auto& local : localOffers(db))
        shown(local);
}

std::vector<OfferTitle> shownOfferTitles(const Database& db) {
    std::vector<OfferTitle> out;
    out.reserve(static_cast<std::size_t>(offerCount(db)));
    {
        auto s = db.prepare("SELECT id, title FROM offer");
        while (s.step())
            out.push_back({s.text(0), s.text(1)});
    }
    // The same local offers as shownCatalogue(): those the pulled catalogue does not hold yet.
    for (auto& o : localOffers(db))
        out.push_back({std::move(o.id), std::move(o.title)});
    std::sort(out.begin(), out.end(), [](const OfferTitle& a, const OfferTitle& b) {
        return a.title != b.title ? a.title < b.title : a.id < b.id;
    });
    return out;
}

} // namespace comptoir::store
