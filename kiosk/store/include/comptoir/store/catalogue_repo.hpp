#pragma once
/// @brief Reading and writing the local copy of the offer catalogue.

#include "comptoir/domain/types.hpp"
#include "comptoir/store/db.hpp"

#include <cstdint>

namespace comptoir::store {

struct ImportReport {
    std::size_t themes = 0, neighbourhoods = 0, organisations = 0, offers = 0;
    std::size_t closed = 0; ///< offers absent from the catalogue, closed by importCatalogue
};

/// Makes `catalogue` the kiosk's catalogue in ONE transaction and records its version: readers
/// see the old catalogue or the new one, never half of it. Its entries are upserted; an offer
/// the catalogue does not hold (nor `keep`: offers the file holds but that were skipped) is
/// closed, not deleted (status archived, registration closed): registrations for it still find it.
ImportReport importCatalogue(Database& db, const Catalogue& catalogue,
                             const std::vector<std::string>& keep = {});

/// The same upserts without a transaction of their own, for callers that must make them part
/// of a larger one (the sync's catalogue swap). Must run inside the caller's Transaction.
ImportReport upsertCatalogueRows(Database& db, const Catalogue& catalogue);

/// Loads the whole catalogue (all statuses), ordered for display: offers by first date, then title.
[[nodiscard]] Catalogue loadCatalogue(const Database& db);

/// The catalogue's themes (with their activities), neighbourhoods and organisations, without any
/// offer: what a form needs to choose from, at a fraction of the whole catalogue's memory.
[[nodiscard]] Catalogue loadCatalogueReferences(const Database& db);

/// The version of the catalogue held locally; 0 when none.
[[nodiscard]] std::int64_t catalogueVersion(const Database& db);
[[nodiscard]] std::int64_t offerCount(const Database& db);

} // namespace comptoir::store
