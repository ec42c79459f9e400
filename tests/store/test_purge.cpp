#include "comptoir/store/migrations.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "fixture_key.hpp"
#include "followup_fixture.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using namespace comptoir::store;

namespace {
/// A kiosk database with its sealing key, and a fictional visitor's interest to record.
struct Kiosk {
    test::TempDir dir;
    Database db = Database::open(dir.file("k.db"));
    VisitorStore visitors = [this] {
        migrate(db);
        Keyring::create(db, "135790", PinCost::minimum());
        return VisitorStore{db, Keyring::publicKey(db), "k"};
    }();
    static InterestDraft draft() {
        InterestDraft d;
        d.offerId = "off-1";
        d.offerTitle = "Trier les dons";
        d.contact = {"Inès", "0639980001", "", ""};
        return d;
    }
};
} // namespace

TEST_CASE("retention purges sealed personal data of sent, dead-lettered and waiting records past it") {
    Kiosk k;
    auto& db = k.db;
    auto& v = k.visitors;
    const auto d = k.draft();
    auto sent = v.recordInterest(d);
    auto refused = v.recordInterest(d);
    auto waiting = v.recordInterest(d);
    (void)waiting;
    (void)recordAnswers(db,
                        {{sent.eventId, EventAnswer::Outcome::Accepted, "", 200},
                         {refused.eventId, EventAnswer::Outcome::Rejected, "unknown offer", 422}},
                        "2020-01-01T00:00:00.000Z");
    CHECK(deadLetterCount(db) == 1);
    // cutoff far in the future: every record is past retention, synced or not
    auto r = purgeSyncedPersonalData(db, "2999-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z");
    CHECK(r.personalPurged == 3);
    CHECK(queryInt(db, "SELECT COUNT(*) FROM personal WHERE sealed IS NOT NULL") == 0);
    CHECK(r.outboxCopiesBlanked == 2); // the waiting and the refused events' sealed copies
    CHECK(queryInt(
              db, "SELECT COUNT(*) FROM outbox WHERE json_extract(payload, '$.personal_sealed') <> ''") == 0);
    CHECK(deadLetterCount(db) == 1); // the refusal itself stays visible to the agents
    CHECK(pendingCount(db) == 1);    // the waiting event still goes, without the visitor's data
}

TEST_CASE("a kiosk that never syncs keeps no one's data past the consent's promise") {
    Kiosk k;
    auto& db = k.db;
    auto& v = k.visitors;
    const auto d = k.draft();
    auto old = v.recordInterest(d);
    CallbackDraft cb;
    cb.contact = {"Yanis", "0639980002", "", ""};
    cb.recontactAfter = "2020-03-01";
    auto oldCallback = v.recordCallback(cb);
    auto recent = v.recordInterest(d);
    // Made 13 months before the cutoff's "now", never sent: the server was never reached.
    db.exec("UPDATE interest SET created_at = '2019-12-01T10:00:00.000Z' WHERE reference = '" +
                old.reference + "'",
            "age");
    db.exec("UPDATE callback_request SET created_at = '2019-12-01T10:00:00.000Z' WHERE reference = '" +
                oldCallback.reference + "'",
            "age");
    auto r = purgeSyncedPersonalData(db, "2020-01-01T00:00:00.000Z", "2021-01-01T00:00:00.000Z");
    CHECK(r.personalPurged == 2);
    CHECK(r.outboxCopiesBlanked == 2);
    CHECK(r.eventsDeleted == 0);
    auto sealedCopy = [&](const std::string& eventId) {
        auto s =
            db.prepare("SELECT json_extract(payload, '$.personal_sealed') FROM outbox WHERE event_id = ?1");
        s.bind(1, eventId);
        REQUIRE(s.step());
        return s.text(0);
    };
    CHECK(sealedCopy(old.eventId).empty());
    CHECK(sealedCopy(oldCallback.eventId).empty());
    CHECK_FALSE(sealedCopy(recent.eventId).empty()); // the recent one is untouched
    CHECK(queryInt(db, "SELECT COUNT(*) FROM personal WHERE sealed IS NOT NULL") == 1);
    CHECK(pendingCount(db) == 3); // every event still goes, the old ones without personal data
    // Blanking is still refused for a record whose data is kept: the outbox stays immutable.
    CHECK_THROWS(
        db.exec("UPDATE outbox SET payload = json_set(payload, '$.personal_sealed', '') WHERE event_id = '" +
                    recent.eventId + "'",
                "blank a kept record"));
}

