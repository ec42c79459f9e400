#include "comptoir/domain/catalogue.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace comptoir;
using nlohmann::json;

namespace {
json demo() { return json::parse(test::readFile(test::sourcePath("assets/catalogue/demo.json"))); }

const CatalogueIssue* issueFor(const CatalogueParseResult& r, const std::string& entry) {
    for (const auto& i : r.issues)
        if (i.entry == entry) return &i;
    return nullptr;
}
} // namespace

TEST_CASE("the demo catalogue is complete, valid and varied") {
    auto r = parseCatalogue(demo().dump());
    REQUIRE(r.ok);
    CHECK(r.issues.empty());
    CHECK(r.catalogue.offers.size() >= 60);
    CHECK(r.catalogue.organisations.size() >= 20);
    CHECK(r.catalogue.themes.size() >= 10);
    std::size_t activities = 0;
    for (const auto& t : r.catalogue.themes) activities += t.activities.size();
    CHECK(activities >= 24);
    bool oneOff = false, regular = false, short1h = false, permis = false, minors = false;
    for (const auto& o : r.catalogue.offers) {
        oneOff |= o.rhythm == Rhythm::OneOff;
        regular |= o.rhythm == Rhythm::Regular;
        short1h |= o.durationHours <= 1.0;
        permis |= o.durationHours >= 20 && o.durationHours <= 40;
        minors |= o.minAge == 16 && o.parentalAgreement;
    }
    CHECK(oneOff);
    CHECK(regular);
    CHECK(short1h);
    CHECK(permis);
    CHECK(minors);
    for (const char* n : {"centre-ville", "doutre", "belle-beille", "monplaisir", "la-roseraie", "justices",
                          "lac-de-maine", "deux-croix-banchais", "hauts-de-saint-aubin", "grand-pigeon", "saint-serge"}) {
        INFO(n);
        bool found = false;
        for (const auto& nb : r.catalogue.neighbourhoods) found |= nb.id == n;
        CHECK(found);
    }
}

TEST_CASE("a bad entry is skipped with its name and reason; the rest is kept") {
    json doc = demo();
    auto total = doc["offers"].size();
    doc["offers"][0]["organisation"] = "org-nobody";
    doc["offers"][1]["duration_hours"] = 0;
    doc["offers"][2]["title"] = 42;
    doc["offers"][3].erase("theme");
    doc["offers"][4]["places_left"] = 999;
    doc["offers"][5]["prerequisites"] = json::array({"a", "b", "c", "d"});
    doc["offers"].push_back(doc["offers"][6]); // duplicate id
    std::string id0 = doc["offers"][0]["id"], id1 = doc["offers"][1]["id"], id2 = doc["offers"][2]["id"];
    std::string id3 = doc["offers"][3]["id"], id4 = doc["offers"][4]["id"], id5 = doc["offers"][5]["id"];
    auto r = parseCatalogue(doc.dump());
    REQUIRE(r.ok);
    CHECK(r.catalogue.offers.size() == total - 6);
    REQUIRE(issueFor(r, "offer " + id0));
    CHECK(issueFor(r, "offer " + id0)->reason == "unknown organisation 'org-nobody'");
    REQUIRE(issueFor(r, "offer " + id1));
    CHECK(issueFor(r, "offer " + id1)->reason.find("duration_hours") != std::string::npos);
    REQUIRE(issueFor(r, "offer " + id2));
    CHECK(issueFor(r, "offer " + id2)->reason == "field 'title' must be text");
    REQUIRE(issueFor(r, "offer " + id3));
    CHECK(issueFor(r, "offer " + id3)->reason == "missing field 'theme'");
    REQUIRE(issueFor(r, "offer " + id4));
    CHECK(issueFor(r, "offer " + id5)->reason.find("more than 3") != std::string::npos);
    CHECK(r.issues.size() == 7);
}

TEST_CASE("an activity must belong to the offer's theme") {
    json doc = demo();
    std::string otherActivity;
    for (const auto& t : doc["themes"])
        if (t["id"] != doc["offers"][0]["theme"]) otherActivity = t["activities"][0]["id"];
    doc["offers"][0]["activity"] = otherActivity;
    auto r = parseCatalogue(doc.dump());
    REQUIRE(r.issues.size() == 1);
    CHECK(r.issues[0].reason.find("does not belong to theme") != std::string::npos);
}

TEST_CASE("one-off offers need a date and regular offers a slot, unless to be agreed") {
    json doc = demo();
    json oneOff, regular;
    for (auto& o : doc["offers"]) {
        if (o["rhythm"] == "one_off" && !o["to_be_agreed"].get<bool>() && oneOff.is_null()) {
            o["dates"] = json::array();
            oneOff = o["id"];
        }
        if (o["rhythm"] == "regular" && !o["to_be_agreed"].get<bool>() && regular.is_null()) {
            o["slots"] = json::array();
            regular = o["id"];
        }
    }
    auto r = parseCatalogue(doc.dump());
    REQUIRE(r.issues.size() == 2);
    CHECK(issueFor(r, "offer " + oneOff.get<std::string>()));
    CHECK(issueFor(r, "offer " + regular.get<std::string>()));
}

