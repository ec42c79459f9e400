// libFuzzer target: catalogue files come from outside (demo files, the central server).
// Property: never crash; whatever is accepted survives a serialise → parse round trip intact,
// offer translations included (seeded with the demo catalogue, which carries some).
#include "comptoir/domain/catalogue.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto r = comptoir::parseCatalogue(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!r.ok) return 0;
    auto again = comptoir::parseCatalogue(comptoir::serialiseCatalogue(r.catalogue));
    if (!again.ok || !again.issues.empty() || again.catalogue.offers.size() != r.catalogue.offers.size() ||
        again.catalogue.organisations.size() != r.catalogue.organisations.size() || !again.dropped.empty())
        __builtin_trap();
    for (std::size_t i = 0; i < r.catalogue.offers.size(); ++i)
        if (again.catalogue.offers[i].translations != r.catalogue.offers[i].translations) __builtin_trap();
    return 0;
}
