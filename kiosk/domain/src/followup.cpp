// The agents' follow-up rules: pure functions, no storage (see followup.hpp for the index).
#include "comptoir/domain/followup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace comptoir {

// [SECTION] introduction statuses and transitions

const char* toString(IntroStatus s) {
    switch (s) {
    case IntroStatus::Waiting:
        return "waiting";
    case IntroStatus::Proposed:
        return "proposed";
    case IntroStatus::Accepted:
        return "accepted";
    case IntroStatus::Started:
        return "started";
    case IntroStatus::Completed:
        return "completed";
    case IntroStatus::Declined:
        return "declined";
    case IntroStatus::Cancelled:
        return "cancelled";
    case IntroStatus::NoShow:
        return "no_show";
    }
    return "cancelled";
}

namespace {
/// The value of `all` whose toString is `text`: one reader for every coded list of this file.
template <typename T, std::size_t N>
bool parseByName(std::string_view text, const std::array<T, N>& all, T& out) {
    for (T v : all)
        if (text == toString(v)) {
            out = v;
            return true;
        }
    return false;
}
} // namespace

bool parseIntroStatus(std::string_view text, IntroStatus& out) {
    return parseByName(text, kIntroStatuses, out);
}

std::vector<IntroStatus> allowedNext(IntroStatus from) {
    using S = IntroStatus;
    switch (from) {
    case S::Waiting:
        return {S::Proposed, S::Cancelled};
    case S::Proposed:
        return {S::Accepted, S::Declined, S::Cancelled};
    case S::Accepted:
        return {S::Started, S::NoShow, S::Cancelled};
    case S::Started:
        return {S::Completed, S::Cancelled};
    case S::Completed:
    case S::Declined:
    case S::Cancelled:
    case S::NoShow:
        return {};
    }
    return {};
}

bool canTransition(IntroStatus from, IntroStatus to) {
    auto next = allowedNext(from);
    return std::find(next.begin(), next.end(), to) != next.end();
}

bool isFinal(IntroStatus s) {
    return s == IntroStatus::Completed || s == IntroStatus::Declined || s == IntroStatus::Cancelled ||
           s == IntroStatus::NoShow;
}

bool holdsPlace(IntroStatus s) {
    return s == IntroStatus::Accepted || s == IntroStatus::Started;
}

bool isParticipation(IntroStatus s) {
    return s == IntroStatus::Accepted || s == IntroStatus::Started || s == IntroStatus::Completed;
}

// [SECTION] coded reasons

namespace {
constexpr std::array<std::string_view, 5> kDeclined = {"org_no_place", "profile_mismatch",
                                                       "visitor_changed_mind", "org_unreachable", "other"};
constexpr std::array<std::string_view, 5> kCancelled = {"visitor_unavailable", "health", "moved_away",
                                                        "offer_cancelled", "other"};
constexpr std::array<std::string_view, 3> kNoShow = {"no_news", "forgot", "other"};
} // namespace

bool needsReason(IntroStatus to) {
    return to == IntroStatus::Declined || to == IntroStatus::Cancelled || to == IntroStatus::NoShow;
}

std::span<const std::string_view> reasonsFor(IntroStatus to) {
    switch (to) {
    case IntroStatus::Declined:
        return kDeclined;
    case IntroStatus::Cancelled:
        return kCancelled;
    case IntroStatus::NoShow:
        return kNoShow;
    default:
        return {};
    }
}

bool isValidReason(IntroStatus to, std::string_view code) {
    auto list = reasonsFor(to);
    if (list.empty()) return code.empty();
    return std::find(list.begin(), list.end(), code) != list.end();
}

TransitionProblem checkTransition(IntroStatus from, IntroStatus to, std::string_view reason) {
    if (!canTransition(from, to)) return TransitionProblem::NotAllowed;
    if (needsReason(to) && reason.empty()) return TransitionProblem::ReasonMissing;
    if (!isValidReason(to, reason)) return TransitionProblem::ReasonUnknown;
    return TransitionProblem::None;
}

// [SECTION] dates (civil calendar, no time zone)

