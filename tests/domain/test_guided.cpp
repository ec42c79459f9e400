#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/guided.hpp"
#include "demo_catalogue.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace comptoir;

namespace {

// A Tuesday, as in test_search.cpp.
const std::string kToday = "2026-11-24";

const Catalogue& demo() {
    return test::demoCatalogue();
}

std::vector<std::string> ids(const Catalogue& c, const GuidedResult& r) {
    std::vector<std::string> out;
    for (const auto& s : r.suggestions)
        out.push_back(c.offers[s.offerIndex].id);
    return out;
}

const Offer& byId(const Catalogue& c, const std::string& id) {
    for (const auto& o : c.offers)
        if (o.id == id) return o;
    FAIL("no offer " << id);
    return c.offers.front();
}

} // namespace

TEST_CASE("no answer at all: the soonest open offers, nothing widened", "[guided]") {
    GuidedIndex index(demo());
    auto r = index.suggest({}, kToday);
    CHECK_FALSE(r.nothingOpen);
    CHECK(r.widened == 0);
    REQUIRE(r.suggestions.size() == 6);
    for (const auto& s : r.suggestions) {
        const Offer& o = demo().offers[s.offerIndex];
        CHECK(o.registrationOpen);
        CHECK(o.placesLeft > 0);
        CHECK(s.missed == 0);
    }
    CHECK(r.suggestions.front().weekday == 2); // a Tuesday session comes first on a Tuesday
}

TEST_CASE("every answer kept: sport on weekend mornings, soonest first, and why", "[guided]") {
    GuidedIndex index(demo());
    GuidedAnswers a;
    a.themes = {"sport"};
    a.days = guided::kWeekend;
    a.moments = guided::kMorning;
    auto r = index.suggest(a, kToday);
    CHECK(r.widened == 0);
    CHECK(ids(demo(), r) == std::vector<std::string>{"off-0029", "off-0033", "off-0028"});
    const auto& first = r.suggestions.front();
    CHECK(first.weekday == 6);
    CHECK(first.moment == guided::kMorning);
    CHECK(first.date.empty()); // a weekly slot
    CHECK(first.themeMatched);
    CHECK(first.rhythm == GuidedFrequency::Regularly);
    CHECK(first.neighbourhoodId == "belle-beille");
    CHECK(r.suggestions.back().date == "2027-05-23"); // a one-off Sunday: its date is named
    CHECK(r.suggestions.back().rhythm == GuidedFrequency::Once);
}

TEST_CASE("how: the chosen ways come first, any one of them is enough", "[guided]") {
    GuidedIndex index(demo());
    GuidedAnswers a;
    a.ways = guided::kWithChildren;
    auto r = index.suggest(a, kToday, 100);
    CHECK(r.widened == 0);
    REQUIRE_FALSE(r.suggestions.empty());
    for (const auto& s : r.suggestions)
        CHECK((guidedWays(demo().offers[s.offerIndex]) & guided::kWithChildren) != 0);
    CHECK(guidedWays(byId(demo(), "off-0049")) & guided::kWithChildren);
    CHECK(guidedWays(byId(demo(), "off-0028")) & guided::kTogether); // group friendly
    CHECK(guidedWays(byId(demo(), "off-0029")) & guided::kOutdoors);
    CHECK(guidedWays(byId(demo(), "off-0067")) & guided::kSitting); // phone calls
}

TEST_CASE("contradictory answers: either way is accepted, never nothing", "[guided]") {
    GuidedIndex index(demo());
    GuidedAnswers outdoorsOrSitting;
    outdoorsOrSitting.ways = guided::kOutdoors | guided::kSitting;
    auto r = index.suggest(outdoorsOrSitting, kToday, 200);
    CHECK(r.widened == 0);
    bool outdoors = false, sitting = false;
    for (const auto& s : r.suggestions) {
        outdoors = outdoors || (s.waysMatched & guided::kOutdoors);
        sitting = sitting || (s.waysMatched & guided::kSitting);
    }
    CHECK((outdoors && sitting));

    // Alone and with others: every offer is one or the other, so it is as if "peu importe".
    GuidedAnswers both;
    both.ways = guided::kAlone | guided::kTogether;
    CHECK(ids(demo(), index.suggest(both, kToday, 200)) == ids(demo(), index.suggest({}, kToday, 200)));

    // Seniors, with children: no such offer; the "how" answer is widened, the theme kept.
    GuidedAnswers seniorsWithChildren;
    seniorsWithChildren.themes = {"seniors"};
    seniorsWithChildren.ways = guided::kWithChildren;
    auto w = index.suggest(seniorsWithChildren, kToday);
    CHECK(w.widened == kCriterionHow);
    REQUIRE_FALSE(w.suggestions.empty());
    for (const auto& s : w.suggestions) {
        CHECK(demo().offers[s.offerIndex].themeId == "seniors");
        CHECK(s.missed == kCriterionHow);
    }
}

