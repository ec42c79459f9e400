#include "comptoir/store/audit.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/store/privacy_repo.hpp"
#include "comptoir/store/sync_state.hpp"
#include "fixture_key.hpp"
#include "followup_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace comptoir;
using namespace comptoir::store;
using test::FollowUpFixture;

namespace {
const std::string kToday = "2026-12-03";

nlohmann::json lastEvent(const Database& db, const std::string& type) {
    auto s = db.prepare("SELECT payload FROM outbox WHERE type = ?1 ORDER BY seq DESC LIMIT 1");
    s.bind(1, type);
    REQUIRE(s.step());
    return nlohmann::json::parse(s.text(0));
}
} // namespace

TEST_CASE(
    "an introduction goes proposed → accepted → started → completed, each step an event, a history line "
    "and an audit line") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto visitor = f.interest(offer.id);
    auto r = fu.propose(f.kAgent, visitor.id, offer.id, false, kToday);
    REQUIRE(r.ok());
    auto created = lastEvent(f.db, "introduction.created");
    CHECK(created["introduction_id"] == r.id);
    CHECK(created["interest_id"] == visitor.id);
    CHECK(created["organisation_id"] == offer.organisationId);
    CHECK(created["status"] == "proposed");
    CHECK(created["next_action_on"] == "2026-12-06");
    CHECK(created["agent_id"] == f.kAgent); // who proposed: the agent's id, never their name
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM interest WHERE status = 'introduced'") == 1);

    for (auto to : {IntroStatus::Accepted, IntroStatus::Started, IntroStatus::Completed}) {
        auto step = fu.changeStatus(f.kAgent, r.id, to, "", kToday);
        INFO(toString(to));
        REQUIRE(step.ok());
        CHECK(lastEvent(f.db, "introduction.updated")["status"] == toString(to));
    }
    auto n = loadIntroduction(f.db, r.id);
    REQUIRE(n);
    CHECK(n->status == IntroStatus::Completed);
    CHECK(n->reference == visitor.reference);
    CHECK_FALSE(n->nextActionOn.has_value());
    auto history = introductionHistory(f.db, r.id);
    REQUIRE(history.size() == 4);
    CHECK(history.front().status == IntroStatus::Proposed);
    CHECK(history.back().status == IntroStatus::Completed);
    CHECK(history.back().agentId == f.kAgent);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox WHERE type LIKE 'introduction.%'") == 4);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE subject = '" + r.id + "' AND outcome = 'ok'") ==
          4);
}

TEST_CASE(
    "impossible transitions and missing or unknown reasons are refused, leave no event, and are audited") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto visitor = f.interest(offer.id);
    auto r = fu.propose(f.kAgent, visitor.id, offer.id, false, kToday);
    REQUIRE(r.ok());
    auto events = queryInt(f.db, "SELECT COUNT(*) FROM outbox");
    CHECK(fu.changeStatus(f.kAgent, r.id, IntroStatus::Completed, "", kToday).problem ==
          FollowUpProblem::NotAllowed);
    CHECK(fu.changeStatus(f.kAgent, r.id, IntroStatus::Declined, "", kToday).problem ==
          FollowUpProblem::ReasonMissing);
    CHECK(fu.changeStatus(f.kAgent, r.id, IntroStatus::Declined, "no_news", kToday).problem ==
          FollowUpProblem::ReasonUnknown);
    CHECK(fu.changeStatus(f.kAgent, "nope", IntroStatus::Accepted, "", kToday).problem ==
          FollowUpProblem::UnknownIntroduction);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox") == events);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE outcome = 'refused'") == 4);

    REQUIRE(fu.changeStatus(f.kAgent, r.id, IntroStatus::Declined, "profile_mismatch", kToday).ok());
    CHECK(lastEvent(f.db, "introduction.updated")["reason"] == "profile_mismatch");
    CHECK(fu.changeStatus(f.kAgent, r.id, IntroStatus::Proposed, "", kToday).problem ==
          FollowUpProblem::NotAllowed);
    // the same person can be proposed again once the first introduction ended, not while it is open
    auto again = fu.propose(f.kAgent, visitor.id, offer.id, false, kToday);
    REQUIRE(again.ok());
    CHECK(fu.propose(f.kAgent, visitor.id, offer.id, false, kToday).problem ==
          FollowUpProblem::AlreadyIntroduced);
}

