#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/kiosk_db.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "fixture_key.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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
/// A kiosk database with a key, `sent` registrations already acknowledged and `waiting` ones
/// not yet sent, then a large filler table after them; returns the filler's pages (1-based).
std::vector<std::int64_t> kioskWithFiller(const std::string& path, int sent, int waiting, bool keepWal = false) {
    auto db = openKioskDatabase(path).db;
    Keyring::create(db, "135790", PinCost::minimum());
    VisitorStore visitors{db, Keyring::publicKey(db), "kiosk-test"};
    auto record = [&] {
        InterestDraft d;
        d.offerId = "off-0001";
        d.offerTitle = "Accueillir à l'épicerie";
        d.contact = {"Camille", "0612345678", "", ""};
        d.preferredMoment = "morning";
        (void)visitors.recordInterest(d);
    };
    for (int i = 0; i < sent; ++i) record();
    db.exec("UPDATE outbox SET sent_at = '2026-01-01T00:00:00.000Z'", "acknowledge");
    db.exec("CREATE TABLE filler(x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n "
            "WHERE i < 2000) INSERT INTO filler SELECT printf('%0500d', i) FROM n;",
            "fill");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint");
    for (int i = 0; i < waiting; ++i) record();
    if (!keepWal) db.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint");
    std::vector<std::int64_t> pages;
    auto s = db.prepare("SELECT pageno FROM dbstat WHERE name = 'filler' ORDER BY pageno");
    while (s.step()) pages.push_back(s.int64(0));
    // As a kiosk killed before its last checkpoint: the newest commits stay in the WAL only.
    if (keepWal) REQUIRE(sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr) == SQLITE_OK);
    return pages;
}

