// Records the database cannot take: prepared once (ids, reference, sealed contact), committed
// exactly once however often they are written, and kept meanwhile in the fsync'd save spool.
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/spool.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sqlite3.h>

using namespace comptoir;
using namespace comptoir::store;

namespace {
struct Fixture : test::StoreFixture {
    SaveSpool spool{dir.file("spool")};
    PreparedRecord interest(const std::string& name = "Camille") {
        InterestDraft d;
        d.offerId = "off-0001";
        d.offerTitle = "Accueillir à l'épicerie";
        d.contact = {name, "0612345678", "", ""};
        d.preferredMoment = "morning";
        return prepareInterest(d, Keyring::publicKey(db), "test-kiosk");
    }
    std::int64_t count(const char* table) {
        return queryInt(db, std::string("SELECT COUNT(*) FROM ") + table);
    }
};

} // namespace

TEST_CASE("a prepared record is committed once however often it is written") {
    Fixture f;
    auto rec = f.interest();
    auto first = commitRecord(f.db, rec);
    CHECK_FALSE(first.alreadyThere);
    CHECK(first.recorded.reference == rec.reference);
    auto second = commitRecord(f.db, rec);
    CHECK(second.alreadyThere);
    CHECK(second.recorded.reference == first.recorded.reference);
    CHECK(f.count("interest") == 1);
    CHECK(f.count("personal") == 1);
    CHECK(f.count("outbox") == 1);
}

TEST_CASE("a record in the spool is sealed, survives, and is imported exactly once") {
    Fixture f;
    auto rec = f.interest("Anaïs");
    f.spool.put(rec, "attempt to write a readonly database");
    REQUIRE(f.spool.count() == 1);
    auto files = f.spool.list();
    REQUIRE(files.size() == 1);
    CHECK(files[0].record.eventId == rec.eventId);
    CHECK(files[0].failure == "attempt to write a readonly database");
    std::string onDisk = test::readFile(files[0].file);
    CHECK(onDisk.find("Anaïs") == std::string::npos); // sealed: no personal field in clear
    CHECK(onDisk.find("0612345678") == std::string::npos);

    auto r = f.spool.importInto(f.db);
    CHECK(r.imported == 1);
    CHECK(r.left == 0);
    CHECK(f.spool.count() == 0);
    CHECK(f.count("interest") == 1);
    CHECK(f.count("outbox") == 1);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox WHERE event_id = '" + rec.eventId + "'") == 1);

    // A crash between the commit and the removal leaves the file: the next import recognises it.
    f.spool.put(rec, "again");
    r = f.spool.importInto(f.db);
    CHECK(r.imported == 0);
    CHECK(r.alreadyThere == 1);
    CHECK(f.spool.count() == 0);
    CHECK(f.count("interest") == 1);
    CHECK(f.count("outbox") == 1);
}

TEST_CASE("a full database refuses a registration whole, the spool keeps it until there is room") {
    Fixture f;
    {
        // Another connection with the database capped at its current size: "database or disk is full".
        Database capped = Database::open(f.db.path());
        std::int64_t pages = queryInt(capped, "PRAGMA page_count");
        capped.exec("PRAGMA max_page_count = " + std::to_string(pages), "cap the database");
        std::optional<DbError> refused;
        PreparedRecord last;
        for (int i = 0; i < 500 && !refused; ++i) {
            last = f.interest();
            try {
                (void)commitRecord(capped, last);
            } catch (const DbError& e) {
                refused = e;
            }
        }
        REQUIRE(refused);
        CHECK((refused->code() & 0xff) == SQLITE_FULL);
        // nothing half-written: every personal row belongs to a record with its event
        CHECK(f.count("personal") == f.count("interest"));
        CHECK(f.count("outbox") == f.count("interest"));
        f.spool.put(last, refused->what());
        CHECK(f.spool.importInto(capped).left == 1); // still full: it waits
        CHECK(f.spool.count() == 1);
    }
    auto before = f.count("interest");
    auto r = f.spool.importInto(f.db); // room again (a connection without the cap)
    CHECK(r.imported == 1);
    CHECK(f.count("interest") == before + 1);
    CHECK(f.spool.count() == 0);
}

TEST_CASE("damaged or foreign spool files are set aside and never block the others") {
    Fixture f;
    std::filesystem::create_directories(f.spool.dir());
    std::ofstream(f.spool.dir() + "/0000-bad.spool.json") << "{not json";
    std::ofstream(f.spool.dir() + "/0001-other.spool.json")
        << R"({"format":"comptoir-save-spool","record":{"kind":"x"}})";
    std::ofstream(f.spool.dir() + "/0002-big.spool.json") << std::string(SaveSpool::kMaxFileBytes + 1, ' ');
    f.spool.put(f.interest(), "locked");
    auto r = f.spool.importInto(f.db);
    CHECK(r.unreadable == 3);
    CHECK(r.imported == 1);
    CHECK(f.spool.count() == 0);
    CHECK(f.spool.unreadableCount() == 3);
    CHECK(f.count("interest") == 1);
}

TEST_CASE("a spool that cannot be written says so") {
    Fixture f;
    std::ofstream(f.dir.file("not-a-folder")) << "x";
    SaveSpool broken{f.dir.file("not-a-folder") + "/spool"};
    CHECK_THROWS_AS(broken.put(f.interest(), "locked"), std::runtime_error);
    CHECK(broken.count() == 0);
}
