#pragma once
/// @brief The demo catalogue (assets/catalogue/demo.json), parsed once per test binary.

#include "comptoir/domain/catalogue.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

namespace comptoir::test {

inline const Catalogue& demoCatalogue() {
    static const Catalogue c = [] {
        auto parsed = parseCatalogue(readFile(sourcePath("assets/catalogue/demo.json")));
        REQUIRE(parsed.ok);
        return parsed.catalogue;
    }();
    return c;
}

} // namespace comptoir::test
