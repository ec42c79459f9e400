#include "comptoir/domain/followup.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>

using namespace comptoir;
using S = IntroStatus;

TEST_CASE("every pair of statuses against the transition table") {
    // The whole table written out: anything not listed here must be refused.
    const std::set<std::pair<S, S>> allowed = {
        {S::Waiting, S::Proposed},  {S::Waiting, S::Cancelled},  {S::Proposed, S::Accepted},
        {S::Proposed, S::Declined}, {S::Proposed, S::Cancelled}, {S::Accepted, S::Started},
        {S::Accepted, S::NoShow},   {S::Accepted, S::Cancelled}, {S::Started, S::Completed},
        {S::Started, S::Cancelled},
    };
    int checked = 0;
    for (S from : kIntroStatuses)
        for (S to : kIntroStatuses) {
            INFO(toString(from) << " -> " << toString(to));
            CHECK(canTransition(from, to) == (allowed.count({from, to}) == 1));
            ++checked;
        }
    CHECK(checked == 64);
    CHECK_FALSE(canTransition(S::Completed, S::Proposed));
    for (S s : kIntroStatuses)
        CHECK(allowedNext(s).empty() == isFinal(s));
}

TEST_CASE("status codes round-trip and unknown ones are refused") {
    for (S s : kIntroStatuses) {
        S back = S::Waiting;
        REQUIRE(parseIntroStatus(toString(s), back));
        CHECK(back == s);
    }
    S out = S::Proposed;
    CHECK_FALSE(parseIntroStatus("sent", out));
    CHECK_FALSE(parseIntroStatus("", out));
    CHECK(std::string(toString(S::NoShow)) == "no_show");
}

TEST_CASE("declined, cancelled and no-show need a reason from their own coded list") {
    CHECK(checkTransition(S::Proposed, S::Declined, "") == TransitionProblem::ReasonMissing);
    CHECK(checkTransition(S::Proposed, S::Declined, "profile_mismatch") == TransitionProblem::None);
    CHECK(checkTransition(S::Proposed, S::Declined, "no_news") == TransitionProblem::ReasonUnknown);
    CHECK(checkTransition(S::Accepted, S::NoShow, "no_news") == TransitionProblem::None);
    CHECK(checkTransition(S::Accepted, S::Cancelled, "health") == TransitionProblem::None);
    CHECK(checkTransition(S::Proposed, S::Accepted, "health") == TransitionProblem::ReasonUnknown);
    CHECK(checkTransition(S::Completed, S::Proposed, "") == TransitionProblem::NotAllowed);
    for (S s : kIntroStatuses) {
        CHECK(needsReason(s) == !reasonsFor(s).empty());
        for (auto code : reasonsFor(s))
            CHECK(isValidReason(s, code));
    }
}

TEST_CASE("calendar dates: days, ISO weeks and months") {
    CHECK(addDays("2026-12-31", 1) == "2027-01-01");
    CHECK(addDays("2028-02-28", 1) == "2028-02-29");
    CHECK(addDays("2026-03-01", -1) == "2026-02-28");
    CHECK(addDays("2026-02-30", 1).empty());
    CHECK(isoWeek("2026-12-03") == "2026-W49");
    CHECK(isoWeek("2027-01-01") == "2026-W53"); // a Friday: week of the previous year
    CHECK(isoWeek("2024-12-30") == "2025-W01"); // a Monday: first week of the next year
    CHECK(yearMonth("2026-12-03") == "2026-12");
    CHECK(yearMonth("2026-13-03").empty());
}

TEST_CASE("the next action follows the step: the day after the first mission asks how it went") {
    CHECK(suggestNextAction(S::Proposed, "2026-12-03") == "2026-12-06");
    CHECK(suggestNextAction(S::Started, "2026-12-03", "2026-12-05") == "2026-12-06");
    CHECK(suggestNextAction(S::Started, "2026-12-03", "2026-11-20") == "2026-12-10");
    CHECK(suggestNextAction(S::Accepted, "2026-12-03") == "2026-12-10");
    CHECK_FALSE(suggestNextAction(S::Completed, "2026-12-03").has_value());
    CHECK_FALSE(suggestNextAction(S::Proposed, "demain").has_value());
}

TEST_CASE("a full offer has a waiting list, first come first called") {
    CHECK(offerIsFull(4, 0, false));
    CHECK_FALSE(offerIsFull(0, 0, false)); // no count of places: never full by numbers
    CHECK(offerIsFull(4, 2, true));
    CHECK_FALSE(nextToCall({}).has_value());
    auto next = nextToCall({{"b", "2026-12-02T10:00:00.000Z"},
                            {"a", "2026-12-01T09:00:00.000Z"},
                            {"c", "2026-12-01T09:00:00.000Z"}});
    REQUIRE(next);
    CHECK(next->introductionId == "a");
    CHECK(freesPlace(S::Accepted, S::Cancelled));
    CHECK(freesPlace(S::Started, S::Completed));
    CHECK_FALSE(freesPlace(S::Proposed, S::Declined));
}

TEST_CASE("hours entries and Permis Citoyen progress toward 20 to 40 hours") {
    CHECK(isValidHoursEntry(0.25));
    CHECK(isValidHoursEntry(24));
    CHECK_FALSE(isValidHoursEntry(0));
    CHECK_FALSE(isValidHoursEntry(24.25));
    CHECK_FALSE(isValidHoursEntry(1.1));
    CHECK_FALSE(isValidHoursEntry(-2));
    auto p = permisProgress(12.5);
    CHECK(p.fraction == Approx(12.5 / 40));
    CHECK_FALSE(p.minReached);
    CHECK(p.hoursToMin == Approx(7.5));
    CHECK(permisProgress(20).minReached);
    CHECK_FALSE(permisProgress(20).maxReached);
    CHECK(permisProgress(52).fraction == 1.0);
    CHECK(permisProgress(52).maxReached);
}
