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
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
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
    // An offer's translations travel with it, through the server's storage to the kiosk's.
    REQUIRE(cat.offers[0].id == "off-0001");
    REQUIRE(cat.offers[0].translations.size() == 3);
    CHECK(findOffer(store::loadCatalogue(kiosk.db), "off-0001")->translations == cat.offers[0].translations);

    // Nothing new: 304, nothing touched.
    auto same = sync::pullCatalogue(kiosk.db, http, pullOptions());
    CHECK(same.outcome == sync::Outcome::Done);
    CHECK_FALSE(same.changed);

    // One offer retitled, one removed: only that travels, and the kiosk follows.
    std::string changedId = cat.offers[0].id, removedId = cat.offers[1].id;
    cat.offers[0].title = "Accueillir les visiteurs du jardin partagé";
    OfferTranslation spanish = *translationOf(cat.offers[0], "en");
    spanish.language = "es";
    spanish.title = "Recibir a los clientes de la tienda solidaria";
    cat.offers[0].translations.insert(cat.offers[0].translations.begin() + 2, spanish); // ar, en, es, uk
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
    CHECK(findOffer(local, changedId)->translations == cat.offers[0].translations);
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
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
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

TEST_CASE("a server with no catalogue yet (new or rebuilt) leaves the kiosk's catalogue in place") {
    TempDir dir;
    KioskDb kiosk(dir.file("kiosk.db"));
    auto cat = demoCatalogue();
    SECTION("a kiosk still on its seed catalogue") {
        (void)store::importCatalogue(kiosk.db, cat);
    }
    SECTION("a kiosk that pulled from a server since rebuilt from scratch") {
        TempDir before;
        Central old(before);
        (void)old.storage->importCatalogue(cat);
        sync::HttpClient http(httpFor(old.server.baseUrl(), old.token));
        REQUIRE(sync::pullCatalogue(kiosk.db, http, pullOptions()).outcome == sync::Outcome::Done);
    }
    auto before = store::loadCatalogue(kiosk.db);
    auto idBefore = store::catalogueMeta(kiosk.db, sync::kMetaServerCatalogueId);
    REQUIRE(before.offers.size() == cat.offers.size());

    Central fresh(dir); // nothing imported
    sync::HttpClient http(httpFor(fresh.server.baseUrl(), fresh.token));
    auto r = sync::pullCatalogue(kiosk.db, http, pullOptions());
    CHECK(r.outcome == sync::Outcome::Failed);
    CHECK_FALSE(r.changed);
    CHECK_THAT(r.lastError, Catch::Contains("no offers") && Catch::Contains("withdrawn"));
    auto after = store::loadCatalogue(kiosk.db);
    CHECK(after.offers.size() == before.offers.size());
    CHECK(after.version == before.version);
    CHECK(store::catalogueMeta(kiosk.db, sync::kMetaServerCatalogueId) == idBefore);
}

TEST_CASE("an empty catalogue reaches the kiosks only through a deliberate withdraw-all") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central central(dir, backend);
    KioskDb kiosk(dir.file("kiosk.db"));
    auto cat = demoCatalogue();
    auto v1 = central.storage->importCatalogue(cat);
    sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
    REQUIRE(sync::pullCatalogue(kiosk.db, http, pullOptions()).outcome == sync::Outcome::Done);

    Catalogue empty = cat;
    empty.offers.clear();
    // A wrong file: refused before anything changes, on the server and so on the kiosk.
    CHECK_THROWS_AS(central.storage->importCatalogue(empty), sync::central::CatalogueImportRefused);
    CHECK(central.storage->catalogueVersion() == v1.version);
    CHECK_THROWS_AS(central.storage->importCatalogue(cat, {true}), sync::central::CatalogueImportRefused);
    CHECK_FALSE(sync::pullCatalogue(kiosk.db, http, pullOptions()).changed);
    CHECK(store::offerCount(kiosk.db) == static_cast<std::int64_t>(cat.offers.size()));

    // The admin means it: the answer says so, and the kiosk follows (with a warning in its log).
    auto gone = central.storage->importCatalogue(empty, {true});
    CHECK(gone.deleted == cat.offers.size());
    CHECK(nlohmann::json::parse(central.storage->catalogueDelta(v1.version)).value("withdraw_all", false));
    auto r = sync::pullCatalogue(kiosk.db, http, pullOptions());
    REQUIRE(r.outcome == sync::Outcome::Done);
    CHECK(store::offerCount(kiosk.db) == 0);
    CHECK(store::catalogueVersion(kiosk.db) == gone.version);

    // Offers again: the marker goes, and an empty answer would once more be refused.
    auto back = central.storage->importCatalogue(cat);
    CHECK_FALSE(nlohmann::json::parse(central.storage->catalogueDelta(0)).contains("withdraw_all"));
    REQUIRE(sync::pullCatalogue(kiosk.db, http, pullOptions()).outcome == sync::Outcome::Done);
    CHECK(store::offerCount(kiosk.db) == static_cast<std::int64_t>(cat.offers.size()));
    CHECK(store::catalogueVersion(kiosk.db) == back.version);
}

TEST_CASE("a server gone back in time (restored from an old copy) does not roll the kiosk's catalogue back") {
    TempDir dir, saved;
    auto cat = demoCatalogue();
    KioskDb kiosk(dir.file("kiosk.db"));
    {
        Central central(dir);
        (void)central.storage->importCatalogue(cat);
    }
    std::filesystem::copy_file(dir.file("central.db"), saved.file("central.db"));
    std::int64_t newest = 0;
    {
        Central central(dir);
        cat.offers[0].title = "Accueillir les visiteurs du jardin partagé";
        newest = central.storage->importCatalogue(cat).version;
        sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
        REQUIRE(sync::pullCatalogue(kiosk.db, http, pullOptions()).outcome == sync::Outcome::Done);
    }
    Central restored(saved); // same catalogue_id, one version behind
    sync::HttpClient http(httpFor(restored.server.baseUrl(), restored.token));
    auto r = sync::pullCatalogue(kiosk.db, http, pullOptions());
    CHECK(r.outcome == sync::Outcome::Failed);
    CHECK_THAT(r.lastError, Catch::Contains("older"));
    CHECK(store::catalogueVersion(kiosk.db) == newest);
    CHECK(findOffer(store::loadCatalogue(kiosk.db), cat.offers[0].id)->title == cat.offers[0].title);
}

TEST_CASE("comptoir-central catalogue import refuses an empty catalogue unless --withdraw-all") {
    TempDir dir;
    auto cat = demoCatalogue();
    std::string out;
    const std::string central = binaryPath("sync/comptoir-central") + " --db " + dir.file("central.db");
    writeFile(dir.file("demo.json"), serialiseCatalogue(cat));
    REQUIRE(runCommand(central + " --create catalogue import " + dir.file("demo.json"), out) == 0);
    cat.offers.clear();
    writeFile(dir.file("empty.json"), serialiseCatalogue(cat));
    CHECK(runCommand(central + " catalogue import " + dir.file("empty.json"), out) == 1);
    CHECK_THAT(out, Catch::Contains("--withdraw-all") && Catch::Contains("nothing changed"));
    CHECK(runCommand(central + " stats", out) == 0);
    CHECK(runCommand(central + " catalogue import " + dir.file("empty.json") + " --withdraw-all", out) == 0);
    CHECK_THAT(out, Catch::Contains("deleted"));
}
