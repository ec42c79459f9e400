#pragma once
/// @brief The agents' follow-up in the store: introductions (*mises en relation*) with their
/// history, waiting list, sealed notes and next action; hours done. Each change commits in one
/// transaction with its outbox event and an audit line (who, what, which record; no personal data).

#include "comptoir/domain/followup.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/store/sealing.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace comptoir::store {

struct Introduction {
    std::string id;
    std::string interestId;
    std::string reference; ///< the visitor's reference code
    std::string offerId;
    std::string offerTitle;
    std::string organisationId;
    IntroStatus status = IntroStatus::Proposed;
    std::string reason;
    std::optional<std::string> agentId;
    std::optional<std::string> nextActionOn;
    bool hasNotes = false;
    bool permisCitoyen = false; ///< the offer is flagged Permis Citoyen in the catalogue
    std::string createdAt;
    std::string updatedAt;
};

struct HistoryLine {
    IntroStatus status = IntroStatus::Proposed;
    std::string reason;
    std::optional<std::string> agentId;
    std::string at;
};

/// Why a follow-up change was refused; None when it was recorded.
enum class FollowUpProblem {
    None,
    UnknownInterest,
    UnknownOffer,
    UnknownIntroduction,
    OfferClosed,       ///< closed on site: reopen it first
    OfferFull,         ///< propose with joinWaitingList to put the person on the waiting list
    AlreadyIntroduced, ///< an introduction to this offer is already open for this interest
    NotAllowed,        ///< the transition table refuses it
    ReasonMissing,
    ReasonUnknown,
    BadDate,
    BadHours,
    NotesTooLong,
    NoHoursYet,      ///< hours are logged once the introduction is accepted
    UnknownCallback, ///< no such call-back request
    CallbackClosed,  ///< already followed up for good (or erased): nothing left to record
};

struct FollowUpResult {
    FollowUpProblem problem = FollowUpProblem::None;
    std::string id;      ///< the introduction (or hours entry) concerned
    std::string eventId; ///< the outbox event written, when recorded
    /// Set when the change freed a place on an offer that has a waiting list: the person to call.
    std::optional<Introduction> nextToCall;
    [[nodiscard]] bool ok() const { return problem == FollowUpProblem::None; }
};

inline constexpr std::size_t kMaxNotesBytes = 4000;

/// Context every follow-up write needs (as VisitorStore): the key notes are sealed to, our id.
struct FollowUpStore {
    Database& db;
    PublicKey sealingKey;
    std::string kioskId;

    /// Proposes the visitor of `interestId` to the organisation of `offerId`. When the offer is
    /// full the answer is OfferFull, unless `joinWaitingList`: then the introduction starts on
    /// the waiting list. `today` (YYYY-MM-DD) sets the suggested next action.
    FollowUpResult propose(const std::string& agentId, const std::string& interestId,
                           const std::string& offerId, bool joinWaitingList, const std::string& today);
    /// Moves an introduction along the transition table, with a coded reason where one is asked.
    /// `nextActionOn` overrides the suggested next-action date ("" clears it).
    FollowUpResult changeStatus(const std::string& agentId, const std::string& introductionId, IntroStatus to,
                                const std::string& reason, const std::string& today,
                                const std::optional<std::string>& nextActionOn = std::nullopt);
    /// Replaces the notes (sealed with the kiosk's public key; "" removes them).
    FollowUpResult setNotes(const std::string& agentId, const std::string& introductionId,
                            const std::string& notes);
    /// Sets ("YYYY-MM-DD") or clears ("") the next-action date.
    FollowUpResult setNextAction(const std::string& agentId, const std::string& introductionId,
                                 const std::string& date);
    /// Logs hours done on `doneOn` for an accepted, started or completed introduction.
    FollowUpResult logHours(const std::string& agentId, const std::string& introductionId, double hours,
                            const std::string& doneOn, const std::string& today);
    /// Records what came of calling back `callbackId`: NoAnswer keeps it waiting, due on
    /// `nextCallOn` (after `today`); the other outcomes close it. `note` (optional) is sealed.
    FollowUpResult followUpCallback(const std::string& agentId, const std::string& callbackId,
                                    CallbackOutcome outcome, const std::string& nextCallOn,
                                    const std::string& note, const std::string& today);
};

