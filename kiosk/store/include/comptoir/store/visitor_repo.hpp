#pragma once
/// @brief Recording what visitors leave: interests, call-back requests, feedback. Each record and
/// its outbox event commit in one durable transaction before anything is confirmed on screen.

#include "comptoir/domain/contact.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/sealing.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace comptoir::store {

/// Version of the consent text the visitor accepted (bump when the wording changes).
inline constexpr int kConsentVersion = 1;

struct InterestDraft {
    std::string offerId;
    std::string offerTitle;
    ContactDetails contact;      ///< must already pass validateContact()
    std::string preferredMoment; ///< "morning", "afternoon", "evening", "any"
    int consentVersion = kConsentVersion;
    std::optional<std::string> assistedBy = std::nullopt; ///< the agent who registered on the visitor's behalf
    bool atCounter = false; ///< no phone nor e-mail: "passera au Comptoir" (assisted only)
};

struct CallbackDraft {
    ContactDetails contact;
    std::string recontactAfter;      ///< "YYYY-MM-DD"
    std::string offerId = {}, offerTitle = {}; ///< the full offer it was asked from; empty when asked without one
    int consentVersion = kConsentVersion;
    std::optional<std::string> assistedBy = std::nullopt;
};

struct Recorded {
    std::string id;        ///< UUIDv7
    std::string reference; ///< short code shown to the visitor
    std::string eventId;
};

/// A visitor record ready to be written: its ids, reference, time and sealed contact are fixed
/// before the first attempt, so that writing it again (a retry, an import from the spool) is
/// recognised by its id and never makes a second record. Holds no personal field in clear.
struct PreparedRecord {
    enum class Kind { Interest, Callback };
    Kind kind = Kind::Interest;
    std::string id;        ///< UUIDv7 of the interest or call-back request
    std::string reference; ///< may change once, at commit, on the rare clash with another code
    std::string eventId;   ///< UUIDv7 of its outbox event
    std::string createdAt; ///< ISO 8601 UTC, when the visitor tapped "Valider"
    std::string kioskId;
    std::vector<unsigned char> personalSealed; ///< sealed to the kiosk's key (and the office key)
    int consentVersion = kConsentVersion;
    std::string offerId, offerTitle;       ///< an interest's offer; a call-back's full offer, if any
    std::string preferredMoment;           ///< interest only
    std::string recontactAfter;            ///< call-back only
    std::optional<std::string> assistedBy; ///< the agent who registered on the visitor's behalf
    bool atCounter = false;                ///< interest only: no phone nor e-mail, "passera au Comptoir"
};

/// Validates the contact (throws std::invalid_argument otherwise) and seals it: needs only the
/// public key, never the database.
[[nodiscard]] PreparedRecord prepareInterest(const InterestDraft& draft, const SealingKeys& keys,
                                             const std::string& kioskId);
[[nodiscard]] PreparedRecord prepareCallback(const CallbackDraft& draft, const SealingKeys& keys,
                                             const std::string& kioskId);

struct CommitOutcome {
    Recorded recorded;
    bool alreadyThere = false; ///< this record was committed before (same id or event id): nothing written
};
/// Writes the sealed personal row, the record and its event in one durable transaction, or
/// nothing. Idempotent: a record whose id or event id is already stored is not written again.
/// Throws DbError when the database cannot take it (read-only, full, locked past busy_timeout).
CommitOutcome commitRecord(Database& db, const PreparedRecord& record);

/// The record as JSON (the spool's format) and back; fromJson refuses anything incomplete.
[[nodiscard]] nlohmann::json toJson(const PreparedRecord& record);
[[nodiscard]] std::optional<PreparedRecord> preparedFromJson(const nlohmann::json& j, std::string& error);

/// Context every write needs: who we are, and the key personal fields are sealed to.
struct VisitorStore {
    Database& db;
    SealingKeys sealingKeys;
    std::string kioskId;

    Recorded recordInterest(const InterestDraft& draft);
    Recorded recordCallback(const CallbackDraft& draft);
    /// Anonymous: score 1..4 (Pas du tout / Un peu / Bien / Très bien), given on `day`
    /// (YYYY-MM-DD, UTC; today by default). Nothing ties it to the visitor: a random id, the day
    /// only, no context, and no event yet: it is held until the day is over (releaseHeldFeedback).
    /// Returns its id.
    std::string recordFeedback(int score, const std::string& day = {});
};

/// Writes the events of the feedback held from days before `today` (YYYY-MM-DD, UTC; today by
/// default), all in one transaction, in the order of their random ids: neither the outbox order
/// nor the events' ids or times tell in which order, or at what time of the day, they were given.
/// Returns how many were released.
std::size_t releaseHeldFeedback(Database& db, const std::string& kioskId, const std::string& today = {});

/// How many feedback answers are held, waiting for their day to end.
[[nodiscard]] std::int64_t heldFeedbackCount(const Database& db);

[[nodiscard]] std::int64_t interestCount(const Database& db);

} // namespace comptoir::store
