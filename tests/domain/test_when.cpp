#include "comptoir/domain/when.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

TEST_CASE("when an offer happens, in plain French") {
    Strings s;
    std::string err;
    REQUIRE(s.load(test::sourcePath("assets/i18n"), "fr", err));
    CHECK(frenchTime("09:30") == "9 h 30");
    CHECK(frenchTime("14:00") == "14 h");
    CHECK(isoWeekday("2026-12-05") == 6);
    Offer o;
    o.rhythm = Rhythm::OneOff;
    o.dates = {{"2026-12-05T09:00", "2026-12-05T12:00"}};
    CHECK(describeWhen(o, s) == "samedi 5 décembre, 9 h – 12 h");
    o.dates.push_back({"2026-12-12T09:00", "2026-12-12T12:00"});
    CHECK(describeWhen(o, s) == "samedi 5 décembre, 9 h – 12 h (et 1 autre date)");
    Offer r;
    r.rhythm = Rhythm::Regular;
    r.frequency = "weekly";
    r.slots = {{3, "14:00", "17:00"}};
    CHECK(describeWhen(r, s) == "Chaque semaine, le mercredi de 14 h à 17 h");
    Offer t;
    t.toBeAgreed = true;
    CHECK(describeWhen(t, s) == "Moment à choisir ensemble");
    r.durationHours = 30;
    CHECK(describeDuration(r, s) == "30 h en tout");
}

TEST_CASE("every moment of an offer, one a line") {
    Strings s;
    std::string err;
    REQUIRE(s.load(test::sourcePath("assets/i18n"), "fr", err));
    Offer o;
    o.rhythm = Rhythm::OneOff;
    o.dates = {{"2026-12-04T14:00", "2026-12-04T18:00"}, {"2026-12-05T09:00", "2026-12-05T13:00"}};
    CHECK(describeEachWhen(o, s) ==
          std::vector<std::string>{"vendredi 4 décembre, 14 h – 18 h", "samedi 5 décembre, 9 h – 13 h"});
    Offer r;
    r.rhythm = Rhythm::Regular;
    r.frequency = "weekly";
    r.slots = {{2, "11:30", "14:00"}, {4, "11:30", "14:00"}};
    CHECK(describeEachWhen(r, s) == std::vector<std::string>{"Chaque semaine, le mardi de 11 h 30 à 14 h",
                                                             "Chaque semaine, le jeudi de 11 h 30 à 14 h"});
    // A long list keeps the rest of the offer in view: the last line says how many more.
    o.dates.clear();
    for (int d = 1; d <= 10; ++d) {
        std::string day = (d < 10 ? "0" : "") + std::to_string(d);
        o.dates.push_back({"2027-02-" + day + "T10:00", "2027-02-" + day + "T12:00"});
    }
    auto lines = describeEachWhen(o, s, 8);
    REQUIRE(lines.size() == 8);
    CHECK(lines.front() == "lundi 1 février, 10 h – 12 h");
    CHECK(lines.back() == "et 3 autres moments");
    Offer t;
    t.toBeAgreed = true;
    CHECK(describeEachWhen(t, s) == std::vector<std::string>{"Moment à choisir ensemble"});
    // An offer from a platform (API Engagement) says its moment in its own words.
    t.schedule = "2 heures par semaine";
    CHECK(describeEachWhen(t, s) ==
          std::vector<std::string>{"2 heures par semaine : moment à choisir ensemble"});
    r.schedule = "le mardi et le jeudi"; // precise slots say more than the platform's words
    CHECK(describeWhen(r, s) == "Chaque semaine, le mardi de 11 h 30 à 14 h");
}

TEST_CASE("a missing translation shows its key, never an empty label") {
    Strings s;
    std::string err;
    REQUIRE(s.loadText(R"({"a":"Bonjour {name}"})", R"({"a":"Hello {name}"})", err));
    CHECK(s.format("a", {{"name", "Zoé"}}) == "Hello Zoé");
    CHECK(s.get("missing.key") == "⟨missing.key⟩");
}

TEST_CASE("counts take the plural form French gives them, the gettext way") {
    Strings s;
    std::string err;
    REQUIRE(s.load(test::sourcePath("assets/i18n"), "fr", err));
    CHECK(s.plural("search.count", 1) == "1 offre trouvée");
    CHECK(s.plural("search.count", 0) == "0 offre trouvée"); // French: 0 takes the singular
    CHECK(s.plural("search.count", 2) == "2 offres trouvées");
    CHECK(s.plural("filters.see", 1) == "Voir l'offre");
    CHECK(s.plural("filters.see", 12) == "Voir les 12 offres");
    CHECK(s.plural("idle.countdown", 1) == "Retour à l'accueil dans 1 seconde");
    CHECK(s.plural("confirm.contact_soon", 1) == "Le Comptoir vous contacte sous 1 jour.");
    CHECK(s.plural("confirm.contact_soon", 3) == "Le Comptoir vous contacte sous 3 jours.");
    CHECK(s.plural("offer.places_left", 1) == "1 place libre");
    CHECK(s.plural("themes.count", 1) == "1 offre ouverte");
    // English counts the other way: 0 takes the plural
    Strings en;
    REQUIRE(en.load(test::sourcePath("assets/i18n"), COMPTOIR_LOCALE_DIR, "en", err));
    CHECK(en.plural("offers.count", 0) == "0 ways to lend a hand");
    CHECK(en.plural("offers.count", 1) == "1 way to lend a hand");
    // a rule that is not gettext's C subset is refused, not guessed
    Strings bad;
    CHECK_FALSE(bad.loadText(R"({"@plural_forms":"nplurals=3; plural=(n%10==1 ? 0 : 1;"})", "", err));
}

TEST_CASE("durations are written the French way") {
    Strings s;
    std::string err;
    REQUIRE(s.load(test::sourcePath("assets/i18n"), "fr", err));
    CHECK(frenchDuration(2.5, s) == "2 h 30");
    CHECK(frenchDuration(3, s) == "3 h");
    CHECK(frenchDuration(0.75, s) == "45 min");
    CHECK(frenchDuration(1.25, s) == "1 h 15");
    Offer o;
    o.rhythm = Rhythm::OneOff;
    o.durationHours = 2.5;
    CHECK(describeDuration(o, s) == "2 h 30");
    Offer r;
    r.rhythm = Rhythm::Regular;
    r.durationHours = 22.5;
    CHECK(describeDuration(r, s) == "22 h 30 en tout");
}

TEST_CASE("dates the French way") {
    Strings s;
    std::string err;
    REQUIRE(s.load(test::sourcePath("assets/i18n"), "fr", err));
    CHECK(frenchDate("2027-03-01", s) == "1er mars");
    CHECK(frenchDate("2026-12-15", s) == "15 décembre");
}
