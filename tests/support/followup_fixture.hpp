#pragma once
/// @brief Test support for the agents' follow-up: a migrated database with the demo catalogue, a
/// keyring (cheapest PIN cost), an agent, and fictional visitors' interests.

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/followup_repo.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "temp_dir.hpp"

#include <stdexcept>

namespace comptoir::test {

struct FollowUpFixture {
    inline static const std::string kAgent = "agent-0001";
    inline static const std::string kPin = "48151623";
    TempDir dir;
    std::string path = dir.file("kiosk.db");
    store::Database db = store::Database::open(path);
    store::PublicKey pk{};
    Catalogue catalogue;

    FollowUpFixture() {
        store::migrate(db);
        store::Keyring::create(db, kPin, store::PinCost::minimum());
        pk = store::Keyring::publicKey(db);
        db.prepare("INSERT INTO agent(id, display_name, pin_hash, created_at) VALUES(?1, 'Agent Test', 'x', "
                   "'now')")
            .bind(1, kAgent)
            .run();
        std::string text;
        if (!readWholeFile(sourcePath("assets/catalogue/demo.json"), text))
            throw std::runtime_error("no demo catalogue");
        catalogue = parseCatalogue(text).catalogue;
        (void)store::importCatalogue(db, catalogue);
    }
    [[nodiscard]] store::FollowUpStore followUp() { return store::FollowUpStore{db, pk, "kiosk-test"}; }
    [[nodiscard]] store::VisitorStore visitors() { return store::VisitorStore{db, pk, "kiosk-test"}; }
    /// A fictional visitor's interest in `offerId`; returns its id and reference.
    store::Recorded interest(const std::string& offerId, const std::string& firstName = "Gaëlle",
                             const std::string& phone = "0639980042") {
        store::InterestDraft d;
        d.offerId = offerId;
        d.offerTitle = "offre " + offerId;
        d.contact = {firstName, phone, "", "Je suis libre le mardi"};
        d.preferredMoment = "any";
        return visitors().recordInterest(d);
    }
    [[nodiscard]] const Offer& offer(const std::string& id) const {
        for (const auto& o : catalogue.offers)
            if (o.id == id) return o;
        throw std::runtime_error("no offer " + id);
    }
    /// An open offer with places left, and one Permis Citoyen offer.
    [[nodiscard]] const Offer& openOffer() const {
        for (const auto& o : catalogue.offers)
            if (o.placesWanted > 0 && o.placesLeft >= 2 && !o.permisCitoyen) return o;
        throw std::runtime_error("no open offer");
    }
    [[nodiscard]] const Offer& permisOffer() const {
        for (const auto& o : catalogue.offers)
            if (o.permisCitoyen) return o;
        throw std::runtime_error("no Permis Citoyen offer");
    }
};

} // namespace comptoir::test
