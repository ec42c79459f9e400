#include "comptoir/domain/ids.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace comptoir;

TEST_CASE("UUIDv7 has the right shape, version and variant, and sorts by time") {
    auto a = newUuidV7At(1700000000000ULL);
    REQUIRE(a.size() == 36);
    CHECK(a[14] == '7');
    CHECK((a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b'));
    CHECK(a.substr(0, 8) == "018bcfe5"); // 1700000000000 = 0x018bcfe56800
    auto b = newUuidV7At(1700000000001ULL);
    CHECK(a < b);
}

TEST_CASE("UUIDv7 ids made in the same millisecond are distinct and ordered") {
    std::vector<std::string> ids;
    for (int i = 0; i < 5000; ++i) ids.push_back(newUuidV7At(1800000000000ULL));
    std::set<std::string> unique(ids.begin(), ids.end());
    CHECK(unique.size() == ids.size());
    CHECK(std::is_sorted(ids.begin(), ids.end()));
}

TEST_CASE("UUIDv4 has the right shape, version and variant, and carries no order of making") {
    std::vector<std::string> ids;
    for (int i = 0; i < 64; ++i)
        ids.push_back(newUuidV4());
    for (const auto& id : ids) {
        REQUIRE(id.size() == 36);
        CHECK(id[14] == '4');
        CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
    }
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
    // 64 random ids come out sorted once in 64! (about 1e89) runs: time-ordered ids always do.
    CHECK_FALSE(std::is_sorted(ids.begin(), ids.end()));
}

TEST_CASE("reference codes avoid look-alike characters") {
    for (int i = 0; i < 200; ++i) {
        auto c = newReferenceCode();
        REQUIRE(c.size() == 7);
        CHECK(c[3] == '-');
        CHECK(c.find_first_of("01OIL") == std::string::npos);
    }
}
