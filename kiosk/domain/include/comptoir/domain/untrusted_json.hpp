#pragma once
/// @brief The one way JSON from outside (network, catalogue files) is parsed: nesting depth
/// checked on the bytes before any tree exists, then a parse that never throws.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace comptoir {

/// Deeper nesting is refused. Our documents need 6 levels; nlohmann's parser is iterative, but
/// copying, comparing and dump() recurse, so a 100,000-deep document would overflow the stack.
inline constexpr std::size_t kMaxJsonDepth = 32;

/// True when no array or object in `text` is nested deeper than `maxDepth`; counted on the bytes
/// (brackets inside strings, escaped quotes included, do not count), stopping at the first excess.
[[nodiscard]] bool jsonDepthWithin(std::string_view text, std::size_t maxDepth = kMaxJsonDepth);

struct UntrustedJson {
    nlohmann::json value; ///< discarded unless ok()
    std::string error;    ///< empty when ok(); otherwise why, in plain words
    bool tooDeep = false; ///< the document was refused for its depth, before being parsed
    [[nodiscard]] bool ok() const { return error.empty(); }
};

[[nodiscard]] UntrustedJson parseUntrustedJson(std::string_view text, std::size_t maxDepth = kMaxJsonDepth);

} // namespace comptoir
