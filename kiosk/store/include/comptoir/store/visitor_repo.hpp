#pragma once
/// @brief Recording what visitors leave: interests, call-back requests, feedback. Each record and
/// its outbox event commit in one durable transaction before anything is confirmed on screen.

#include "comptoir/domain/contact.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/sealing.hpp"

#include <optional>
#include <string>

namespace comptoir::store {

/// Version of the consent text the visitor accepted (bump when the wording changes).
inline constexpr int kConsentVersion = 1;

struct InterestDraft {
    std::string offerId;
    std::string offerTitle;
    ContactDetails contact; ///< must already pass validateContact()
    std::string preferredMoment; ///< "morning", "afternoon", "evening", "any"
    int consentVersion = kConsentVersion;
    std::optional<std::string> assistedBy = std::nullopt; ///< the agent who registered on the visitor's behalf
    bool atCounter = false; ///< no phone nor e-mail: "passera au Comptoir" (assisted only)
};

struct CallbackDraft {
    ContactDetails contact;
    std::string recontactAfter; ///< "YYYY-MM-DD"
    int consentVersion = kConsentVersion;
    std::optional<std::string> assistedBy = std::nullopt;
};

struct Recorded {
    std::string id;        ///< UUIDv7
    std::string reference; ///< short code shown to the visitor
    std::string eventId;
};

/// Context every write needs: who we are, and the key personal fields are sealed to.
struct VisitorStore {
    Database& db;
    PublicKey sealingKey;
    std::string kioskId;

    Recorded recordInterest(const InterestDraft& draft);
    Recorded recordCallback(const CallbackDraft& draft);
    /// Anonymous: score 1..4 (Pas du tout / Un peu / Bien / Très bien).
    std::string recordFeedback(const std::string& context, int score);
};

[[nodiscard]] std::int64_t interestCount(const Database& db);

} // namespace comptoir::store
