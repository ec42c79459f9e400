#include "comptoir/domain/untrusted_json.hpp"

namespace comptoir {

bool jsonDepthWithin(std::string_view text, std::size_t maxDepth) {
    std::size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > maxDepth) return false;
            break;
        case ']':
        case '}':
            // Unbalanced text is not JSON: the parser refuses it, the count need not be right.
            if (depth > 0) --depth;
            break;
        default:
            break;
        }
    }
    return true;
}

UntrustedJson parseUntrustedJson(std::string_view text, std::size_t maxDepth) {
    UntrustedJson r;
    if (!jsonDepthWithin(text, maxDepth)) {
        r.tooDeep = true;
        r.error = "JSON nested deeper than " + std::to_string(maxDepth) + " levels";
        r.value = nlohmann::json(nlohmann::json::value_t::discarded);
        return r;
    }
    r.value = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (r.value.is_discarded()) r.error = "not valid JSON";
    return r;
}

} // namespace comptoir
