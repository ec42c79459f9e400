#pragma once
/// @brief Calendar arithmetic on the catalogue's plain date strings, shared by search and the guided choice.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace comptoir {

/// Days since 1970-01-01 of "YYYY-MM-DD…"; nullopt when it is not a real date.
[[nodiscard]] std::optional<std::int32_t> dayNumber(std::string_view s);
/// Minutes since midnight of "HH:MM"; -1 when invalid.
[[nodiscard]] int minuteOfDay(std::string_view s);
/// ISO weekday (Monday = 1) of a day number.
[[nodiscard]] int weekdayOf(std::int32_t day);
/// "YYYY-MM-DD" of a day number.
[[nodiscard]] std::string isoDate(std::int32_t day);

} // namespace comptoir
