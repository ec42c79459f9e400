#include "comptoir/store/migrations.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using namespace comptoir::store;

TEST_CASE("retention purges sealed personal data of sent and of dead-lettered records, not of waiting ones") {
    test::TempDir dir;
    auto db = Database::open(dir.file("k.db"));
    migrate(db);
    Keyring::create(db, "135790", PinCost::minimum());
    VisitorStore v{db, Keyring::publicKey(db), "k"};
    InterestDraft d;
    d.offerId = "off-1";
    d.offerTitle = "Trier les dons";
    d.contact = {"Inès", "0639980001", "", ""};
    auto sent = v.recordInterest(d);
    auto refused = v.recordInterest(d);
    auto waiting = v.recordInterest(d);
    (void)waiting;
    (void)recordAnswers(db,
                        {{sent.eventId, EventAnswer::Outcome::Accepted, "", 200},
                         {refused.eventId, EventAnswer::Outcome::Rejected, "unknown offer", 422}},
                        "2020-01-01T00:00:00.000Z");
    CHECK(deadLetterCount(db) == 1);
    // cutoff far in the future: everything eligible is past retention
    auto r = purgeSyncedPersonalData(db, "2999-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z");
    CHECK(r.personalPurged == 2);
    CHECK(queryInt(db, "SELECT COUNT(*) FROM personal WHERE sealed IS NULL") == 2);
    CHECK(queryInt(db, "SELECT COUNT(*) FROM personal WHERE sealed IS NOT NULL") == 1); // the one still waiting
    CHECK(deadLetterCount(db) == 1); // the refusal itself stays visible to the agents
    CHECK(pendingCount(db) == 1);
}
