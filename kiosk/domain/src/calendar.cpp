// Calendar arithmetic on "YYYY-MM-DD" and "HH:MM" strings (std::chrono's civil calendar).

#include "comptoir/domain/calendar.hpp"

#include <chrono>
#include <cstdio>

namespace comptoir {

namespace {

/// Reads `count` digits at s[pos]; -1 when they are not all digits.
int digits(std::string_view s, std::size_t pos, std::size_t count) {
    if (pos + count > s.size()) return -1;
    int v = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const char ch = s[pos + k];
        if (ch < '0' || ch > '9') return -1;
        v = v * 10 + (ch - '0');
    }
    return v;
}

} // namespace

/// Days since 1970-01-01 of "YYYY-MM-DD…".
std::optional<std::int32_t> dayNumber(std::string_view s) {
    const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-') return std::nullopt;
    using namespace std::chrono;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count());
}

/// Minutes since midnight of "HH:MM"; -1 when invalid.
int minuteOfDay(std::string_view s) {
    const int h = digits(s, 0, 2), m = digits(s, 3, 2);
    if (h < 0 || m < 0 || h > 23 || m > 59 || s[2] != ':') return -1;
    return h * 60 + m;
}

/// ISO weekday (Monday = 1); 1970-01-01 was a Thursday.
int weekdayOf(std::int32_t day) {
    return ((day % 7 + 7) % 7 + 3) % 7 + 1;
}

std::string isoDate(std::int32_t day) {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{days{day}}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

} // namespace comptoir