/// One recorded attempt at calling back (no personal data; the note stays sealed).
struct CallbackAttempt {
    CallbackOutcome outcome = CallbackOutcome::NoAnswer;
    std::string nextCallOn; ///< YYYY-MM-DD for NoAnswer, else ""
    std::string at;         ///< ISO 8601
    bool hasNote = false;
};

/// A call-back request as its follow-up screen shows it (the contact stays sealed).
struct CallbackBrief {
    std::string id;
    std::string reference;
    std::string recontactAfter; ///< YYYY-MM-DD: from when the visitor asked to be called
    std::string createdAt;
    std::string status;     ///< waiting, done, cancelled
    std::string offerTitle; ///< "" when asked without an offer
    std::int64_t personalId = 0;
    std::vector<CallbackAttempt> attempts; ///< oldest first
};
[[nodiscard]] std::optional<CallbackBrief> loadCallback(const Database& db, const std::string& id);
/// One attempt as the agent and the visitor read it: "2026-12-03 — Pas de réponse (Rappeler le 2026-12-07)".
[[nodiscard]] std::string describeAttempt(const CallbackAttempt& a, const Strings& s);
/// The notes of a call-back's attempts in clear, oldest first (those that cannot be opened are
/// left out); needs the unlocked key.
[[nodiscard]] std::vector<std::string> readCallbackNotes(const Database& db, const PublicKey& pk,
                                                         const SecretKey& sk, const std::string& callbackId);

/// A registration of interest as the follow-up shows it (no personal data: the contact stays sealed).
struct InterestBrief {
    std::string id;
    std::string reference;
    std::string offerId;
    std::string offerTitle;
    std::string status; ///< new, contacted, introduced, closed…
    std::string createdAt;
    std::int64_t personalId = 0; ///< the sealed contact row (0: none)
    bool atCounter = false;      ///< registered with no phone nor e-mail: "passera au Comptoir"
};
[[nodiscard]] std::optional<InterestBrief> loadInterest(const Database& db, const std::string& id);

[[nodiscard]] std::optional<Introduction> loadIntroduction(const Database& db, const std::string& id);
[[nodiscard]] std::vector<Introduction> introductionsOfInterest(const Database& db,
                                                                const std::string& interestId);
/// The most recently changed introductions, open ones first (the agent's list), at most `limit`.
[[nodiscard]] std::vector<Introduction> recentIntroductions(const Database& db, int limit);
/// The organisation's display name ("" when unknown).
[[nodiscard]] std::string organisationName(const Database& db, const std::string& organisationId);
[[nodiscard]] std::vector<HistoryLine> introductionHistory(const Database& db, const std::string& id);
/// The offer's waiting list, first to call first.
[[nodiscard]] std::vector<Introduction> waitingList(const Database& db, const std::string& offerId);
/// The notes in clear; needs the unlocked key. nullopt when there are none or they cannot be opened.
[[nodiscard]] std::optional<std::string> readNotes(const Database& db, const PublicKey& pk,
                                                   const SecretKey& sk, const std::string& introductionId);
/// When the offer has a free place again and people wait for it: the one to call first (after a
/// place was freed, or the offer reopened on site).
[[nodiscard]] std::optional<Introduction> nextToCallFor(const Database& db, const std::string& offerId);
/// Whether the offer takes introductions now (catalogue places, or marked full on site).
[[nodiscard]] bool offerFull(const Database& db, const std::string& offerId);

[[nodiscard]] double hoursTotal(const Database& db, const std::string& introductionId);

/// Short stable code for a problem (logs, tests); the screens translate it.
[[nodiscard]] const char* toString(FollowUpProblem p);

} // namespace comptoir::store
