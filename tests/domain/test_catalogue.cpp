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
    CHECK(r.dropped.empty());
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

namespace {
/// The demo's first offer (French: a "what to bring", one skill) with `translations` set.
const json& demoOnce() {
    static const json doc = demo(); // read once: these tests parse it many times
    return doc;
}
CatalogueParseResult withTranslations(const json& translations) {
    json doc = demoOnce();
    doc["offers"][0]["translations"] = translations;
    return parseCatalogue(doc.dump());
}
json english() {
    return {{"title", "Welcome customers"},
            {"description", "You welcome people.\nWe explain everything."},
            {"what_to_bring", "Nothing."},
            {"skills", {"A smile"}}};
}
} // namespace

TEST_CASE("offer translations: read, looked up by language, written back; the demo has some") {
    auto r = withTranslations({{"en", english()},
                               {"ar",
                                {{"title", "استقبال الزبائن"},
                                 {"description", "تستقبل الناس."},
                                 {"what_to_bring", "لا شيء."},
                                 {"skills", {"الابتسامة"}}}}});
    REQUIRE(r.ok);
    CHECK(r.issues.empty());
    CHECK(r.dropped.empty());
    const Offer& o = r.catalogue.offers.front();
    REQUIRE(o.translations.size() == 2);
    CHECK(o.translations[0].language == "ar"); // language order, whatever the document's
    const OfferTranslation* en = translationOf(o, "en");
    REQUIRE(en);
    CHECK(en->title == "Welcome customers");
    CHECK(en->description == "You welcome people.\nWe explain everything.");
    CHECK(en->skills == std::vector<std::string>{"A smile"});
    CHECK(translationOf(o, "es") == nullptr);
    CHECK(translationOf(o, "fr") == nullptr);
    // Round trips: the catalogue format, and the kiosk's stored column.
    auto again = parseCatalogue(serialiseCatalogue(r.catalogue));
    REQUIRE(again.ok);
    CHECK(again.catalogue.offers.front().translations == o.translations);
    Offer stored = o;
    readTranslationsJson(translationsJson(o), stored);
    CHECK(stored.translations == o.translations);
    CHECK(translationsJson(r.catalogue.offers[1]) == "{}");
    CHECK_FALSE(offerToJson(r.catalogue.offers[1]).contains("translations"));
    // The demo catalogue carries a few, so that the screens show them.
    auto d = parseCatalogue(demoOnce().dump());
    int translated = 0;
    for (const auto& offer : d.catalogue.offers)
        translated += !offer.translations.empty();
    CHECK(translated >= 3);
}

TEST_CASE("a bad offer translation is dropped with its reason; the French offer and good languages stay") {
    auto droppedWith = [](const json& translations, const std::string& reason) {
        auto r = withTranslations(translations);
        REQUIRE(r.ok);
        CHECK(r.issues.empty()); // never a reason to skip the offer
        REQUIRE(r.catalogue.offers.size() == demoOnce()["offers"].size());
        INFO(translations.dump());
        REQUIRE(r.dropped.size() == 1);
        CHECK(r.dropped[0].entry == "offer off-0001");
        CHECK_THAT(r.dropped[0].reason, Catch::Contains(reason));
        return r.catalogue.offers.front().translations;
    };
    auto with = [](const char* key, const json& v) {
        json t = english();
        t[key] = v;
        return t;
    };
    // Only the kiosk's languages; French is the offer itself.
    auto kept = droppedWith({{"en", english()}, {"fr", english()}}, "not a language of the kiosk");
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].language == "en");
    (void)droppedWith({{"EN", english()}}, "not a language");
    (void)droppedWith({{"de", english()}}, "not a language");
    // The title's rules: present, text, 1 to kMaxOfferTitleChars characters, one line, no control character.
    (void)droppedWith({{"en", with("title", "")}}, "'title' is empty");
    (void)droppedWith({{"en", with("title", 42)}}, "'title' must be text");
    (void)droppedWith({{"en", with("title", std::string(kMaxOfferTitleChars + 1, 'a'))}},
                      "longer than " + std::to_string(kMaxOfferTitleChars));
    (void)droppedWith({{"en", with("title", "Two\nlines")}}, "line break or a control character");
    (void)droppedWith({{"en", with("title", "Bell\x07")}}, "control character");
    (void)droppedWith({{"en", with("title", "C1 \xC2\x9B")}}, "control character");
    (void)droppedWith({{"en", with("title", "\xE2\x80\xAEreversed")}}, "bidirectional"); // U+202E
    (void)droppedWith({{"en", with("title", "\xE2\x81\xA6isolate")}}, "bidirectional");  // U+2066
    json noTitle = english();
    noTitle.erase("title");
    (void)droppedWith({{"en", noTitle}}, "missing field 'title'");
    // The description: 1 to 1,200 characters, line breaks allowed, nothing else.
    (void)droppedWith({{"en", with("description", std::string(1201, 'a'))}}, "longer than 1200");
    (void)droppedWith({{"en", with("description", "Tab\there")}}, "control character");
    // Complete or nothing: no French left for a visitor told nothing about French.
    json noBring = english();
    noBring.erase("what_to_bring");
    (void)droppedWith({{"en", noBring}}, "missing field 'what_to_bring'");
    (void)droppedWith({{"en", with("skills", json::array())}}, "'skills' must translate the 1 French items");
    (void)droppedWith({{"en", with("prerequisites", {"Extra"})}}, "'prerequisites' must translate the 0");
    (void)droppedWith({{"en", with("skills", {std::string(81, 'a')})}}, "too long");
    // Shapes: not an object, too many languages (one line however many keys).
    (void)droppedWith({{"en", "Welcome"}}, "not an object");
    (void)droppedWith(json::array({english()}), "must be an object of languages");
    json flood = json::object();
    for (int i = 0; i < 500; ++i)
        flood["x" + std::to_string(i)] = english();
    (void)droppedWith(flood, "more than 4 languages");
    // A stored column that is not what we wrote reads as no translation, never a crash.
    Offer o = withTranslations({{"en", english()}}).catalogue.offers.front();
    readTranslationsJson("{\"en\": 3}", o);
    CHECK(o.translations.empty());
    readTranslationsJson("not json", o);
    CHECK(o.translations.empty());
}
