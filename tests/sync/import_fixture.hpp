#pragma once
/// @brief Test support for the catalogue importers: a central database holding the demo
/// catalogue, as a CCAS starts, and finding an offer by id.

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/sync/catalogue_import.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>

namespace comptoir::test {

inline std::unique_ptr<sync::central::CentralStorage> demoStorage(const TempDir& dir) {
    auto storage = sync::central::openSqliteStorage(dir.file("central.db"));
    auto parsed = parseCatalogue(readFile(sourcePath("assets/catalogue/demo.json")));
    REQUIRE(parsed.ok);
    (void)storage->importCatalogue(parsed.catalogue);
    return storage;
}

inline const Offer* findOffer(const Catalogue& c, const std::string& id) {
    for (const auto& o : c.offers)
        if (o.id == id) return &o;
    return nullptr;
}

} // namespace comptoir::test
