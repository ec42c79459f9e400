#pragma once
/// @brief "Je ne sais pas quoi choisir": ranked suggestions from four simple answers (themes,
/// when, how, how often), never an empty list — criteria are widened, and said so, instead.
///
/// Rules (what each answer matches, the widening order, the ranking): docs/visitor-journey.md.

#include "comptoir/domain/types.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

namespace guided {
// When: the days (bits) and the moments of the day (bits); 0 = "peu importe".
inline constexpr std::uint8_t kWeekdays = 1u << 0;  ///< Monday … Friday
inline constexpr std::uint8_t kWeekend = 1u << 1;   ///< Saturday, Sunday
inline constexpr std::uint8_t kMorning = 1u << 0;   ///< starts before noon
inline constexpr std::uint8_t kAfternoon = 1u << 1; ///< starts from noon to 17:59
inline constexpr std::uint8_t kEvening = 1u << 2;   ///< starts at 18:00 or later
// How (bits, any of them is enough); 0 = "peu importe".
inline constexpr std::uint8_t kAlone = 1u << 0;
inline constexpr std::uint8_t kTogether = 1u << 1;
inline constexpr std::uint8_t kOutdoors = 1u << 2;
inline constexpr std::uint8_t kSitting = 1u << 3;
inline constexpr std::uint8_t kWithChildren = 1u << 4;
} // namespace guided

enum class GuidedFrequency : std::uint8_t { Any, Once, AFewTimes, Regularly };

/// The criteria a visitor answered, as bits; their values are also the cost of dropping them,
/// so the cheapest widening is the smallest number.
enum GuidedCriterion : std::uint8_t {
    kCriterionFrequency = 1,
    kCriterionHow = 2,
    kCriterionWhen = 4,
    kCriterionThemes = 8,
};

/// What the visitor answered. Within one question any chosen answer is enough ("dehors" or
/// "assis"); across questions all must hold, until widened.
struct GuidedAnswers {
    std::set<std::string> themes; ///< theme ids; empty: peu importe
    std::uint8_t days = 0;        ///< guided::kWeekdays | kWeekend
    std::uint8_t moments = 0;     ///< guided::kMorning | kAfternoon | kEvening
    std::uint8_t ways = 0;        ///< guided::kAlone …
    GuidedFrequency frequency = GuidedFrequency::Any;
    [[nodiscard]] std::uint8_t answered() const;
    bool operator==(const GuidedAnswers&) const = default;
};

/// One suggestion and, as plain data, why it fits (the UI words it: "le samedi matin, à
/// Monplaisir, en groupe").
struct GuidedSuggestion {
    std::uint32_t offerIndex = 0; ///< into Catalogue::offers
    std::uint8_t missed = 0;      ///< answered criteria this offer does not meet (all widened)
    int weekday = 0;              ///< 1 = Monday … 7, of the soonest session that fits; 0 to be agreed
    std::uint8_t moment = 0;      ///< guided::kMorning …, of that session; 0 to be agreed
    std::string date;             ///< "YYYY-MM-DD" of that session; empty for a weekly slot
    std::uint8_t waysMatched = 0; ///< the chosen ways this offer offers
    bool themeMatched = false;
    GuidedFrequency rhythm = GuidedFrequency::Once; ///< what the offer asks: Once, AFewTimes or Regularly
    std::string neighbourhoodId;
};

struct GuidedResult {
    std::vector<GuidedSuggestion> suggestions; ///< best first
    std::uint8_t widened = 0;                  ///< GuidedCriterion bits dropped to find something
    bool nothingOpen = false;                  ///< not one offer can be joined today, whatever the answers
};

/// The ways an offer can be lived (guided::kAlone …), from its activity, theme and group flag.
[[nodiscard]] std::uint8_t guidedWays(const Offer& offer);

/// Built once per catalogue; suggest() then costs one pass over the offers without parsing.
class GuidedIndex {
  public:
    GuidedIndex() = default;
    explicit GuidedIndex(const Catalogue& catalogue);

    /// `today` "YYYY-MM-DD" (an invalid one is read as 1970-01-01); at most `limit` suggestions.
    [[nodiscard]] GuidedResult suggest(const GuidedAnswers& answers, std::string_view today,
                                       std::size_t limit = 6) const;
    [[nodiscard]] std::size_t size() const { return m_entries.size(); }

  private:
    struct Session {
        std::int32_t day = -1; ///< day number of a one-off date; -1 for a weekly slot
        std::int16_t weekday = 0;
        std::int16_t minute = 0;
    };
    struct Entry {
        std::uint32_t offerIndex = 0;
        std::uint16_t theme = 0xFFFF; ///< index in Catalogue::themes
        std::uint8_t ways = 0;
        bool toBeAgreed = false;
        bool regular = false;
        bool rarelyRepeated = false;                      ///< monthly or fortnightly
        std::uint32_t firstSession = 0, sessionCount = 0; ///< range in m_sessions
        std::string title;
        std::string neighbourhoodId;
    };
    std::vector<Entry> m_entries; ///< offers that can be joined (published, open, places left)
    std::vector<Session> m_sessions;
    std::vector<std::string> m_themeIds;
};

} // namespace comptoir
