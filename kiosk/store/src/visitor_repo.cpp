#include "comptoir/store/visitor_repo.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/outbox.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace comptoir::store {

namespace {

nlohmann::json personalJson(const ContactDetails& c) {
    return {{"first_name", c.firstName}, {"phone", c.phone}, {"email", c.email}, {"message", c.message}};
}

/// Seals the personal fields and stores them apart; returns the row id and the sealed bytes.
std::pair<std::int64_t, std::vector<unsigned char>> storePersonal(Database& db, const PublicKey& key,
                                                                  const ContactDetails& c, const std::string& now) {
    auto sealed = seal(key, personalJson(c).dump());
    db.prepare("INSERT INTO personal(sealed, created_at) VALUES(?1, ?2)").bindBlob(1, sealed).bind(2, now).run();
    return {db.lastInsertRowId(), std::move(sealed)};
}

/// `atCounter`: an agent registered someone with neither phone nor e-mail, who will come back.
void requireValid(ContactDetails contact, bool atCounter = false) {
    auto problem = validateContact(contact);
    if (problem != ContactProblem::None && !(atCounter && problem == ContactProblem::NoWayToReach))
        throw std::invalid_argument("contact details must be validated before they are recorded");
}

/// Reference codes are random; on the rare clash, draw again.
template <class Insert> std::string insertWithFreshReference(Insert insert) {
    for (int attempt = 0;; ++attempt) {
        std::string ref = newReferenceCode();
        try {
            insert(ref);
            return ref;
        } catch (const DbError& e) {
            bool clash = std::string(e.what()).find(".reference") != std::string::npos;
            if (!clash || attempt >= 5) throw;
        }
    }
}

/// The one way a visitor's contact is recorded: sealed personal row, the record itself (with a
/// fresh reference code) and its event, in one durable transaction.
template <class InsertRow>
Recorded recordSealed(VisitorStore& vs, const ContactDetails& contact, const char* idField, const char* eventType,
                      nlohmann::json payload, InsertRow insertRow, bool atCounter = false) {
    requireValid(contact, atCounter);
    Transaction tx(vs.db);
    Recorded r;
    r.id = newUuidV7();
    std::string now = nowUtcIso8601();
    auto [personalId, sealed] = storePersonal(vs.db, vs.sealingKey, contact, now);
    r.reference = insertWithFreshReference(
        [&, pid = personalId](const std::string& ref) { insertRow(r.id, ref, pid, now); });
    payload[idField] = r.id;
    payload["reference"] = r.reference;
    payload["created_at"] = now;
    payload["personal_sealed"] = toBase64(sealed);
    r.eventId = appendEvent(vs.db, eventType, 1, vs.kioskId, payload);
    tx.commit();
    return r;
}

} // namespace

Recorded VisitorStore::recordInterest(const InterestDraft& d) {
    nlohmann::json payload{{"offer_id", d.offerId},
                           {"offer_title", d.offerTitle},
                           {"preferred_moment", d.preferredMoment},
                           {"consent_version", d.consentVersion}};
    if (d.assistedBy) payload["assisted_by"] = *d.assistedBy;
    if (d.atCounter) payload["reach"] = "at_counter";
    return recordSealed(*this, d.contact, "interest_id", "interest.registered", std::move(payload),
                        [&](const std::string& id, const std::string& ref, std::int64_t personalId, const std::string& now) {
                            db.prepare("INSERT INTO interest(id, reference, offer_id, offer_title, personal_id, "
                                       "preferred_moment, consent_version, created_at, assisted_by, reach) "
                                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                                .bind(1, id)
                                .bind(2, ref)
                                .bind(3, d.offerId)
                                .bind(4, d.offerTitle)
                                .bind(5, personalId)
                                .bind(6, d.preferredMoment)
                                .bind(7, d.consentVersion)
                                .bind(8, now)
                                .bindOptional(9, d.assistedBy)
                                .bind(10, d.atCounter ? "at_counter" : "contact")
                                .run();
                        },
                        d.atCounter);
}

Recorded VisitorStore::recordCallback(const CallbackDraft& d) {
    nlohmann::json payload{{"recontact_after", d.recontactAfter}, {"consent_version", d.consentVersion}};
    if (d.assistedBy) payload["assisted_by"] = *d.assistedBy;
    return recordSealed(*this, d.contact, "callback_id", "callback.requested", std::move(payload),
                        [&](const std::string& id, const std::string& ref, std::int64_t personalId, const std::string& now) {
                            db.prepare("INSERT INTO callback_request(id, reference, personal_id, recontact_after, "
                                       "consent_version, created_at, assisted_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                                .bind(1, id)
                                .bind(2, ref)
                                .bind(3, personalId)
                                .bind(4, d.recontactAfter)
                                .bind(5, d.consentVersion)
                                .bind(6, now)
                                .bindOptional(7, d.assistedBy)
                                .run();
                        });
}

std::string VisitorStore::recordFeedback(const std::string& context, int score) {
    Transaction tx(db);
    std::string id = newUuidV7();
    std::string now = nowUtcIso8601();
    db.prepare("INSERT INTO feedback(id, context, score, created_at) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, id)
        .bind(2, context)
        .bind(3, score)
        .bind(4, now)
        .run();
    appendEvent(db, "feedback.given", 1, kioskId, {{"feedback_id", id}, {"context", context}, {"score", score}, {"created_at", now}});
    tx.commit();
    return id;
}

std::int64_t interestCount(const Database& db) { return queryInt(db, "SELECT COUNT(*) FROM interest"); }

} // namespace comptoir::store
