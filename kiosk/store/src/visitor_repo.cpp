#include "comptoir/store/visitor_repo.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/outbox.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

namespace comptoir::store {

namespace {

/// NULL rather than '' for a column that may have no value.
std::optional<std::string> optionalText(const std::string& v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

nlohmann::json personalJson(const ContactDetails& c) {
    return {{"first_name", c.firstName}, {"phone", c.phone}, {"email", c.email}, {"message", c.message}};
}

/// `atCounter`: an agent registered someone with neither phone nor e-mail, who will come back.
void requireValid(ContactDetails contact, bool atCounter = false) {
    auto problem = validateContact(contact);
    if (problem != ContactProblem::None && !(atCounter && problem == ContactProblem::NoWayToReach))
        throw std::invalid_argument("contact details must be validated before they are recorded");
}

PreparedRecord prepareCommon(PreparedRecord::Kind kind, const ContactDetails& contact, int consentVersion,
                             const SealingKeys& keys, const std::string& kioskId, bool atCounter = false) {
    requireValid(contact, atCounter);
    PreparedRecord r;
    r.kind = kind;
    r.id = newUuidV7();
    r.eventId = newUuidV7();
    r.reference = newReferenceCode();
    r.createdAt = nowUtcIso8601();
    r.kioskId = kioskId;
    r.consentVersion = consentVersion;
    r.personalSealed = seal(keys, personalJson(contact).dump());
    return r;
}

const char* recordTable(PreparedRecord::Kind k) {
    return k == PreparedRecord::Kind::Interest ? "interest" : "callback_request";
}

/// The reference already stored for this record, when it was committed before.
std::optional<std::string> storedReference(Database& db, const PreparedRecord& r) {
    auto q = db.prepare(std::string("SELECT reference FROM ") + recordTable(r.kind) + " WHERE id = ?1");
    q.bind(1, r.id);
    if (q.step()) return q.text(0);
    auto e = db.prepare("SELECT json_extract(payload, '$.reference') FROM outbox WHERE event_id = ?1");
    e.bind(1, r.eventId);
    if (e.step()) return e.text(0);
    return std::nullopt;
}

void insertRow(Database& db, const PreparedRecord& r, const std::string& ref, std::int64_t personalId) {
    if (r.kind == PreparedRecord::Kind::Interest) {
        db.prepare(
              "INSERT INTO interest(id, reference, offer_id, offer_title, personal_id, preferred_moment, "
              "consent_version, created_at, assisted_by, reach) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
            .bind(1, r.id)
            .bind(2, ref)
            .bind(3, r.offerId)
            .bind(4, r.offerTitle)
            .bind(5, personalId)
            .bind(6, r.preferredMoment)
            .bind(7, r.consentVersion)
            .bind(8, r.createdAt)
            .bindOptional(9, r.assistedBy)
            .bind(10, r.atCounter ? "at_counter" : "contact")
            .run();
    } else {
        db.prepare(
              "INSERT INTO callback_request(id, reference, personal_id, recontact_after, consent_version, "
              "created_at, assisted_by, offer_id, offer_title) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .bind(1, r.id)
            .bind(2, ref)
            .bind(3, personalId)
            .bind(4, r.recontactAfter)
            .bind(5, r.consentVersion)
            .bind(6, r.createdAt)
            .bindOptional(7, r.assistedBy)
            .bindOptional(8, optionalText(r.offerId))
            .bindOptional(9, optionalText(r.offerTitle))
            .run();
    }
}

/// The prepared reference first; on the rare clash with a stored one, draw again.
std::string insertWithFreeReference(Database& db, const PreparedRecord& r, std::int64_t personalId) {
    std::string ref = r.reference;
    for (int attempt = 0;; ++attempt) {
        try {
            insertRow(db, r, ref, personalId);
            return ref;
        } catch (const DbError& e) {
            bool clash = std::string(e.what()).find(".reference") != std::string::npos;
            if (!clash || attempt >= 5) throw;
            ref = newReferenceCode();
        }
    }
}

} // namespace

PreparedRecord prepareInterest(const InterestDraft& d, const SealingKeys& keys, const std::string& kioskId) {
    auto r = prepareCommon(PreparedRecord::Kind::Interest, d.contact, d.consentVersion, keys, kioskId,
                           d.atCounter);
    r.assistedBy = d.assistedBy;
    r.atCounter = d.atCounter;
    r.offerId = d.offerId;
    r.offerTitle = d.offerTitle;
    r.preferredMoment = d.preferredMoment;
    return r;
}

PreparedRecord prepareCallback(const CallbackDraft& d, const SealingKeys& keys, const std::string& kioskId) {
    auto r = prepareCommon(PreparedRecord::Kind::Callback, d.contact, d.consentVersion, keys, kioskId);
    r.assistedBy = d.assistedBy;
    r.recontactAfter = d.recontactAfter;
    r.offerId = d.offerId;
    r.offerTitle = d.offerTitle;
    return r;
}

CommitOutcome commitRecord(Database& db, const PreparedRecord& r) {
    Transaction tx(db);
    CommitOutcome out;
    out.recorded.id = r.id;
    out.recorded.eventId = r.eventId;
    if (auto ref = storedReference(db, r)) {
        out.recorded.reference = *ref;
        out.alreadyThere = true;
        return out; // the transaction rolls back: nothing was written
    }
    db.prepare("INSERT INTO personal(sealed, created_at) VALUES(?1, ?2)")
        .bindBlob(1, r.personalSealed)
        .bind(2, r.createdAt)
        .run();
    std::int64_t personalId = db.lastInsertRowId();
    out.recorded.reference = insertWithFreeReference(db, r, personalId);
    bool interest = r.kind == PreparedRecord::Kind::Interest;
    nlohmann::json payload = interest ? nlohmann::json{{"offer_id", r.offerId},
                                                       {"offer_title", r.offerTitle},
                                                       {"preferred_moment", r.preferredMoment}}
                                      : nlohmann::json{{"recontact_after", r.recontactAfter}};
    payload["consent_version"] = r.consentVersion;
    if (!interest && !r.offerId.empty()) { // optional: servers before it ignore it, older kiosks omit it
        payload["offer_id"] = r.offerId;
        payload["offer_title"] = r.offerTitle;
    }
    if (r.assistedBy) payload["assisted_by"] = *r.assistedBy;
    if (r.atCounter) payload["reach"] = "at_counter";
    payload[interest ? "interest_id" : "callback_id"] = r.id;
    payload["reference"] = out.recorded.reference;
    payload["created_at"] = r.createdAt;
    payload["personal_sealed"] = toBase64(r.personalSealed);
    appendEventAs(db, r.eventId, r.createdAt, interest ? "interest.registered" : "callback.requested", 1,
                  r.kioskId, payload);
    tx.commit();
    return out;
}

nlohmann::json toJson(const PreparedRecord& r) {
    bool interest = r.kind == PreparedRecord::Kind::Interest;
    nlohmann::json j{{"kind", interest ? "interest" : "callback"},
                     {"id", r.id},
                     {"reference", r.reference},
                     {"event_id", r.eventId},
                     {"created_at", r.createdAt},
                     {"kiosk_id", r.kioskId},
                     {"personal_sealed", toBase64(r.personalSealed)},
                     {"consent_version", r.consentVersion}};
    if (r.assistedBy) j["assisted_by"] = *r.assistedBy;
    if (r.atCounter) j["at_counter"] = true;
    if (interest) {
        j["offer_id"] = r.offerId;
        j["offer_title"] = r.offerTitle;
        j["preferred_moment"] = r.preferredMoment;
    } else {
        j["recontact_after"] = r.recontactAfter;
        if (!r.offerId.empty()) {
            j["offer_id"] = r.offerId;
            j["offer_title"] = r.offerTitle;
        }
    }
    return j;
}

std::optional<PreparedRecord> preparedFromJson(const nlohmann::json& j, std::string& error) {
    auto text = [&](const char* key, std::string& out, std::size_t maxLen) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().size() > maxLen) {
            error = std::string("missing or invalid '") + key + "'";
            return false;
        }
        out = it->get<std::string>();
        return true;
    };
    if (!j.is_object()) {
        error = "not a JSON object";
        return std::nullopt;
    }
    PreparedRecord r;
    std::string kind, sealed;
    if (!text("kind", kind, 16) || !text("id", r.id, 64) || !text("reference", r.reference, 16) ||
        !text("event_id", r.eventId, 64) || !text("created_at", r.createdAt, 40) ||
        !text("kiosk_id", r.kioskId, 128) || !text("personal_sealed", sealed, 16 * 1024))
        return std::nullopt;
    if (kind != "interest" && kind != "callback") {
        error = "unknown kind '" + kind.substr(0, 16) + "'";
        return std::nullopt;
    }
    r.kind = kind == "interest" ? PreparedRecord::Kind::Interest : PreparedRecord::Kind::Callback;
    auto bytes = fromBase64(sealed);
    if (!bytes || bytes->empty() || r.id.empty() || r.eventId.empty() || r.reference.empty()) {
        error = "empty id, reference or sealed contact";
        return std::nullopt;
    }
    r.personalSealed = std::move(*bytes);
    auto cv = j.find("consent_version");
    if (cv == j.end() || !cv->is_number_integer()) {
        error = "missing or invalid 'consent_version'";
        return std::nullopt;
    }
    r.consentVersion = cv->get<int>();
    if (j.contains("assisted_by")) {
        std::string agent;
        if (!text("assisted_by", agent, 64)) return std::nullopt;
        r.assistedBy = agent;
    }
    auto counter = j.find("at_counter");
    r.atCounter = counter != j.end() && counter->is_boolean() && counter->get<bool>();
    bool ok = r.kind == PreparedRecord::Kind::Interest
                  ? text("offer_id", r.offerId, 256) && text("offer_title", r.offerTitle, 1024) &&
                        text("preferred_moment", r.preferredMoment, 32)
                  : text("recontact_after", r.recontactAfter, 16) &&
                        (!j.contains("offer_id") ||
                         (text("offer_id", r.offerId, 256) && text("offer_title", r.offerTitle, 1024)));
    if (!ok) return std::nullopt;
    return r;
}

Recorded VisitorStore::recordInterest(const InterestDraft& d) {
    return commitRecord(db, prepareInterest(d, sealingKeys, kioskId)).recorded;
}

Recorded VisitorStore::recordCallback(const CallbackDraft& d) {
    return commitRecord(db, prepareCallback(d, sealingKeys, kioskId)).recorded;
}

namespace {
std::string dayOr(const std::string& day) {
    return day.empty() ? nowUtcIso8601().substr(0, 10) : day;
}
} // namespace

std::string VisitorStore::recordFeedback(int score, const std::string& day) {
    std::string id = newUuidV4();
    db.prepare("INSERT INTO feedback(id, score, given_on, held) VALUES(?1, ?2, ?3, 1)")
        .bind(1, id)
        .bind(2, score)
        .bind(3, dayOr(day))
        .run();
    return id;
}

std::size_t releaseHeldFeedback(Database& db, const std::string& kioskId, const std::string& today) {
    Transaction tx(db);
    struct Held {
        std::string id, day;
        std::int64_t score;
    };
    std::vector<Held> held;
    {
        auto s = db.prepare(
            "SELECT id, score, given_on FROM feedback WHERE held = 1 AND given_on < ?1 ORDER BY id");
        s.bind(1, dayOr(today));
        while (s.step())
            held.push_back({s.text(0), s.text(2), s.integer(1)});
    }
    auto release = db.prepare("UPDATE feedback SET held = 0 WHERE id = ?1");
    for (const auto& f : held) {
        // Random event id; the day at midnight as the event's time: the same for all of a day.
        appendEventAs(db, newUuidV4(), f.day + "T00:00:00.000Z", "feedback.given", 2, kioskId,
                      {{"feedback_id", f.id}, {"score", f.score}, {"given_on", f.day}});
        release.bind(1, f.id).run();
        release.reset();
    }
    tx.commit();
    return held.size();
}

std::int64_t heldFeedbackCount(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM feedback WHERE held = 1");
}

std::int64_t interestCount(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM interest");
}

} // namespace comptoir::store