TEST_CASE("a no-show is its own status with its reason, apart from cancellations") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto a = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, kToday);
    auto b = fu.propose(f.kAgent, f.interest(offer.id, "Loïc", "0639980043").id, offer.id, false, kToday);
    for (const auto& id : {a.id, b.id})
        REQUIRE(fu.changeStatus(f.kAgent, id, IntroStatus::Accepted, "", kToday).ok());
    REQUIRE(fu.changeStatus(f.kAgent, a.id, IntroStatus::NoShow, "no_news", kToday).ok());
    REQUIRE(fu.changeStatus(f.kAgent, b.id, IntroStatus::Cancelled, "health", kToday).ok());
    CHECK(queryInt(f.db,
                   "SELECT COUNT(*) FROM introduction WHERE status = 'no_show' AND reason = 'no_news'") == 1);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM introduction WHERE status = 'cancelled'") == 1);
}

TEST_CASE("a full offer offers its waiting list; a freed place names the next person to call") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    // fill every place the catalogue offers
    std::vector<std::string> holders;
    for (int i = 0; i < offer.placesLeft; ++i) {
        auto r =
            fu.propose(f.kAgent, f.interest(offer.id, "Personne", "06399800" + std::to_string(10 + i)).id,
                       offer.id, false, kToday);
        REQUIRE(r.ok());
        REQUIRE(fu.changeStatus(f.kAgent, r.id, IntroStatus::Accepted, "", kToday).ok());
        holders.push_back(r.id);
    }
    CHECK(offerFull(f.db, offer.id));
    auto late = f.interest(offer.id, "Maël", "0639980050");
    auto later = f.interest(offer.id, "Nour", "0639980051");
    CHECK(fu.propose(f.kAgent, late.id, offer.id, false, kToday).problem == FollowUpProblem::OfferFull);
    auto w1 = fu.propose(f.kAgent, late.id, offer.id, true, kToday);
    auto w2 = fu.propose(f.kAgent, later.id, offer.id, true, kToday);
    REQUIRE(w1.ok());
    REQUIRE(w2.ok());
    CHECK(loadIntroduction(f.db, w1.id)->status == IntroStatus::Waiting);
    CHECK(waitingList(f.db, offer.id).size() == 2);
    // nobody leaves the list while the offer is still full
    CHECK(fu.changeStatus(f.kAgent, w1.id, IntroStatus::Proposed, "", kToday).problem ==
          FollowUpProblem::OfferFull);
    CHECK_FALSE(nextToCallFor(f.db, offer.id).has_value());

    auto freed = fu.changeStatus(f.kAgent, holders.front(), IntroStatus::Cancelled, "moved_away", kToday);
    REQUIRE(freed.ok());
    REQUIRE(freed.nextToCall);
    CHECK(freed.nextToCall->id == w1.id);
    CHECK(freed.nextToCall->reference == late.reference);
    REQUIRE(fu.changeStatus(f.kAgent, w1.id, IntroStatus::Proposed, "", kToday).ok());
    CHECK(nextToCallFor(f.db, offer.id)->id == w2.id); // proposals hold no place yet
}

TEST_CASE("notes are sealed at rest and read back only with the unlocked key") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto r = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, kToday);
    const std::string notes = "Gaëlle préfère être appelée après 18 h au 06 39 98 00 42";
    REQUIRE(fu.setNotes(f.kAgent, r.id, notes).ok());
    CHECK(loadIntroduction(f.db, r.id)->hasNotes);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM introduction WHERE instr(notes_sealed, 'Gaëlle') > 0") == 0);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox WHERE instr(payload, 'Gaëlle') > 0") == 0);
    auto sk = test::unlockFixtureKey(f.db, f.kPin);
    REQUIRE(sk);
    CHECK(readNotes(f.db, f.pk, *sk, r.id) == notes);
    CHECK(fu.setNotes(f.kAgent, r.id, std::string(kMaxNotesBytes + 1, 'x')).problem ==
          FollowUpProblem::NotesTooLong);
    REQUIRE(fu.setNotes(f.kAgent, r.id, "").ok());
    CHECK_FALSE(readNotes(f.db, f.pk, *sk, r.id).has_value());
}

