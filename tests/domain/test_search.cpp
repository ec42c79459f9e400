#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/search.hpp"
#include "demo_catalogue.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

using namespace comptoir;

namespace {

// A Tuesday; the demo's first one-off date is Friday 2026-12-04.
const std::string kToday = "2026-11-24";

const Catalogue& demo() { return test::demoCatalogue(); }

const SearchIndex& demoIndex() {
    static const SearchIndex index(demo());
    return index;
}

std::vector<std::string> ids(const SearchIndex& index, const std::vector<SearchHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits)
        out.push_back(index.offerId(h.entry));
    return out;
}

std::vector<std::string> find(std::string_view query, const SearchFilters& f = {}, const SearchSort& s = {},
                              const std::string& today = kToday) {
    return ids(demoIndex(), demoIndex().search(query, f, s, today));
}

std::set<std::string> asSet(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
}

/// "0012 0071" → {"off-0012", "off-0071"}
std::vector<std::string> offers(const std::string& numbers) {
    std::vector<std::string> out;
    for (const auto& n : searchWords(numbers))
        out.push_back("off-" + n);
    return out;
}

const Offer& offerById(const std::string& id) {
    for (const auto& o : demo().offers)
        if (o.id == id) return o;
    FAIL("no offer " << id);
    throw std::logic_error("unreachable");
}

std::string utf8(char32_t c) {
    std::string s;
    if (c < 0x80)
        s += static_cast<char>(c);
    else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
    return s;
}

/// A small catalogue where only the field of the match differs, every offer "to be agreed".
Catalogue rankingCatalogue() {
    Catalogue c;
    c.themes = {{"th", "Entraide", "", {{"act", "Coup de main"}}}};
    c.neighbourhoods = {{"nb", "Centre", 0, 0}};
    c.organisations = {{"org-a", "Amis du quartier", OrganisationKind::Association, "nb", "", "", true},
                       {"org-b", "Bénévolat Angevin", OrganisationKind::Association, "nb", "", "", true}};
    auto offer = [&](std::string id, std::string org, std::string title, std::string description) {
        Offer o;
        o.id = std::move(id);
        o.organisationId = std::move(org);
        o.title = std::move(title);
        o.description = std::move(description);
        o.themeId = "th";
        o.activityId = "act";
        o.neighbourhoodId = "nb";
        o.toBeAgreed = true;
        c.offers.push_back(o);
    };
    // Catalogue order is deliberately the reverse of the expected ranking.
    offer("t-desc", "org-a", "Trier des livres", "Un bénévolat tranquille.");
    offer("t-org", "org-b", "Atelier vélo", "Réparer.");
    offer("t-typo", "org-a", "Benevolta du soir", "Rien.");
    offer("t-prefix", "org-a", "Bénévolats d'été", "Rien.");
    offer("t-title-b", "org-a", "Bénévolat au jardin", "Rien.");
    offer("t-title-a", "org-a", "Bénévolat à la bibliothèque", "Rien.");
    offer("t-oeuvre", "org-a", "Une Œuvre commune", "Peindre.");
    offer("t-paused", "org-a", "Bénévolat en pause", "Rien.");
    c.offers.back().status = OfferStatus::Paused;
    return c;
}

} // namespace

