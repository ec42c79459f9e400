#pragma once
/// @brief Identifiers: UUIDv7 for events and records, short reference codes for visitors.

#include <cstdint>
#include <string>

namespace comptoir {

/// RFC 9562 UUIDv7 (48-bit Unix milliseconds, then random), lower-case text form.
/// Monotonic within a process: ids generated in the same millisecond still sort in order.
[[nodiscard]] std::string newUuidV7();
/// Same, for a given time in Unix milliseconds (tests).
[[nodiscard]] std::string newUuidV7At(std::uint64_t unixMs);
/// RFC 9562 UUIDv4: 122 random bits, lower-case text form. For records whose id must say
/// nothing of when they were made (anonymous feedback).
[[nodiscard]] std::string newUuidV4();

/// A code a visitor can read out over the phone: 6 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L), shown as "K7F-4QX".
[[nodiscard]] std::string newReferenceCode();

/// Current local time formatted with strftime (e.g. "%Y%m%d-%H%M%S" for file names,
/// "%Y-%m-%d" for today's date).
[[nodiscard]] std::string localTime(const char* strftimeFormat);

/// Current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ".
[[nodiscard]] std::string nowUtcIso8601();
[[nodiscard]] std::uint64_t nowUnixMs();

} // namespace comptoir
