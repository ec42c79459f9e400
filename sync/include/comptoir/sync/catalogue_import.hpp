#pragma once
/// @brief Offers the central server imports from elsewhere: missions of API Engagement (a saved
/// `GET /v0/mission` answer, or fetched live) and the CCAS's own spreadsheet. Each import replaces
/// only its own source's offers in the current catalogue (docs/catalogue-format.md, "Imported offers").

#include "comptoir/domain/types.hpp"
#include "comptoir/sync/central.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::sync::central {

inline constexpr const char* kSourceEngagement = "engagement";
inline constexpr const char* kSourceSheet = "sheet";

// [SECTION] spreadsheet text (CSV with ';') -----------------------------------

/// One record of a CSV file, with the physical line it starts on (quoted cells may span lines).
struct CsvRow {
    std::size_t line = 0;
    std::vector<std::string> cells;
};

struct CsvLimits {
    std::size_t maxBytes = std::size_t{8} << 20;
    std::size_t maxRows = 5'000;
    std::size_t maxColumns = 64;
    std::size_t maxCellBytes = 8'000;
};

struct CsvParse {
    std::vector<CsvRow> rows;
    std::string error; ///< empty when the whole text was read; otherwise where and why
    [[nodiscard]] bool ok() const { return error.empty(); }
};

/// French spreadsheet conventions: ';' between cells, UTF-8 with or without BOM, "" inside quoted
/// cells, line breaks inside quoted cells, CRLF or LF. Blank lines are skipped; with
/// `commentLines`, lines starting with '#' too (the mapping tables in assets/engagement/).
[[nodiscard]] CsvParse parseCsv(std::string_view text, const CsvLimits& limits = {},
                                bool commentLines = false);

/// Lower case, French accents folded to their letter, '-', '\'' and '’' as spaces, spaces
/// collapsed: "Rue Saint-Nicolas" and "rue saint nicolas" compare equal.
[[nodiscard]] std::string foldForMatch(std::string_view s);

/// 16 hex digits of a 64-bit FNV-1a hash: a stable id part for names that are not ids.
[[nodiscard]] std::string stableHash16(std::string_view s);

// [SECTION] what an import produced, and how it joins the catalogue -------------

/// Something left out of an import, in plain words: "mission 64a1…", "line 4, column C (titre)".
struct ImportIssue {
    std::string where;
    std::string reason;
};

/// One source's offers as read from outside, before they join the current catalogue.
struct SourceOffers {
    std::string source;                             ///< kSourceEngagement or kSourceSheet
    std::vector<Offer> offers;                      ///< every one valid against the base catalogue
    std::vector<Organisation> organisations;        ///< the ones those offers name
    std::vector<Neighbourhood> addedNeighbourhoods; ///< from the mapping table, when the base lacks them
    std::vector<std::string> unreadableOfferIds;    ///< present but unreadable this time: kept as they were
    std::vector<ImportIssue> skipped;               ///< left out, with why
};

struct SourceImportSummary {
    CatalogueImportSummary storage;
    std::size_t imported = 0; ///< offers of this source now published (or as the source says)
    std::size_t closed = 0;   ///< offers of this source no longer present: archived, registration closed
    std::size_t kept = 0;     ///< unreadable this time, kept unchanged
};

/// The catalogue the storage publishes now (every kind, deleted entries left out).
[[nodiscard]] Catalogue currentCatalogue(CentralStorage& storage);

/// `current` with `fresh.source`'s offers replaced by `fresh.offers`: other sources' offers stay
/// as they are, this source's offers that are missing are closed (archived, registration closed),
/// never deleted, so kiosks holding registrations for them still find them.
[[nodiscard]] Catalogue mergeSourceOffers(const Catalogue& current, const SourceOffers& fresh,
                                          SourceImportSummary* summary = nullptr);

