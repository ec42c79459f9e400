// Indicators across kiosks: the storage's rows, `comptoir-central indicators` (CSV, JSON), the
// accounts of the page, and `GET /indicators` on a real server on 127.0.0.1, down to a real
// browser (Debian's chromium, headless) for the [browser] case.
#include "central_backends.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/sync/central_indicators.hpp"
#include "indicators_dataset.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <httplib.h>
#include <regex>
#include <sodium.h>

using namespace comptoir;
using namespace comptoir::test;
using namespace comptoir::sync::central;
using nlohmann::json;

namespace {

std::string central() {
    return binaryPath("sync/comptoir-central");
}
std::string q(const std::string& s) {
    return "'" + s + "'";
}

const char* kPassword = "Tournesol-Doutre-2026";

/// A new database of `backend`: a file in `dir`, or one of the throwaway cluster.
std::string newDatabase(Backend backend, const TempDir& dir) {
    return backend == Backend::Postgres ? newPostgresDatabase() : dir.file("central.db");
}

/// The known dataset in a database of `backend`, and an account made by the command an operator
/// runs.
struct Fixture {
    TempDir dir;
    std::string db;
    std::unique_ptr<CentralStorage> storage;
    explicit Fixture(Backend backend = Backend::Sqlite)
        : db(newDatabase(backend, dir)), storage(openStorage(db)) {
        feedKnownDataset(*storage);
        std::string out;
        int rc = runCommand("printf '%s\\n' " + q(kPassword) + " | " + central() + " admin-user add --db " +
                                q(db) + " --name accueil.ccas",
                            out);
        if (rc != 0) throw std::runtime_error("admin-user add failed: " + out);
    }
};

std::string basic(const std::string& name, const std::string& password) {
    std::string raw = name + ":" + password;
    std::string b64(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    b64.resize(b64.find('\0'));
    return "Basic " + b64;
}

/// The text of the element tagged data-row / data-figure (or only data-figure), "" when absent.
std::string figure(const std::string& html, const std::string& figureId, const std::string& row = {}) {
    std::string pattern = row.empty() ? "data-figure=\"" + figureId + "\">([^<]*)<"
                                      : "data-row=\"" + row + "\" data-figure=\"" + figureId + "\">([^<]*)<";
    std::smatch m;
    if (!std::regex_search(html, m, std::regex(pattern))) return "";
    return m[1];
}

const json* jsonRow(const json& doc, const std::string& period, const std::string& group,
                    const std::string& key = {}) {
    for (const auto& r : doc["rows"])
        if ((period.empty() ? r["period"].is_null() : r["period"] == period) && r["group"] == group &&
            r["key"] == key)
            return &r;
    return nullptr;
}

} // namespace

TEST_CASE("the storage gives the indicators every kiosk's records, with the kiosks' own definitions") {
    TempDir dir;
    const Backend backend = CENTRAL_BACKEND();
    INFO(backendName(backend));
    auto storage = openStorage(newDatabase(backend, dir));
    feedKnownDataset(*storage);
    auto in = storage->indicatorInput();
    CHECK(in.interests.size() == 7);
    CHECK(in.introductions.size() == 5);
    CHECK(in.hours.size() == 3);
    CHECK(in.feedback.size() == 3);
    CHECK(std::count_if(in.interests.begin(), in.interests.end(), [](const auto& r) { return r.closed; }) ==
          1);
    // An introduction is dated by its first event, even when that event arrived last.
    CHECK(std::count_if(in.introductions.begin(), in.introductions.end(), [](const auto& n) {
              return n.createdOn == "2026-10-07" && n.status == IntroStatus::Started &&
                     n.offerId == "off-0001" && n.kioskId == kKioskA;
          }) == 1);

    IndicatorQuery query;
    query.groupings = {Dimension::Kiosk, Dimension::Theme};
    query.range = {"2026-10-01", "2026-11-30"};
    auto report = computeReport(*storage, query);
    const auto* now = report.byPeriod.find("", Dimension::All);
    REQUIRE(now);
    CHECK(now->openOffers == 2); // off-0002 marked full on site, off-0006 taken, off-0008 paused
    CHECK(now->partnerOrganisations == 2);
    const auto* oct = report.byPeriod.find("2026-10", Dimension::All);
    REQUIRE(oct);
    CHECK(oct->participations == 2);
    CHECK(oct->citizensEngaged == 2);
    CHECK(oct->citizensReady == 1);
    CHECK(oct->hours == Approx(7.5));
    CHECK(oct->noShows == 1);
    CHECK(oct->noShowBase == 3);
    const auto* total = report.total.find("total", Dimension::All);
    REQUIRE(total);
    CHECK(total->participations == 4);
    CHECK(total->citizensReady == 4);
    CHECK(total->hours == Approx(9.5));
    const auto* a = report.total.find("total", Dimension::Kiosk, kKioskA);
    REQUIRE(a);
    CHECK(a->participations == 2);
    CHECK(a->citizensEngaged == 1);
    CHECK(a->citizensReady == 2);
    CHECK(a->hours == Approx(5.5));
    CHECK(a->noShowBase == 2);
    // Neighbourhood rows were not asked for.
    for (const auto& r : report.byPeriod.rows)
        CHECK(r.dimension != Dimension::Neighbourhood);
    CHECK(report.label(Dimension::Theme, "solidarite") == "Solidarité");
}

TEST_CASE(
    "comptoir-central indicators writes CSV for a French spreadsheet and JSON, and refuses bad options") {
    TempDir dir;
    const Backend backend = CENTRAL_BACKEND();
    INFO(backendName(backend));
    const std::string db = newDatabase(backend, dir);
    {
        auto storage = openStorage(db);
        feedKnownDataset(*storage);
    }
    std::string out;
    REQUIRE(runCommand(central() + " indicators --db " + q(db) +
                           " --from 2026-10-01 --to 2026-11-30 --by kiosk --format json",
                       out) == 0);
    auto doc = json::parse(out);
    CHECK(doc["period"] == "month");
    const auto* nov = jsonRow(doc, "2026-11", "all");
    REQUIRE(nov);
    CHECK((*nov)["participations"] == 2);
    CHECK((*nov)["citizens_ready"] == 3);
    CHECK((*nov)["hours"].get<double>() == Approx(2));
    CHECK((*nov)["feedback_average"].get<double>() == Approx(2.5));
    const auto* b = jsonRow(doc, "2026-11", "kiosk", kKioskB);
    REQUIRE(b);
    CHECK((*b)["participations"] == 1);
    CHECK((*b)["citizens_ready"] == 2);
    CHECK((*jsonRow(doc, "", "all"))["open_offers"] == 2);
    CHECK_FALSE(jsonRow(doc, "2026-11", "theme", "solidarite")); // not asked for

    REQUIRE(runCommand(central() + " indicators --db " + q(db) + " --by week --by theme --out " +
                           q(dir.file("ind.csv")),
                       out) == 0);
    auto csv = readFile(dir.file("ind.csv"));
    CHECK(csv.rfind("\xEF\xBB\xBF"
                    "Période;",
                    0) == 0);
    CHECK(csv.find("\r\n2026-W41;Tout;;1;;1;1;1;0;1;50;1;4\r\n") != std::string::npos); // 5 to 11 Oct
    CHECK(csv.find(";Thème;Solidarité;") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("ind.csv.partial")));

