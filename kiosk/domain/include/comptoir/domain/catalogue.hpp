#pragma once
/// @brief Parsing and validation of the catalogue JSON format (docs/catalogue-format.md).

#include "comptoir/domain/types.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

/// One entry skipped during parsing, with the reason in plain words.
struct CatalogueIssue {
    std::string entry;  ///< e.g. "offer off-0042" or "offers[17]"
    std::string reason; ///< e.g. "unknown organisation 'org-x'"
};

struct CatalogueParseResult {
    bool ok = false;          ///< false when the document as a whole is unusable
    std::string error;        ///< why, when !ok
    Catalogue catalogue;      ///< the valid entries
    std::vector<CatalogueIssue> issues; ///< the skipped ones
    /// Ids of offers the document holds but that were skipped: an import keeps them as they were
    /// rather than closing them (they are there, only unreadable this time).
    std::vector<std::string> skippedOfferIds;
    /// Parts left out of entries that were kept (a translation that breaks the rules): the entry
    /// stays as if the part were absent. Logged, never a reason to refuse the catalogue.
    std::vector<CatalogueIssue> dropped;
};

/// An offer title is one line of at most this many characters: two lines of a card at every
/// supported size and text size (docs/catalogue-format.md).
inline constexpr std::size_t kMaxOfferTitleChars = 80;
/// The largest catalogue file a kiosk reads (about 25,000 offers); past it the file is refused
/// before it is parsed, so a hostile or endless file cannot fill the memory.
inline constexpr std::size_t kMaxCatalogueBytes = 32u << 20;

/// An id of a theme, activity, neighbourhood, organisation or offer: 1 to 40 of a-z, 0-9, '-'.
[[nodiscard]] bool isCatalogueId(std::string_view s);

/// The longest `schedule` (the platform's own words for the moment), in characters.
inline constexpr std::size_t kScheduleCodePoints = 200;

/// An http:// or https:// address of at most 500 bytes, without spaces, controls or quotes.
[[nodiscard]] bool isWebUrl(std::string_view s);

/// Parses a whole catalogue document; invalid entries are skipped and reported, never fatal.
[[nodiscard]] CatalogueParseResult parseCatalogue(std::string_view jsonText);

/// Serialises a catalogue back to the same format (used by the generator and tests).
[[nodiscard]] std::string serialiseCatalogue(const Catalogue& c, int indent = -1);

/// One offer in the catalogue format (local offers added on site travel and rest in it).
[[nodiscard]] nlohmann::json offerToJson(const Offer& o);
/// Parses one offer entry (field rules only, not references); nullopt with the reason otherwise.
/// A translation that breaks the rules is left out; its reason is added to `dropped` when given.
[[nodiscard]] std::optional<Offer> parseOfferJson(const nlohmann::json& j, std::string& error,
                                                  std::vector<CatalogueIssue>* dropped = nullptr);

/// An offer's `translations` object as the catalogue writes it, "{}" when none: how the kiosk
/// stores them beside the offer's French columns.
[[nodiscard]] std::string translationsJson(const Offer& offer);
/// Reads translationsJson back into `offer.translations` by the catalogue's rules (a stored text
/// is read as carefully as a pulled one: a bad translation is left out).
void readTranslationsJson(std::string_view text, Offer& offer);

/// Text a catalogue may show: valid UTF-8, no control character (a line break only when
/// `lineBreaks`), no bidirectional embedding, override or isolate (they would reorder the screen
/// around the text). Empty when fine, else why not.
[[nodiscard]] std::string displayTextProblem(std::string_view s, bool lineBreaks);

/// Checks one offer against the format's rules and the given references; empty string when valid.
[[nodiscard]] std::string validateOffer(const Offer& o, const Catalogue& refs);

} // namespace comptoir