TEST_CASE("widening drops the least important answer first", "[guided]") {
    GuidedIndex index(demo());
    GuidedAnswers a;
    a.themes = {"seniors"};
    a.days = guided::kWeekend;
    a.moments = guided::kMorning;
    a.frequency = GuidedFrequency::Once; // the only weekend-morning seniors offer is weekly
    auto r = index.suggest(a, kToday);
    CHECK(r.widened == kCriterionFrequency);
    REQUIRE_FALSE(r.suggestions.empty());
    CHECK(demo().offers[r.suggestions.front().offerIndex].id == "off-0070");

    // A theme with nothing left open at all: the theme itself is widened, and said.
    Catalogue c = demo();
    for (auto& o : c.offers)
        if (o.themeId == "citoyennete") o.registrationOpen = false;
    GuidedAnswers citizen;
    citizen.themes = {"citoyennete"};
    auto cr = GuidedIndex(c).suggest(citizen, kToday);
    CHECK(cr.widened == kCriterionThemes);
    CHECK(cr.suggestions.size() == 6);
}

TEST_CASE("ties: same moment, same title, catalogue order decides", "[guided]") {
    Catalogue c;
    c.themes = demo().themes;
    Offer o = byId(demo(), "off-0029");
    o.id = "b";
    c.offers.push_back(o);
    o.id = "a";
    c.offers.push_back(o);
    GuidedAnswers a;
    a.themes = {"sport"};
    CHECK(ids(c, GuidedIndex(c).suggest(a, kToday)) == std::vector<std::string>{"b", "a"});
    std::swap(c.offers[0], c.offers[1]);
    CHECK(ids(c, GuidedIndex(c).suggest(a, kToday)) == std::vector<std::string>{"a", "b"});
    // A closer moment beats catalogue order.
    c.offers[1].slots = {{4, "09:00", "10:00"}}; // Thursday, before Saturday
    CHECK(ids(c, GuidedIndex(c).suggest(a, kToday)) == std::vector<std::string>{"b", "a"});
}

TEST_CASE("nothing available: said plainly, never a crash", "[guided]") {
    Catalogue closed = demo();
    for (auto& o : closed.offers)
        o.placesLeft = 0;
    auto r = GuidedIndex(closed).suggest({}, kToday);
    CHECK(r.nothingOpen);
    CHECK(r.suggestions.empty());
    CHECK(GuidedIndex(Catalogue{}).suggest({}, kToday).nothingOpen);
    // Years later every one-off date is past: only regular offers are left to suggest.
    GuidedAnswers once;
    once.frequency = GuidedFrequency::Once;
    auto late = GuidedIndex(demo()).suggest(once, "2035-01-01", 100);
    CHECK(late.widened == kCriterionFrequency);
    for (const auto& s : late.suggestions)
        CHECK(demo().offers[s.offerIndex].rhythm == Rhythm::Regular);
    CHECK_FALSE(GuidedIndex(demo()).suggest({}, "not a date").nothingOpen);
}

TEST_CASE("any answers on the demo catalogue: never empty, only widened criteria missed", "[guided]") {
    GuidedIndex index(demo());
    std::mt19937 rng(11);
    for (int i = 0; i < 300; ++i) {
        GuidedAnswers a;
        for (const auto& t : demo().themes)
            if (rng() % 4 == 0) a.themes.insert(t.id);
        a.days = static_cast<std::uint8_t>(rng() % 4);
        a.moments = static_cast<std::uint8_t>(rng() % 8);
        a.ways = static_cast<std::uint8_t>(rng() % 32);
        a.frequency = static_cast<GuidedFrequency>(rng() % 4);
        auto r = index.suggest(a, kToday);
        REQUIRE_FALSE(r.suggestions.empty());
        CHECK((r.widened & ~a.answered()) == 0);
        for (const auto& s : r.suggestions)
            CHECK((s.missed & ~r.widened) == 0);
        CHECK(r.suggestions.front().missed <= r.widened);
    }
}