TEST_CASE("folding: lower case, no accents, punctuation and apostrophes separate words") {
    CHECK(foldForSearch("Bénévolat") == "benevolat");
    CHECK(foldForSearch("NOËL") == "noel");
    CHECK(foldForSearch("Œuvre cœur") == "oeuvre coeur");
    CHECK(foldForSearch("Ça, c'est l’Été !") == "ca c est l ete");
    CHECK(foldForSearch("Straße Ægée") == "strasse aegee");
    CHECK(foldForSearch("L'Atelier Répare-Tout") == "l atelier repare tout");
    CHECK(foldForSearch("Deux\u2011Croix\u00a0–\u00a0Banchais") == "deux croix banchais");
    CHECK(foldForSearch("« Premiers pas sur Internet »") == "premiers pas sur internet");
    CHECK(foldForSearch("Łódź, Ĳssel, ſ") == "lodz ijssel s");
    CHECK(foldForSearch("n°12") == "n 12");
    CHECK(foldForSearch("e\u0301te\u0301") == "ete"); // decomposed accents
    CHECK(foldForSearch("\ufb01che") == "fiche");
    CHECK(foldForSearch("\uff2a\uff21\uff32\uff24\uff29\uff2e") == "jardin"); // full-width
    CHECK(foldForSearch("jardin\U0001F331partagé") == "jardin partage");
    CHECK(foldForSearch("Привет мир") == "Привет мир"); // other scripts pass through unchanged
    CHECK(foldForSearch("") == "");
    CHECK(foldForSearch(" ,;!? ") == "");
    CHECK(searchWords("L’Œuvre d'Été") == std::vector<std::string>{"l", "oeuvre", "d", "ete"});

    // Every letter of Latin-1 and Latin Extended-A folds to plain ASCII letters (× and ÷ separate).
    for (char32_t c = 0xC0; c <= 0x17F; ++c) {
        std::string folded = foldForSearch("x" + utf8(c) + "x");
        INFO("U+" << std::hex << static_cast<unsigned>(c) << " → " << folded);
        if (c == 0xD7 || c == 0xF7)
            CHECK(folded == "x x");
        else
            CHECK(std::all_of(folded.begin(), folded.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }));
    }
}

TEST_CASE("folding never crashes on invalid UTF-8 and never glues words across it") {
    CHECK(foldForSearch("ab\xFF"
                        "cd") == "ab cd");
    CHECK(foldForSearch("caf\xC3") == "caf"); // truncated sequence
    CHECK(foldForSearch("\xC0\xAF"
                        "x") == "x"); // overlong
    CHECK(foldForSearch("\xED\xA0\x80"
                        "y") == "y"); // surrogate
    CHECK(foldForSearch("\xF4\x90\x80\x80"
                        "z") == "z"); // past U+10FFFF
    CHECK(foldForSearch("\x80\x80\x80") == "");
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        std::string junk;
        for (int i = 0; i < 64; ++i)
            junk += static_cast<char>(rng() & 0xFF);
        (void)foldForSearch(junk);
    }
}

TEST_CASE("one edit: insertion, deletion, substitution, transposition") {
    CHECK(withinOneEdit("jardin", "jardin"));
    CHECK(withinOneEdit("jradin", "jardin"));
    CHECK(withinOneEdit("jardn", "jardin"));
    CHECK(withinOneEdit("jardiin", "jardin"));
    CHECK(withinOneEdit("jordin", "jardin"));
    CHECK(withinOneEdit("jardni", "jardin"));
    CHECK(withinOneEdit("", "a"));
    CHECK_FALSE(withinOneEdit("jradni", "jardin"));
    CHECK_FALSE(withinOneEdit("jard", "jardin"));
    CHECK_FALSE(withinOneEdit("abc", "cab"));
}

TEST_CASE("the index holds the published offers only, in catalogue order") {
    const auto& index = demoIndex();
    REQUIRE(index.size() == 79); // off-0041 and off-0080 are paused
    CHECK_FALSE(index.entryOf("off-0041"));
    REQUIRE(index.entryOf("off-0042"));
    const std::uint32_t e = *index.entryOf("off-0042");
    CHECK(e == 40);
    CHECK(demo().offers[index.offerIndex(e)].id == "off-0042");
    CHECK(index.wordCount() > 500);
}

TEST_CASE("search ignores case and accents") {
    CHECK(find("noel") == offers("0003 0043 0072")); // same score, so soonest first
    CHECK(find("Noël") == find("noel"));
    CHECK(find("NOEL") == find("noel"));
    CHECK(find("noe\u0308l") == find("noel"));
    auto benevole = find("benevoles");
    CHECK(benevole == find("Bénévoles"));
    // the hospital's volunteer service (organisation name) before two description matches
    CHECK(asSet({benevole.begin(), benevole.begin() + 3}) == asSet(offers("0035 0036 0037")));
    CHECK(asSet({benevole.begin() + 3, benevole.end()}) == asSet(offers("0006 0031")));
    CHECK(find("deux croix") == find("Deux-Croix"));
    CHECK(asSet(find("deux-croix")) == asSet(offers("0047 0048 0077")));
}

