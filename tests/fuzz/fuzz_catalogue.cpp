// libFuzzer target: catalogue files come from outside (demo files, the central server).
// Properties: never crash; whatever is accepted survives a serialise → parse round trip intact,
// offer translations included (seeded with the demo catalogue, which carries some); every accepted
// title is one line of visible text that fits a card (no control character, not only spaces, at
// most kMaxOfferTitleChars characters).
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto r = comptoir::parseCatalogue(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!r.ok) return 0;
    for (const auto& o : r.catalogue.offers) {
        const std::string& t = o.title;
        bool control = false;
        for (char c : t)
            control = control || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
        if (control || t.find_first_not_of(' ') == std::string::npos ||
            comptoir::utf8Length(t) > comptoir::kMaxOfferTitleChars)
            __builtin_trap();
    }
    auto again = comptoir::parseCatalogue(comptoir::serialiseCatalogue(r.catalogue));
    if (!again.ok || !again.issues.empty() || again.catalogue.offers.size() != r.catalogue.offers.size() ||
        again.catalogue.organisations.size() != r.catalogue.organisations.size() || !again.dropped.empty())
        __builtin_trap();
    for (std::size_t i = 0; i < r.catalogue.offers.size(); ++i)
        if (again.catalogue.offers[i].translations != r.catalogue.offers[i].translations) __builtin_trap();
    return 0;
}
