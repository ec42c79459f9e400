// Missions of API Engagement imported into the central catalogue: fictional fixtures written from
// the OpenAPI schema (tests/sync/fixtures/engagement/), real SQLite storage, the real mapping
// tables of assets/engagement/, a real HTTP server on 127.0.0.1 for --from-api.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/catalogue_import.hpp"
#include "import_fixture.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <httplib.h>

using namespace comptoir;
using namespace comptoir::sync::central;
using namespace comptoir::test;

namespace {

std::string fixture(const std::string& name) {
    return readFile(sourcePath("tests/sync/fixtures/engagement/" + name));
}

EngagementMappings tables() {
    std::string error;
    auto m = loadEngagementMappings(sourcePath("assets/engagement/domains.csv"),
                                    sourcePath("assets/engagement/neighbourhoods.csv"), error);
    if (!m) FAIL(error);
    return *m;
}

bool skippedWith(const SourceOffers& s, const std::string& missionId, const std::string& words) {
    for (const auto& i : s.skipped)
        if (i.where == "mission " + missionId && i.reason.find(words) != std::string::npos) return true;
    return false;
}

std::string q(const std::string& s) {
    return "'" + s + "'";
}

} // namespace

TEST_CASE("HTML descriptions become plain text: entities decoded, tags dropped, paragraphs kept, bounded") {
    CHECK(htmlToPlainText("<p>L&#39;&eacute;picerie&nbsp;ouvre</p><p>le mercredi &amp; le samedi.</p>",
                          1200) == "L'épicerie ouvre\n\nle mercredi & le samedi.");
    CHECK(htmlToPlainText("<ul><li>Accueillir</li><li>Ranger &#x26; trier</li></ul>", 1200) ==
          "- Accueillir\n- Ranger & trier");
    CHECK(htmlToPlainText("Avant<script>alert('<p>')</script><style>p{}</style> après", 1200) ==
          "Avant après");
    CHECK(htmlToPlainText("un<br/>deux <!-- <p>caché</p> --> trois", 1200) == "un\ndeux trois");
    CHECK(htmlToPlainText("&zorglub; &#0; &#xD800; &#1114112; &#65;", 1200) == "&zorglub; A");
    CHECK(htmlToPlainText("  espaces \t\n  en   trop  ", 1200) == "espaces en trop");
    CHECK(htmlToPlainText("texte <b non fermé", 1200) == "texte");
    std::string longText;
    for (int i = 0; i < 500; ++i)
        longText += "<p>mot&eacute; </p>";
    auto bounded = htmlToPlainText(longText, 100);
    CHECK(utf8Length(bounded) <= 100);
    CHECK(bounded.substr(bounded.size() - 3) == "…");
    CHECK(isValidUtf8(bounded));
}

