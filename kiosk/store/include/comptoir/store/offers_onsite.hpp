#pragma once
/// @brief Offer changes made at the Comptoir: mark an offer full, close or reopen it, add a local
/// one-off offer. Each is an outbox event (with an audit line) and shows at once in the local
/// catalogue, layered over the catalogue pulled from the server.
///
/// Rule against a pull silently undoing a local change: a local change stays in force while its
/// event waits in the outbox, and afterwards until the server publishes a newer version of that
/// offer (its catalogue version above the one the change was made on). Once the server knows the
/// change and has spoken about the offer again, the server's catalogue is authoritative. A local
/// offer shows until the pulled catalogue holds an offer with its id, or it is closed on site.

#include "comptoir/domain/types.hpp"
#include "comptoir/store/db.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace comptoir::store {

enum class OnSiteState { Full, Closed, Open };
[[nodiscard]] const char* toString(OnSiteState s);

/// What the follow-up needs to know of an offer, local changes included.
struct OfferFacts {
    std::string id;
    std::string title;
    std::string organisationId;
    std::string themeId;
    std::string neighbourhoodId;
    int placesWanted = 0;
    int placesLeft = 0; ///< as the catalogue says: the places offered to the Comptoir
    int held = 0;       ///< taken by this kiosk's accepted or started introductions
    bool permisCitoyen = false;
    bool local = false;                     ///< added on site
    std::optional<OnSiteState> onSiteState; ///< a local change in force
    [[nodiscard]] bool full() const;
    [[nodiscard]] bool closed() const { return onSiteState == OnSiteState::Closed; }
};

[[nodiscard]] std::optional<OfferFacts> offerFacts(const Database& db, const std::string& offerId);

struct OnSiteResult {
    bool ok = false;
    std::string problem; ///< "unknown_offer", "invalid_offer: …"
    std::string offerId;
    std::string eventId;
};

/// Marks an offer full, closed or open again (event `offer.state_changed`).
OnSiteResult setOfferState(Database& db, const std::string& kioskId, const std::string& agentId,
                           const std::string& offerId, OnSiteState state);

/// Adds a local one-off offer (event `offer.added_locally`, carrying the offer in the catalogue
/// format). Its id is given here ("local-<uuid>"); it must pass validateOffer() against `refs`.
OnSiteResult addLocalOffer(Database& db, const std::string& kioskId, const std::string& agentId, Offer offer,
                           const Catalogue& refs);

/// The pulled catalogue with the local changes in force layered over it: closed offers paused,
/// full offers with no place left and registration closed, reopened offers published with
/// registration open, local offers appended.
void applyOnSiteChanges(const Database& db, Catalogue& catalogue);
/// The catalogue the kiosk shows: the stored one with the local changes in force.
[[nodiscard]] Catalogue shownCatalogue(const Database& db);

/// Every offer of shownCatalogue(), one at a time, with the local change in force applied, holding
/// only what tells whether it takes people now: id, organisation, theme, neighbourhood, status,
/// registration and places (a local offer comes whole). Never the whole catalogue in memory.
void forEachShownOfferPlaces(const Database& db, const std::function<void(const Offer&)>& f);

/// One offer as the agent's list of offers names it.
struct OfferTitle {
    std::string id;
    std::string title;
};
/// Every offer of shownCatalogue() (local offers included), by title, reading only ids and titles:
/// a list of 10,000 offers costs a few hundred KiB, not the whole catalogue.
[[nodiscard]] std::vector<OfferTitle> shownOfferTitles(const Database& db);

} // namespace comptoir::store
