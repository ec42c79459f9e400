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
    CHECK(describeWhen(t, s) == "Moment à convenir ensemble");
    r.durationHours = 30;
    CHECK(describeDuration(r, s) == "30 h en tout");
}

TEST_CASE("a missing translation shows its key, never an empty label") {
    Strings s;
    std::string err;
    REQUIRE(s.loadText(R"({"a":"Bonjour {name}"})", R"({"a":"Hello {name}"})", err));
    CHECK(s.format("a", {{"name", "Zoé"}}) == "Hello Zoé");
    CHECK(s.get("missing.key") == "⟨missing.key⟩");
}

TEST_CASE("the French catalogue has every key the other languages have") {
    Strings fr, en;
    std::string err;
    REQUIRE(fr.loadText(test::readFile(test::sourcePath("assets/i18n/fr.json")), "", err));
    REQUIRE(en.loadText(test::readFile(test::sourcePath("assets/i18n/fr.json")),
                        test::readFile(test::sourcePath("assets/i18n/en.json")), err));
    CHECK(en.size() == fr.size()); // an English key unknown in French would grow the map
}