TEST_CASE("missions map onto the catalogue's themes and neighbourhoods; the odd ones are listed") {
    TempDir dir;
    auto storage = demoStorage(dir);
    auto p1 = fixture("missions-page1.json"), p2 = fixture("missions-page2.json");
    auto fresh = mapEngagementDocuments({p1, p2}, currentCatalogue(*storage), tables());
    auto before = storage->catalogueVersion();
    auto summary = importSourceOffers(*storage, fresh);
    CHECK(summary.storage.version == before + 1);
    CHECK(summary.imported == 5);
    auto c = currentCatalogue(*storage);

    // Domain + activity, HTML, entities, minors, reduced mobility, places, schedule, the link.
    const Offer* epicerie = findOffer(c, "eng-6650a1b2c3d4e5f607080901");
    REQUIRE(epicerie);
    CHECK(epicerie->source == "engagement");
    CHECK(epicerie->title == "Distribuer des colis & accueillir les familles");
    CHECK(epicerie->description.find("L'épicerie fictive des Tilleuls accueille les familles le mercredi.") !=
          std::string::npos);
    CHECK(epicerie->description.find("- Accueillir « avec le sourire »\n- Ranger les rayons & préparer") !=
          std::string::npos);
    CHECK(epicerie->description.find("alert") == std::string::npos);
    CHECK(epicerie->description.find("&zorglub;") != std::string::npos);
    CHECK(epicerie->themeId == "solidarite");
    CHECK(epicerie->activityId == "aide-alimentaire");
    CHECK(epicerie->neighbourhoodId == "doutre");
    CHECK(epicerie->place == "14 rue Beaurepaire, 49100 Angers");
    CHECK(epicerie->minAge == 16);
    CHECK(epicerie->parentalAgreement);
    CHECK(epicerie->stepFree);
    CHECK(epicerie->placesWanted == 5);
    CHECK(epicerie->registrationOpen);
    CHECK(epicerie->rhythm == Rhythm::Regular);
    CHECK(epicerie->frequency == "weekly");
    CHECK(epicerie->toBeAgreed);
    CHECK(epicerie->schedule == "2 heures par semaine, le mercredi après-midi");
    CHECK(epicerie->applicationUrl == "https://www.example.org/missions/fictif-epicerie-001");
    CHECK(epicerie->skills == std::vector<std::string>{"Écoute", "Bonne humeur"});
    CHECK(epicerie->status == OfferStatus::Published);

    // Several addresses: the first one in the table places it; a javascript: link is dropped.
    const Offer* velo = findOffer(c, "eng-6650a1b2c3d4e5f607080903");
    REQUIRE(velo);
    CHECK(velo->neighbourhoodId == "belle-beille");
    CHECK(velo->activityId == "reparation-reemploi");
    CHECK(velo->frequency == "monthly");
    CHECK(velo->minAge == 18);
    CHECK_FALSE(velo->stepFree);
    CHECK(velo->applicationUrl.empty());
    CHECK(velo->description == "Réparer ensemble\nau lieu de jeter.");

    // Remote, no address: the table's "remote" neighbourhood, added to the catalogue.
    const Offer* appels = findOffer(c, "eng-6650a1b2c3d4e5f607080904");
    REQUIRE(appels);
    CHECK(appels->neighbourhoodId == "a-distance");
    CHECK(appels->themeId == "seniors");
    bool added = false;
    for (const auto& n : c.neighbourhoods)
        added = added || (n.id == "a-distance" && n.name == "À distance");
    CHECK(added);

    // places: 0 -> shown, registration closed; "zip" as in the schema's example.
    const Offer* buvette = findOffer(c, "eng-6650a1b2c3d4e5f607080905");
    REQUIRE(buvette);
    CHECK(buvette->placesWanted == 0);
    CHECK_FALSE(buvette->registrationOpen);
    CHECK(buvette->neighbourhoodId == "doutre");
    // The same organisation (same RNA) is one organisation.
    CHECK(buvette->organisationId == epicerie->organisationId);
    const Offer* musee = findOffer(c, "eng-6650a1b2c3d4e5f607080909");
    REQUIRE(musee);
    CHECK(musee->neighbourhoodId == "justices");
    CHECK(musee->frequency == "fortnightly");
    for (const auto& o : c.organisations)
        if (o.id == musee->organisationId) CHECK(o.kind == OrganisationKind::CityService);

    CHECK(skippedWith(fresh, "6650a1b2c3d4e5f607080902", "no address"));
    CHECK(skippedWith(fresh, "6650a1b2c3d4e5f607080906", "cuisine-moleculaire"));
    CHECK(skippedWith(fresh, "6650a1b2c3d4e5f607080907", "REFUSED"));
    CHECK(skippedWith(fresh, "6650a1b2c3d4e5f607080908", "field 'title' must be text"));
    // The demo catalogue's own offers are untouched.
    CHECK(findOffer(c, "off-0001"));
    CHECK(findOffer(c, "off-0001")->status == OfferStatus::Published);
}