/// Writes garbage over pages [first, first + count) of the file (4096-byte pages).
void scribble(const std::string& path, std::int64_t first, std::int64_t count) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>((first - 1) * 4096));
    std::string junk(static_cast<std::size_t>(count * 4096), '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

std::int64_t count(const Database& db, const std::string& sql) { return queryInt(db, sql); }

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

TEST_CASE("damaged pages: the unsent registrations, their sealed contacts and the key come back in the fresh database") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    PublicKey oldKey{};
    auto filler = kioskWithFiller(path, 5, 15);
    {
        auto db = Database::open(path);
        oldKey = Keyring::publicKey(db);
    }
    REQUIRE(filler.size() > 40);
    scribble(path, filler[filler.size() / 2], 8);

    auto opened = openKioskDatabase(path);
    REQUIRE(opened.movedAsideTo);
    CHECK(opened.salvaged.keyring);
    CHECK(opened.salvaged.events == 15);
    CHECK(opened.salvaged.unreadable == 0);
    CHECK(opened.salvaged.records == 30); // 15 interests and their 15 sealed personal rows
    auto& db = opened.db;
    CHECK(pendingCount(db) == 15);
    CHECK(count(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL") == 0); // only what was waiting
    CHECK(count(db, "SELECT COUNT(*) FROM interest") == 15);
    CHECK(count(db, "SELECT COUNT(*) FROM personal WHERE sealed IS NOT NULL") == 15);
    CHECK(count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'filler'") == 0); // a fresh schema, not a copy
    // Same key, same PIN: agents still read the contact details back.
    CHECK(Keyring::publicKey(db) == oldKey);
    auto sk = test::unlockFixtureKey(db, "135790");
    REQUIRE(sk);
    auto sealed = db.prepare("SELECT sealed FROM personal LIMIT 1");
    REQUIRE(sealed.step());
    auto clear = unseal(Keyring::publicKey(db), *sk, sealed.blob(0));
    REQUIRE(clear);
    CHECK_THAT(*clear, Catch::Contains("Camille"));
    // The events keep their order and content for the sync.
    auto events = pendingEvents(db, 100);
    REQUIRE(events.size() == 15);
    CHECK(std::is_sorted(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; }));
    CHECK_THAT(events[0].payload, Catch::Contains("personal_sealed"));
    // And what is recorded next follows them.
    VisitorStore visitors{db, Keyring::publicKey(db), "kiosk-test"};
    InterestDraft d;
    d.offerId = "off-0002";
    d.offerTitle = "Trier les dons";
    d.contact = {"Dominique", "0639981234", "", ""};
    (void)visitors.recordInterest(d);
    CHECK(pendingEvents(db, 100).back().payload.find("off-0002") != std::string::npos);
}

TEST_CASE("a truncated database: what it still holds of the unsent events is salvaged") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    auto filler = kioskWithFiller(path, 0, 10);
    // The waiting registrations come after the filler here: cut the file in the middle of the
    // filler, so the file loses its end (and the newest rows with it).
    fs::resize_file(path, static_cast<std::uintmax_t>((filler[filler.size() / 2] - 1) * 4096));
    auto opened = openKioskDatabase(path);
    REQUIRE(opened.movedAsideTo);
    CHECK_THAT(opened.movedAsideReason, Catch::Contains("malformed") || Catch::Contains("quick_check"));
    CHECK(integrityCheck(opened.db) == "ok");
    CHECK(opened.salvaged.keyring); // page 2-ish, well before the cut
    // Whatever was read is whole: each salvaged event has its interest and sealed personal row.
    CHECK(pendingCount(opened.db) == static_cast<std::int64_t>(opened.salvaged.events));
    CHECK(count(opened.db, "SELECT COUNT(*) FROM interest") <= pendingCount(opened.db));
}

TEST_CASE("a truncated database whose unsent events sit before the cut: every one comes back") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    {
        // Registrations first, then the filler: the cut takes only filler pages.
        auto db = openKioskDatabase(path).db;
        Keyring::create(db, "135790", PinCost::minimum());
        VisitorStore visitors{db, Keyring::publicKey(db), "kiosk-test"};
        for (int i = 0; i < 12; ++i) {
            CallbackDraft c;
            c.contact = {"Sacha", "0639985678", "", ""};
            c.recontactAfter = "2026-06-01";
            (void)visitors.recordCallback(c);
        }
        (void)visitors.recordFeedback(3);               // still held: no event yet
        (void)visitors.recordFeedback(2, "2026-11-30"); // released: its event waits
        REQUIRE(releaseHeldFeedback(db, "kiosk-test") == 1);
        db.exec("CREATE TABLE filler(x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n "
                "WHERE i < 2000) INSERT INTO filler SELECT printf('%0500d', i) FROM n;",
                "fill");
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint");
    }
    fs::resize_file(path, fs::file_size(path) / 2);
    auto opened = openKioskDatabase(path);
    REQUIRE(opened.movedAsideTo);
    CHECK(opened.salvaged.events == 13);
    CHECK(pendingCount(opened.db) == 13);
    CHECK(count(opened.db, "SELECT COUNT(*) FROM callback_request") == 12);
    CHECK(count(opened.db, "SELECT COUNT(*) FROM feedback") == 2);
    CHECK(count(opened.db, "SELECT COUNT(*) FROM feedback WHERE held = 1") == 1);
    CHECK(count(opened.db, "SELECT COUNT(*) FROM feedback WHERE given_on = '2026-11-30' AND held = 0") == 1);
    CHECK(opened.salvaged.keyring);
}

TEST_CASE("commits still in the WAL of a damaged database are salvaged too (a kiosk killed before a checkpoint)") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    auto filler = kioskWithFiller(path, 0, 7, /*keepWal=*/true);
    REQUIRE(fs::exists(path + "-wal"));
    REQUIRE(fs::file_size(path + "-wal") > 0);
    // The filler's pages in the main file; the registrations live in the WAL only.
    scribble(path, filler.front(), 4);
    auto opened = openKioskDatabase(path);
    REQUIRE(opened.movedAsideTo);
    CHECK(opened.salvaged.events == 7);
    CHECK(pendingCount(opened.db) == 7);
}

// [SECTION] errors that are not damage: nothing is moved

namespace {
bool anythingMovedAside(const test::TempDir& dir) {
    for (const auto& e : fs::recursive_directory_iterator(dir.path()))
        if (e.path().filename().string().find(".damaged-") != std::string::npos) return true;
    return false;
}
std::string openError(const std::string& path) {
    try {
        (void)openKioskDatabase(path);
    } catch (const DbError& e) {
        return e.what();
    }
    return {};
}
} // namespace

