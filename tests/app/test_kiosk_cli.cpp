#include "comptoir/platform/platform.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

using namespace comptoir;
namespace fs = std::filesystem;

namespace {
std::string kiosk() { return test::binaryPath("kiosk/app/comptoir-kiosk"); }
std::string q(const std::string& s) { return "'" + s + "'"; }
} // namespace

TEST_CASE("first start: the kiosk creates its database, imports the demo catalogue and renders headless") {
    test::TempDir dir;
    std::string out;
    std::string png = dir.file("shot.png");
    int rc = test::runCommand(kiosk() + " --data-dir " + q(dir.file("data")) + " --headless --screenshot " + q(png) +
                                  " --size 1024x768",
                              out);
    INFO(out);
    REQUIRE(rc == 0);
    REQUIRE(fs::exists(png));
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgba;
    std::string err;
    REQUIRE(platform::readPng(png, w, h, rgba, err));
    CHECK(w == 1024);
    CHECK(h == 768);
    auto db = store::Database::open(dir.file("data/comptoir.db"));
    CHECK(store::offerCount(db) >= 60);
    // no personal data and no secrets in the log
    CHECK(out.find("24681357") == std::string::npos);
}

TEST_CASE("configuration errors stop the kiosk with exit code 2, naming the key and the line") {
    test::TempDir dir;
    std::string cfg = dir.file("kiosk.toml");
    test::writeFile(cfg, "kiosk_id = \"angers-01\"\n\n[visitor]\nidle_seconds = 2\n");
    std::string out;
    int rc = test::runCommand(kiosk() + " --config " + q(cfg) + " --data-dir " + q(dir.file("d")) +
                                  " --headless --screenshot " + q(dir.file("x.png")),
                              out);
    CHECK(rc == 2);
    CHECK(out.find(cfg + ":4: key 'visitor.idle_seconds': must be between 15 and 3600") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.file("d/comptoir.db"))); // nothing started

    test::writeFile(cfg, "kiosk_id = \"angers-01\"\nlangue = \"fr\"\n");
    rc = test::runCommand(kiosk() + " --config " + q(cfg) + " --headless --screenshot x.png", out);
    CHECK(rc == 2);
    CHECK(out.find(":2: key 'langue': unknown key") != std::string::npos);

    rc = test::runCommand(kiosk() + " --config " + q(dir.file("missing.toml")) + " --headless --screenshot x.png", out);
    CHECK(rc == 2);
    rc = test::runCommand(kiosk() + " --frobnicate", out);
    CHECK(rc == 2);
    CHECK(out.find("unknown option '--frobnicate'") != std::string::npos);
}

TEST_CASE("the example configuration starts the kiosk once its first agent exists") {
    test::TempDir dir;
    std::string out;
    std::string common =
        " --config " + q(test::sourcePath("config/kiosk.toml")) + " --data-dir " + q(dir.file("data"));
    int rc =
        test::runCommand("printf '73910462\\n73910462\\n' | " + kiosk() + " agent add Marie" + common, out);
    INFO(out);
    REQUIRE(rc == 0);
    rc = test::runCommand(kiosk() + common + " --headless --screenshot " + q(dir.file("s.png")), out);
    INFO(out);
    CHECK(rc == 0);
}

TEST_CASE("a corrupt database is moved aside with a clear log line and the kiosk still starts") {
    test::TempDir dir;
    fs::create_directories(dir.file("data"));
    test::writeFile(dir.file("data/comptoir.db"), "this is not a database, it is a shopping list");
    std::string out;
    int rc = test::runCommand(kiosk() + " --data-dir " + q(dir.file("data")) + " --headless --screenshot " +
                                  q(dir.file("s.png")),
                              out);
    INFO(out);
    CHECK(rc == 0);
    CHECK(out.find("moving it aside to") != std::string::npos);
    bool aside = false;
    for (const auto& e : fs::directory_iterator(dir.file("data")))
        aside |= e.path().filename().string().rfind("comptoir.db.damaged-", 0) == 0;
    CHECK(aside);
}

TEST_CASE("importing a catalogue with bad entries names each one and applies the rest") {
    test::TempDir dir;
    auto doc = nlohmann::json::parse(test::readFile(test::sourcePath("assets/catalogue/demo.json")));
    doc["catalogue_version"] = 7;
    std::string badId = doc["offers"][3]["id"];
    doc["offers"][3]["neighbourhood"] = "atlantide";
    test::writeFile(dir.file("cat.json"), doc.dump());
    std::string out;
    int rc = test::runCommand(kiosk() + " --data-dir " + q(dir.file("data")) + " --import " + q(dir.file("cat.json")),
                              out);
    INFO(out);
    CHECK(rc == 0);
    CHECK(out.find("skipped offer " + badId + ": unknown neighbourhood 'atlantide'") != std::string::npos);
    auto db = store::Database::open(dir.file("data/comptoir.db"));
    CHECK(store::catalogueVersion(db) == 7);

    test::writeFile(dir.file("broken.json"), "{ \"format\": ");
    rc = test::runCommand(kiosk() + " --data-dir " + q(dir.file("data")) + " --import " + q(dir.file("broken.json")), out);
    CHECK(rc == 1);
    CHECK(out.find("not valid JSON") != std::string::npos);
    CHECK(store::catalogueVersion(db) == 7);
}