TEST_CASE("search matches prefixes, title first") {
    auto jard = find("jard");
    REQUIRE(jard.size() == 7);
    CHECK(std::vector<std::string>(jard.begin(), jard.begin() + 2) == offers("0012 0071")); // titles
    CHECK(jard[2] == "off-0013"); // activity "Jardin partagé"
    CHECK(asSet(jard) == asSet(offers("0012 0071 0013 0018 0016 0074 0073")));
    CHECK(find("j").size() > jard.size());
    // an exact description word beats a description prefix
    auto jardin = find("jardin");
    CHECK(std::find(jardin.begin(), jardin.end(), "off-0074") - jardin.begin() == 3);
}

TEST_CASE("search tolerates one typo per word of four letters or more") {
    auto jradin = find("jradin");
    CHECK(asSet(jradin) == asSet(find("jardin")));
    CHECK(jradin.front() == "off-0012");
    auto solidarity = find("soldiarite"); // the theme name, transposed letters
    CHECK(solidarity.size() == 9);
    for (const auto& id : solidarity)
        CHECK(offerById(id).themeId == "solidarite");
    CHECK(asSet(find("jardn")) == asSet(find("jardin")));          // deletion
    CHECK(asSet(find("jardiin")) == asSet(find("jardin")));        // insertion
    CHECK(asSet(find("lrie")) == asSet(offers("0036 0053 0056"))); // four letters is enough: "Lire …"
    CHECK(asSet(find("lire")).count("off-0037") == 1);             // "livres", one letter away
    // while typing: one typo against the start of a word, from five letters
    CHECK(find("jradi").front() == "off-0012");
    // three letters: no typo allowed
    CHECK(find("jra").empty());
    // two typos is too far
    CHECK(find("jradni").empty());
    // a typo match ranks below an exact one
    auto hits = demoIndex().search("jradin", {}, {}, kToday);
    auto exact = demoIndex().search("jardin", {}, {}, kToday);
    CHECK(hits.front().score < exact.front().score);
}

TEST_CASE("every query word must match") {
    CHECK(find("repas dimanche") == offers("0046"));
    CHECK(find("dimanche repas") == offers("0046"));
    CHECK(find("repas").size() > 1);
    CHECK(find("jardin zzzzz").empty());
    CHECK(find("xyzzy").empty());
    // small linking words do not have to appear: "aux" is not in "Aider des enfants à faire leurs devoirs"
    CHECK(find("aider aux devoirs") == offers("0049"));
    // a query made only of them still searches
    CHECK_FALSE(find("le").empty());
    // the neighbourhood and the theme name take part too
    auto doutre = find("doutre culture");
    CHECK(asSet(doutre) == asSet(offers("0024")));
}

TEST_CASE("ranking: title, then organisation, then description; exact, then prefix, then typo") {
    const Catalogue c = rankingCatalogue();
    const SearchIndex index(c);
    CHECK(index.size() == 7);
    auto hits = index.search("benevolat", {}, {}, kToday);
    // equal title scores tie-break by title: "bibliothèque" before "jardin"
    CHECK(ids(index, hits) ==
          std::vector<std::string>{"t-title-a", "t-title-b", "t-prefix", "t-org", "t-desc", "t-typo"});
    REQUIRE(hits.size() == 6);
    for (std::size_t i = 1; i < hits.size(); ++i)
        CHECK(hits[i - 1].score >= hits[i].score);
    CHECK(ids(index, index.search("oeuvre", {}, {}, kToday)) == std::vector<std::string>{"t-oeuvre"});
    CHECK(ids(index, index.search("œuvre", {}, {}, kToday)) == std::vector<std::string>{"t-oeuvre"});
    CHECK(ids(index, index.search("OEUVRES", {}, {}, kToday)) == std::vector<std::string>{"t-oeuvre"});
    // soonest sort ignores the score: all are to be agreed, so title order
    auto soonest = ids(index, index.search("benevolat", {}, {SortOrder::Soonest, {}}, kToday));
    CHECK(soonest ==
          std::vector<std::string>{"t-org", "t-title-a", "t-title-b", "t-prefix", "t-typo", "t-desc"});
}

