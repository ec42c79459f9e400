#include "comptoir/store/audit.hpp"
#include "comptoir/store/migrations.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using namespace comptoir::store;

TEST_CASE("the audit trail keeps who, what and on which record, newest first") {
    test::TempDir dir;
    auto db = Database::open(dir.file("kiosk.db"));
    migrate(db);
    {
        Transaction tx(db);
        appendAudit(db, std::nullopt, "login", "", AuditOutcome::Refused);
        appendAudit(db, std::string("agent-1"), "login");
        appendAudit(db, std::string("agent-1"), "introduction.status", "0190c3b2-0000-7000-8000-000000000001");
        tx.commit();
    }
    auto lines = recentAudit(db, 10);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].action == "introduction.status");
    CHECK(lines[0].subject == "0190c3b2-0000-7000-8000-000000000001");
    CHECK(lines[2].outcome == AuditOutcome::Refused);
    CHECK_FALSE(lines[2].agentId.has_value());
    CHECK(recentAudit(db, 10, std::string("agent-1")).size() == 2);
    CHECK(recentAudit(db, 1).size() == 1);
}

TEST_CASE("the audit trail cannot be edited, emptied, or used to store free text") {
    test::TempDir dir;
    auto db = Database::open(dir.file("kiosk.db"));
    migrate(db);
    appendAudit(db, std::string("agent-1"), "login");
    CHECK_THROWS_AS(db.exec("UPDATE audit SET action = 'nothing'", "tamper"), DbError);
    CHECK_THROWS_AS(db.exec("DELETE FROM audit", "tamper"), DbError);
    CHECK_THROWS_AS(appendAudit(db, std::string("agent-1"), "note", std::string(65, 'x')), DbError);
    CHECK_THROWS_AS(appendAudit(db, std::string("agent-1"), ""), DbError);
    CHECK(recentAudit(db, 10).size() == 1);
}