TEST_CASE(
    "a later import closes missions gone from the platform, keeps unreadable ones, and kiosks pull it") {
    TempDir dir;
    auto storage = demoStorage(dir);
    auto p1 = fixture("missions-page1.json"), p2 = fixture("missions-page2.json");
    (void)importSourceOffers(*storage,
                             mapEngagementDocuments({p1, p2}, currentCatalogue(*storage), tables()));
    auto v1 = storage->catalogueVersion();

    // Importing the same missions again changes nothing: no new version for the kiosks.
    auto again =
        importSourceOffers(*storage, mapEngagementDocuments({p1, p2}, currentCatalogue(*storage), tables()));
    CHECK(again.storage.changed == 0);
    CHECK(storage->catalogueVersion() == v1);

    // The museum outing (page 2) is gone; the velo workshop's title becomes unreadable.
    auto gone = nlohmann::json::parse(p1);
    gone["data"][2]["title"] = nlohmann::json::array({"pas", "du", "texte"});
    std::string p1b = gone.dump();
    auto s =
        importSourceOffers(*storage, mapEngagementDocuments({p1b}, currentCatalogue(*storage), tables()));
    CHECK(s.closed == 1);
    CHECK(s.kept == 1);
    CHECK(storage->catalogueVersion() == v1 + 1);
    auto c = currentCatalogue(*storage);
    const Offer* musee = findOffer(c, "eng-6650a1b2c3d4e5f607080909");
    REQUIRE(musee); // closed, not deleted
    CHECK(musee->status == OfferStatus::Archived);
    CHECK_FALSE(musee->registrationOpen);
    REQUIRE(findOffer(c, "eng-6650a1b2c3d4e5f607080903"));
    CHECK(findOffer(c, "eng-6650a1b2c3d4e5f607080903")->status == OfferStatus::Published);
    // The delta since v1 carries the closed offer to the kiosks, in the format they read.
    auto delta = nlohmann::json::parse(storage->catalogueDelta(v1));
    bool closedInDelta = false;
    for (const auto& o : delta["offers"])
        closedInDelta =
            closedInDelta || (o["id"] == "eng-6650a1b2c3d4e5f607080909" && o["status"] == "archived");
    CHECK(closedInDelta);

    // A file with no mission at all would close everything: refused unless asked for.
    std::string empty = R"({"ok":true,"total":0,"data":[]})";
    CHECK_THROWS_AS(
        importSourceOffers(*storage, mapEngagementDocuments({empty}, currentCatalogue(*storage), tables())),
        CatalogueImportRefused);
    CHECK(storage->catalogueVersion() == v1 + 1);
}

TEST_CASE("hostile mission documents are refused whole, and nothing changes") {
    TempDir dir;
    auto storage = demoStorage(dir);
    auto base = currentCatalogue(*storage);
    auto m = tables();
    auto version = storage->catalogueVersion();
    std::string deep = R"({"data":[)" + std::string(100, '[') + std::string(100, ']') + "]}";
    for (const std::string& bad :
         {std::string("not json"), std::string("[]"), std::string(R"({"data":{}})"),
          std::string(R"({"ok":false,"data":[]})"), std::string(R"({"data":[1]})"), deep}) {
        CHECK_THROWS_AS(mapEngagementDocuments({bad}, base, m), CatalogueImportRefused);
    }
    EngagementLimits small;
    small.maxMissions = 3;
    auto p1 = fixture("missions-page1.json");
    CHECK_THROWS_WITH(mapEngagementDocuments({p1}, base, m, small), Catch::Contains("more than 3 missions"));
    small = {};
    small.maxDocumentBytes = 1000;
    CHECK_THROWS_WITH(mapEngagementDocuments({p1}, base, m, small), Catch::Contains("larger than"));
    // A huge string in one mission: that mission is refused, the others are read.
    auto doc = nlohmann::json::parse(p1);
    doc["data"][0]["description"] = std::string(1 << 20, 'a');
    std::string huge = doc.dump();
    auto fresh = mapEngagementDocuments({huge}, base, m);
    CHECK(skippedWith(fresh, "6650a1b2c3d4e5f607080901", "longer than"));
    CHECK(fresh.offers.size() == 3);
    // A mapping table naming a theme the catalogue lacks stops the import before any mission.
    auto wrong = m;
    wrong.domains.push_back({"sport", "", "theme-inconnu", "x"});
    CHECK_THROWS_WITH(mapEngagementDocuments({p1}, base, wrong), Catch::Contains("theme-inconnu"));
    CHECK(storage->catalogueVersion() == version);
}

