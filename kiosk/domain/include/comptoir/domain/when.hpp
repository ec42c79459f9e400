#pragma once
/// @brief Plain-French descriptions of when and how long an offer takes.

#include "comptoir/domain/i18n.hpp"
#include "comptoir/domain/types.hpp"

#include <string>
#include <vector>

namespace comptoir {

/// "14:00" → "14 h", "09:30" → "9 h 30".
[[nodiscard]] std::string frenchTime(const std::string& hhmm);
/// A duration the French way: "2 h 30", "3 h", "45 min" (never "2.5 h").
[[nodiscard]] std::string frenchDuration(double hours, const Strings& s);
/// "2027-03-01" → "1er mars", "2026-12-15" → "15 décembre".
[[nodiscard]] std::string frenchDate(const std::string& yyyyMmDd, const Strings& s);
/// ISO weekday (Monday = 1) of a "YYYY-MM-DD…" date; 0 when the date is invalid.
[[nodiscard]] int isoWeekday(const std::string& date);
/// "samedi 5 décembre, 9 h – 12 h", "Chaque semaine, le mercredi de 14 h à 17 h", "Moment à convenir".
[[nodiscard]] std::string describeWhen(const Offer& offer, const Strings& s);
/// Every moment of an offer, one a line: each date ("samedi 5 décembre, 9 h – 12 h") or each slot
/// ("Chaque semaine, le mercredi de 14 h à 17 h"); past `maxLines`, the last line says how many
/// more ("et 12 autres dates"). One line, describeWhen, for an offer to be agreed.
[[nodiscard]] std::vector<std::string> describeEachWhen(const Offer& offer, const Strings& s,
                                                        std::size_t maxLines = 8);
/// "3 h", or "30 h en tout" for a long regular mission.
[[nodiscard]] std::string describeDuration(const Offer& offer, const Strings& s);

} // namespace comptoir