TEST_CASE("a document that is not a catalogue is refused as a whole") {
    CHECK_FALSE(parseCatalogue("{not json").ok);
    CHECK_FALSE(parseCatalogue("[]").ok);
    CHECK_FALSE(parseCatalogue(R"({"format":"other"})").ok);
    CHECK_FALSE(parseCatalogue(R"({"format":"comptoir-catalogue","format_version":2,"catalogue_version":1})").ok);
    auto r = parseCatalogue(R"({"format":"comptoir-catalogue","format_version":1})");
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("catalogue_version") != std::string::npos);
}

TEST_CASE("an invalid UTF-8 title is refused rather than shown garbled") {
    json doc = demo();
    std::string bad = "Caf\xC3";
    std::string text = doc.dump();
    auto pos = text.find(doc["offers"][0]["title"].get<std::string>());
    text.replace(pos, doc["offers"][0]["title"].get<std::string>().size(), bad);
    auto r = parseCatalogue(text);
    // nlohmann rejects invalid UTF-8 while parsing: the whole document is then refused, never half-read
    if (r.ok) CHECK(r.issues.size() == 1);
    else CHECK(r.error == "the catalogue is not valid JSON");
}

TEST_CASE("serialise then parse gives the same catalogue") {
    auto r1 = parseCatalogue(demo().dump());
    auto r2 = parseCatalogue(serialiseCatalogue(r1.catalogue));
    REQUIRE(r2.ok);
    CHECK(r2.issues.empty());
    REQUIRE(r2.catalogue.offers.size() == r1.catalogue.offers.size());
    for (size_t i = 0; i < r1.catalogue.offers.size(); ++i) {
        const auto& a = r1.catalogue.offers[i];
        const auto& b = r2.catalogue.offers[i];
        CHECK(a.id == b.id);
        CHECK(a.title == b.title);
        CHECK(a.slots.size() == b.slots.size());
        CHECK(a.dates.size() == b.dates.size());
        CHECK(a.prerequisites == b.prerequisites);
        CHECK(a.durationHours == b.durationHours);
    }
}

TEST_CASE("a 'format' of the wrong type is refused, not thrown (found by fuzzing)") {
    auto r = parseCatalogue(R"({"format":1,"format_version":1,"catalogue_version":4,"themes":[]})");
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("field 'format'") != std::string::npos);
}

TEST_CASE("the optional permis_citoyen flag is read, written only when set, and must be a boolean") {
    auto demo = parseCatalogue(test::readFile(test::sourcePath("assets/catalogue/demo.json")));
    REQUIRE(demo.ok);
    int flagged = 0;
    for (const auto& o : demo.catalogue.offers) {
        flagged += o.permisCitoyen;
        CHECK(o.permisCitoyen == (o.title.rfind("Permis Citoyen", 0) == 0));
    }
    CHECK(flagged == 5);
    auto again = parseCatalogue(serialiseCatalogue(demo.catalogue));
    REQUIRE(again.ok);
    for (std::size_t i = 0; i < again.catalogue.offers.size(); ++i)
        CHECK(again.catalogue.offers[i].permisCitoyen == demo.catalogue.offers[i].permisCitoyen);
    Offer plain = demo.catalogue.offers.front();
    plain.permisCitoyen = false;
    CHECK_FALSE(offerToJson(plain).contains("permis_citoyen"));
    auto j = offerToJson(plain);
    j["permis_citoyen"] = "oui";
    std::string error;
    CHECK_FALSE(parseOfferJson(j, error).has_value());
    CHECK(error.find("permis_citoyen") != std::string::npos);
}

TEST_CASE("a title is one line of visible text that fits a card; no field holds a control character") {
    auto titled = [](const std::string& title) {
        json doc = demo();
        doc["offers"][0]["title"] = title;
        return doc;
    };
    const std::string id = demo()["offers"][0]["id"];
    for (const std::string& bad :
         {std::string("   "), std::string(" \t\n "), std::string("Cafe\0 solidaire", 15),
          std::string("Deux\nlignes"), std::string(kMaxOfferTitleChars + 1, 'a'), std::string("Bip\x07")}) {
        auto r = parseCatalogue(titled(bad).dump());
        REQUIRE(r.ok);
        INFO(json(bad).dump());
        CHECK(issueFor(r, "offer " + id));
        CHECK(r.skippedOfferIds == std::vector<std::string>{id});
    }
    // Exactly the limit, accented letters counted as one character each.
    std::string longest;
    for (std::size_t i = 0; i < kMaxOfferTitleChars; ++i)
        longest += "é";
    auto r = parseCatalogue(titled(longest).dump());
    CHECK(r.issues.empty());
    // A description keeps its paragraphs; a NUL in it is refused all the same.
    json doc = demo();
    doc["offers"][1]["description"] = "Premier paragraphe.\n\nSecond paragraphe.";
    CHECK(parseCatalogue(doc.dump()).issues.empty());
    doc["offers"][1]["description"] = std::string("Coupé\0ici", 10);
    CHECK(parseCatalogue(doc.dump()).issues.size() == 1);
}
