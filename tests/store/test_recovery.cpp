#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/kiosk_db.hpp"
#include "comptoir/store/migrations.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace comptoir;
using namespace comptoir::store;
namespace fs = std::filesystem;

namespace {
std::vector<fs::path> damagedCopies(const test::TempDir& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir.path()))
        if (e.path().filename().string().find(".damaged-") != std::string::npos &&
            e.path().extension() != ".db-wal")
            out.push_back(e.path());
    return out;
}
} // namespace

TEST_CASE("a file that is not a database is moved aside and a fresh one is used") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    test::writeFile(path, std::string(8192, 'x'));
    auto opened = openKioskDatabase(path);
    REQUIRE(opened.movedAsideTo);
    CHECK(fs::exists(*opened.movedAsideTo));
    CHECK(test::readFile(*opened.movedAsideTo) == std::string(8192, 'x')); // kept intact for inspection
    CHECK(opened.db.userVersion() == latestSchemaVersion());
    CHECK(offerCount(opened.db) == 0);
}

TEST_CASE("a database with damaged pages fails quick_check and is moved aside") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    {
        auto opened = openKioskDatabase(path);
        opened.db.exec("CREATE TABLE filler(x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n "
                       "WHERE i < 2000) INSERT INTO filler SELECT printf('%0500d', i) FROM n;",
                       "fill");
        opened.db.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint");
    }
    // Scribble over the middle of the file, past the header: pages become garbage.
    auto size = fs::file_size(path);
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(size / 2));
        std::string junk(16384, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto opened = openKioskDatabase(path);
    REQUIRE(opened.movedAsideTo);
    CHECK(opened.movedAsideReason.find("quick_check") != std::string::npos);
    CHECK(damagedCopies(dir).size() == 1);
    CHECK(opened.db.userVersion() == latestSchemaVersion());
    auto check = opened.db.prepare("PRAGMA quick_check");
    REQUIRE(check.step());
    CHECK(check.text(0) == "ok");
}

TEST_CASE("a healthy database is opened as it is") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    { auto first = openKioskDatabase(path); }
    auto again = openKioskDatabase(path);
    CHECK_FALSE(again.movedAsideTo);
    CHECK(damagedCopies(dir).empty());
}