namespace {

/// A stand-in for API Engagement on 127.0.0.1: the fixture missions paged by `limit` and
/// `skip` as the API does, behind a key. `total` is how many it serves (more than it has: it
/// repeats them, as an API that never ends); `claimed` what it says in `total`, when it lies.
struct FakeApi {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<int> requests{0};
    std::string lastQuery;
    std::mutex mutex;
    explicit FakeApi(std::size_t total = 9, std::optional<std::size_t> claimed = std::nullopt) {
        auto missions = nlohmann::json::parse(fixture("missions-page1.json"))["data"];
        auto page2 = nlohmann::json::parse(fixture("missions-page2.json"));
        for (const auto& m : page2["data"])
            missions.push_back(m);
        server.Get("/v0/mission",
                   [this, missions, total, claimed](const httplib::Request& req, httplib::Response& res) {
                       ++requests;
                       {
                           std::lock_guard lock(mutex);
                           lastQuery = req.get_param_value("city");
                       }
                       if (req.get_header_value("x-api-key") != "cle-fictive-123") {
                           res.status = 401;
                           res.set_content(R"({"ok":false,"code":"UNAUTHORIZED"})", "application/json");
                           return;
                       }
                       auto limit = std::stoul(req.get_param_value("limit"));
                       auto skip = std::stoul(req.get_param_value("skip"));
                       nlohmann::json data = nlohmann::json::array();
                       for (std::size_t j = skip; j < std::min(skip + limit, total); ++j)
                           data.push_back(missions[j % missions.size()]);
                       nlohmann::json page = {
                           {"ok", true}, {"total", total}, {"limit", limit}, {"skip", skip}, {"data", data}};
                       res.set_content(page.dump(), "application/json");
                   });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        // stop() before the loop runs would leave it running: wait until it does.
        while (!server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~FakeApi() {
        server.stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

} // namespace

TEST_CASE("--from-api fetches the pages with the key, bounded; a refused key or an endless API stops it") {
    FakeApi api;
    EngagementFetchOptions o;
    o.baseUrl = api.url();
    o.apiKey = "cle-fictive-123";
    o.pageSize = 5;
    auto pages = fetchEngagementPages(o);
    CHECK(pages.size() == 2);
    CHECK(api.lastQuery == "Angers");

    // A `total` too small does not stop the paging: the missions after it would be closed.
    FakeApi lying(9, 2);
    o.baseUrl = lying.url();
    CHECK(fetchEngagementPages(o).size() == 2);
    o.baseUrl = api.url();

    o.apiKey = "mauvaise-cle";
    CHECK_THROWS_WITH(fetchEngagementPages(o), Catch::Contains("refused the key"));

    FakeApi endless(1'000'000);
    o.baseUrl = endless.url();
    o.apiKey = "cle-fictive-123";
    o.maxPages = 4;
    CHECK_THROWS_WITH(fetchEngagementPages(o), Catch::Contains("more than 4 pages"));
    CHECK(endless.requests == 4);

    // The key never crosses the network in clear, except to a test server on loopback.
    o.baseUrl = "http://api.example.org";
    CHECK_THROWS_WITH(fetchEngagementPages(o), Catch::Contains("https://"));
    o.maxPageBytes = 100;
    o.baseUrl = api.url();
    CHECK_THROWS_WITH(fetchEngagementPages(o), Catch::Contains("page 1: network"));
}

TEST_CASE("comptoir-central imports missions from files and from the API, beside the CCAS's sheet") {
    TempDir dir;
    { auto storage = demoStorage(dir); }
    std::string central = binaryPath("sync/comptoir-central") + " catalogue ";
    std::string db = " --db " + q(dir.file("central.db"));
    std::string out;
    REQUIRE(runCommand(central + "import-sheet" + db + " " +
                           q(sourcePath("assets/catalogue/offres-ccas.example.csv")),
                       out) == 0);
    CHECK_THAT(out, Catch::Contains("3 offers from the sheet"));
    REQUIRE(runCommand(central + "import-engagement" + db + " " +
                           q(sourcePath("tests/sync/fixtures/engagement/missions-page1.json")),
                       out) == 0);
    CHECK_THAT(out, Catch::Contains("4 offers from API Engagement") &&
                        Catch::Contains("skipped mission 6650a1b2c3d4e5f607080902"));

    FakeApi api;
    writeFile(dir.file("api-key"), "cle-fictive-123\n");
    REQUIRE(runCommand(central + "import-engagement --from-api" + db + " --api-key-file " +
                           q(dir.file("api-key")) + " --api-url " + api.url(),
                       out) == 0);
    CHECK_THAT(out, Catch::Contains("5 offers from API Engagement"));
    CHECK(out.find("cle-fictive-123") == std::string::npos);

    // Both sources sit side by side: the engagement import left the sheet's offers alone.
    auto storage = openSqliteStorage(dir.file("central.db"));
    auto c = currentCatalogue(*storage);
    REQUIRE(findOffer(c, "ccas-petit-dej-solidaire"));
    CHECK(findOffer(c, "ccas-petit-dej-solidaire")->status == OfferStatus::Published);
    CHECK(findOffer(c, "eng-6650a1b2c3d4e5f607080909"));

    writeFile(dir.file("deep.json"), std::string(10'000, '['));
    CHECK(runCommand(central + "import-engagement" + db + " " + q(dir.file("deep.json")), out) == 1);
    CHECK_THAT(out, Catch::Contains("nothing changed"));
}

TEST_CASE("a kiosk reads the imported offers' extra fields, and drops values it cannot use without losing "
          "the offer") {
    auto doc = nlohmann::json::parse(readFile(sourcePath("assets/catalogue/demo.json")));
    auto& offers = doc["offers"];
    offers[0]["source"] = "engagement";
    offers[0]["application_url"] = "https://www.example.org/missions/1";
    offers[0]["schedule"] = "2 heures par semaine";
    offers[1]["source"] = "Pas Un Id !";
    offers[1]["application_url"] = "javascript:alert(1)";
    offers[1]["schedule"] = std::string(300, 'x');
    offers[2]["application_url"] = 42;
    auto parsed = parseCatalogue(doc.dump());
    REQUIRE(parsed.ok);
    CHECK(parsed.issues.empty());
    REQUIRE(parsed.catalogue.offers.size() == doc["offers"].size());
    const auto& first = parsed.catalogue.offers[0];
    CHECK(first.source == "engagement");
    CHECK(first.applicationUrl == "https://www.example.org/missions/1");
    CHECK(first.schedule == "2 heures par semaine");
    CHECK(parsed.catalogue.offers[1].source.empty());
    CHECK(parsed.catalogue.offers[1].applicationUrl.empty());
    CHECK(parsed.catalogue.offers[1].schedule.empty());
    // They travel: written back only when set, so other catalogues keep their exact text.
    auto again = parseCatalogue(serialiseCatalogue(parsed.catalogue));
    CHECK(again.catalogue.offers[0].applicationUrl == first.applicationUrl);
    CHECK(offerToJson(parsed.catalogue.offers[3]).count("source") == 0);
}
