#pragma once
/// @brief Indicators across kiosks on the central server: the query (period, groupings, days),
/// the CSV and JSON of `comptoir-central indicators`, the read-only HTML page `GET /indicators`
/// (SVG charts drawn here, no script), and the page's accounts (HTTP Basic, Argon2id hashes).
/// The figures themselves are computeIndicators()'s, the kiosk's own definitions.
///
/// [SECTION] query
/// [SECTION] report, CSV and JSON
/// [SECTION] HTML page
/// [SECTION] accounts of the page

#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/indicators.hpp"
#include "comptoir/sync/central.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::sync::central {

// [SECTION] query

struct IndicatorQuery {
    Period period = Period::Month;
    std::set<Dimension> groupings; ///< rows besides the All rows: theme, neighbourhood, kiosk
    DayRange range;                ///< empty bounds: everything
};

/// "week", "month", "theme", "neighbourhood", "kiosk": what a `--by` (or `by=`) names.
[[nodiscard]] bool applyBy(std::string_view word, IndicatorQuery& q);
/// Why a range cannot be used: a bound that is not a date from 2020 to 2100, or from after to.
enum class RangeProblem { None, BadFrom, BadTo, Order };
[[nodiscard]] RangeProblem rangeProblem(const DayRange& range);

/// Query parameters of `GET /indicators`, as received (name, value), in order.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
/// At most this many parameters, each value at most this long: anything else is refused.
constexpr std::size_t kMaxIndicatorParams = 8;
constexpr std::size_t kMaxIndicatorParamBytes = 16;
/// The page's query: `period` (week|month), `by` (theme|neighbourhood|kiosk, or empty), `from`,
/// `to`. Without a range, the last 12 months (or weeks) up to `today`. A problem is a French
/// sentence for the page (unknown parameter, value too long or unknown, bad date).
struct PageQuery {
    IndicatorQuery query;
    std::string problem;
};
[[nodiscard]] PageQuery parsePageQuery(const QueryParams& params, const std::string& today);

// [SECTION] report, CSV and JSON

struct IndicatorReport {
    IndicatorQuery query;
    Indicators byPeriod; ///< the query's rows ("now" rows, then each period)
    Indicators total;    ///< the whole range as one period ("total" rows)
    CatalogueNames names;
    std::string generatedAt;
    /// A theme's or neighbourhood's name (its id when the catalogue no longer has it), a kiosk's id.
    [[nodiscard]] std::string label(Dimension d, const std::string& key) const;
};

/// Reads the storage once and computes both views; rows of groupings not asked for are dropped.
[[nodiscard]] IndicatorReport computeReport(CentralStorage& storage, const IndicatorQuery& query);

/// The kiosk's CSV (UTF-8 BOM, `;`, decimal comma, CRLF; formulas neutralised), kiosk rows added.
[[nodiscard]] std::string reportCsv(const IndicatorReport& report);
/// The same figures as JSON, codes for names ("all", "theme"…) and numbers as numbers.
[[nodiscard]] std::string reportJson(const IndicatorReport& report);

// [SECTION] HTML page

/// The whole page: figures, charts, tables, the filter form. Every word from `words`
/// (assets/i18n/fr.json, keys `central.indicators.*`); every outside text escaped.
[[nodiscard]] std::string indicatorsPage(const IndicatorReport& report, const Strings& words);
/// A small page that says what went wrong (bad query, no access) in the page's style.
[[nodiscard]] std::string messagePage(const Strings& words, const std::string& title,
                                      const std::string& text);

// [SECTION] accounts of the page

/// Account names: 1 to 64 of a-z 0-9 . _ -
[[nodiscard]] bool isAdminName(std::string_view name);
/// Passwords: 12 to 1024 bytes of UTF-8 without control characters. Why not, or nullopt.
[[nodiscard]] std::optional<std::string> passwordProblem(std::string_view password);
/// libsodium's Argon2id string (salt and cost inside), for CentralStorage::setAdminUser.
[[nodiscard]] std::string hashAdminPassword(const std::string& password);

enum class AdminCheck { Ok, Refused, Busy };

/// Checks `Authorization: Basic …` against the stored accounts. One Argon2id check at a time and
/// none waiting (Busy: try again in a second), so memory and workers stay bounded whatever the
/// number of requests; an unknown name costs the same as a wrong password; a success is
/// remembered 5 minutes (keyed hash of the credentials and the stored hash, never the password)
/// so that moving around the page does not pay the check again.
class AdminCredentials {
  public:
    explicit AdminCredentials(CentralStorage& storage) : m_storage(storage) {}
    [[nodiscard]] AdminCheck check(const std::string& authorizationHeader);

  private:
    CentralStorage& m_storage;
    std::mutex m_mutex;   ///< the memory of successes
    std::mutex m_hashing; ///< the one Argon2id check under way
    std::string m_dummyHash;
    std::string m_cacheKey;
    std::map<std::string, std::chrono::steady_clock::time_point> m_recent;
};

} // namespace comptoir::sync::central