    CHECK(runCommand(central() + " indicators --db " + q(db) + " --by year", out) == 2);
    CHECK_THAT(out, Catch::Contains("--by is week, month"));
    CHECK(runCommand(central() + " indicators --db " + q(db) + " --from 2026-02-30", out) == 2);
    CHECK(runCommand(central() + " indicators --db " + q(db) + " --from 2026-11-01 --to 2026-10-01", out) ==
          2);
    CHECK_THAT(out, Catch::Contains("--from comes after --to"));
    CHECK(runCommand(central() + " indicators --db " + q(db) + " --format xml", out) == 2);
}

TEST_CASE("admin-user keeps only an Argon2id hash, refuses weak passwords and bad names; list and remove") {
    TempDir dir;
    const Backend backend = CENTRAL_BACKEND();
    INFO(backendName(backend));
    const std::string path = newDatabase(backend, dir);
    std::string db = " --create --db " + q(path);
    std::string out;
    CHECK(runCommand("printf 'court\\n' | " + central() + " admin-user add" + db + " --name elu", out) == 2);
    CHECK_THAT(out, Catch::Contains("at least 12"));
    CHECK(runCommand("printf '%s\\n' " + q(kPassword) + " | " + central() + " admin-user add" + db +
                         " --name 'Élu Un'",
                     out) == 2);
    REQUIRE(runCommand("printf '%s\\n' " + q(kPassword) + " | " + central() + " admin-user add" + db +
                           " --name elu",
                       out) == 0);
    auto storage = openStorage(path);
    auto hash = storage->adminPasswordHash("elu");
    REQUIRE(hash);
    CHECK(hash->rfind("$argon2id$", 0) == 0);
    CHECK(hash->find(kPassword) == std::string::npos);
    CHECK(runCommand(central() + " admin-user list" + db, out) == 0);
    CHECK_THAT(out, Catch::Contains("elu\t"));
    CHECK(runCommand(central() + " admin-user remove" + db + " --name elu", out) == 0);
    CHECK_FALSE(storage->adminPasswordHash("elu"));
    CHECK(runCommand(central() + " admin-user remove" + db + " --name elu", out) == 1);
}

