#pragma once
/// @brief Reading the rows the pilotage indicators are computed from, and writing them as a CSV
/// file a French spreadsheet opens as columns (files written aside, then renamed).

#include "comptoir/domain/indicators.hpp"
#include "comptoir/store/db.hpp"

#include <string>

namespace comptoir::store {

/// Offers (local changes included), registrations, introductions, hours and feedback: no
/// personal data is read.
[[nodiscard]] IndicatorInput loadIndicatorInput(const Database& db);

/// Writes `content` to `<dir>/<name>` (created when missing) through a temporary file renamed
/// into place, so a USB stick pulled out early never holds half a file under the final name.
/// Returns the path; throws std::runtime_error with a plain reason on failure.
std::string writeExportFile(const std::string& dir, const std::string& name, const std::string& content);

/// Computes every indicator by `period` and writes them to `<dir>/indicateurs-<semaines|mois>-<stamp>.csv`;
/// theme and neighbourhood names come from the local catalogue. Audited as "indicators.export".
std::string exportIndicatorsCsv(Database& db, const std::string& agentId, Period period,
                                const std::string& dir, const std::string& stamp);

} // namespace comptoir::store