TEST_CASE("ranking ties break by the soonest date") {
    Catalogue c = rankingCatalogue();
    c.offers[4].toBeAgreed = false; // "Bénévolat au jardin" on Saturday 28 November
    c.offers[4].dates = {{"2026-11-28T10:00", "2026-11-28T12:00"}};
    const SearchIndex index(c);
    auto hits = ids(index, index.search("benevolat", {}, {}, kToday));
    CHECK(std::vector<std::string>(hits.begin(), hits.begin() + 2) ==
          std::vector<std::string>{"t-title-b", "t-title-a"});
}

TEST_CASE("an empty query lists every offer that passes the filters, soonest first") {
    auto all = find("");
    REQUIRE(all.size() == 79);
    CHECK(find("   ") == all);
    CHECK(find("", {}, {SortOrder::Soonest, {}}) == all);
    // today is a Tuesday: the Tuesday slots first, by time then title
    CHECK(std::vector<std::string>(all.begin(), all.begin() + 3) == offers("0002 0069 0022"));
    // "to be agreed" last, by title
    CHECK(std::vector<std::string>(all.end() - 7, all.end()) == offers("0044 0067 0027 0051 0009 0065 0062"));
    // the first one-off is the Noël collection on 4 December
    auto firstOneOff = std::find_if(
        all.begin(), all.end(), [](const std::string& id) { return offerById(id).rhythm == Rhythm::OneOff; });
    CHECK(*firstOneOff == "off-0003");
}

TEST_CASE("filters: theme and neighbourhood") {
    SearchFilters f;
    f.themes = {"environnement"};
    auto env = find("", f);
    CHECK(env.size() == 10);
    for (const auto& id : env)
        CHECK(offerById(id).themeId == "environnement");
    f.neighbourhoods = {"la-roseraie"};
    CHECK(find("", f) == offers("0012 0013"));
    f.themes.insert("aide-numerique");
    CHECK(asSet(find("", f)) == asSet(offers("0012 0013 0059 0060")));
    SearchFilters doutre;
    doutre.neighbourhoods = {"doutre"};
    CHECK(asSet(find("", doutre)) == asSet(offers("0001 0011 0024 0035 0036 0037")));
    SearchFilters unknown;
    unknown.themes = {"no-such-theme"};
    CHECK(find("", unknown).empty());
    // with a query
    CHECK(find("jardin", f) == offers("0012 0013"));
}

TEST_CASE("filters: moment") {
    SearchFilters f;
    f.moment = MomentFilter::ThisWeek;
    auto week = find("", f);
    CHECK(week.size() == 43); // every regular offer with a slot; no one-off date before 1 December
    for (const auto& id : week)
        CHECK(offerById(id).rhythm == Rhythm::Regular);
    auto december = find("", f, {}, "2026-12-01");
    CHECK(december.size() == 45);
    CHECK(asSet(december).count("off-0003") == 1);                      // 4 and 5 December
    CHECK(asSet(december).count("off-0043") == 1);                      // 5 December
    CHECK(asSet(find("", f, {}, "2026-11-29")).count("off-0003") == 1); // 29 November … 5 December
    CHECK(asSet(find("", f, {}, "2026-11-27")).count("off-0003") == 0); // 4 December is 7 days away

    f.moment = MomentFilter::Weekend;
    auto weekend = asSet(find("", f));
    CHECK(weekend.size() == 32);
    CHECK(weekend.count("off-0029") == 1); // Saturday slot
    CHECK(weekend.count("off-0024") == 1); // Sunday slot
    CHECK(weekend.count("off-0003") == 1); // Friday 4 and Saturday 5 December
    CHECK(weekend.count("off-0001") == 0); // Wednesday
    CHECK(weekend.count("off-0038") == 0); // two Thursdays
    // a weekend date that has passed no longer counts
    CHECK(asSet(find("", f, {}, "2026-12-06")).count("off-0003") == 0);

    f.moment = MomentFilter::Evening;
    CHECK(asSet(find("", f)) ==
          asSet(offers("0007 0058 0077 0078 0032 0006 0045 0021 0075 0052 0076 0040 0019")));
}