TEST_CASE("GET /indicators: its own accounts, bounded query, exact figures in the HTML") {
    const Backend backend = CENTRAL_BACKEND();
    INFO(backendName(backend));
    Fixture f(backend);
    CentralServer server(*f.storage, {});
    REQUIRE(server.start());
    httplib::Client http("127.0.0.1", server.port());
    const std::string page = "/indicators?period=month&by=kiosk&from=2026-10-01&to=2026-11-30";

    // No account, a wrong password, an unknown name, a kiosk's token: 401, nothing shown.
    auto token = f.storage->createKioskToken(kKioskA);
    for (const auto& auth :
         {std::string(), basic("accueil.ccas", "Tournesol-Doutre-2025"), basic("inconnu", kPassword),
          "Bearer " + token, std::string("Basic %%%"), "Basic " + std::string(3000, 'A')}) {
        httplib::Headers h;
        if (!auth.empty()) h.emplace("Authorization", auth);
        auto res = http.Get(page.c_str(), h);
        REQUIRE(res);
        CHECK(res->status == 401);
        CHECK_THAT(res->get_header_value("WWW-Authenticate"), Catch::StartsWith("Basic"));
        CHECK_THAT(res->body, Catch::Contains("Accès réservé"));
        CHECK(res->body.find("data-figure") == std::string::npos);
    }

    httplib::Headers ok{{"Authorization", basic("accueil.ccas", kPassword)}};
    auto res = http.Get(page.c_str(), ok);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
    CHECK_THAT(res->get_header_value("Content-Security-Policy"), Catch::Contains("default-src 'none'"));
    const auto& html = res->body;
    CHECK(html.find("<script") == std::string::npos);
    CHECK(figure(html, "open_offers") == "2");
    CHECK(figure(html, "partners") == "2");
    CHECK(figure(html, "participations") == "4");
    CHECK(figure(html, "engaged") == "2");
    CHECK(figure(html, "ready") == "4");
    CHECK(figure(html, "hours") == "9,5");
    CHECK(figure(html, "no_show_rate") == "33,3\u00A0%");
    CHECK(figure(html, "feedback") == "3");
    CHECK(figure(html, "participations", "2026-10") == "2");
    CHECK(figure(html, "hours", "2026-10") == "7,5");
    CHECK(figure(html, "ready", "2026-11") == "3");
    CHECK(figure(html, "participations", std::string("kiosk:") + kKioskA) == "2");
    CHECK(figure(html, "hours", std::string("kiosk:") + kKioskB) == "4");
    CHECK(figure(html, "no_show_rate", std::string("kiosk:") + kKioskA) == "50\u00A0%");
    CHECK(std::count(html.begin(), html.end(), '<') > 100);
    CHECK_THAT(html, Catch::Contains("<svg class=\"chart\" id=\"chart-participations\""));

    // The charts have a bar group for every period of the range, empty ones and short ones too.
    auto months = http.Get("/indicators?from=2026-10-31&to=2026-12-15", ok);
    REQUIRE(months);
    REQUIRE(months->status == 200);
    auto chart = months->body.substr(months->body.find("id=\"chart-participations\""));
    chart = chart.substr(0, chart.find("</svg>"));
    for (const char* label : {">oct. 2026<", ">nov. 2026<", ">déc. 2026<"})
        CHECK_THAT(chart, Catch::Contains(label));
    // Without a range: the last 12 months up to today.
    auto recent = http.Get("/indicators", ok);
    REQUIRE(recent);
    REQUIRE(recent->status == 200);
    chart = recent->body.substr(recent->body.find("id=\"chart-participations\""));
    chart = chart.substr(0, chart.find("</svg>"));
    std::size_t groups = 0;
    for (auto p = chart.find("class=\"period\""); p != std::string::npos;
         p = chart.find("class=\"period\"", p + 1))
        ++groups;
    CHECK(groups == 12);

    // Hostile or mistaken queries: refused with a plain French page, never computed.
    for (const std::string& bad :
         {std::string("/indicators?period=year"), std::string("/indicators?by=organisation"),
          std::string("/indicators?from=2026-02-30"), std::string("/indicators?from=2019-12-31"),
          std::string("/indicators?from=2026-11-01&to=2026-10-01"), std::string("/indicators?debug=1"),
          "/indicators?from=" + std::string(300, '9'),
          std::string("/indicators?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9"),
          std::string("/indicators?by=%3Cscript%3E")}) {
        auto r = http.Get(bad.c_str(), ok);
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK_THAT(r->body, Catch::Contains("<h1>Cette demande n&#39;est pas comprise</h1>"));
        CHECK(r->body.find("<script>") == std::string::npos);
    }
    auto post = http.Post("/indicators", ok, "x", "text/plain");
    REQUIRE(post);
    CHECK(post->status == 405);

    // A removed account is refused at once, even just after a success.
    REQUIRE(f.storage->removeAdminUser("accueil.ccas"));
    auto gone = http.Get(page.c_str(), ok);
    REQUIRE(gone);
    CHECK(gone->status == 401);
    server.stop();
}