namespace {
struct Ymd {
    int y = 0, m = 0, d = 0;
};

bool parseYmd(std::string_view s, Ymd& out) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    auto digits = [&](std::size_t at, std::size_t n, int& v) {
        v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            v = v * 10 + (s[i] - '0');
        }
        return true;
    };
    if (!digits(0, 4, out.y) || !digits(5, 2, out.m) || !digits(8, 2, out.d)) return false;
    if (out.y < 1900 || out.m < 1 || out.m > 12 || out.d < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (out.y % 4 == 0 && out.y % 100 != 0) || out.y % 400 == 0;
    int max = kDays[out.m - 1] + (out.m == 2 && leap ? 1 : 0);
    return out.d <= max;
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
long daysFromCivil(Ymd v) {
    int y = v.y - (v.m <= 2 ? 1 : 0);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (v.m + (v.m > 2 ? -3 : 9)) + 2) / 5 + v.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Ymd civilFromDays(long z) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    Ymd r;
    r.d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    r.m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    r.y = static_cast<int>(yoe + era * 400 + (r.m <= 2 ? 1 : 0));
    return r;
}

std::string formatYmd(Ymd v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.y, v.m, v.d);
    return buf;
}

/// 1 = Monday … 7 = Sunday; 1970-01-01 was a Thursday.
int weekdayOf(long days) {
    return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;
}
} // namespace

bool isIsoDate(std::string_view date) {
    Ymd v;
    return parseYmd(date, v);
}

std::string addDays(std::string_view date, int days) {
    Ymd v;
    if (!parseYmd(date, v)) return {};
    return formatYmd(civilFromDays(daysFromCivil(v) + days));
}

std::string isoWeek(std::string_view date) {
    Ymd v;
    if (!parseYmd(date, v)) return {};
    long days = daysFromCivil(v);
    // The ISO week belongs to the year of its Thursday.
    long thursday = days - weekdayOf(days) + 4;
    Ymd t = civilFromDays(thursday);
    long jan1 = daysFromCivil({t.y, 1, 1});
    int week = static_cast<int>((thursday - jan1) / 7) + 1;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-W%02d", t.y, week);
    return buf;
}

std::string yearMonth(std::string_view date) {
    if (!isIsoDate(date)) return {};
    return std::string(date.substr(0, 7));
}

std::optional<std::string> suggestNextAction(IntroStatus to, std::string_view today,
                                             std::string_view firstMissionDate) {
    if (!isIsoDate(today)) return std::nullopt;
    bool missionAhead = isIsoDate(firstMissionDate) && firstMissionDate >= today;
    switch (to) {
    case IntroStatus::Waiting:
        return addDays(today, 14);
    case IntroStatus::Proposed:
        return addDays(today, 3);
    case IntroStatus::Accepted:
    case IntroStatus::Started:
        return missionAhead ? addDays(firstMissionDate, 1) : addDays(today, 7);
    default:
        return std::nullopt;
    }
}

// [SECTION] places and waiting list

bool offerIsFull(int placesWanted, int placesLeft, bool markedFull) {
    return markedFull || (placesWanted > 0 && placesLeft <= 0);
}

std::optional<WaitingEntry> nextToCall(const std::vector<WaitingEntry>& waiting) {
    if (waiting.empty()) return std::nullopt;
    return *std::min_element(
        waiting.begin(), waiting.end(), [](const WaitingEntry& a, const WaitingEntry& b) {
            return a.since != b.since ? a.since < b.since : a.introductionId < b.introductionId;
        });
}

bool freesPlace(IntroStatus from, IntroStatus to) {
    return holdsPlace(from) && !holdsPlace(to) && isFinal(to);
}

// [SECTION] hours and Permis Citoyen

bool isValidHoursEntry(double hours) {
    if (!std::isfinite(hours) || hours <= 0 || hours > 24) return false;
    double quarters = hours * 4;
    return std::fabs(quarters - std::round(quarters)) < 1e-9;
}

PermisProgress permisProgress(double hoursDone) {
    PermisProgress p;
    p.done = std::max(0.0, hoursDone);
    p.fraction = std::clamp(p.done / kPermisMaxHours, 0.0, 1.0);
    p.minReached = p.done >= kPermisMinHours;
    p.maxReached = p.done >= kPermisMaxHours;
    p.hoursToMin = std::max(0.0, kPermisMinHours - p.done);
    return p;
}

// [SECTION] call-back follow-up

const char* toString(CallbackOutcome o) {
    switch (o) {
    case CallbackOutcome::IntroductionProposed:
        return "introduction_proposed";
    case CallbackOutcome::NoLongerWishes:
        return "no_longer_wishes";
    case CallbackOutcome::NoAnswer:
        return "no_answer";
    case CallbackOutcome::WrongNumber:
        return "wrong_number";
    }
    return "no_answer";
}

bool parseCallbackOutcome(std::string_view text, CallbackOutcome& out) {
    return parseByName(text, kCallbackOutcomes, out);
}

bool keepsCallbackOpen(CallbackOutcome o) {
    return o == CallbackOutcome::NoAnswer;
}

} // namespace comptoir