TEST_CASE("filters: duration of one session") {
    SearchFilters f;
    f.duration = DurationFilter::Short;
    auto shortOnes = find("", f);
    CHECK(shortOnes.size() == 34);
    CHECK(asSet(shortOnes).count("off-0033") == 1); // "25 h en tout", in 2 h Saturday slots
    for (const auto& id : shortOnes) {
        const Offer& o = offerById(id);
        CHECK((o.durationHours <= 2 || (o.rhythm == Rhythm::Regular && o.durationHours >= 10)));
    }
    f.duration = DurationFilter::HalfDay;
    auto half = asSet(find("", f));
    CHECK(half.size() == 29);
    CHECK(half.count("off-0018") == 1); // "30 h en tout", but a 3 h weekly slot
    CHECK(half.count("off-0002") == 1); // 2.5 h
    CHECK(half.count("off-0003") == 1); // exactly 4 h
    f.duration = DurationFilter::Day;
    CHECK(find("", f).size() == 15);
    // a long regular mission with no slot has no known session length
    for (auto d : {DurationFilter::Short, DurationFilter::HalfDay, DurationFilter::Day}) {
        f.duration = d;
        CHECK(asSet(find("", f)).count("off-0009") == 0);
    }
    f.duration = DurationFilter::Regular;
    auto regular = find("", f);
    CHECK(regular.size() == 50);
    for (const auto& id : regular)
        CHECK(offerById(id).rhythm == Rhythm::Regular);
}

TEST_CASE("filters: access, prerequisites, registration, past offers, combined") {
    SearchFilters f;
    f.stepFree = true;
    auto stepFree = asSet(find("", f));
    CHECK(stepFree.size() == 72);
    CHECK(stepFree.count("off-0011") == 0);
    f = {};
    f.noPrerequisite = true;
    auto easy = asSet(find("", f));
    CHECK(easy.size() == 62);
    CHECK(easy.count("off-0006") == 0);
    f = {};
    f.registrationOpen = true;
    auto open = asSet(find("", f));
    CHECK(open.size() == 74);
    CHECK(open.count("off-0034") == 0);

    // on 1 June 2027 most one-off dates have passed
    f = {};
    CHECK(find("", f, {}, "2027-06-01").size() == 53);
    f.includePast = true;
    auto withPast = find("", f, {}, "2027-06-01");
    CHECK(withPast.size() == 79);
    CHECK(withPast.back() == "off-0079"); // past ones come last

    SearchFilters combined;
    combined.themes = {"environnement"};
    combined.moment = MomentFilter::Weekend;
    combined.stepFree = true;
    combined.duration = DurationFilter::Short;
    CHECK(asSet(find("", combined)) == asSet(offers("0012 0017 0081")));
    CHECK(find("jardin", combined) == offers("0012"));
    CHECK(find("oiseaux", combined) == offers("0017"));
    combined.noPrerequisite = true;
    combined.neighbourhoods = {"verneau"};
    CHECK(find("", combined).empty());
}

