// Introductions, their history, waiting list, notes and hours: validate → one transaction with
// the state change, the history line, the outbox event and the audit line.
#include "comptoir/store/followup_repo.hpp"

#include <algorithm>

#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/store/outbox.hpp"

#include <nlohmann/json.hpp>

namespace comptoir::store {

const char* toString(FollowUpProblem p) {
    switch (p) {
    case FollowUpProblem::None:
        return "none";
    case FollowUpProblem::UnknownInterest:
        return "unknown_interest";
    case FollowUpProblem::UnknownOffer:
        return "unknown_offer";
    case FollowUpProblem::UnknownIntroduction:
        return "unknown_introduction";
    case FollowUpProblem::OfferClosed:
        return "offer_closed";
    case FollowUpProblem::OfferFull:
        return "offer_full";
    case FollowUpProblem::AlreadyIntroduced:
        return "already_introduced";
    case FollowUpProblem::NotAllowed:
        return "not_allowed";
    case FollowUpProblem::ReasonMissing:
        return "reason_missing";
    case FollowUpProblem::ReasonUnknown:
        return "reason_unknown";
    case FollowUpProblem::BadDate:
        return "bad_date";
    case FollowUpProblem::BadHours:
        return "bad_hours";
    case FollowUpProblem::NotesTooLong:
        return "notes_too_long";
    case FollowUpProblem::NoHoursYet:
        return "no_hours_yet";
    case FollowUpProblem::UnknownCallback:
        return "unknown_callback";
    case FollowUpProblem::CallbackClosed:
        return "callback_closed";
    }
    return "none";
}

namespace {

constexpr const char* kSelectIntroduction =
    "SELECT n.id, n.interest_id, i.reference, n.offer_id, i.offer_title, n.organisation_id, n.status, "
    "n.reason, "
    "n.agent_id, n.next_action_on, n.notes_sealed IS NOT NULL, COALESCE(f.permis_citoyen, 0), n.created_at, "
    "n.updated_at, COALESCE(f.title, l.title, i.offer_title) FROM introduction n JOIN interest i ON i.id = "
    "n.interest_id "
    "LEFT JOIN offer f ON f.id = n.offer_id "
    "LEFT JOIN (SELECT id, json_extract(body, '$.title') AS title FROM local_offer) l ON l.id = n.offer_id ";

Introduction readIntroduction(const Statement& s) {
    Introduction n;
    n.id = s.text(0);
    n.interestId = s.text(1);
    n.reference = s.text(2);
    n.offerId = s.text(3);
    n.organisationId = s.text(5);
    (void)parseIntroStatus(s.text(6), n.status);
    n.reason = s.text(7);
    if (!s.isNull(8)) n.agentId = s.text(8);
    if (!s.isNull(9)) n.nextActionOn = s.text(9);
    n.hasNotes = s.integer(10) != 0;
    n.permisCitoyen = s.integer(11) != 0;
    n.createdAt = s.text(12);
    n.updatedAt = s.text(13);
    n.offerTitle = s.text(14);
    return n;
}

std::vector<Introduction> queryIntroductions(const Database& db, const std::string& where,
                                             const std::string& arg) {
    auto s = db.prepare(std::string(kSelectIntroduction) + where);
    s.bind(1, arg);
    std::vector<Introduction> out;
    while (s.step())
        out.push_back(readIntroduction(s));
    return out;
}

/// The event every change of an introduction sends: the fields the central server folds
/// (latest `updated_at` wins), plus the offer and next action.
nlohmann::json introductionPayload(const Introduction& n) {
    return {{"introduction_id", n.id},
            {"interest_id", n.interestId},
            {"offer_id", n.offerId},
            {"organisation_id", n.organisationId},
            {"status", toString(n.status)},
            {"reason", n.reason},
            {"next_action_on", n.nextActionOn ? *n.nextActionOn : std::string()},
            {"updated_at", n.updatedAt}};
}

/// Writes the introduction's current fields, a history line when the status moved, the event and
/// the audit line. Must run inside the caller's Transaction.
std::string saveIntroduction(Database& db, const std::string& kioskId, const std::string& agentId,
                             const Introduction& n, bool created, bool statusMoved, const char* auditAction) {
    if (created) {
        db.prepare("INSERT INTO introduction(id, interest_id, offer_id, organisation_id, status, reason, "
                   "agent_id, "
                   "next_action_on, created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
            .bind(1, n.id)
            .bind(2, n.interestId)
            .bind(3, n.offerId)
            .bind(4, n.organisationId)
            .bind(5, toString(n.status))
            .bind(6, n.reason)
            .bind(7, agentId)
            .bindOptional(8, n.nextActionOn)
            .bind(9, n.createdAt)
            .bind(10, n.updatedAt)
            .run();
    } else {
        db.prepare("UPDATE introduction SET status = ?2, reason = ?3, agent_id = ?4, next_action_on = ?5, "
                   "updated_at = ?6 WHERE id = ?1")
            .bind(1, n.id)
            .bind(2, toString(n.status))
            .bind(3, n.reason)
            .bind(4, agentId)
            .bindOptional(5, n.nextActionOn)
            .bind(6, n.updatedAt)
            .run();
    }
    if (statusMoved)
        db.prepare("INSERT INTO introduction_history(introduction_id, status, reason, agent_id, at) "
                   "VALUES(?1, ?2, ?3, ?4, ?5)")
            .bind(1, n.id)
            .bind(2, toString(n.status))
            .bind(3, n.reason)
            .bind(4, agentId)
            .bind(5, n.updatedAt)
            .run();
    std::string eventId = appendAgentEvent(db, created ? "introduction.created" : "introduction.updated", 1,
                                           kioskId, agentId, introductionPayload(n));
    appendAudit(db, agentId, auditAction, n.id);
    return eventId;
}

/// The common end of every change to an existing introduction: stamp it, run `extra` (more rows
/// of the same change), save it with its event and audit line, in one transaction.
template <class Extra>
FollowUpResult commitUpdate(FollowUpStore& fs, const std::string& agentId, Introduction n, bool statusMoved,
                            const char* action, Extra extra) {
    n.updatedAt = nowUtcIso8601();
    Transaction tx(fs.db);
    extra(n);
    FollowUpResult r;
    r.id = n.id;
    r.eventId = saveIntroduction(fs.db, fs.kioskId, agentId, n, false, statusMoved, action);
    tx.commit();
    return r;
}

/// Refusals are audited too (who tried what on which record), in their own short transaction.
FollowUpResult refuse(Database& db, const std::string& agentId, const char* action,
                      const std::string& subject, FollowUpProblem p) {
    Transaction tx(db);
    appendAudit(db, agentId, action, subject.substr(0, 64), AuditOutcome::Refused);
    tx.commit();
    FollowUpResult r;
    r.problem = p;
    r.id = subject;
    return r;
}

std::optional<std::string> optionalDate(const std::string& date) {
    return date.empty() ? std::nullopt : std::optional<std::string>(date);
}

/// The first mission of an offer, when the catalogue knows it (YYYY-MM-DD), for next actions.
std::string firstMissionDate(const Database& db, const std::string& offerId) {
    auto s =
        db.prepare("SELECT substr(first_date, 1, 10) FROM offer WHERE id = ?1 AND first_date IS NOT NULL");
    s.bind(1, offerId);
    return s.step() ? s.text(0) : std::string();
}

} // namespace

FollowUpResult FollowUpStore::propose(const std::string& agentId, const std::string& interestId,
                                      const std::string& offerId, bool joinWaitingList,
                                      const std::string& today) {
    const char* action = "introduction.propose";
    {
        auto s = db.prepare("SELECT 1 FROM interest WHERE id = ?1");
        s.bind(1, interestId);
        if (!s.step()) return refuse(db, agentId, action, interestId, FollowUpProblem::UnknownInterest);
    }
    auto offer = offerFacts(db, offerId);
    if (!offer) return refuse(db, agentId, action, offerId, FollowUpProblem::UnknownOffer);
    if (offer->closed()) return refuse(db, agentId, action, offerId, FollowUpProblem::OfferClosed);
    for (const auto& existing : introductionsOfInterest(db, interestId))
        if (existing.offerId == offerId && !isFinal(existing.status))
            return refuse(db, agentId, action, existing.id, FollowUpProblem::AlreadyIntroduced);
    bool full = offer->full();
    if (full && !joinWaitingList) return refuse(db, agentId, action, offerId, FollowUpProblem::OfferFull);

    Introduction n;
    n.id = newUuidV7();
    n.interestId = interestId;
    n.offerId = offerId;
    n.organisationId = offer->organisationId;
    n.status = full ? IntroStatus::Waiting : IntroStatus::Proposed;
    n.nextActionOn = suggestNextAction(n.status, today, firstMissionDate(db, offerId));
    n.createdAt = n.updatedAt = nowUtcIso8601();
    Transaction tx(db);
    FollowUpResult r;
    r.id = n.id;
    r.eventId = saveIntroduction(db, kioskId, agentId, n, true, true, action);
    db.prepare("UPDATE interest SET status = 'introduced' WHERE id = ?1 AND status IN ('new','contacted')")
        .bind(1, interestId)
        .run();
    tx.commit();
    return r;
}

FollowUpResult FollowUpStore::changeStatus(const std::string& agentId, const std::string& introductionId,
                                           IntroStatus to, const std::string& reason,
                                           const std::string& today,
                                           const std::optional<std::string>& nextActionOn) {
    const char* action = "introduction.status";
    auto current = loadIntroduction(db, introductionId);
    if (!current) return refuse(db, agentId, action, introductionId, FollowUpProblem::UnknownIntroduction);
    switch (checkTransition(current->status, to, reason)) {
    case TransitionProblem::None:
        break;
    case TransitionProblem::NotAllowed:
        return refuse(db, agentId, action, introductionId, FollowUpProblem::NotAllowed);
    case TransitionProblem::ReasonMissing:
        return refuse(db, agentId, action, introductionId, FollowUpProblem::ReasonMissing);
    case TransitionProblem::ReasonUnknown:
        return refuse(db, agentId, action, introductionId, FollowUpProblem::ReasonUnknown);
    }
    if (nextActionOn && !nextActionOn->empty() && !isIsoDate(*nextActionOn))
        return refuse(db, agentId, action, introductionId, FollowUpProblem::BadDate);
    // Leaving the waiting list takes a place: only when the offer has one again.
    if (current->status == IntroStatus::Waiting && to == IntroStatus::Proposed) {
        auto offer = offerFacts(db, current->offerId);
        if (offer && offer->full())
            return refuse(db, agentId, action, introductionId, FollowUpProblem::OfferFull);
    }
    Introduction n = *current;
    IntroStatus from = n.status;
    n.status = to;
    n.reason = reason;
    if (nextActionOn)
        n.nextActionOn = nextActionOn->empty() ? std::nullopt : nextActionOn;
    else
        n.nextActionOn = suggestNextAction(to, today, firstMissionDate(db, n.offerId));
    auto r = commitUpdate(*this, agentId, n, true, action, [&](const Introduction& changed) {
        if (!isFinal(to) || to == IntroStatus::Completed) return;
        // The registration is back to "contacted" when none of its introductions is still open.
        db.prepare("UPDATE interest SET status = 'contacted' WHERE id = ?1 AND status = 'introduced' AND NOT "
                   "EXISTS "
                   "(SELECT 1 FROM introduction WHERE interest_id = ?1 AND id <> ?2 AND status NOT IN "
                   "('completed','declined','cancelled','no_show'))")
            .bind(1, changed.interestId)
            .bind(2, changed.id)
            .run();
    });
    if (freesPlace(from, to)) r.nextToCall = nextToCallFor(db, n.offerId);
    return r;
}

FollowUpResult FollowUpStore::setNotes(const std::string& agentId, const std::string& introductionId,
                                       const std::string& notes) {
    const char* action = "introduction.notes";
    auto current = loadIntroduction(db, introductionId);
    if (!current) return refuse(db, agentId, action, introductionId, FollowUpProblem::UnknownIntroduction);
    if (notes.size() > kMaxNotesBytes || !isValidUtf8(notes))
        return refuse(db, agentId, action, introductionId, FollowUpProblem::NotesTooLong);
    // The notes stay on the kiosk (sealed to its key); the event only says the record changed.
    return commitUpdate(*this, agentId, *current, false, action, [&](const Introduction& n) {
        auto upd = db.prepare("UPDATE introduction SET notes_sealed = ?2 WHERE id = ?1");
        upd.bind(1, n.id);
        if (notes.empty())
            upd.bindNull(2);
        else
            upd.bindBlob(2, seal(sealingKey, notes));
        upd.run();
    });
}

FollowUpResult FollowUpStore::setNextAction(const std::string& agentId, const std::string& introductionId,
                                            const std::string& date) {
    const char* action = "introduction.next_action";
    auto current = loadIntroduction(db, introductionId);
    if (!current) return refuse(db, agentId, action, introductionId, FollowUpProblem::UnknownIntroduction);
    if (!date.empty() && !isIsoDate(date))
        return refuse(db, agentId, action, introductionId, FollowUpProblem::BadDate);
    Introduction n = *current;
    n.nextActionOn = date.empty() ? std::nullopt : std::optional<std::string>(date);
    return commitUpdate(*this, agentId, n, false, action, [](const Introduction&) {});
}

FollowUpResult FollowUpStore::logHours(const std::string& agentId, const std::string& introductionId,
                                       double hours, const std::string& doneOn, const std::string& today) {
    const char* action = "hours.log";
    auto current = loadIntroduction(db, introductionId);
    if (!current) return refuse(db, agentId, action, introductionId, FollowUpProblem::UnknownIntroduction);
    if (!isParticipation(current->status))
        return refuse(db, agentId, action, introductionId, FollowUpProblem::NoHoursYet);
    if (!isValidHoursEntry(hours))
        return refuse(db, agentId, action, introductionId, FollowUpProblem::BadHours);
    // Hours are logged for what was done: never a day still to come.
    if (!isIsoDate(doneOn) || (isIsoDate(today) && doneOn > today))
        return refuse(db, agentId, action, introductionId, FollowUpProblem::BadDate);
    Transaction tx(db);
    FollowUpResult r;
    r.id = newUuidV7();
    std::string now = nowUtcIso8601();
    db.prepare("INSERT INTO hours_log(id, introduction_id, hours, done_on, agent_id, created_at) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, r.id)
        .bind(2, introductionId)
        .bind(3, hours)
        .bind(4, doneOn)
        .bind(5, agentId)
        .bind(6, now)
        .run();
    r.eventId = appendAgentEvent(db, "hours.logged", 1, kioskId, agentId,
                                 {{"hours_id", r.id},
                                  {"introduction_id", introductionId},
                                  {"hours", hours},
                                  {"done_on", doneOn},
                                  {"created_at", now}});
    appendAudit(db, agentId, action, introductionId);
    tx.commit();
    return r;
}

FollowUpResult FollowUpStore::followUpCallback(const std::string& agentId, const std::string& callbackId,
                                               CallbackOutcome outcome, const std::string& nextCallOn,
                                               const std::string& note, const std::string& today) {
    const char* action = "callback.follow_up";
    std::string reference;
    {
        auto s = db.prepare("SELECT status, reference FROM callback_request WHERE id = ?1");
        s.bind(1, callbackId);
        if (!s.step()) return refuse(db, agentId, action, callbackId, FollowUpProblem::UnknownCallback);
        if (s.text(0) != "waiting")
            return refuse(db, agentId, action, callbackId, FollowUpProblem::CallbackClosed);
        reference = s.text(1);
    }
    const bool keepsOpen = keepsCallbackOpen(outcome);
    // "Rappeler le …": a real day to come; the other outcomes take no date.
    if (keepsOpen ? (!isIsoDate(nextCallOn) || (isIsoDate(today) && nextCallOn <= today))
                  : !nextCallOn.empty())
        return refuse(db, agentId, action, callbackId, FollowUpProblem::BadDate);
    if (note.size() > kMaxNotesBytes || !isValidUtf8(note))
        return refuse(db, agentId, action, callbackId, FollowUpProblem::NotesTooLong);
    std::string now = nowUtcIso8601();
    Transaction tx(db);
    FollowUpResult r;
    r.id = callbackId;
    if (keepsOpen)
        db.prepare("UPDATE callback_request SET recontact_after = ?2 WHERE id = ?1")
            .bind(1, callbackId)
            .bind(2, nextCallOn)
            .run();
    else
        db.prepare("UPDATE callback_request SET status = 'done' WHERE id = ?1").bind(1, callbackId).run();
    auto ins = db.prepare("INSERT INTO callback_followup(callback_id, outcome, next_call_on, note_sealed, "
                          "agent_id, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    ins.bind(1, callbackId).bind(2, toString(outcome)).bindOptional(3, optionalDate(nextCallOn));
    if (note.empty())
        ins.bindNull(4);
    else
        ins.bindBlob(4, seal(sealingKey, note));
    ins.bind(5, agentId).bind(6, now).run();
    // The note stays on the kiosk (sealed to its key); the event carries the outcome only.
    r.eventId = appendAgentEvent(db, "callback.followed_up", 1, kioskId, agentId,
                                 {{"callback_id", callbackId},
                                  {"reference", reference},
                                  {"outcome", toString(outcome)},
                                  {"next_call_on", nextCallOn},
                                  {"followed_up_at", now}});
    appendAudit(db, agentId, action, callbackId);
    tx.commit();
    return r;
}

std::optional<CallbackBrief> loadCallback(const Database& db, const std::string& id) {
    auto s =
        db.prepare("SELECT id, reference, recontact_after, created_at, status, COALESCE(offer_title, ''), "
                   "personal_id FROM callback_request WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    CallbackBrief c{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.int64(6), {}};
    auto a = db.prepare("SELECT outcome, COALESCE(next_call_on, ''), at, note_sealed IS NOT NULL "
                        "FROM callback_followup WHERE callback_id = ?1 ORDER BY id");
    a.bind(1, id);
    while (a.step()) {
        CallbackAttempt t;
        (void)parseCallbackOutcome(a.text(0), t.outcome);
        t.nextCallOn = a.text(1);
        t.at = a.text(2);
        t.hasNote = a.int64(3) != 0;
        c.attempts.push_back(std::move(t));
    }
    return c;
}

std::string describeAttempt(const CallbackAttempt& a, const Strings& s) {
    std::string line =
        a.at.substr(0, 10) + " — " + s.get(std::string("callback.outcome.") + toString(a.outcome));
    if (!a.nextCallOn.empty()) line += " (" + s.format("callback.next_call", {{"date", a.nextCallOn}}) + ")";
    return line;
}

std::vector<std::string> readCallbackNotes(const Database& db, const PublicKey& pk, const SecretKey& sk,
                                           const std::string& callbackId) {
    auto s = db.prepare("SELECT note_sealed FROM callback_followup WHERE callback_id = ?1 AND note_sealed IS "
                        "NOT NULL ORDER BY id");
    s.bind(1, callbackId);
    std::vector<std::string> out;
    while (s.step())
        if (auto text = unseal(pk, sk, s.blob(0))) out.push_back(std::move(*text));
    return out;
}

std::optional<InterestBrief> loadInterest(const Database& db, const std::string& id) {
    auto s = db.prepare("SELECT id, reference, offer_id, offer_title, status, created_at, "
                        "COALESCE(personal_id, 0), reach = 'at_counter' FROM interest WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return InterestBrief{s.text(0), s.text(1), s.text(2),  s.text(3),
                         s.text(4), s.text(5), s.int64(6), s.int64(7) != 0};
}

std::optional<Introduction> loadIntroduction(const Database& db, const std::string& id) {
    auto v = queryIntroductions(db, "WHERE n.id = ?1", id);
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
}

std::vector<Introduction> introductionsOfInterest(const Database& db, const std::string& interestId) {
    return queryIntroductions(db, "WHERE n.interest_id = ?1 ORDER BY n.created_at, n.id", interestId);
}

std::vector<Introduction> recentIntroductions(const Database& db, int limit) {
    // The bound argument is the limit, as text; SQLite casts it for LIMIT.
    return queryIntroductions(db,
                              "ORDER BY n.status IN ('completed','declined','cancelled','no_show'), "
                              "n.updated_at DESC, n.id LIMIT CAST(?1 AS INTEGER)",
                              std::to_string(std::clamp(limit, 0, 10000)));
}

std::string organisationName(const Database& db, const std::string& organisationId) {
    auto s = db.prepare("SELECT name FROM organisation WHERE id = ?1");
    s.bind(1, organisationId);
    return s.step() ? s.text(0) : std::string();
}

std::vector<Introduction> waitingList(const Database& db, const std::string& offerId) {
    return queryIntroductions(
        db, "WHERE n.offer_id = ?1 AND n.status = 'waiting' ORDER BY n.created_at, n.id", offerId);
}

std::vector<HistoryLine> introductionHistory(const Database& db, const std::string& id) {
    auto s =
        db.prepare("SELECT status, reason, agent_id, at FROM introduction_history WHERE introduction_id = ?1 "
                   "ORDER BY id");
    s.bind(1, id);
    std::vector<HistoryLine> out;
    while (s.step()) {
        HistoryLine h;
        (void)parseIntroStatus(s.text(0), h.status);
        h.reason = s.text(1);
        if (!s.isNull(2)) h.agentId = s.text(2);
        h.at = s.text(3);
        out.push_back(std::move(h));
    }
    return out;
}

std::optional<std::string> readNotes(const Database& db, const PublicKey& pk, const SecretKey& sk,
                                     const std::string& introductionId) {
    auto s = db.prepare("SELECT notes_sealed FROM introduction WHERE id = ?1 AND notes_sealed IS NOT NULL");
    s.bind(1, introductionId);
    if (!s.step()) return std::nullopt;
    return unseal(pk, sk, s.blob(0));
}

std::optional<Introduction> nextToCallFor(const Database& db, const std::string& offerId) {
    auto offer = offerFacts(db, offerId);
    if (!offer || offer->full() || offer->closed()) return std::nullopt;
    std::vector<WaitingEntry> entries;
    auto waiting = waitingList(db, offerId);
    for (const auto& w : waiting)
        entries.push_back({w.id, w.createdAt});
    auto next = nextToCall(entries);
    if (!next) return std::nullopt;
    for (auto& w : waiting)
        if (w.id == next->introductionId) return std::move(w);
    return std::nullopt;
}

bool offerFull(const Database& db, const std::string& offerId) {
    auto f = offerFacts(db, offerId);
    return f && f->full();
}

double hoursTotal(const Database& db, const std::string& introductionId) {
    auto s = db.prepare("SELECT COALESCE(SUM(hours), 0) FROM hours_log WHERE introduction_id = ?1");
    s.bind(1, introductionId);
    return s.step() ? s.real(0) : 0.0;
}

} // namespace comptoir::store