TEST_CASE("the indicators page in a real browser: figures in the DOM, a screenshot that is not blank",
          "[browser]") {
    Fixture f;
    CentralServer server(*f.storage, {});
    REQUIRE(server.start());
    std::string url = "http://accueil.ccas:" + std::string(kPassword) +
                      "@127.0.0.1:" + std::to_string(server.port()) +
                      "/indicators?period=month&by=kiosk&from=2026-10-01&to=2026-11-30";
    std::string common =
        "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --lang=fr-FR "
        "--disable-extensions --user-data-dir=" +
        q(f.dir.file("profile")) + " ";
    std::string dom;
    REQUIRE(runCommand(common + "--dump-dom " + q(url) + " 2>/dev/null", dom) == 0);
    CHECK(figure(dom, "participations") == "4");
    CHECK(figure(dom, "ready") == "4");
    CHECK(figure(dom, "hours") == "9,5");
    CHECK(figure(dom, "participations", "2026-10") == "2");
    CHECK(figure(dom, "participations", std::string("kiosk:") + kKioskB) == "2");

    std::string png = f.dir.file("indicators.png");
    std::string out;
    REQUIRE(runCommand(common + "--window-size=1440,1700 --screenshot=" + q(png) + " " + q(url), out) == 0);
    auto bytes = readFile(png);
    REQUIRE(bytes.size() > 8);
    CHECK(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    // A blank page compresses to a few kilobytes; figures, charts and tables do not.
    CHECK(bytes.size() > 60'000);
    // Kept for the documentation when asked (scripts/screenshots-central).
    if (const char* keep = std::getenv("COMPTOIR_KEEP_SCREENSHOT"); keep && *keep)
        std::filesystem::copy_file(png, keep, std::filesystem::copy_options::overwrite_existing);
    server.stop();
}

namespace {

// One kiosk's records as the previous release stored them (the same rows on both backends): an
// introduction whose events arrived latest first, one with no event kept, an offer closed on site
// whose older "open" event arrived after the closing one.
const char* kPreviousReleaseRows = R"sql(
INSERT INTO meta VALUES ('catalogue_version', '0'), ('catalogue_id', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
INSERT INTO registration VALUES ('0190a1b2-0000-7000-8000-000000000001', 'kiosk-a', 'REF-1', 'off-0001', 'Mission',
  'any', 1, '2026-09-01T10:00:00.000Z', 'c2NlbGzDqQ==', '0190a1b2-0000-7000-8000-0000000000e1');
INSERT INTO registration VALUES ('0190a1b2-0000-7000-8000-000000000002', 'kiosk-a', 'REF-2', 'off-0003', 'Mission',
  'any', 1, '2026-09-02T10:00:00.000Z', '', '0190a1b2-0000-7000-8000-0000000000e2');
INSERT INTO event VALUES ('0190a1b2-0000-7000-8000-0000000000e3', 'kiosk-a', 'introduction.updated', 1,
  '2026-09-09T10:00:00.000Z', '2026-09-10T00:00:00.000Z',
  '{"introduction_id":"0190a1b2-0000-7000-8000-0000000000a1","interest_id":"0190a1b2-0000-7000-8000-000000000001","offer_id":"off-0002","organisation_id":"org-table-ouverte","status":"started","reason":"","updated_at":"2026-09-09T10:00:00.000Z"}');
INSERT INTO event VALUES ('0190a1b2-0000-7000-8000-0000000000e4', 'kiosk-a', 'introduction.created', 1,
  '2026-09-03T10:00:00.000Z', '2026-09-10T00:00:00.000Z',
  '{"introduction_id":"0190a1b2-0000-7000-8000-0000000000a1","interest_id":"0190a1b2-0000-7000-8000-000000000001","offer_id":"off-0002","organisation_id":"org-table-ouverte","status":"proposed","reason":"","updated_at":"2026-09-03T10:00:00.000Z"}');
INSERT INTO introduction VALUES ('0190a1b2-0000-7000-8000-0000000000a1', 'kiosk-a', '0190a1b2-0000-7000-8000-000000000001',
  'org-table-ouverte', 'started', '', '2026-09-09T10:00:00.000Z');
INSERT INTO introduction VALUES ('0190a1b2-0000-7000-8000-0000000000a2', 'kiosk-a', '0190a1b2-0000-7000-8000-000000000002',
  'org-table-ouverte', 'proposed', '', '2026-09-05T10:00:00.000Z');
INSERT INTO event VALUES ('0190a1b2-0000-7000-8000-0000000000e5', 'kiosk-a', 'offer.state_changed', 1,
  '2026-09-06T10:00:00.000Z', '2026-09-10T00:00:00.000Z',
  '{"offer_id":"off-0003","state":"closed","changed_at":"2026-09-06T10:00:00.000Z"}');
INSERT INTO event VALUES ('0190a1b2-0000-7000-8000-0000000000e6', 'kiosk-a', 'offer.state_changed', 1,
  '2026-09-04T10:00:00.000Z', '2026-09-10T00:00:00.000Z',
  '{"offer_id":"off-0003","state":"open","changed_at":"2026-09-04T10:00:00.000Z"}');
)sql";

/// What the upgrade must have filled in from kPreviousReleaseRows, on either backend.
void checkPreviousReleaseUpgraded(CentralStorage& storage) {
    (void)importTestCatalogue(storage);
    auto in = storage.indicatorInput();
    CHECK(in.interests.size() == 2); // the rows were kept
    REQUIRE(in.introductions.size() == 2);
    for (const auto& n : in.introductions) {
        if (n.id.ends_with("a1")) {
            CHECK(n.createdOn == "2026-09-03"); // its first event, not its latest
            CHECK(n.offerId == "off-0002");     // as the kiosk sent it
        } else {
            CHECK(n.createdOn == "2026-09-05"); // no event kept: its last update
            CHECK(n.offerId == "off-0003");     // the registration's
        }
    }
    CHECK(std::count_if(in.interests.begin(), in.interests.end(), [](const auto& r) { return r.closed; }) ==
          1);
    // off-0003 was closed on site before the upgrade (its latest state, not the last to arrive).
    for (const auto& o : in.offers)
        if (o.id == "off-0003") CHECK_FALSE(o.open);
    // The sealed contact details came through the upgrade unchanged.
    std::vector<std::string> sealed;
    storage.forEachSealedRecord([&](const SealedRecord& r) { sealed.push_back(r.personalSealed); });
    CHECK(std::count(sealed.begin(), sealed.end(), "c2NlbGzDqQ==") == 1);
}

} // namespace

TEST_CASE(
    "a database of the previous release gets its introductions' dates and offers from the stored events") {
    TempDir dir;
    {
        // Schema version 2 as the previous release wrote it.
        auto db = store::Database::open(dir.file("central.db"));
        db.exec(std::string(R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE kiosk (kiosk_id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE event (event_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, payload TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE registration (interest_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, reference TEXT NOT NULL,
  offer_id TEXT NOT NULL, offer_title TEXT NOT NULL, preferred_moment TEXT NOT NULL, consent_version INTEGER NOT NULL,
  created_at TEXT NOT NULL, personal_sealed TEXT NOT NULL, event_id TEXT NOT NULL);
CREATE TABLE callback (callback_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, reference TEXT NOT NULL,
  recontact_after TEXT NOT NULL, consent_version INTEGER NOT NULL, created_at TEXT NOT NULL,
  personal_sealed TEXT NOT NULL, event_id TEXT NOT NULL);
CREATE TABLE feedback (feedback_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, context TEXT NOT NULL,
  score INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE introduction (introduction_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, interest_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE hours (hours_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, introduction_id TEXT NOT NULL,
  hours REAL NOT NULL, done_on TEXT NOT NULL);
CREATE TABLE cat_entity (kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE TABLE media (sha256 TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BLOB NOT NULL, version INTEGER NOT NULL);
PRAGMA user_version = 2;
)sql") + kPreviousReleaseRows,
                "make a database of the previous release");
    }
    auto storage = openSqliteStorage(dir.file("central.db"));
    checkPreviousReleaseUpgraded(*storage);
}

#ifdef COMPTOIR_TEST_POSTGRES
TEST_CASE("a PostgreSQL database of schema version 1 is migrated with its introductions and offers filled in",
          "[postgres]") {
    const std::string db = newPostgresDatabase();
    // Version 1 as the first PostgreSQL release wrote it: a frozen copy of its migration step 1
    // (not the step itself, so that an edit of a shipped step fails here).
    execSql(db, std::string(R"sql(
CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
INSERT INTO schema_migration VALUES (1, '2026-09-01T00:00:00.000Z');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE kiosk (
  kiosk_id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE event (
  event_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, payload TEXT NOT NULL);
CREATE TABLE registration (
  interest_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, reference TEXT NOT NULL, offer_id TEXT NOT NULL,
  offer_title TEXT NOT NULL, preferred_moment TEXT NOT NULL, consent_version INTEGER NOT NULL,
  created_at TEXT NOT NULL, personal_sealed TEXT NOT NULL, event_id TEXT NOT NULL);
CREATE TABLE callback (
  callback_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, reference TEXT NOT NULL, recontact_after TEXT NOT NULL,
  consent_version INTEGER NOT NULL, created_at TEXT NOT NULL, personal_sealed TEXT NOT NULL, event_id TEXT NOT NULL);
CREATE TABLE feedback (
  feedback_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, context TEXT NOT NULL, score INTEGER NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE introduction (
  introduction_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, interest_id TEXT NOT NULL, organisation_id TEXT NOT NULL,
  status TEXT NOT NULL, reason TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE hours (
  hours_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, introduction_id TEXT NOT NULL, hours DOUBLE PRECISION NOT NULL,
  done_on TEXT NOT NULL);
CREATE TABLE cat_entity (
  kind TEXT NOT NULL, id TEXT NOT NULL, version BIGINT NOT NULL, position BIGINT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX cat_entity_version ON cat_entity(version);
CREATE TABLE media (
  sha256 TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BYTEA NOT NULL, version BIGINT NOT NULL);
)sql") + kPreviousReleaseRows);
    auto storage = openStorage(db);
    CHECK(queryInt(db, "SELECT MAX(version) FROM schema_migration") ==
          3); // every step since, the call-backs' follow-up (3) included
    checkPreviousReleaseUpgraded(*storage);
}
#endif
