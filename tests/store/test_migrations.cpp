#include "comptoir/store/migrations.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace comptoir;
using namespace comptoir::store;

namespace {
std::set<std::string> schemaOf(const Database& db) {
    std::set<std::string> out;
    auto s = db.prepare("SELECT type || ' ' || name || ' ' || IFNULL(sql, '') FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite_%'");
    while (s.step()) out.insert(s.text(0));
    return out;
}

/// Puts rows in the tables that exist at `version`, so the test proves the data survives.
void fill(Database& db, int version) {
    if (version >= 1) {
        db.exec("INSERT INTO neighbourhood VALUES('doutre','Doutre',0,1);"
                "INSERT INTO theme VALUES('culture','Culture','palette',0);"
                "INSERT INTO activity VALUES('musee','culture','Musée',0);"
                "INSERT INTO organisation(id,name,kind,neighbourhood_id) VALUES('org-a','A','association','doutre');"
                "INSERT INTO offer(id,organisation_id,title,description,theme_id,activity_id,rhythm,duration_hours,"
                "neighbourhood_id,status,catalogue_version) VALUES('off-1','org-a','T','D','culture','musee',"
                "'one_off',2,'doutre','published',1);",
                "fill v1");
    }
    if (version >= 2) {
        db.exec("INSERT INTO personal(id, sealed, created_at) VALUES(1, x'00', 'now');"
                "INSERT INTO interest(id,reference,offer_id,offer_title,personal_id,consent_version,created_at) "
                "VALUES('i-1','ABC-DEF','off-1','T',1,1,'now');"
                "INSERT INTO outbox(event_id,type,schema_version,occurred_at,kiosk_id,payload) "
                "VALUES('e-1','interest.registered',1,'now','k','{}');",
                "fill v2");
    }
    if (version >= 3) {
        // 'sent' was retired at version 7: a database made at 7 or later holds 'proposed'.
        const std::string status = version >= 7 ? "proposed" : "sent";
        // Feedback was rebuilt at version 9: the day only, no context.
        const std::string feedback = version >= 9
                                         ? "INSERT INTO feedback(id,score,given_on,held) VALUES('f-1',4,'2026-01-02',0);"
                                         : "INSERT INTO feedback VALUES('f-1','after_registration',4,"
                                           "'2026-01-02T10:11:12.345Z');";
        db.exec(
            feedback +
            "INSERT INTO agent(id,display_name,pin_hash,created_at) VALUES('a-1','A','h','now');"
            "INSERT INTO introduction(id,interest_id,organisation_id,status,agent_id,created_at,updated_at) "
            "VALUES('n-1','i-1','org-a','" +
                status +
                "','a-1','now','now');"
                "INSERT INTO introduction_history(introduction_id,status,at) VALUES('n-1','" +
                status +
                "','now');"
                "INSERT INTO hours_log VALUES('h-1','n-1',2.5,'2026-01-01','a-1','now');",
            "fill v3");
    }
    if (version >= 4) {
        db.exec("INSERT INTO dead_letter VALUES('e-1','rejected',422,'now');"
                "INSERT INTO sync_state VALUES('push.last_success','now');",
                "fill v4");
    }
}
} // namespace

TEST_CASE("a fresh database migrates to the latest version") {
    test::TempDir dir;
    auto db = Database::open(dir.file("fresh.db"));
    CHECK(db.userVersion() == 0);
    migrate(db);
    CHECK(db.userVersion() == latestSchemaVersion());
    migrate(db); // idempotent
    CHECK(db.userVersion() == latestSchemaVersion());
}

TEST_CASE("a database created at every earlier version migrates with its data") {
    test::TempDir dir;
    auto reference = Database::open(dir.file("reference.db"));
    migrate(reference);
    auto expected = schemaOf(reference);
    for (int from = 0; from < latestSchemaVersion(); ++from) {
        DYNAMIC_SECTION("from version " << from) {
            std::string path = dir.file("v" + std::to_string(from) + ".db");
            {
                auto db = Database::open(path);
                migrate(db, from);
                REQUIRE(db.userVersion() == from);
                fill(db, from);
            }
            auto db = Database::open(path); // reopened, as after an upgrade of the kiosk
            migrate(db);
            CHECK(db.userVersion() == latestSchemaVersion());
            CHECK(schemaOf(db) == expected);
            CHECK(queryInt(db, "SELECT COUNT(*) FROM offer") == (from >= 1 ? 1 : 0));
            CHECK(queryInt(db, "SELECT COUNT(*) FROM interest") == (from >= 2 ? 1 : 0));
            // version 6 rebuilt the follow-up tables: rows kept, the retired 'sent' read as 'proposed'
            CHECK(queryInt(db, "SELECT COUNT(*) FROM introduction WHERE status = 'proposed'") == (from >= 3 ? 1 : 0));
            CHECK(queryInt(db, "SELECT COUNT(*) FROM introduction_history") == (from >= 3 ? 1 : 0));
            CHECK(queryInt(db, "SELECT COALESCE(SUM(hours), 0) FROM hours_log") == (from >= 3 ? 2 : 0));
            // version 9: feedback keeps its day and score, loses its time and context; not held
            CHECK(queryInt(db,
                           "SELECT COUNT(*) FROM feedback WHERE given_on = '2026-01-02' AND score = 4 AND "
                           "held = 0") == (from >= 3 ? 1 : 0));
            if (from >= 2) CHECK_THROWS_AS(db.exec("UPDATE outbox SET payload = '{\"x\":1}'", "tamper"), DbError);
            CHECK(queryInt(db, "SELECT COUNT(*) FROM pragma_foreign_key_check") == 0);
            auto ic = db.prepare("PRAGMA integrity_check");
            REQUIRE(ic.step());
            CHECK(ic.text(0) == "ok");
        }
    }
}

TEST_CASE("a database from a newer build is refused, not damaged") {
    test::TempDir dir;
    auto db = Database::open(dir.file("newer.db"));
    db.exec("PRAGMA user_version = 999", "set version");
    CHECK_THROWS_WITH(migrate(db), Catch::Contains("newer than this build"));
    CHECK(db.userVersion() == 999);
}

TEST_CASE("connections use WAL, foreign keys and synchronous=FULL") {
    test::TempDir dir;
    auto db = Database::open(dir.file("p.db"));
    auto jm = db.prepare("PRAGMA journal_mode");
    REQUIRE(jm.step());
    CHECK(jm.text(0) == "wal");
    CHECK(queryInt(db, "PRAGMA foreign_keys") == 1);
    CHECK(queryInt(db, "PRAGMA synchronous") == 2); // FULL
    CHECK(queryInt(db, "PRAGMA busy_timeout") == 5000);
}

TEST_CASE("errors carry the operation and SQLite's message") {
    test::TempDir dir;
    auto db = Database::open(dir.file("e.db"));
    try {
        db.exec("INSERT INTO nowhere VALUES(1)", "add a row to nowhere");
        FAIL("no error");
    } catch (const DbError& e) {
        CHECK(e.operation() == "add a row to nowhere");
        CHECK(std::string(e.what()).find("no such table: nowhere") != std::string::npos);
    }
}
