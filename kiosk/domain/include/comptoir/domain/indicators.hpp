#pragma once
/// @brief The CCAS's pilotage indicators, computed from plain rows (no storage), per week or per
/// month, for everything and by theme, by neighbourhood and (on the central server) by kiosk; and
/// their CSV for a French spreadsheet. Definitions: docs/agent.md, "Indicators"; the kiosk and
/// `comptoir-central indicators` share this one computation.
///
/// [SECTION] input rows
/// [SECTION] indicators
/// [SECTION] CSV for a French spreadsheet

#include "comptoir/domain/followup.hpp"
#include "comptoir/domain/types.hpp"

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

// [SECTION] input rows (dates are "YYYY-MM-DD…"; only the first 10 characters count)
// `kioskId` is empty on a kiosk (its own records); the central server fills it, which gives the
// by-kiosk rows.

struct IndicatorOffer {
    std::string id, organisationId, themeId, neighbourhoodId;
    bool open = false; ///< published, not closed on site, not full
};
struct IndicatorInterest {
    std::string id, offerId, createdOn;
    bool closed = false; ///< closed or erased: not counted as ready to engage
    std::string kioskId = {};
    /// How many registrations the row stands for: a kiosk folds those without any introduction
    /// into one row per day, offer and state (their id is then empty: no introduction names it).
    int count = 1;
};
struct IndicatorIntroduction {
    std::string id, interestId, offerId, organisationId, createdOn;
    IntroStatus status = IntroStatus::Proposed;
    std::string kioskId = {};
};
struct IndicatorHours {
    std::string introductionId, doneOn;
    double hours = 0;
    std::string kioskId = {};
};
struct IndicatorFeedback {
    std::string createdOn;
    int score = 0; ///< 1..4
    std::string kioskId = {};
};
struct IndicatorInput {
    std::vector<IndicatorOffer> offers;
    std::vector<IndicatorInterest> interests;
    std::vector<IndicatorIntroduction> introductions;
    std::vector<IndicatorHours> hours;
    std::vector<IndicatorFeedback> feedback;
};

// [SECTION] indicators

/// Open offers (the "now" rows): published, registration open, a place left once the
/// introductions accepted or started (`taken`) are counted, not marked full or closed on site.
[[nodiscard]] bool isOpenOffer(OfferStatus status, bool registrationOpen, int placesWanted, int placesLeft,
                               int taken, bool markedFullOrClosed = false);

/// Total: the whole range as one period, named "total" (citizens counted once over it).
enum class Period { Week, Month, Total };
enum class Dimension { All, Theme, Neighbourhood, Kiosk };
[[nodiscard]] const char* toString(Dimension d);

/// The days counted, both included ("YYYY-MM-DD"; empty: no bound). The "now" rows ignore it.
struct DayRange {
    std::string from, to;
};

struct IndicatorRow {
    std::string period; ///< "2026-W49" or "2026-12"; empty for the "now" rows (open offers)
    Dimension dimension = Dimension::All;
    std::string key; ///< theme, neighbourhood or kiosk id; empty for All
    int partnerOrganisations = 0;
    int openOffers = 0; ///< "now" rows only
    int participations = 0;
    int citizensEngaged = 0;
    int citizensReady = 0;
    double hours = 0;
    int noShows = 0;
    int noShowBase = 0; ///< no-shows + started + completed
    int feedbackCount = 0;
    int feedbackScoreSum = 0;
    [[nodiscard]] double noShowRate() const { return noShowBase ? double(noShows) / noShowBase : 0.0; }
    [[nodiscard]] double feedbackAverage() const {
        return feedbackCount ? double(feedbackScoreSum) / feedbackCount : 0.0;
    }
};

struct Indicators {
    Period period = Period::Month;
    /// The "now" rows first (All, then themes, then neighbourhoods), then each period in order,
    /// each with its All row, then themes, neighbourhoods and kiosks by id. Rows with nothing are
    /// left out. Feedback has no offer: it counts in the All and kiosk rows only.
    std::vector<IndicatorRow> rows;
    [[nodiscard]] const IndicatorRow* find(const std::string& period, Dimension d,
                                           const std::string& key = {}) const;
};

/// Records dated outside `range` count in no period, but still tell whether a registration was
/// ever engaged (so "ready to engage" keeps its meaning on a shorter range).
[[nodiscard]] Indicators computeIndicators(const IndicatorInput& input, Period period,
                                           const DayRange& range = {});
/// The same for several periods at once (one result per period, in order): the records are
/// looked up once for all of them.
[[nodiscard]] std::vector<Indicators>
computeIndicators(const IndicatorInput& input, std::span<const Period> periods, const DayRange& range = {});

// [SECTION] CSV for a French spreadsheet

/// One cell: neutralised when a spreadsheet would run it as a formula (= + - @ tab CR and their
/// full-width forms ＝ ＋ － ＠ get a leading apostrophe), quoted when it holds ; " or a line break.
[[nodiscard]] std::string csvCell(std::string_view text);
/// "12,5" — French decimal comma, at most `decimals` digits, no trailing zeros.
[[nodiscard]] std::string frenchDecimal(double v, int decimals = 2);
/// A whole table: UTF-8 BOM, `;` between cells, CRLF after every line.
[[nodiscard]] std::string csvDocument(const std::vector<std::vector<std::string>>& lines);

/// Column titles, as the CSV and the screen show them (French).
[[nodiscard]] std::vector<std::string> indicatorColumns();
/// The indicators as CSV lines; `label` turns a theme, neighbourhood or kiosk id into its name.
using IndicatorLabel = std::function<std::string(Dimension, const std::string&)>;
[[nodiscard]] std::vector<std::vector<std::string>> indicatorLines(const Indicators& ind,
                                                                   const IndicatorLabel& label);

} // namespace comptoir
