#pragma once
/// @brief The agents' follow-up as pure rules: introduction statuses and their transitions, coded
/// reasons, next-action dates, the waiting list of a full offer, hours and Permis Citoyen progress.
///
/// [SECTION] introduction statuses and transitions
/// [SECTION] coded reasons
/// [SECTION] dates (civil calendar, no time zone)
/// [SECTION] places and waiting list
/// [SECTION] hours and Permis Citoyen
/// [SECTION] call-back follow-up

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

// [SECTION] introduction statuses and transitions

/// Where a *mise en relation* stands. `Waiting` is the waiting list of a full offer.
enum class IntroStatus { Waiting, Proposed, Accepted, Started, Completed, Declined, Cancelled, NoShow };

inline constexpr std::array<IntroStatus, 8> kIntroStatuses = {
    IntroStatus::Waiting,   IntroStatus::Proposed, IntroStatus::Accepted,  IntroStatus::Started,
    IntroStatus::Completed, IntroStatus::Declined, IntroStatus::Cancelled, IntroStatus::NoShow};

/// Wire and storage code: "waiting", "proposed", "accepted", "started", "completed", "declined",
/// "cancelled", "no_show".
[[nodiscard]] const char* toString(IntroStatus s);
[[nodiscard]] bool parseIntroStatus(std::string_view text, IntroStatus& out);

/// The transition table: true only for the moves the follow-up allows (never back to an earlier
/// step, nothing out of a final status).
[[nodiscard]] bool canTransition(IntroStatus from, IntroStatus to);
/// Every status reachable from `from`, in the order the screen shows them.
[[nodiscard]] std::vector<IntroStatus> allowedNext(IntroStatus from);
/// Completed, declined, cancelled and no-show end an introduction.
[[nodiscard]] bool isFinal(IntroStatus s);
/// Accepted and started introductions hold one of the offer's places.
[[nodiscard]] bool holdsPlace(IntroStatus s);
/// Counted as a participation in the indicators: accepted, started, completed.
[[nodiscard]] bool isParticipation(IntroStatus s);

// [SECTION] coded reasons

/// Declined, cancelled and no-show need a reason from their coded list; the other moves take none.
[[nodiscard]] bool needsReason(IntroStatus to);
/// The coded reasons for moving to `to` (empty when none is asked). Labels are in the translation
/// catalogue under "followup.reason.<code>".
[[nodiscard]] std::span<const std::string_view> reasonsFor(IntroStatus to);
[[nodiscard]] bool isValidReason(IntroStatus to, std::string_view code);

enum class TransitionProblem { None, NotAllowed, ReasonMissing, ReasonUnknown };
/// Checks a requested change: the transition table, then the reason.
[[nodiscard]] TransitionProblem checkTransition(IntroStatus from, IntroStatus to, std::string_view reason);

// [SECTION] dates (civil calendar, no time zone)

/// True for a real calendar date written "YYYY-MM-DD".
[[nodiscard]] bool isIsoDate(std::string_view date);
/// `date` plus `days` (may be negative); empty when `date` is not a valid date.
[[nodiscard]] std::string addDays(std::string_view date, int days);
/// ISO 8601 week of a date, "2026-W49"; empty when invalid.
[[nodiscard]] std::string isoWeek(std::string_view date);
/// "2026-12"; empty when invalid.
[[nodiscard]] std::string yearMonth(std::string_view date);

/// When the agent should look at the introduction again after moving it to `to`:
/// proposed → 3 days later (the organisation's answer), accepted → the day after the first
/// mission when known (else a week later), started → the day after the first mission when still
/// ahead, else a week later ("ça s'est bien passé ?"), final statuses → none.
[[nodiscard]] std::optional<std::string> suggestNextAction(IntroStatus to, std::string_view today,
                                                           std::string_view firstMissionDate = {});

// [SECTION] places and waiting list

/// A full offer takes new introductions on its waiting list only. Full means marked full on site,
/// or a catalogue that wants places and has none left.
[[nodiscard]] bool offerIsFull(int placesWanted, int placesLeft, bool markedFull);

struct WaitingEntry {
    std::string introductionId;
    std::string since; ///< when the person joined the list (ISO 8601): first come, first called
};
/// The next person to call when a place is freed: the one waiting longest (ties by id).
[[nodiscard]] std::optional<WaitingEntry> nextToCall(const std::vector<WaitingEntry>& waiting);
/// A move that frees a place: out of a place-holding status into a final one.
[[nodiscard]] bool freesPlace(IntroStatus from, IntroStatus to);

// [SECTION] hours and Permis Citoyen

/// One entry of hours: more than 0, at most 24, in quarter hours.
[[nodiscard]] bool isValidHoursEntry(double hours);

inline constexpr double kPermisMinHours = 20;
inline constexpr double kPermisMaxHours = 40;

struct PermisProgress {
    double done = 0;
    double fraction = 0; ///< of the 40-hour maximum, 0..1
    double minFraction = kPermisMinHours / kPermisMaxHours;
    bool minReached = false; ///< 20 h done: the Permis Citoyen can be granted
    bool maxReached = false; ///< 40 h done: nothing more is asked
    double hoursToMin = kPermisMinHours;
};
[[nodiscard]] PermisProgress permisProgress(double hoursDone);

// [SECTION] call-back follow-up

/// What came of calling back a visitor who asked for it. Only NoAnswer keeps the call-back to
/// do (on the date the agent chose); the others take it out of the inbox.
enum class CallbackOutcome { IntroductionProposed, NoLongerWishes, NoAnswer, WrongNumber };

inline constexpr std::array<CallbackOutcome, 4> kCallbackOutcomes = {
    CallbackOutcome::IntroductionProposed, CallbackOutcome::NoLongerWishes, CallbackOutcome::NoAnswer,
    CallbackOutcome::WrongNumber};

/// Wire and storage code: "introduction_proposed", "no_longer_wishes", "no_answer",
/// "wrong_number". Labels are in the translation catalogue under "callback.outcome.<code>".
[[nodiscard]] const char* toString(CallbackOutcome o);
[[nodiscard]] bool parseCallbackOutcome(std::string_view text, CallbackOutcome& out);
/// True for NoAnswer: the call-back stays in the inbox, due on the next date.
[[nodiscard]] bool keepsCallbackOpen(CallbackOutcome o);

} // namespace comptoir