TEST_CASE("retention clears the agents' sealed notes with the record's data, and keeps a recent one's") {
    test::FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    const std::string today = "2026-12-03";
    auto old = f.interest(offer.id, "Inès", "0639980011");
    auto recent = f.interest(offer.id, "Yanis", "0639980012");
    auto oldIntro = fu.propose(f.kAgent, old.id, offer.id, false, today);
    auto recentIntro = fu.propose(f.kAgent, recent.id, offer.id, false, today);
    REQUIRE(fu.setNotes(f.kAgent, oldIntro.id, "Inès préfère le matin").ok());
    REQUIRE(fu.setNotes(f.kAgent, recentIntro.id, "Yanis préfère le soir").ok());
    CallbackDraft asked;
    asked.contact = {"Lou", "0639980013", "", ""};
    asked.recontactAfter = "2026-12-01";
    auto oldCallback = f.visitors().recordCallback(asked);
    auto recentCallback = f.visitors().recordCallback(asked);
    for (const auto& cb : {oldCallback, recentCallback})
        REQUIRE(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::NoAnswer, "2026-12-07",
                                    "Messagerie de Lou", today)
                    .ok());
    // the old records were made 13 months before "now"; their notes were written yesterday
    f.db.exec("UPDATE interest SET created_at = '2019-12-01T10:00:00.000Z' WHERE id = '" + old.id + "'",
              "age");
    f.db.exec("UPDATE callback_request SET created_at = '2019-12-01T10:00:00.000Z' WHERE id = '" +
                  oldCallback.id + "'",
              "age");

    auto r = purgeSyncedPersonalData(f.db, "2020-01-01T00:00:00.000Z", "2021-01-01T00:00:00.000Z");
    CHECK(r.personalPurged == 2);
    CHECK(r.notesPurged == 2);
    CHECK_FALSE(loadIntroduction(f.db, oldIntro.id)->hasNotes);
    CHECK(loadIntroduction(f.db, recentIntro.id)->hasNotes);
    CHECK_FALSE(loadCallback(f.db, oldCallback.id)->attempts.at(0).hasNote);
    CHECK(loadCallback(f.db, recentCallback.id)->attempts.at(0).hasNote);
    auto sk = test::unlockFixtureKey(f.db, f.kPin);
    REQUIRE(sk);
    CHECK_FALSE(readNotes(f.db, f.pk, *sk, oldIntro.id).has_value());
    CHECK(readNotes(f.db, f.pk, *sk, recentIntro.id) == "Yanis préfère le soir");
    CHECK(readCallbackNotes(f.db, f.pk, *sk, oldCallback.id).empty());
    CHECK(readCallbackNotes(f.db, f.pk, *sk, recentCallback.id) ==
          std::vector<std::string>{"Messagerie de Lou"});
    // what the follow-up keeps without personal data stays: the outcome, the statuses
    CHECK(loadCallback(f.db, oldCallback.id)->attempts.at(0).outcome == CallbackOutcome::NoAnswer);
    CHECK(loadIntroduction(f.db, oldIntro.id)->status == IntroStatus::Proposed);
    // a second run finds nothing more
    CHECK(purgeSyncedPersonalData(f.db, "2020-01-01T00:00:00.000Z", "2021-01-01T00:00:00.000Z").notesPurged ==
          0);
}
