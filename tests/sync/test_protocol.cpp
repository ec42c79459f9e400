#include "comptoir/sync/protocol.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using namespace comptoir::sync;

TEST_CASE("placeholder protocol round trip") {
    store::OutboxEvent e{1, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "feedback.given", 1, "2025-01-01T00:00:00.000Z", "k", "{\"a\":1}"};
    auto parsed = parseBatch(encodeBatch("k", {e}));
    REQUIRE(parsed.ok);
    CHECK(parsed.events.size() == 1);
}
