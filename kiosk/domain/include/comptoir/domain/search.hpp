#pragma once
/// @brief Offer search for the visitor screens: accent-free folding, a prebuilt index, filters, sorting, "why
/// it fits".
///
/// Rules, thresholds and exact filter definitions: docs/search.md.

#include "comptoir/domain/types.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

/// When the visitor is free. Relative to the `today` passed to each call.
enum class MomentFilter {
    Any,
    ThisWeek, ///< a one-off date within today … today + 6, or a regular offer with a weekly slot
    Weekend,  ///< an upcoming date or a slot on Saturday or Sunday
    Evening,  ///< an upcoming date or a slot starting at 18:00 or later
};

/// How long one session lasts (a regular offer's slot, not its total of hours).
enum class DurationFilter {
    Any,
    Short,   ///< ≤ 2 h
    HalfDay, ///< > 2 h and ≤ 4 h
    Day,     ///< > 4 h
    Regular, ///< Rhythm::Regular, whatever the length
};

enum class SortOrder {
    Relevance, ///< query score, then soonest; the same as Soonest for an empty query
    Soonest,   ///< next date or weekly slot from today; "to be agreed" last
    Nearest,   ///< straight-line distance from SearchSort::nearNeighbourhood, then soonest
};

/// Where a query word was found, best first.
enum class SearchField { Title, Organisation, Neighbourhood, Theme, Activity, Description };

/// All optional and combinable (AND). The sets hold catalogue ids; an unknown id matches nothing.
struct SearchFilters {
    std::set<std::string> themes;
    std::set<std::string> neighbourhoods;
    MomentFilter moment = MomentFilter::Any;
    DurationFilter duration = DurationFilter::Any;
    bool stepFree = false;
    bool noPrerequisite = false;
    bool registrationOpen = false;
    /// One-off offers whose every date is before today are hidden unless this is set.
    bool includePast = false;
    bool operator==(const SearchFilters&) const = default;
};

struct SearchSort {
    SortOrder order = SortOrder::Relevance;
    std::string nearNeighbourhood; ///< for SortOrder::Nearest; unknown or empty falls back to Soonest
    bool operator==(const SearchSort&) const = default;
};

struct SearchHit {
    std::uint32_t entry = 0;      ///< index among the published offers, in catalogue order
    std::uint32_t offerIndex = 0; ///< index into Catalogue::offers
    std::uint16_t score = 0;      ///< query relevance; 0 for an empty query
};

enum class FitKind {
    Word,          ///< a query word: value = the matched indexed word, field = where
    Theme,         ///< value = theme id
    Neighbourhood, ///< value = neighbourhood id
    Near,          ///< value = the offer's neighbourhood id, number = km from the chosen one
    ThisWeek,      ///< value = "YYYY-MM-DD" of the date (empty for a weekly slot), weekday
    Weekend,       ///< value = "YYYY-MM-DD" (empty for a slot), weekday 6 or 7
    Evening,       ///< value = start "HH:MM", weekday
    Duration,      ///< number = hours of one session
    Regular,       ///< value = frequency (weekly, fortnightly, monthly)
    StepFree,
    NoPrerequisite,
    RegistrationOpen,
};

/// One reason an offer fits what the visitor asked: plain data, the UI words it.
struct FitReason {
    FitKind kind = FitKind::Word;
    std::string value;
    int weekday = 0;   ///< 1 = Monday … 7 = Sunday, for the moment reasons
    double number = 0; ///< hours or km
    SearchField field = SearchField::Title;
    bool operator==(const FitReason&) const = default;
};

/// Built once per catalogue (published offers only); a keystroke is then filter + rank without allocating.
/// Not thread-safe: search() reuses internal buffers, so one thread (the UI's) owns an index.
class SearchIndex {
  public:
    SearchIndex(); ///< an empty index: every search returns nothing
    explicit SearchIndex(const Catalogue& catalogue);
    ~SearchIndex();
    SearchIndex(SearchIndex&&) noexcept;
    SearchIndex& operator=(SearchIndex&&) noexcept;
    SearchIndex(const SearchIndex&) = delete;
    SearchIndex& operator=(const SearchIndex&) = delete;

    /// `today` is "YYYY-MM-DD" (local date); an invalid one is read as 1970-01-01.
    [[nodiscard]] std::vector<SearchHit> search(std::string_view query, const SearchFilters& filters,
                                                const SearchSort& sort, std::string_view today) const;
    /// The same, into `out` (cleared first) so that its capacity is reused from one keystroke to the next.
    void search(std::string_view query, const SearchFilters& filters, const SearchSort& sort,
                std::string_view today, std::vector<SearchHit>& out) const;

    /// Why one entry fits the active query, filters and sort; empty when nothing is active.
    [[nodiscard]] std::vector<FitReason> whyItFits(std::uint32_t entry, std::string_view query,
                                                   const SearchFilters& filters, const SearchSort& sort,
                                                   std::string_view today) const;

    /// Open offers (registration open, not past) per theme, aligned with Catalogue::themes.
    [[nodiscard]] std::vector<std::uint32_t> openOffersPerTheme(std::string_view today) const;

    [[nodiscard]] std::uint32_t size() const;
    [[nodiscard]] std::uint32_t offerIndex(std::uint32_t entry) const;
    [[nodiscard]] const std::string& offerId(std::uint32_t entry) const;
    [[nodiscard]] std::optional<std::uint32_t> entryOf(std::string_view offerId) const;
    /// Distinct indexed words (for diagnostics and the benchmark).
    [[nodiscard]] std::size_t wordCount() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Lower-case, accent-free, punctuation and apostrophes turned into single spaces: "L’Œuvre d'Été" → "l
/// oeuvre d ete". Letters outside Latin-1/Latin Extended-A pass through unchanged; invalid UTF-8 bytes become
/// separators.
[[nodiscard]] std::string foldForSearch(std::string_view text);
/// The words of foldForSearch(text).
[[nodiscard]] std::vector<std::string> searchWords(std::string_view text);
/// True when a and b differ by at most one insertion, deletion, substitution or swap of neighbours (bytes).
[[nodiscard]] bool withinOneEdit(std::string_view a, std::string_view b);

} // namespace comptoir
