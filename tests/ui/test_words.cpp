// Words and numbers on the real screens: counts in their French plural form, a "see the offers"
// button that cannot promise 0 offers, durations the French way.
#include "kiosk_harness.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using test::KioskHarness;

TEST_CASE("one result is counted in the singular, and no result cannot be 'seen'") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Découvrir les offres"
tap "Chercher une offre"
type collecte noel
expect "1 offre trouvée"
tap "Voir la liste"
expect "1 offre pour donner un coup de main"
tap "Filtres"
expect "Voir l'offre"
tap "Le soir"
expect "Aucune offre : enlevez un filtre"
tap "Aucune offre : enlevez un filtre"
expect "Tout effacer"
)") == "");
    CHECK(k.session->state().filtersOpen); // the disabled button did nothing
    CHECK_FALSE(k.session->registry().find("Voir les 0 offres"));
}

TEST_CASE("the idle countdown says 'dans 1 seconde'") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Découvrir les offres\"\nwait 109.2\nexpect \"Retour à l'accueil dans 1 seconde\"") ==
            "");
}

TEST_CASE("'Valider' before the box is ticked says why instead of doing nothing") {
    KioskHarness k;
    REQUIRE(k.run(test::kToConsent + R"(tap "Valider"
expect "Pour valider, touchez d'abord la case « J'ai compris et je suis d'accord »."
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
)") == "");
    CHECK(k.count("interest") == 1);
}