TEST_CASE("the next-action date can be set and cleared, and a wrong date is refused") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto r = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, kToday);
    REQUIRE(fu.setNextAction(f.kAgent, r.id, "2026-12-24").ok());
    CHECK(loadIntroduction(f.db, r.id)->nextActionOn == "2026-12-24");
    CHECK(lastEvent(f.db, "introduction.updated")["next_action_on"] == "2026-12-24");
    CHECK(fu.setNextAction(f.kAgent, r.id, "24/12/2026").problem == FollowUpProblem::BadDate);
    REQUIRE(fu.setNextAction(f.kAgent, r.id, "").ok());
    CHECK_FALSE(loadIntroduction(f.db, r.id)->nextActionOn.has_value());
}

TEST_CASE("hours are logged per introduction with their event, and add up") {
    FollowUpFixture f;
    auto fu = f.followUp();
    const Offer& offer = f.openOffer();
    auto r = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, kToday);
    // not before the organisation said yes
    CHECK(fu.logHours(f.kAgent, r.id, 2, "2026-12-01", kToday).problem == FollowUpProblem::NoHoursYet);
    REQUIRE(fu.changeStatus(f.kAgent, r.id, IntroStatus::Accepted, "", kToday).ok());
    REQUIRE(fu.changeStatus(f.kAgent, r.id, IntroStatus::Started, "", kToday).ok());
    auto h = fu.logHours(f.kAgent, r.id, 2.5, "2026-12-01", kToday);
    REQUIRE(h.ok());
    REQUIRE(fu.logHours(f.kAgent, r.id, 3, "2026-12-02", kToday).ok());
    CHECK(hoursTotal(f.db, r.id) == Approx(5.5));
    auto e = lastEvent(f.db, "hours.logged");
    CHECK(e["introduction_id"] == r.id);
    CHECK(e["hours"] == 3.0);
    CHECK(e["done_on"] == "2026-12-02");
    CHECK(e["agent_id"] == f.kAgent);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE action = 'hours.log' AND outcome = 'ok'") == 2);

    CHECK(fu.logHours(f.kAgent, r.id, 0, "2026-12-01", kToday).problem == FollowUpProblem::BadHours);
    CHECK(fu.logHours(f.kAgent, r.id, 25, "2026-12-01", kToday).problem == FollowUpProblem::BadHours);
    CHECK(fu.logHours(f.kAgent, r.id, 1, "2026-12-04", kToday).problem ==
          FollowUpProblem::BadDate); // tomorrow
    CHECK(fu.logHours(f.kAgent, r.id, 1, "1/12/2026", kToday).problem == FollowUpProblem::BadDate);
    CHECK(hoursTotal(f.db, r.id) == Approx(5.5));
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox WHERE type = 'hours.logged'") == 2);
}

TEST_CASE("a Permis Citoyen offer is flagged from the catalogue, and its introduction shows progress") {
    FollowUpFixture f;
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM offer WHERE permis_citoyen = 1") == 5);
    CHECK(queryInt(
              f.db,
              "SELECT COUNT(*) FROM offer WHERE permis_citoyen = 1 AND title NOT LIKE 'Permis Citoyen%'") ==
          0);
    auto fu = f.followUp();
    const Offer& offer = f.permisOffer();
    auto r = fu.propose(f.kAgent, f.interest(offer.id).id, offer.id, false, kToday);
    REQUIRE(r.ok());
    REQUIRE(fu.changeStatus(f.kAgent, r.id, IntroStatus::Accepted, "", kToday).ok());
    for (int day = 1; day <= 3; ++day)
        REQUIRE(fu.logHours(f.kAgent, r.id, 7.5, addDays("2026-11-27", day), kToday).ok());
    auto n = loadIntroduction(f.db, r.id);
    REQUIRE(n);
    CHECK(n->permisCitoyen);
    auto p = permisProgress(hoursTotal(f.db, r.id));
    CHECK(p.done == Approx(22.5));
    CHECK(p.minReached);
    CHECK_FALSE(p.maxReached);
    CHECK(p.fraction == Approx(22.5 / 40));
    CHECK_FALSE(
        loadIntroduction(
            f.db, fu.propose(f.kAgent, f.interest(f.openOffer().id).id, f.openOffer().id, false, kToday).id)
            ->permisCitoyen);
}

