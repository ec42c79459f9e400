// The wire documents: round trips, strictness, and parsers fed mutated input (a cheap fuzzer).
#include "comptoir/sync/protocol.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace comptoir;
using namespace comptoir::sync;

namespace {
store::OutboxEvent event(const std::string& id, const std::string& payload = R"({"score":3})") {
    return {1, id, "feedback.given", 1, "2025-01-01T10:00:00.000Z", "kiosk-a", payload};
}
const std::string kId1 = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const std::string kId2 = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";

/// Flips, drops, duplicates and truncates bytes of a valid document.
std::string mutate(std::string s, std::mt19937& rng) {
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < edits && !s.empty(); ++i) {
        std::size_t at = rng() % s.size();
        switch (rng() % 4) {
        case 0: s[at] = static_cast<char>(rng() % 256); break;
        case 1: s.erase(at, 1 + rng() % 8); break;
        case 2: s.insert(at, s.substr(at, 1 + rng() % 16)); break;
        default: s.resize(at); break;
        }
    }
    return s;
}
} // namespace

TEST_CASE("a batch round-trips with payloads spliced as stored") {
    auto text = encodeBatch("kiosk-a", {event(kId1), event(kId2, R"({"context":"leaving","n":"é \"q\""})")});
    auto b = parseBatch(text);
    REQUIRE(b.ok);
    CHECK(b.kioskId == "kiosk-a");
    REQUIRE(b.events.size() == 2);
    CHECK(b.events[0].eventId == kId1);
    CHECK(b.events[1].payloadJson["n"] == "é \"q\"");
    CHECK(encodedSize(event(kId1)) >= nlohmann::json::parse(encodeBatch("k", {event(kId1)}))["events"][0].dump().size());
}

TEST_CASE("the server refuses malformed batches and names the event to blame") {
    auto bad = parseBatch(encodeBatch("k", {event(kId1), event("nope")}));
    CHECK_FALSE(bad.ok);
    CHECK(bad.badEventId == "nope");
    CHECK_FALSE(parseBatch(encodeBatch("k", {event(kId1), event(kId1)})).ok);
    CHECK_FALSE(parseBatch(R"({"protocol":2,"kiosk_id":"k","events":[]})").ok);
    CHECK_FALSE(parseBatch(encodeBatch("k", {event(kId1, "[1,2]")})).ok);
    std::vector<store::OutboxEvent> many;
    for (int i = 0; i < 501; ++i) {
        char id[40];
        std::snprintf(id, sizeof id, "0190a1b2-c3d4-7e5f-8a9b-%012d", i);
        many.push_back(event(id));
    }
    CHECK_THAT(parseBatch(encodeBatch("k", many)).error, Catch::Contains("500"));
}

TEST_CASE("batch answers: every result needs an id and a known status") {
    auto text = encodeBatchAnswer({{kId1, EventStatus::Accepted, ""}, {kId2, EventStatus::Rejected, "why"}});
    auto a = parseBatchAnswer(text);
    REQUIRE(a.ok);
    CHECK(a.results[1].status == EventStatus::Rejected);
    CHECK(a.results[1].reason == "why");
    CHECK_FALSE(parseBatchAnswer(R"({"results":[{"event_id":"x","status":"maybe"}]})").ok);
    CHECK_FALSE(parseBatchAnswer(R"({"results":[{"status":"accepted"}]})").ok);
    CHECK_FALSE(parseBatchAnswer(text.substr(0, text.size() / 2)).ok);
    auto err = parseError(encodeError("invalid_batch", "bad", kId1));
    CHECK(err.code == "invalid_batch");
    CHECK(err.eventId == kId1);
    CHECK(parseError("<html>proxy error</html>").message == "<html>proxy error</html>");
}

TEST_CASE("gzip round trip, and a bomb is stopped at the limit") {
    std::string text(200'000, 'a');
    auto z = gzipCompress(text);
    CHECK(z.size() < 2'000);
    CHECK(gzipDecompress(z, 1 << 20) == text);
    CHECK_FALSE(gzipDecompress(z, 100'000).has_value());
    CHECK_FALSE(gzipDecompress(z.substr(0, z.size() / 2), 1 << 20).has_value());
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("a delta that would leave the catalogue inconsistent is refused as a whole") {
    auto local = test::demoCatalogue();
    CatalogueDelta d;
    d.since = local.version;
    d.version = local.version + 1;
    d.catalogueId = "c";
    d.deletedOrganisations = {local.offers[0].organisationId};
    auto m = mergeCatalogueDelta(local, d);
    CHECK_FALSE(m.ok);
    CHECK_THAT(m.error, Catch::Contains("inconsistent"));

    CatalogueDelta full;
    full.full = true;
    full.version = 7;
    full.catalogueId = "c";
    auto doc = nlohmann::json::parse(serialiseCatalogue(local));
    full.themes = doc["themes"];
    full.neighbourhoods = doc["neighbourhoods"];
    full.organisations = doc["organisations"];
    full.offers = doc["offers"];
    auto all = mergeCatalogueDelta(Catalogue{}, full);
    REQUIRE(all.ok);
    CHECK(all.swap.replaceAll);
    CHECK(all.swap.upserts.version == 7);
    CHECK(all.swap.upserts.offers.size() == local.offers.size());
}

TEST_CASE("parsers of outside input survive mutated documents") {
    std::mt19937 rng(1234);
    auto local = test::demoCatalogue();
    auto doc = nlohmann::json::parse(serialiseCatalogue(local));
    std::string delta = R"({"format":"comptoir-catalogue-delta","format_version":1,"since":0,"catalogue_version":3,)"
                        R"("full":true,"catalogue_id":"c","themes":)" +
                        doc["themes"].dump() + R"(,"neighbourhoods":)" + doc["neighbourhoods"].dump() +
                        R"(,"organisations":)" + doc["organisations"].dump() + R"(,"offers":)" +
                        doc["offers"].dump() + R"(,"deleted":{},"media":[]})";
    REQUIRE(parseCatalogueDelta(delta).ok);
    std::string batch = encodeBatch("k", {event(kId1), event(kId2)});
    std::string answer = encodeBatchAnswer({{kId1, EventStatus::Accepted, ""}, {kId2, EventStatus::Duplicate, ""}});
    for (int i = 0; i < 400; ++i) {
        (void)parseBatch(mutate(batch, rng));
        (void)parseBatchAnswer(mutate(answer, rng));
        (void)parseError(mutate(answer, rng));
        auto p = parseCatalogueDelta(mutate(delta, rng));
        if (p.ok) {
            // Whatever got through the parser is either applied whole or refused whole.
            auto m = mergeCatalogueDelta(local, p.delta);
            if (m.ok) CHECK(m.swap.upserts.offers.size() <= local.offers.size() + 1);
        }
    }
}

TEST_CASE("a catalogue delta with fields of the wrong type is refused, not thrown (found by fuzzing)") {
    auto a = comptoir::sync::parseCatalogueDelta(R"({"format":1,"catalogue_version":4,"themes":[]})");
    CHECK_FALSE(a.error.empty());
    auto b = comptoir::sync::parseCatalogueDelta(
        R"({"format":"comptoir-catalogue-delta","format_version":"1","since":0,"catalogue_version":4})");
    CHECK_FALSE(b.error.empty());
}

TEST_CASE("every parser of network input refuses 100,000 levels of nesting without crashing") {
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    auto batch =
        parseBatch(R"({"protocol":1,"kiosk_id":"kiosk-a","events":[{"event_id":")" + kId1 +
                   R"(","type":"feedback.given","schema_version":1,"occurred_at":"2025-01-01T10:00:00.000Z",)"
                   R"("kiosk_id":"kiosk-a","payload":{"x":)" +
                   deep + "}}]}");
    CHECK_FALSE(batch.ok);
    CHECK(batch.malformed);
    CHECK_THAT(batch.error, Catch::Contains("deeper than"));
    CHECK_FALSE(parseBatchAnswer(R"({"protocol":1,"results":[)" + deep + "]}").ok);
    CHECK(parseError(R"({"error":{"code":)" + deep + "}}").code.empty());
    auto delta = parseCatalogueDelta(
        R"({"format":"comptoir-catalogue-delta","format_version":1,"since":0,)"
        R"("catalogue_version":1,"full":true,"catalogue_id":"c","offers":[{"id":"o","x":)" +
        deep + "}]}");
    CHECK_FALSE(delta.ok);
    CHECK_THAT(delta.error, Catch::Contains("deeper than"));
    // Not JSON at all is also a malformed body (400), unlike an envelope problem (422).
    CHECK(parseBatch("{").malformed);
    CHECK_FALSE(parseBatch(R"({"protocol":2,"kiosk_id":"k","events":[]})").malformed);
}

TEST_CASE("ids, times and dates have one strict spelling") {
    CHECK(isUuid(kId1));
    CHECK_FALSE(isUuid("0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"));
    CHECK_FALSE(isUuid("0190a1b2c3d47e5f8a9b0c1d2e3f4a5b"));
    CHECK(timestampMs("1970-01-01T00:00:01.500Z") == 1500);
    CHECK(timestampMs("2024-02-29T23:59:59.999Z") == 1709251199999);
    CHECK_FALSE(timestampMs("2023-02-29T00:00:00.000Z"));
    CHECK_FALSE(timestampMs("2025-01-01T24:00:00.000Z"));
    CHECK_FALSE(timestampMs("2025-01-01T10:00:00Z"));
    CHECK_FALSE(timestampMs("2025-01-01T10:00:00.000+01:00"));
    CHECK_FALSE(timestampMs("2025-01-01 10:00:00.000Z"));
    CHECK(dateDays("1970-01-02") == 1);
    CHECK(dateDays("2000-02-29"));
    CHECK_FALSE(dateDays("1900-02-29"));
    CHECK_FALSE(dateDays("2025-04-31"));
    CHECK_FALSE(dateDays("not-a-date"));
    CHECK_FALSE(dateDays("2025-1-01"));
    // In a batch: a kiosk id outside the configuration's rule, or a time that is not one, is refused.
    auto bad = event(kId1);
    bad.kioskId = "kiosk a\n";
    CHECK_FALSE(parseBatch(encodeBatch("kiosk-a", {bad})).ok);
    CHECK_FALSE(parseBatch(encodeBatch("kiosk a", {event(kId1)})).ok);
    bad = event(kId1);
    bad.occurredAt = "2025-01-01";
    CHECK_THAT(parseBatch(encodeBatch("kiosk-a", {bad})).error, Catch::Contains("occurred_at"));
}

TEST_CASE("withdraw_all: read when true or false, refused when of another type; merge counts the offers left") {
    const std::string head = R"({"format":"comptoir-catalogue-delta","format_version":1,"since":0,"catalogue_version":4,)"
                             R"("full":true,"catalogue_id":"c")";
    auto none = parseCatalogueDelta(head + "}");
    REQUIRE(none.ok);
    CHECK_FALSE(none.delta.withdrawAll);
    auto yes = parseCatalogueDelta(head + R"(,"withdraw_all":true})");
    REQUIRE(yes.ok);
    CHECK(yes.delta.withdrawAll);
    auto wrong = parseCatalogueDelta(head + R"(,"withdraw_all":"yes"})");
    CHECK_FALSE(wrong.ok);
    CHECK_THAT(wrong.error, Catch::Contains("withdraw_all"));
    // An empty full catalogue merges fine (the pull decides whether to take it): no offer left.
    auto merged = mergeCatalogueDelta(test::demoCatalogue(), none.delta);
    REQUIRE(merged.ok);
    CHECK(merged.offersAfter == 0);
}
