// Indicators across kiosks: the storage's rows, `comptoir-central indicators` (CSV, JSON), the
// accounts of the page, and `GET /indicators` on a real server on 127.0.0.1, down to a real
// browser (Debian's chromium, headless) for the [browser] case.
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

/// The known dataset in a database file, and an account made by the command an operator runs.
struct Fixture {
    TempDir dir;
    std::string db = dir.file("central.db");
    std::unique_ptr<CentralStorage> storage = openSqliteStorage(db);
    Fixture() {
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
    auto storage = openSqliteStorage(dir.file("central.db"));
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
              return n.createdOn == "2026-10-07T10:00:00.000Z" && n.status == IntroStatus::Started &&
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
    std::string db = dir.file("central.db");
    {
        auto storage = openSqliteStorage(db);
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
    std::string db = " --create --db " + q(dir.file("central.db"));
    std::string out;
    CHECK(runCommand("printf 'court\\n' | " + central() + " admin-user add" + db + " --name elu", out) == 2);
    CHECK_THAT(out, Catch::Contains("at least 12"));
    CHECK(runCommand("printf '%s\\n' " + q(kPassword) + " | " + central() + " admin-user add" + db +
                         " --name 'Élu Un'",
                     out) == 2);
    REQUIRE(runCommand("printf '%s\\n' " + q(kPassword) + " | " + central() + " admin-user add" + db +
                           " --name elu",
                       out) == 0);
    auto storage = openSqliteStorage(dir.file("central.db"));
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
    Fixture f;
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
