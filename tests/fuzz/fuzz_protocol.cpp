// libFuzzer target: every body the kiosk or the server reads from the network.
// Property: never crash, whatever arrives (truncated, hostile, or not JSON at all), including in
// what runs next on an accepted document (dump, copy, merge recurse: depth must be bounded first).
#include "comptoir/sync/protocol.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) { // the first byte picks the parser, so one corpus covers them all
    case 0: {
        auto batch = comptoir::sync::parseBatch(body);
        for (const auto& e : batch.events)
            (void)e.payloadJson.dump();
        break;
    }
    case 1:
        (void)comptoir::sync::parseBatchAnswer(body);
        break;
    case 2:
        (void)comptoir::sync::parseError(body);
        break;
    default: {
        auto delta = comptoir::sync::parseCatalogueDelta(body);
        if (delta.ok) (void)comptoir::sync::mergeCatalogueDelta(comptoir::Catalogue{}, delta.delta);
        break;
    }
    }
    return 0;
}
