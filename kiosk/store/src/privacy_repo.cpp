// Privacy requests: find by reference code, export (art. 15), erase (art. 17).
#include "comptoir/store/privacy_repo.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/followup_repo.hpp"
#include "comptoir/store/indicators_repo.hpp"
#include "comptoir/store/outbox.hpp"

#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace comptoir::store {

std::string normaliseReference(const std::string& typed) {
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        if (!std::isalnum(static_cast<unsigned char>(c)) || code.size() >= 6) return {};
        code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (code.size() != 6) return {};
    return code.substr(0, 3) + "-" + code.substr(3);
}

namespace {

struct Located {
    VisitorRecord record;
    std::int64_t personalId = 0;
};

std::optional<Located> locate(const Database& db, const std::string& typed) {
    std::string ref = normaliseReference(typed);
    if (ref.empty()) return std::nullopt;
    Located l;
    auto i =
        db.prepare("SELECT i.id, i.reference, i.created_at, i.offer_id, i.offer_title, i.preferred_moment, "
                   "i.status, i.consent_version, i.personal_id, p.sealed IS NULL, "
                   "EXISTS (SELECT 1 FROM erasure e WHERE e.reference = i.reference) "
                   "FROM interest i JOIN personal p ON p.id = i.personal_id WHERE i.reference = ?1");
    i.bind(1, ref);
    if (i.step()) {
        l.record = VisitorRecord{RecordKind::Interest,
                                 i.text(0),
                                 i.text(1),
                                 i.text(2),
                                 i.text(3),
                                 i.text(4),
                                 i.text(5),
                                 "",
                                 i.text(6),
                                 i.integer(7),
                                 i.integer(10) != 0,
                                 i.integer(9) != 0};
        l.personalId = i.int64(8);
        return l;
    }
    auto c =
        db.prepare("SELECT c.id, c.reference, c.created_at, c.recontact_after, c.status, c.consent_version, "
                   "c.personal_id, p.sealed IS NULL, EXISTS (SELECT 1 FROM erasure e WHERE e.reference = "
                   "c.reference), COALESCE(c.offer_id, ''), COALESCE(c.offer_title, '') "
                   "FROM callback_request c JOIN personal p ON p.id = c.personal_id WHERE c.reference = ?1");
    c.bind(1, ref);
    if (!c.step()) return std::nullopt;
    l.record = VisitorRecord{RecordKind::Callback,
                             c.text(0),
                             c.text(1),
                             c.text(2),
                             c.text(9),
                             c.text(10),
                             "",
                             c.text(3),
                             c.text(4),
                             c.integer(5),
                             c.integer(8) != 0,
                             c.integer(7) != 0};
    l.personalId = c.int64(6);
    return l;
}

std::optional<std::vector<unsigned char>> sealedPersonal(const Database& db, std::int64_t personalId) {
    auto s = db.prepare("SELECT sealed FROM personal WHERE id = ?1 AND sealed IS NOT NULL");
    s.bind(1, personalId);
    if (!s.step()) return std::nullopt;
    return s.blob(0);
}

} // namespace

std::optional<VisitorRecord> findByReference(const Database& db, const std::string& typed) {
    auto l = locate(db, typed);
    if (!l) return std::nullopt;
    return l->record;
}