TEST_CASE("sorting by distance to a chosen neighbourhood") {
    const SearchSort near{SortOrder::Nearest, "monplaisir"};
    auto hits = find("", {}, near);
    REQUIRE(hits.size() == 79);
    // the seven Monplaisir offers first, soonest first among them
    CHECK(std::vector<std::string>(hits.begin(), hits.begin() + 7) ==
          offers("0055 0026 0030 0046 0031 0003 0054"));
    // then Ney-Chalouère (0.92 km) before Grand-Pigeon (0.95 km)
    CHECK(offerById(hits[7]).neighbourhoodId == "ney-chalouere");
    std::map<std::string, const Neighbourhood*> places;
    for (const auto& n : demo().neighbourhoods)
        places[n.id] = &n;
    const Neighbourhood& from = *places["monplaisir"];
    double previous = 0;
    for (const auto& id : hits) {
        const Neighbourhood& at = *places[offerById(id).neighbourhoodId];
        double km = std::hypot(at.x - from.x, at.y - from.y);
        CHECK(km >= previous - 1e-3);
        previous = km;
    }
    // with a query the score no longer leads: distance does
    auto jardin = find("jardin", {}, {SortOrder::Nearest, "la-roseraie"});
    CHECK(std::vector<std::string>(jardin.begin(), jardin.begin() + 2) == offers("0012 0013"));
    // an unknown neighbourhood falls back to soonest
    CHECK(find("", {}, {SortOrder::Nearest, "atlantis"}) == find(""));
}

TEST_CASE("why it fits") {
    const auto& index = demoIndex();
    auto entry = [&](const char* id) { return *index.entryOf(id); };
    CHECK(index.whyItFits(entry("off-0029"), "", {}, {}, kToday).empty());

    SearchFilters f;
    f.moment = MomentFilter::Weekend;
    f.duration = DurationFilter::Short;
    auto walk = index.whyItFits(entry("off-0029"), "", f, {}, kToday);
    REQUIRE(walk.size() == 2);
    CHECK(walk[0].kind == FitKind::Weekend);
    CHECK(walk[0].weekday == 6); // "le samedi"
    CHECK(walk[0].value.empty());
    CHECK(walk[1].kind == FitKind::Duration);
    CHECK(walk[1].number == Approx(2.0)); // "2 h"

    auto noel = index.whyItFits(entry("off-0003"), "", f, {}, kToday);
    REQUIRE_FALSE(noel.empty());
    CHECK(noel[0] == FitReason{FitKind::Weekend, "2026-12-05", 6, 0, SearchField::Title});

    SearchFilters evening;
    evening.moment = MomentFilter::Evening;
    auto maraude = index.whyItFits(entry("off-0006"), "", evening, {}, kToday);
    REQUIRE(maraude.size() == 1);
    CHECK(maraude[0].kind == FitKind::Evening);
    CHECK(maraude[0].value == "19:30");
    CHECK(maraude[0].weekday == 4);

    SearchFilters places;
    places.themes = {"environnement"};
    places.neighbourhoods = {"la-roseraie"};
    places.stepFree = true;
    auto bacs =
        index.whyItFits(entry("off-0013"), "jard", places, {SortOrder::Nearest, "centre-ville"}, kToday);
    REQUIRE(bacs.size() == 4); // not step-free: no such reason
    CHECK(bacs[0].kind == FitKind::Word);
    CHECK(bacs[0].value == "jardin");
    CHECK(bacs[0].field == SearchField::Organisation); // "Jardin des Quatre Saisons" (also its activity)
    CHECK(bacs[1].kind == FitKind::Theme);
    CHECK(bacs[1].value == "environnement");
    CHECK(bacs[2].kind == FitKind::Neighbourhood);
    CHECK(bacs[2].value == "la-roseraie");
    CHECK(bacs[3].kind == FitKind::Near);
    CHECK(bacs[3].number == Approx(std::hypot(0.6, -2.4)).epsilon(0.01));

    auto typo = index.whyItFits(entry("off-0012"), "jradin partage", {}, {}, kToday);
    REQUIRE(typo.size() == 2);
    CHECK(typo[0].value == "jardin");
    CHECK(typo[0].field == SearchField::Title);
    CHECK(typo[1].value == "partage");

    SearchFilters regular;
    regular.duration = DurationFilter::Regular;
    regular.registrationOpen = true;
    regular.noPrerequisite = true;
    auto epicerie = index.whyItFits(entry("off-0001"), "", regular, {}, kToday);
    REQUIRE(epicerie.size() == 3);
    CHECK(epicerie[0] == FitReason{FitKind::Regular, "weekly", 0, 0, SearchField::Title});
    CHECK(epicerie[1].kind == FitKind::NoPrerequisite);
    CHECK(epicerie[2].kind == FitKind::RegistrationOpen);
    CHECK(index.whyItFits(100000, "jardin", {}, {}, kToday).empty());
}

