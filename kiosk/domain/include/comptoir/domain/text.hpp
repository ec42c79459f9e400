#pragma once
/// @brief Small UTF-8 helpers: validation, length, safe truncation.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

[[nodiscard]] bool isValidUtf8(std::string_view s);
/// Number of code points; assumes valid UTF-8.
[[nodiscard]] std::size_t utf8Length(std::string_view s);
/// Keeps at most maxCodePoints code points, never cutting a code point in half;
/// invalid bytes are replaced by U+FFFD so that odd input never corrupts the layout.
[[nodiscard]] std::string utf8Sanitise(std::string_view s, std::size_t maxCodePoints);
/// Reads a whole file; false when it cannot be opened.
[[nodiscard]] bool readWholeFile(const std::string& path, std::string& out);

/// Greedy word wrap: `line` cut at spaces into lines for which `fits` holds; a word that fits no
/// line alone is cut between code points (each line holds at least one).
[[nodiscard]] std::vector<std::string> wrapWords(const std::string& line,
                                                 const std::function<bool(const std::string&)>& fits);
enum class ReadResult { Ok, Unreadable, TooLarge };
/// Reads a file of at most `maxBytes`, chunk by chunk: a larger one (or an endless one such as
/// /dev/zero) stops at maxBytes + 1 bytes read, so memory stays bounded. `out` is cleared unless Ok.
[[nodiscard]] ReadResult readFileAtMost(const std::string& path, std::size_t maxBytes, std::string& out);

/// "3", "2.5": the shortest way to print a number of hours.
[[nodiscard]] std::string formatNumber(double v);

} // namespace comptoir