TEST_CASE("an import replaces the catalogue; an empty one needs --withdraw-all; a huge one is refused") {
    test::TempDir dir;
    auto doc = nlohmann::json::parse(test::readFile(test::sourcePath("assets/catalogue/demo.json")));
    const std::string data = " --data-dir " + q(dir.file("data"));
    std::string out;
    // The demo seed first, then the same catalogue without its first offer: that one is closed.
    const std::string gone = doc["offers"][0]["id"];
    doc["catalogue_version"] = 2;
    doc["offers"].erase(0);
    test::writeFile(dir.file("fewer.json"), doc.dump());
    REQUIRE(test::runCommand(kiosk() + data + " --import " + q(dir.file("fewer.json")), out) == 0);
    CHECK(out.find("1 offers closed (not in this catalogue)") != std::string::npos);
    auto db = store::Database::open(dir.file("data/comptoir.db"));
    auto published = [&] {
        return store::queryInt(db, "SELECT COUNT(*) FROM offer WHERE status = 'published'");
    };
    const auto before = published();
    CHECK(store::queryInt(db, "SELECT COUNT(*) FROM offer WHERE id = '" + gone +
                                  "' AND status = 'archived'") == 1);

    // No offer at all: refused, nothing changed, unless asked for.
    doc["catalogue_version"] = 3;
    doc["offers"] = nlohmann::json::array();
    test::writeFile(dir.file("empty.json"), doc.dump());
    int rc = test::runCommand(kiosk() + data + " --import " + q(dir.file("empty.json")), out);
    INFO(out);
    CHECK(rc == 1);
    CHECK(out.find("give --withdraw-all if that is the intent") != std::string::npos);
    CHECK(published() == before);
    CHECK(store::catalogueVersion(db) == 2);

    // An endless input stops at the size cap, with memory bounded by it.
    rc = test::runCommand(kiosk() + data + " --import /dev/zero", out);
    CHECK(rc == 1);
    CHECK(out.find("refused: larger than 32 MB") != std::string::npos);
    CHECK(published() == before);

    rc = test::runCommand(kiosk() + data + " --import " + q(dir.file("empty.json")) + " --withdraw-all", out);
    CHECK(rc == 0);
    CHECK(published() == 0);
}

TEST_CASE("the generator writes large valid catalogues") {
    test::TempDir dir;
    std::string out;
    int rc = test::runCommand(test::binaryPath("kiosk/app/comptoir-catgen") + " --base " +
                                  q(test::sourcePath("assets/catalogue/demo.json")) + " --offers 2000 --out " +
                                  q(dir.file("big.json")),
                              out);
    REQUIRE(rc == 0);
    rc = test::runCommand(kiosk() + " --data-dir " + q(dir.file("data")) + " --import " + q(dir.file("big.json")), out);
    INFO(out);
    REQUIRE(rc == 0);
    CHECK(out.find("skipped offer") == std::string::npos);
    CHECK(out.find("(0 entries skipped)") != std::string::npos);
    auto db = store::Database::open(dir.file("data/comptoir.db"));
    CHECK(store::offerCount(db) == 2000 + 81); // the demo seed plus the generated offers
}

TEST_CASE("the windowed main loop runs, draws and stops cleanly on SIGTERM") {
    // SDL's offscreen video driver, asked for explicitly, gives the real window code path
    // (event loop, renderer, presentation) without a display; the software renderer takes the
    // path of a kiosk without GPU (our rasteriser, presented through a streaming texture).
    test::TempDir dir;
    std::string out;
    // Leak checking is off for this child only: SDL's video stack dlopens drivers (EGL) that keep
    // allocations past exit, reported from unknown modules; our own code is leak-checked by every
    // other test.
    // SIGTERM once the first frame is drawn (however long a loaded machine takes to get there),
    // or after two minutes at most.
    const std::string log = q(dir.file("kiosk.log"));
    int rc = test::runCommand(
        "ASAN_OPTIONS=detect_leaks=0 SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software " + kiosk() +
            " --data-dir " + q(dir.file("data")) + " --timing > " + log + " 2>&1 & pid=$!; i=0; "
            "while [ $i -lt 1200 ] && ! grep -q startup_to_first_frame_ms " + log + "; do sleep 0.1; i=$((i+1)); done; "
            "sleep 0.5; kill -TERM $pid; wait $pid; rc=$?; cat " + log + "; exit $rc",
        out);
    INFO(out);
    CHECK(rc == 0); // SIGTERM becomes SDL_QUIT: the loop ends and the process exits normally
    CHECK(out.find("startup_to_first_frame_ms") != std::string::npos);
}
