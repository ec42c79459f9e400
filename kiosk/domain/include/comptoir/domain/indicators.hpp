#pragma once
/// @brief The CCAS's pilotage indicators, computed from plain rows (no storage), per week or per
/// month, for everything and by theme and by neighbourhood; and their CSV for a French
/// spreadsheet. Definitions: docs/agent.md, "Indicators".
///
/// [SECTION] input rows
/// [SECTION] indicators
/// [SECTION] CSV for a French spreadsheet

#include "comptoir/domain/followup.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

// [SECTION] input rows (dates are "YYYY-MM-DD…"; only the first 10 characters count)

struct IndicatorOffer {
    std::string id, organisationId, themeId, neighbourhoodId;
    bool open = false; ///< published, not closed on site, not full
};
struct IndicatorInterest {
    std::string id, offerId, createdOn;
    bool closed = false; ///< closed or erased: not counted as ready to engage
};
struct IndicatorIntroduction {
    std::string id, interestId, offerId, organisationId, createdOn;
    IntroStatus status = IntroStatus::Proposed;
};
struct IndicatorHours {
    std::string introductionId, doneOn;
    double hours = 0;
};
struct IndicatorFeedback {
    std::string createdOn;
    int score = 0; ///< 1..4
};
struct IndicatorInput {
    std::vector<IndicatorOffer> offers;
    std::vector<IndicatorInterest> interests;
    std::vector<IndicatorIntroduction> introductions;
    std::vector<IndicatorHours> hours;
    std::vector<IndicatorFeedback> feedback;
};

// [SECTION] indicators

enum class Period { Week, Month };
enum class Dimension { All, Theme, Neighbourhood };
[[nodiscard]] const char* toString(Dimension d);

struct IndicatorRow {
    std::string period; ///< "2026-W49" or "2026-12"; empty for the "now" rows (open offers)
    Dimension dimension = Dimension::All;
    std::string key; ///< theme or neighbourhood id; empty for All
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
    /// each with its All row, then themes and neighbourhoods by id. Rows with nothing are left out.
    std::vector<IndicatorRow> rows;
    [[nodiscard]] const IndicatorRow* find(const std::string& period, Dimension d,
                                           const std::string& key = {}) const;
};

[[nodiscard]] Indicators computeIndicators(const IndicatorInput& input, Period period);

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
/// The indicators as CSV lines; `label` turns a theme or neighbourhood id into its name.
using IndicatorLabel = std::function<std::string(Dimension, const std::string&)>;
[[nodiscard]] std::vector<std::vector<std::string>> indicatorLines(const Indicators& ind,
                                                                   const IndicatorLabel& label);

} // namespace comptoir
