// libFuzzer target: the kiosk configuration file is written by hand on every site.
// Property: never crash; an error always names a line within the text (or 0) and a message.
#include "comptoir/domain/config.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = comptoir::parseConfig(text);
    if (r.config.has_value() == r.error.has_value()) __builtin_trap();
    if (r.error) {
        auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
        if (r.error->message.empty() || r.error->line < 0 || r.error->line > lines) __builtin_trap();
    }
    return 0;
}
