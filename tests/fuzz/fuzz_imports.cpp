// libFuzzer: the central server's importers of outside files. The first byte picks the reader:
// the CCAS's spreadsheet, an API Engagement answer, or an HTML description. Never a crash, never
// invalid UTF-8 or an over-long text out, never an offer the catalogue's own rules refuse.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/catalogue_import.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace comptoir;
using namespace comptoir::sync::central;

namespace {

struct Base {
    Catalogue catalogue;
    EngagementMappings tables;
    Base() {
        std::string demo;
        if (!readWholeFile(COMPTOIR_ASSET_DIR "/catalogue/demo.json", demo)) std::abort();
        catalogue = parseCatalogue(demo).catalogue;
        std::string error;
        auto t = loadEngagementMappings(COMPTOIR_ASSET_DIR "/engagement/domains.csv",
                                        COMPTOIR_ASSET_DIR "/engagement/neighbourhoods.csv", error);
        if (!t) std::abort();
        tables = *t;
    }
};

void checkOffers(const SourceOffers& s, const Catalogue& base) {
    Catalogue refs = base;
    refs.organisations.insert(refs.organisations.end(), s.organisations.begin(), s.organisations.end());
    refs.neighbourhoods.insert(refs.neighbourhoods.end(), s.addedNeighbourhoods.begin(),
                               s.addedNeighbourhoods.end());
    for (const auto& o : s.offers)
        if (!validateOffer(o, refs).empty() || !isValidUtf8(o.description) ||
            utf8Length(o.description) > 1200 || utf8Length(o.title) > 120)
            std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Base base;
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 3) {
    case 0: {
        auto sheet = readOfferSheet(text, base.catalogue);
        if (!sheet.clean() && !sheet.offers.offers.empty()) std::abort();
        checkOffers(sheet.offers, base.catalogue);
        break;
    }
    case 1:
        try {
            checkOffers(mapEngagementDocuments({text}, base.catalogue, base.tables), base.catalogue);
        } catch (const CatalogueImportRefused&) {
        }
        break;
    default: {
        auto plain = htmlToPlainText(text, 200);
        if (!isValidUtf8(plain) || utf8Length(plain) > 200) std::abort();
    }
    }
    return 0;
}
