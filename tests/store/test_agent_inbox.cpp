// The agent's inbox from a real SQLite file: what is due, in which order, read from its indexes.
#include "comptoir/store/agent_inbox.hpp"
#include "followup_fixture.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using namespace comptoir::store;
using test::FollowUpFixture;

TEST_CASE("the inbox: what is due, oldest first, then call-backs, introductions and new interests, read "
          "from its indexes without a sort of the whole") {
    FollowUpFixture f;
    auto visitors = f.visitors();
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto interestOn = [&](const char* createdAt) {
        auto r = f.interest(offer.id);
        f.db.prepare("UPDATE interest SET created_at = ?2 WHERE id = ?1")
            .bind(1, r.id)
            .bind(2, createdAt)
            .run();
        return r;
    };
    auto late = interestOn("2026-11-20T15:00:00.000Z");
    auto early = interestOn("2026-11-02T09:00:00.000Z");
    auto sameDay = interestOn("2026-11-20T08:00:00.000Z");
    auto proposed = interestOn("2026-11-01T08:00:00.000Z");
    auto n = fu.propose(f.kAgent, proposed.id, offer.id, false, "2026-11-20");
    REQUIRE(n.ok());
    REQUIRE(fu.setNextAction(f.kAgent, n.id, "2026-11-20").ok());
    CallbackDraft due;
    due.contact = {"Sacha", "0639980003", "", ""};
    due.recontactAfter = "2026-11-20";
    auto callback = visitors.recordCallback(due);
    due.recontactAfter = "2026-12-24";
    (void)visitors.recordCallback(due); // not due yet
    auto inbox = loadInbox(f.db, 20261203);
    std::vector<std::string> refs;
    for (const auto& item : inbox.items)
        refs.emplace_back(item.reference.data());
    // 2 Nov; then 20 Nov: the call-back, the introduction, the interests of that day by time
    CHECK(refs == std::vector<std::string>{early.reference, callback.reference, proposed.reference,
                                           sameDay.reference, late.reference});
    CHECK(inbox.items[2].kind == InboxItemKind::Introduction);
    // A registration whose time is not a date still gets a place (first: due 0), never a wrong order.
    f.db.prepare("UPDATE interest SET created_at = 'not a date' WHERE id = ?1").bind(1, late.id).run();
    inbox = loadInbox(f.db, 20261203);
    REQUIRE(inbox.items.size() == 5);
    CHECK(std::string(inbox.items[0].reference.data()) == late.reference);
    CHECK(std::is_sorted(inbox.items.begin(), inbox.items.end(), [](const InboxItem& a, const InboxItem& b) {
        return a.due != b.due ? a.due < b.due : a.kind < b.kind;
    }));
    // The new interests (the bulk of a large inbox) come from their covering index, in due order.
    std::string plan;
    auto s =
        f.db.prepare("EXPLAIN QUERY PLAN SELECT reference, created_at, personal_id, offer_title, reach = "
                     "'at_counter', rowid FROM interest WHERE status = 'new' ORDER BY created_at, reference");
    while (s.step())
        plan += s.text(3) + "\n";
    CHECK(plan.find("COVERING INDEX interest_inbox") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
}
