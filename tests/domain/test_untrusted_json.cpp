// JSON from outside: depth refused on the bytes before anything recursive runs.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/untrusted_json.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

namespace {
std::string nested(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}
} // namespace

TEST_CASE("nesting is counted on the bytes, brackets inside strings do not count") {
    CHECK(jsonDepthWithin(nested(32)));
    CHECK_FALSE(jsonDepthWithin(nested(33)));
    CHECK(jsonDepthWithin(R"({"a":"[[[[[[","b":"\"{{{{{{{\\"})", 1));
    CHECK_FALSE(jsonDepthWithin(R"({"a":"\\",  "b":[1]})", 1)); // the escaped backslash ends the string
    CHECK(jsonDepthWithin("", 0));
    CHECK(jsonDepthWithin("[1] [2] [3]", 1)); // siblings do not add up
}

TEST_CASE("a document nested 100,000 levels deep is refused without being parsed, and nothing crashes") {
    auto deep = parseUntrustedJson(nested(100'000));
    CHECK_FALSE(deep.ok());
    CHECK(deep.tooDeep);
    CHECK(deep.value.is_discarded());
    CHECK_THAT(deep.error, Catch::Contains("deeper than 32"));

    auto fine = parseUntrustedJson(R"({"a":[{"b":1}]})");
    REQUIRE(fine.ok());
    CHECK(fine.value["a"][0]["b"] == 1);
    auto broken = parseUntrustedJson("{\"a\":");
    CHECK_FALSE(broken.ok());
    CHECK_FALSE(broken.tooDeep);
}

TEST_CASE("a catalogue file nested 100,000 levels deep is refused, not a crash") {
    std::string doc =
        R"({"format":"comptoir-catalogue","format_version":1,"catalogue_version":1,"themes":[],)"
        R"("neighbourhoods":[],"organisations":[],"offers":[{"id":"off-x","x":)" +
        nested(100'000) + "}]}";
    auto r = parseCatalogue(doc);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("deeper than 32"));
}