TEST_CASE("a call-back's follow-up: no answer keeps it due on the next date, another outcome closes it; "
          "each is an event and an audit line, the note sealed and erased with the visitor") {
    FollowUpFixture f;
    auto fu = f.followUp();
    store::CallbackDraft asked;
    asked.contact = {"Sacha", "0639980003", "", ""};
    asked.recontactAfter = "2026-12-01";
    auto cb = f.visitors().recordCallback(asked);
    // refused: an unknown call-back, no date or a past one for "no answer", a date for another outcome
    CHECK(
        fu.followUpCallback(f.kAgent, "nope", CallbackOutcome::NoAnswer, "2026-12-05", "", kToday).problem ==
        FollowUpProblem::UnknownCallback);
    CHECK(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::NoAnswer, "", "", kToday).problem ==
          FollowUpProblem::BadDate);
    CHECK(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::NoAnswer, kToday, "", kToday).problem ==
          FollowUpProblem::BadDate);
    CHECK(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::WrongNumber, "2026-12-05", "", kToday)
              .problem == FollowUpProblem::BadDate);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM outbox WHERE type = 'callback.followed_up'") == 0);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM audit WHERE action = 'callback.follow_up' AND outcome = "
                         "'refused'") == 4);

    auto r = fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::NoAnswer, "2026-12-07",
                                 "Messagerie pleine, rappeler Mme Test", kToday);
    REQUIRE(r.ok());
    auto ev = lastEvent(f.db, "callback.followed_up");
    CHECK(ev["callback_id"] == cb.id);
    CHECK(ev["reference"] == cb.reference);
    CHECK(ev["outcome"] == "no_answer");
    CHECK(ev["next_call_on"] == "2026-12-07");
    CHECK(ev["agent_id"] == f.kAgent);
    CHECK(ev.dump().find("Mme Test") == std::string::npos); // the note stays on the kiosk
    auto brief = loadCallback(f.db, cb.id);
    REQUIRE(brief);
    CHECK(brief->status == "waiting");
    CHECK(brief->recontactAfter == "2026-12-07"); // back in the inbox on that day
    REQUIRE(brief->attempts.size() == 1);
    CHECK(brief->attempts[0].hasNote);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM callback_followup WHERE instr(CAST(note_sealed AS TEXT), "
                         "'Mme Test') > 0") == 0);
    auto sk = test::unlockFixtureKey(f.db, f.kPin);
    REQUIRE(sk);
    CHECK(readCallbackNotes(f.db, f.pk, *sk, cb.id) ==
          std::vector<std::string>{"Messagerie pleine, rappeler Mme Test"});

    REQUIRE(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::IntroductionProposed, "", "", "2026-12-07")
                .ok());
    CHECK(loadCallback(f.db, cb.id)->status == "done");
    CHECK(lastEvent(f.db, "callback.followed_up")["outcome"] == "introduction_proposed");
    // closed: nothing more to record
    CHECK(fu.followUpCallback(f.kAgent, cb.id, CallbackOutcome::WrongNumber, "", "", "2026-12-07").problem ==
          FollowUpProblem::CallbackClosed);
    CHECK(queryInt(f.db,
                   "SELECT COUNT(*) FROM audit WHERE action = 'callback.follow_up' AND outcome = 'ok'") == 2);
    // the visitor's erasure takes the sealed notes too
    REQUIRE(eraseVisitor(f.db, "kiosk-test", f.kAgent, cb.reference).ok);
    CHECK(queryInt(f.db, "SELECT COUNT(*) FROM callback_followup WHERE note_sealed IS NOT NULL") == 0);
    CHECK(readCallbackNotes(f.db, f.pk, *sk, cb.id).empty());
}
