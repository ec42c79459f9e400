#include "comptoir/domain/catalogue.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/migrations.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace comptoir;
using namespace comptoir::store;

namespace {
Catalogue demo() {
    auto r = parseCatalogue(test::readFile(test::sourcePath("assets/catalogue/demo.json")));
    REQUIRE(r.ok);
    return r.catalogue;
}
} // namespace

TEST_CASE("importing the demo catalogue stores every entry and reads back the same") {
    test::TempDir dir;
    auto db = Database::open(dir.file("k.db"));
    migrate(db);
    auto c = demo();
    auto report = importCatalogue(db, c);
    CHECK(report.offers == c.offers.size());
    CHECK(offerCount(db) == static_cast<std::int64_t>(c.offers.size()));
    CHECK(catalogueVersion(db) == c.version);
    auto back = loadCatalogue(db);
    REQUIRE(back.offers.size() == c.offers.size());
    for (const auto& o : c.offers) {
        auto it = std::find_if(back.offers.begin(), back.offers.end(),
                               [&](const Offer& b) { return b.id == o.id; });
        REQUIRE(it != back.offers.end());
        CHECK(it->title == o.title);
        CHECK(it->slots.size() == o.slots.size());
        CHECK(it->dates.size() == o.dates.size());
        CHECK(it->prerequisites == o.prerequisites);
        CHECK(it->placesLeft == o.placesLeft);
    }
    // soonest first: dated offers in date order come before undated ones
    std::string last;
    bool undatedSeen = false;
    for (const auto& o : back.offers) {
        if (o.dates.empty()) {
            undatedSeen = true;
            continue;
        }
        CHECK_FALSE(undatedSeen);
        CHECK(o.dates.front().start >= last);
        last = o.dates.front().start;
    }
}

TEST_CASE("what a platform says of an offer survives the kiosk's database") {
    test::TempDir dir;
    auto db = Database::open(dir.file("k.db"));
    migrate(db);
    auto c = demo();
    REQUIRE(c.offers.size() >= 2);
    c.offers[0].source = "engagement";
    c.offers[0].applicationUrl = "https://www.jeveuxaider.gouv.fr/missions/42";
    c.offers[0].schedule = "2 heures par semaine";
    (void)importCatalogue(db, c);
    auto back = loadCatalogue(db);
    auto find = [&](const std::string& id) {
        return *std::find_if(back.offers.begin(), back.offers.end(),
                             [&](const Offer& b) { return b.id == id; });
    };
    CHECK(find(c.offers[0].id).source == "engagement");
    CHECK(find(c.offers[0].id).applicationUrl == "https://www.jeveuxaider.gouv.fr/missions/42");
    CHECK(find(c.offers[0].id).schedule == "2 heures par semaine");
    CHECK(find(c.offers[1].id).applicationUrl.empty());
    // The file is not trusted more than the catalogue: a bad address written into it is not a link.
    db.exec(
        "UPDATE offer SET application_url = 'javascript:alert(1)', schedule = 'deux' || char(10) || 'lignes' "
        "WHERE id = '" +
            c.offers[0].id + "'",
        "tamper");
    back = loadCatalogue(db);
    CHECK(find(c.offers[0].id).applicationUrl.empty());
    CHECK(find(c.offers[0].id).schedule == "deux lignes");
}

TEST_CASE("re-importing updates in place; a failing import changes nothing") {
    test::TempDir dir;
    auto db = Database::open(dir.file("k.db"));
    migrate(db);
    auto c = demo();
    importCatalogue(db, c);
    c.version = 2;
    c.offers[0].title = "Titre changé";
    importCatalogue(db, c);
    CHECK(offerCount(db) == static_cast<std::int64_t>(c.offers.size()));
    CHECK(catalogueVersion(db) == 2);
    auto s = db.prepare("SELECT title FROM offer WHERE id = ?1");
    s.bind(1, c.offers[0].id);
    REQUIRE(s.step());
    CHECK(s.text(0) == "Titre changé");

    // An entry that breaks a constraint in the middle: the whole import rolls back.
    auto broken = c;
    broken.version = 3;
    broken.offers[1].title = "Ne doit pas apparaître";
    broken.offers[5].organisationId = "org-inexistante"; // bypasses parse-time validation
    CHECK_THROWS(importCatalogue(db, broken));
    CHECK(catalogueVersion(db) == 2);
    auto t = db.prepare("SELECT COUNT(*) FROM offer WHERE title = 'Ne doit pas apparaître'");
    REQUIRE(t.step());
    CHECK(t.int64(0) == 0);
}

TEST_CASE("an import replaces the catalogue: an offer it does not hold is closed, not deleted") {
    test::TempDir dir;
    auto db = Database::open(dir.file("k.db"));
    migrate(db);
    auto c = demo();
    (void)importCatalogue(db, c);
    const std::string gone = c.offers[0].id, unreadable = c.offers[1].id;
    auto next = c;
    next.version = 2;
    next.offers.erase(next.offers.begin(), next.offers.begin() + 2);
    // The second one is in the file but was skipped: it stays as it was.
    auto report = importCatalogue(db, next, {unreadable});
    CHECK(report.closed == 1);
    CHECK(offerCount(db) == static_cast<std::int64_t>(c.offers.size())); // nothing deleted
    auto state = [&](const std::string& id) {
        auto s = db.prepare("SELECT status || ' ' || registration_open FROM offer WHERE id = ?1");
        s.bind(1, id);
        REQUIRE(s.step());
        return s.text(0);
    };
    CHECK(state(gone) == "archived 0");
    CHECK(state(unreadable) == "published 1");
    CHECK(state(next.offers[0].id) == "published 1");
    // Imported again, the closed offer is published again; nothing more to close.
    CHECK(importCatalogue(db, c).closed == 0);
    CHECK(state(gone) == "published 1");
}