/// Reads the current catalogue, merges, and stores the result as one new catalogue version.
/// Refuses (CatalogueImportRefused, nothing changed) an import with no offers that would close
/// every offer of its source, unless `closeAll`.
SourceImportSummary importSourceOffers(CentralStorage& storage, const SourceOffers& fresh,
                                       bool closeAll = false);

// [SECTION] API Engagement --------------------------------------------------------

/// The two mapping tables (assets/engagement/domains.csv and neighbourhoods.csv).
struct EngagementMappings {
    struct DomainRule {
        std::string domain;      ///< API Engagement `domain`
        std::string apiActivity; ///< one of the mission's `activities`, or empty for any
        std::string theme;
        std::string activity;
    };
    struct PlaceRule {
        std::string postalCode;      ///< 5 digits, or "remote" for a mission done entirely at a distance
        std::string streetContains;  ///< folded (foldForMatch); empty matches any street of that postal code
        Neighbourhood neighbourhood; ///< id always; name, x, y used only when the base catalogue lacks it
    };
    std::vector<DomainRule> domains;
    std::vector<PlaceRule> places;
};

/// Reads the two tables; nullopt with the file, line and reason in `error` when one is malformed.
[[nodiscard]] std::optional<EngagementMappings>
loadEngagementMappings(const std::string& domainsCsvPath, const std::string& neighbourhoodsCsvPath,
                       std::string& error);

struct EngagementLimits {
    std::size_t maxDocumentBytes = std::size_t{256} << 20;
    std::size_t maxMissions = 50'000;
    std::size_t maxTextBytes =
        64 * 1024;                  ///< one text field of one mission (the API's own cap is 20,000 chars)
    std::size_t maxListItems = 100; ///< addresses, activities, skills… of one mission
};

/// Plain text from a mission's HTML description: tags dropped (script and style with their
/// content), entities decoded, paragraphs and list items kept as line breaks, spaces collapsed,
/// at most `maxChars` code points (cut at a word, with "…").
[[nodiscard]] std::string htmlToPlainText(std::string_view html, std::size_t maxChars);

/// Maps the missions of one or more `GET /v0/mission` answers onto the base catalogue's themes
/// and neighbourhoods. A document that is not such an answer (not JSON, too deep, too big,
/// `data` not a list…) throws CatalogueImportRefused; one mission that cannot be used is listed
/// in `skipped`, and kept unchanged when it was imported before but cannot be read now.
[[nodiscard]] SourceOffers mapEngagementDocuments(const std::vector<std::string_view>& documents,
                                                  const Catalogue& base, const EngagementMappings& mappings,
                                                  const EngagementLimits& limits = {});

/// Fetching the missions live, through libcurl.
struct EngagementFetchOptions {
    std::string baseUrl = "https://api.api-engagement.beta.gouv.fr";
    std::string apiKey;                ///< sent as x-api-key; never logged
    std::string query = "city=Angers"; ///< extra search parameters, already URL-encoded
    std::string caFile;                ///< extra CA bundle; verification itself is always on
    std::size_t pageSize = 1'000;      ///< the API allows up to 10,000
    std::size_t maxPages = 50;
    std::size_t maxPageBytes = std::size_t{64} << 20;
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds pageTimeout{120'000};
};

/// The pages of `GET /v0/mission`, each as received. Throws CatalogueImportRefused with the reason
/// (refused key, HTTP error, network, too many pages, plain HTTP to another host than loopback).
[[nodiscard]] std::vector<std::string> fetchEngagementPages(const EngagementFetchOptions& options);

// [SECTION] the CCAS's spreadsheet ------------------------------------------------

/// Every row of the sheet as offers, or every problem found: when `issues` is not empty nothing
/// may be imported. Columns: docs/catalogue-format.md ("The CCAS's spreadsheet").
struct SheetResult {
    SourceOffers offers;
    std::vector<ImportIssue> issues;
    [[nodiscard]] bool clean() const { return issues.empty(); }
};
[[nodiscard]] SheetResult readOfferSheet(std::string_view csvText, const Catalogue& base);

} // namespace comptoir::sync::central