TEST_CASE("only corruption counts as damage") {
    for (int code : {SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_CORRUPT_INDEX, SQLITE_CORRUPT_VTAB}) {
        INFO(code);
        CHECK(isCorruption(DbError("x", code, "y")));
    }
    for (int code : {SQLITE_FULL, SQLITE_IOERR, SQLITE_IOERR_WRITE, SQLITE_IOERR_SHMSIZE, SQLITE_READONLY,
                     SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM,
                     SQLITE_AUTH, 0}) {
        INFO(code);
        CHECK_FALSE(isCorruption(DbError("x", code, "y")));
    }
}

TEST_CASE("a healthy database on a full disk is left in place, with a clear message") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    (void)kioskWithFiller(path, 0, 1);
    auto before = test::readFile(path);
    REQUIRE_FALSE(fs::exists(path + "-wal")); // closed cleanly: opening must create it
    // A child process whose files may not grow (RLIMIT_FSIZE): every write that needs space
    // fails as on a full disk (EFBIG instead of ENOSPC), without root or a mount.
    int pipeFd[2];
    REQUIRE(::pipe(pipeFd) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(pipeFd[0]);
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit lim{0, 0};
        ::setrlimit(RLIMIT_FSIZE, &lim);
        std::string what = openError(path);
        (void)!::write(pipeFd[1], what.data(), what.size());
        ::_exit(what.empty() ? 1 : 0);
    }
    ::close(pipeFd[1]);
    std::string message;
    char buf[512];
    for (ssize_t n; (n = ::read(pipeFd[0], buf, sizeof buf)) > 0;) message.append(buf, static_cast<std::size_t>(n));
    ::close(pipeFd[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO(message);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0); // the open failed…
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("Nothing was moved") &&
                            Catch::Contains("free space"));
    CHECK_FALSE(anythingMovedAside(dir)); // …and moved nothing
    CHECK(test::readFile(path) == before);
    // Space is back: the same database, with its registration.
    auto opened = openKioskDatabase(path);
    CHECK_FALSE(opened.movedAsideTo);
    CHECK(pendingCount(opened.db) == 1);
}

TEST_CASE("a WAL that cannot be created (the database is fine) stops the start and moves nothing") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    (void)kioskWithFiller(path, 0, 2);
    // Root may write anywhere, so a read-only folder cannot be shown here; a folder where the
    // WAL file should go makes SQLite fail the same way (it cannot open the -wal file).
    fs::create_directory(path + "-wal");
    auto message = openError(path);
    CHECK_THAT(message, Catch::Contains(path) && Catch::Contains("Nothing was moved"));
    CHECK_FALSE(anythingMovedAside(dir));
    fs::remove(path + "-wal");
    auto opened = openKioskDatabase(path);
    CHECK_FALSE(opened.movedAsideTo);
    CHECK(pendingCount(opened.db) == 2);
}

TEST_CASE("a database path that is a folder, or a data folder that cannot be created: a clear message, nothing moved") {
    test::TempDir dir;
    fs::create_directory(dir.file("kiosk.db"));
    auto message = openError(dir.file("kiosk.db"));
    CHECK_THAT(message, Catch::Contains("Nothing was moved"));
    CHECK(fs::is_directory(dir.file("kiosk.db")));
    CHECK_FALSE(anythingMovedAside(dir));

    test::writeFile(dir.file("not-a-folder"), "x");
    message = openError(dir.file("not-a-folder/data/kiosk.db"));
    CHECK_THAT(message, Catch::Contains("not-a-folder/data") && Catch::Contains("cannot be created"));
    CHECK(message.find("move damaged database aside") == std::string::npos);
    CHECK_FALSE(anythingMovedAside(dir));
}

TEST_CASE("a damaged database stays in place when the fresh one cannot be made; the next start salvages it") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    auto filler = kioskWithFiller(path, 0, 4);
    scribble(path, filler[filler.size() / 2], 8);
    // Where the fresh database is built, something that is not a database file (a non-empty folder).
    fs::create_directories(path + ".salvage/x");
    auto message = openError(path);
    CHECK_THAT(message, Catch::Contains("damaged") && Catch::Contains("Nothing was moved"));
    CHECK_FALSE(anythingMovedAside(dir));
    CHECK(fs::exists(path));
    fs::remove_all(path + ".salvage");
    auto opened = openKioskDatabase(path);
    REQUIRE(opened.movedAsideTo);
    CHECK(opened.salvaged.events == 4);
    CHECK(pendingCount(opened.db) == 4);
    CHECK_FALSE(fs::exists(path + ".salvage"));
}
