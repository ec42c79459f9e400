#include "sync_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

using namespace comptoir;
using namespace comptoir::test;

namespace {
const Offer* findOffer(const Catalogue& c, const std::string& id) {
    auto it = std::find_if(c.offers.begin(), c.offers.end(), [&](const Offer& o) { return o.id == id; });
    return it == c.offers.end() ? nullptr : &*it;
}
sync::PullOptions pullOptions(const std::string& mediaDir = {}) {
    sync::PullOptions o;
    o.mediaDir = mediaDir;
    o.retry = quickRetries();
    return o;
}
} // namespace

TEST_CASE("catalogue changes on the server appear on the kiosk, as deltas") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    auto cat = demoCatalogue();
    REQUIRE(cat.offers.size() >= 3);
    auto v1 = central.storage->importCatalogue(cat);
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));

    // First pull: everything.
    auto first = sync::pullCatalogue(kiosk.db, http, pullOptions());
    REQUIRE(first.outcome == sync::Outcome::Done);
    CHECK(first.changed);
    CHECK(first.full);
    CHECK(first.toVersion == v1.version);
    CHECK(store::offerCount(kiosk.db) == static_cast<std::int64_t>(cat.offers.size()));
    CHECK(store::catalogueVersion(kiosk.db) == v1.version);

    // Nothing new: 304, nothing touched.
    auto same = sync::pullCatalogue(kiosk.db, http, pullOptions());
    CHECK(same.outcome == sync::Outcome::Done);
    CHECK_FALSE(same.changed);

    // One offer retitled, one removed: only that travels, and the kiosk follows.
    std::string changedId = cat.offers[0].id, removedId = cat.offers[1].id;
    cat.offers[0].title = "Accueillir les visiteurs du jardin partagé";
    cat.offers.erase(cat.offers.begin() + 1);
    auto v2 = central.storage->importCatalogue(cat);
    CHECK(v2.version == v1.version + 1);
    CHECK(v2.changed == 1);
    CHECK(v2.deleted == 1);
    auto delta = sync::pullCatalogue(kiosk.db, http, pullOptions());
    REQUIRE(delta.outcome == sync::Outcome::Done);
    CHECK(delta.changed);
    CHECK_FALSE(delta.full);
    CHECK(delta.offersChanged == 2);
    auto local = store::loadCatalogue(kiosk.db);
    CHECK(local.version == v2.version);
    REQUIRE(findOffer(local, changedId));
    CHECK(findOffer(local, changedId)->title == "Accueillir les visiteurs du jardin partagé");
    CHECK(findOffer(local, removedId) == nullptr);
    CHECK(local.offers.size() == cat.offers.size());
    CHECK(local.themes.size() == cat.themes.size());
}

TEST_CASE("an inconsistent catalogue leaves the current one untouched") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    auto cat = demoCatalogue();
    (void)central.storage->importCatalogue(cat);
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    REQUIRE(sync::pullCatalogue(kiosk.db, http, pullOptions()).outcome == sync::Outcome::Done);
    auto before = store::loadCatalogue(kiosk.db);

    // The server now names an organisation that it does not send.
    cat.offers[0].organisationId = "org-does-not-exist";
    cat.offers[0].title = "Titre qui ne doit pas apparaître";
    (void)central.storage->importCatalogue(cat);
    auto r = sync::pullCatalogue(kiosk.db, http, pullOptions());
    CHECK(r.outcome == sync::Outcome::Failed);
    CHECK_THAT(r.lastError, Catch::Contains("org-does-not-exist"));
    auto after = store::loadCatalogue(kiosk.db);
    CHECK(after.version == before.version);
    CHECK(after.offers.size() == before.offers.size());
    CHECK(findOffer(after, cat.offers[0].id)->title == findOffer(before, cat.offers[0].id)->title);
}

TEST_CASE("pictures are fetched by content hash and verified") {
    TempDir dir;
    Central central(dir);
    KioskDb kiosk(dir.file("kiosk.db"));
    (void)central.storage->importCatalogue(demoCatalogue());
    std::string picture = "\x89PNG fictional picture bytes";
    auto sha = central.storage->addMedia("image/png", picture);
    CHECK(sha == sync::sha256Hex(picture));
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    auto r = sync::pullCatalogue(kiosk.db, http, pullOptions(dir.file("media")));
    REQUIRE(r.outcome == sync::Outcome::Done);
    CHECK(r.mediaFetched == 1);
    CHECK(readFile(dir.file("media/" + sha)) == picture);

    // A file already cached is not fetched again.
    (void)central.storage->addMedia("image/png", "another fictional picture");
    auto again = sync::pullCatalogue(kiosk.db, http, pullOptions(dir.file("media")));
    CHECK(again.mediaFetched == 1);
}

TEST_CASE("a swap that fails half-way rolls back completely") {
    TempDir dir;
    KioskDb kiosk(dir.file("kiosk.db"));
    auto cat = demoCatalogue();
    (void)store::importCatalogue(kiosk.db, cat);
    store::CatalogueSwap swap;
    swap.upserts.version = 99;
    swap.upserts.offers.push_back(cat.offers[0]);
    swap.upserts.offers[0].title = "Jamais visible";
    swap.upserts.offers[0].organisationId = "org-missing"; // foreign key failure
    swap.deletedOffers = {cat.offers[1].id};
    CHECK_THROWS_AS(store::swapCatalogue(kiosk.db, swap), store::DbError);
    auto after = store::loadCatalogue(kiosk.db);
    CHECK(after.version == cat.version);
    CHECK(after.offers.size() == cat.offers.size());
    CHECK(findOffer(after, cat.offers[0].id)->title == cat.offers[0].title);
}