TEST_CASE("open offers per theme, for the themes grid") {
    auto counts = demoIndex().openOffersPerTheme(kToday);
    REQUIRE(counts.size() == demo().themes.size());
    // in theme order: solidarite, environnement, culture, sport, sante, vie-de-quartier, jeunesse,
    // aide-numerique, seniors, citoyennete (closed registrations and paused offers do not count)
    CHECK(counts == std::vector<std::uint32_t>{9, 10, 9, 6, 5, 7, 6, 8, 7, 7});
    auto later = demoIndex().openOffersPerTheme("2027-06-01");
    CHECK(later[9] == 2); // every citizenship date has passed, the two weekly councils remain
}

TEST_CASE("odd and very long input never crashes and gives a sane answer") {
    CHECK(find(std::string(100000, 'a')).empty());
    CHECK(find(std::string(100000, ' ')).size() == 79);
    CHECK(find("jardin\U0001F331") == find("jardin"));
    CHECK(find("\U0001F331\U0001F331").size() == 79); // nothing searchable: like an empty query
    CHECK(find("Привет").empty());
    CHECK(find("jard\xFF") == find("jard"));
    std::string many;
    for (int i = 0; i < 50; ++i)
        many += "jardin ";
    CHECK(find(many) == find("jardin"));
    std::mt19937 rng(11);
    for (int round = 0; round < 100; ++round) {
        std::string junk;
        for (int i = 0; i < 300; ++i)
            junk += static_cast<char>(rng() & 0xFF);
        auto hits = demoIndex().search(junk, {}, {}, kToday);
        CHECK(hits.size() <= 79);
    }
    CHECK(find("jardin", {}, {}, "not a date").size() == find("jardin").size());

    // a catalogue with broken text and references still builds
    Catalogue c = rankingCatalogue();
    c.offers[0].title = "Tri\xC3 des \xFF livres";
    c.offers[1].themeId = "missing";
    c.offers[1].neighbourhoodId = "missing";
    c.offers[2].slots = {{9, "25:99", ""}};
    c.offers[2].dates = {{"garbage", ""}};
    const SearchIndex broken(c);
    CHECK(ids(broken, broken.search("livres", {}, {}, kToday)) == std::vector<std::string>{"t-desc"});
    SearchFilters f;
    f.themes = {"th"};
    CHECK(broken.search("", f, {}, kToday).size() == 6);

    const SearchIndex empty;
    CHECK(empty.size() == 0);
    CHECK(empty.search("jardin", {}, {}, kToday).empty());
    CHECK(empty.openOffersPerTheme(kToday).empty());
    CHECK_FALSE(empty.entryOf("off-0001"));
}

TEST_CASE("results as you type reuse one vector and stay consistent") {
    const auto& index = demoIndex();
    std::vector<SearchHit> hits;
    std::size_t previous = index.size();
    for (std::string q : {"j", "ja", "jar", "jard", "jardi", "jardin"}) {
        index.search(q, {}, {}, kToday, hits);
        CHECK(hits.size() <= previous); // each key narrows
        previous = hits.size();
        std::set<std::uint32_t> seen;
        for (const auto& h : hits) {
            CHECK(seen.insert(h.entry).second);
            CHECK(demo().offers[h.offerIndex].id == index.offerId(h.entry));
        }
    }
    CHECK(previous == 7);
}
