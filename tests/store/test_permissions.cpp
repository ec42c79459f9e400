// The kiosk's files hold the wrapped sealing key and sealed personal data: folders 0700, files
// 0600, whatever the umask of whoever starts the program.
#include "comptoir/store/kiosk_db.hpp"
#include "comptoir/store/private_files.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace comptoir;
using namespace comptoir::store;
namespace fs = std::filesystem;

namespace {
/// Sets the process umask for the scope of a test.
struct ScopedUmask {
    explicit ScopedUmask(mode_t m) : previous(::umask(m)) {}
    ~ScopedUmask() { ::umask(previous); }
    mode_t previous;
};
unsigned modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}
} // namespace

TEST_CASE("under umask 022 the data folder, the database, its WAL and the backups are private") {
    ScopedUmask loose(022);
    test::TempDir dir;
    const std::string data = dir.file("var/comptoir");
    auto opened = openKioskDatabase(data + "/comptoir.db");
    Keyring::create(opened.db, "135790", PinCost::minimum());
    VisitorStore visitors{opened.db, Keyring::publicKey(opened.db), "kiosk-test"};
    InterestDraft d;
    d.offerId = "off-0001";
    d.offerTitle = "Accueillir à l'épicerie";
    d.contact = {"Camille", "0612345678", "", ""};
    (void)visitors.recordInterest(d);

    CHECK(modeOf(dir.file("var")) == 0700);
    CHECK(modeOf(data) == 0700);
    CHECK(modeOf(data + "/comptoir.db") == 0600);
    REQUIRE(fs::exists(data + "/comptoir.db-wal"));
    CHECK(modeOf(data + "/comptoir.db-wal") == 0600);
    CHECK(modeOf(data + "/comptoir.db-shm") == 0600);

    auto backup = backupDatabase(opened.db, data + "/backups", "comptoir", "20260101-023000", 7);
    CHECK(modeOf(data + "/backups") == 0700);
    CHECK(modeOf(backup) == 0600);
}

TEST_CASE("a database and WAL left world-readable by an older build are made private when opened") {
    test::TempDir dir;
    const std::string path = dir.file("comptoir.db");
    {
        ScopedUmask loose(022);
        auto db = Database::open(path);
        db.exec("CREATE TABLE t(x)", "create");
    }
    ::chmod(path.c_str(), 0644);
    test::writeFile(path + "-wal", "");
    ::chmod((path + "-wal").c_str(), 0644);
    auto db = Database::open(path);
    CHECK(modeOf(path) == 0600);
    CHECK(modeOf(path + "-wal") == 0600);
}

TEST_CASE("private folders and files: 0700 and 0600 even under umask 0, existing folders untouched") {
    ScopedUmask none(0);
    test::TempDir dir;
    fs::create_directory(dir.file("shared"));
    ::chmod(dir.file("shared").c_str(), 0755);
    createPrivateDirectories(dir.file("shared/a/b"));
    CHECK(modeOf(dir.file("shared")) == 0755); // not ours to change
    CHECK(modeOf(dir.file("shared/a")) == 0700);
    CHECK(modeOf(dir.file("shared/a/b")) == 0700);
    makePrivateFile(dir.file("shared/a/b/f"));
    CHECK(modeOf(dir.file("shared/a/b/f")) == 0600);
    test::writeFile(dir.file("shared/a/b/g"), "x");
    ::chmod(dir.file("shared/a/b/g").c_str(), 0666);
    makePrivateFile(dir.file("shared/a/b/g"));
    CHECK(modeOf(dir.file("shared/a/b/g")) == 0600);
    CHECK(test::readFile(dir.file("shared/a/b/g")) == "x"); // content kept
    CHECK_THROWS_AS(createPrivateDirectories(dir.file("shared/a/b/f/c")), std::system_error);
}
