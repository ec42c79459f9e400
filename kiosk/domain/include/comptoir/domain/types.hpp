#pragma once
/// @brief Plain catalogue types shared by every layer (glossary in shared/DESIGN.md).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

struct Activity {
    std::string id;
    std::string name;
};

struct Theme {
    std::string id;
    std::string name;
    std::string pictogram;
    std::vector<Activity> activities;
};

struct Neighbourhood {
    std::string id;
    std::string name;
    double x = 0; ///< rough km east of the town hall
    double y = 0; ///< rough km north of the town hall
};

enum class OrganisationKind { Association, CityService, PublicBody, Collective };

struct Organisation {
    std::string id;
    std::string name;
    OrganisationKind kind = OrganisationKind::Association;
    std::string neighbourhoodId;
    std::string address;
    std::string contact;
    bool charterSigned = false;
};

enum class Rhythm { OneOff, Regular };
enum class OfferStatus { Published, Paused, Archived };

/// A one-off moment, local time, "YYYY-MM-DDTHH:MM".
struct DateRange {
    std::string start;
    std::string end;
};

/// A weekly slot of a regular offer; weekday 1 = Monday.
struct TimeSlot {
    int weekday = 1;
    std::string start; ///< "HH:MM"
    std::string end;
};

/// An offer's own texts in another language than French (catalogue field `translations`): it
/// covers every text the French offer has, so a visitor reading it sees no French left.
struct OfferTranslation {
    std::string language; ///< en, es, ar or uk (kOfferLanguages)
    std::string title;
    std::string description;
    std::string whatToBring;
    std::vector<std::string> prerequisites;
    std::vector<std::string> skills;
    bool operator==(const OfferTranslation&) const = default;
};

struct Offer {
    std::string id;
    std::string organisationId;
    std::string title;
    std::string description;
    std::string themeId;
    std::string activityId;
    Rhythm rhythm = Rhythm::OneOff;
    std::string frequency; ///< weekly, fortnightly, monthly; empty for one-off
    std::vector<DateRange> dates;
    std::vector<TimeSlot> slots;
    bool toBeAgreed = false;
    double durationHours = 1;
    std::string place;
    std::string neighbourhoodId;
    bool stepFree = false;
    int minAge = 0;
    bool parentalAgreement = false;
    bool groupFriendly = false;
    std::vector<std::string> prerequisites;
    std::vector<std::string> skills;
    std::string whatToBring;
    int placesWanted = 0;
    int placesLeft = 0;
    bool registrationOpen = true;
    OfferStatus status = OfferStatus::Published;
    bool permisCitoyen = false; ///< a Permis Citoyen mission (20 to 40 hours, progress followed)
    /// Where the central server got the offer: "engagement" (API Engagement), "sheet" (the CCAS's
    /// spreadsheet), empty for a catalogue file. Each import replaces only its own source's offers.
    std::string source;
    std::string applicationUrl; ///< the publishing platform's page to apply on (http/https only)
    std::string schedule;       ///< the platform's own words for the moment ("2 heures par semaine")
    std::vector<OfferTranslation> translations; ///< at most one per language, in language order
    std::int64_t catalogueVersion = 0;
};

struct Catalogue {
    std::int64_t version = 0;
    std::vector<Theme> themes;
    std::vector<Neighbourhood> neighbourhoods;
    std::vector<Organisation> organisations;
    std::vector<Offer> offers;
};

/// The languages an offer may be translated into: those the kiosk's screens speak besides French.
inline constexpr const char* kOfferLanguages[] = {"ar", "en", "es", "uk"};

/// The offer's translation into `language`; nullptr for French or when the catalogue has none.
[[nodiscard]] const OfferTranslation* translationOf(const Offer& offer, std::string_view language);

[[nodiscard]] const char* toString(OrganisationKind k);
[[nodiscard]] const char* toString(Rhythm r);
[[nodiscard]] const char* toString(OfferStatus s);
[[nodiscard]] bool parseOrganisationKind(const std::string& s, OrganisationKind& out);
[[nodiscard]] bool parseRhythm(const std::string& s, Rhythm& out);
[[nodiscard]] bool parseOfferStatus(const std::string& s, OfferStatus& out);

} // namespace comptoir
