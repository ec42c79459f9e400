#pragma once
/// @brief Privacy requests at the counter (GDPR articles 15 and 17): find a visitor's record by
/// the reference code they were given, export what the kiosk holds about it as a readable file,
/// erase its personal data everywhere on the kiosk and queue the erasure for the central server.

#include "comptoir/domain/i18n.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/sealing.hpp"

#include <optional>
#include <string>

namespace comptoir::store {

enum class RecordKind { Interest, Callback };

struct VisitorRecord {
    RecordKind kind = RecordKind::Interest;
    std::string id;
    std::string reference;
    std::string createdAt;
    std::string offerId, offerTitle, preferredMoment; ///< interests
    std::string recontactAfter;                       ///< call-back requests
    std::string status;
    int consentVersion = 0;
    bool erased = false;         ///< an erasure was recorded for it
    bool personalPurged = false; ///< no sealed personal data left (erased, or past retention)
};

/// "k7f 4qx", "K7F4QX" and "K7F-4QX" all mean "K7F-4QX"; empty when it cannot be a code.
[[nodiscard]] std::string normaliseReference(const std::string& typed);
[[nodiscard]] std::optional<VisitorRecord> findByReference(const Database& db, const std::string& typed);

/// Writes everything the kiosk holds about the record — its fields, the personal data opened
/// with the unlocked key, its introductions with their history, notes and hours (a call-back
/// request: its offer if any, each call tried with its outcome, next date and note), and what was
/// sent to the central server — as a UTF-8 text file `<dir>/donnees-<REF>-<stamp>.txt` in plain
/// French (sentences from `s`). Audited ("privacy.export"). Returns the path; throws
/// std::runtime_error with a plain reason when the record is unknown or the file cannot be written.
std::string exportVisitorData(Database& db, const PublicKey& pk, const SecretKey& sk, const Strings& s,
                              const std::string& agentId, const std::string& reference,
                              const std::string& dir, const std::string& stamp);

struct ErasureResult {
    bool ok = false;
    std::string problem; ///< "unknown_reference", "already_erased"
    std::string eventId; ///< the `visitor.erased` event
    int outboxCopiesBlanked = 0;
    bool walTruncated = false; ///< false when a reader kept old pages alive; they go at its next checkpoint
};

/// Erases the record's personal data on the kiosk in one transaction: the sealed contact details,
/// the sealed notes of its introductions, the sealed copies in its outbox events (sent or not:
/// the one exception to their immutability, allowed by the schema only for a recorded erasure),
/// and queues `visitor.erased` with an audit line. Freed bytes are overwritten (secure_delete)
/// and the WAL checkpointed and truncated, so no copy lingers in the file or its journal.
/// What stays: the reference code, the offer, the dates and statuses (no personal data).
ErasureResult eraseVisitor(Database& db, const std::string& kioskId, const std::string& agentId,
                           const std::string& reference);

} // namespace comptoir::store