std::string exportVisitorData(Database& db, const PublicKey& pk, const SecretKey& sk, const Strings& s,
                              const std::string& agentId, const std::string& reference,
                              const std::string& dir, const std::string& stamp) {
    auto l = locate(db, reference);
    if (!l) throw std::runtime_error("no record has the reference code " + normaliseReference(reference));
    const VisitorRecord& r = l->record;
    std::string out;
    auto line = [&](const std::string& key, const std::string& value) {
        out += s.get(key) + " : " + value + "\n";
    };
    out += s.format("privacy.export.title", {{"reference", r.reference}}) + "\n\n";
    out += s.get("privacy.export.intro") + "\n\n";
    line("privacy.export.kind", s.get(r.kind == RecordKind::Interest ? "privacy.export.kind.interest"
                                                                     : "privacy.export.kind.callback"));
    line("privacy.export.created_at", r.createdAt);
    if (r.kind == RecordKind::Interest) {
        line("privacy.export.offer", r.offerTitle + " (" + r.offerId + ")");
        line("privacy.export.moment", r.preferredMoment);
    } else {
        if (!r.offerTitle.empty()) line("privacy.export.offer", r.offerTitle + " (" + r.offerId + ")");
        line("privacy.export.recontact_after", r.recontactAfter);
    }
    line("privacy.export.consent_version", std::to_string(r.consentVersion));
    out += "\n" + s.get("privacy.export.personal") + "\n";
    auto sealed = sealedPersonal(db, l->personalId);
    auto opened = sealed ? unseal(pk, sk, *sealed) : std::nullopt;
    if (!opened) {
        out += s.get(r.erased ? "privacy.export.erased" : "privacy.export.purged") + "\n";
    } else {
        auto j = nlohmann::json::parse(*opened, nullptr, false);
        for (const char* field : {"first_name", "phone", "email", "message"})
            if (j.is_object() && j.contains(field) && j[field].is_string())
                line(std::string("privacy.export.field.") + field, j[field].get<std::string>());
    }
    if (r.kind == RecordKind::Interest) {
        for (const auto& n : introductionsOfInterest(db, r.id)) {
            out += "\n" + s.format("privacy.export.introduction", {{"offer", n.offerTitle}}) + "\n";
            for (const auto& h : introductionHistory(db, n.id))
                out += "  " + h.at.substr(0, 10) + " — " +
                       s.get(std::string("followup.status.") + toString(h.status)) +
                       (h.reason.empty() ? "" : " (" + s.get("followup.reason." + h.reason) + ")") + "\n";
            if (auto notes = readNotes(db, pk, sk, n.id)) line("privacy.export.notes", *notes);
            auto hours = db.prepare(
                "SELECT done_on, hours FROM hours_log WHERE introduction_id = ?1 ORDER BY done_on");
            hours.bind(1, n.id);
            while (hours.step())
                line("privacy.export.hours", hours.text(0) + " — " + frenchDecimal(hours.real(1)) + " h");
        }
    }
    if (auto cb = r.kind == RecordKind::Callback ? loadCallback(db, r.id) : std::nullopt;
        cb && !cb->attempts.empty()) {
        out += "\n" + s.get("callback.outcome.title") + " :\n";
        for (const auto& a : cb->attempts)
            out += "  " + describeAttempt(a, s) + "\n";
        for (const auto& note : readCallbackNotes(db, pk, sk, r.id))
            line("privacy.export.notes", note);
    }
    out += "\n" + s.get("privacy.export.server") + "\n";
    out += s.get("privacy.export.rights") + "\n";
    std::string path = writeExportFile(dir, "donnees-" + r.reference + "-" + stamp + ".txt", out);
    Transaction tx(db);
    appendAudit(db, agentId, "privacy.export", r.reference);
    tx.commit();
    return path;
}

ErasureResult eraseVisitor(Database& db, const std::string& kioskId, const std::string& agentId,
                           const std::string& reference) {
    ErasureResult result;
    auto l = locate(db, reference);
    if (!l) {
        result.problem = "unknown_reference";
        return result;
    }
    const VisitorRecord& r = l->record;
    if (r.erased) {
        result.problem = "already_erased";
        return result;
    }
    bool interest = r.kind == RecordKind::Interest;
    // Deleted bytes are overwritten instead of left in free space; set before the transaction.
    db.exec("PRAGMA secure_delete = ON", "overwrite erased data");
    std::string now = nowUtcIso8601();
    Transaction tx(db);
    // First, so that the outbox's trigger lets exactly this record's sealed copies be blanked.
    db.prepare("INSERT INTO erasure(reference, record_kind, record_id, agent_id, erased_at) VALUES(?1, ?2, "
               "?3, ?4, ?5)")
        .bind(1, r.reference)
        .bind(2, interest ? "interest" : "callback")
        .bind(3, r.id)
        .bind(4, agentId)
        .bind(5, now)
        .run();
    db.prepare("UPDATE personal SET sealed = NULL, purged_at = ?2 WHERE id = ?1")
        .bind(1, l->personalId)
        .bind(2, now)
        .run();
    if (interest) {
        db.prepare("UPDATE introduction SET notes_sealed = NULL WHERE interest_id = ?1").bind(1, r.id).run();
        db.prepare("UPDATE interest SET status = 'closed' WHERE id = ?1").bind(1, r.id).run();
    } else {
        db.prepare("UPDATE callback_followup SET note_sealed = NULL WHERE callback_id = ?1")
            .bind(1, r.id)
            .run();
        db.prepare("UPDATE callback_request SET status = 'cancelled' WHERE id = ?1").bind(1, r.id).run();
    }
    db.prepare("UPDATE outbox SET payload = json_set(payload, '$.personal_sealed', '') "
               "WHERE type = ?1 AND json_extract(payload, '$.reference') = ?2 "
               "AND json_type(payload, '$.personal_sealed') = 'text' AND json_extract(payload, "
               "'$.personal_sealed') <> ''")
        .bind(1, interest ? "interest.registered" : "callback.requested")
        .bind(2, r.reference)
        .run();
    result.outboxCopiesBlanked = db.changes();
    result.eventId = appendAgentEvent(db, "visitor.erased", 1, kioskId, agentId,
                                      {{"record_kind", interest ? "interest" : "callback"},
                                       {"record_id", r.id},
                                       {"reference", r.reference},
                                       {"erased_at", now}});
    appendAudit(db, agentId, "privacy.erase", r.reference);
    tx.commit();
    // Older page images in the WAL still hold the sealed bytes: copy back and truncate it.
    auto cp = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    result.walTruncated = cp.step() && cp.integer(0) == 0;
    result.ok = true;
    return result;
}

} // namespace comptoir::store
