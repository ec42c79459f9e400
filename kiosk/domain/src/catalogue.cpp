#include "comptoir/domain/catalogue.hpp"

#include "comptoir/domain/text.hpp"
#include "comptoir/domain/untrusted_json.hpp"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_set>

namespace comptoir {

using nlohmann::json;

// [SECTION] enum names ------------------------------------------------------

const char* toString(OrganisationKind k) {
    switch (k) {
    case OrganisationKind::Association: return "association";
    case OrganisationKind::CityService: return "city_service";
    case OrganisationKind::PublicBody: return "public_body";
    case OrganisationKind::Collective: return "collective";
    }
    return "association";
}
const char* toString(Rhythm r) { return r == Rhythm::Regular ? "regular" : "one_off"; }
const char* toString(OfferStatus s) {
    switch (s) {
    case OfferStatus::Published: return "published";
    case OfferStatus::Paused: return "paused";
    case OfferStatus::Archived: return "archived";
    }
    return "published";
}
bool parseOrganisationKind(const std::string& s, OrganisationKind& out) {
    for (auto k : {OrganisationKind::Association, OrganisationKind::CityService, OrganisationKind::PublicBody,
                   OrganisationKind::Collective})
        if (s == toString(k)) {
            out = k;
            return true;
        }
    return false;
}
bool parseRhythm(const std::string& s, Rhythm& out) {
    if (s == "one_off") out = Rhythm::OneOff;
    else if (s == "regular") out = Rhythm::Regular;
    else return false;
    return true;
}
bool parseOfferStatus(const std::string& s, OfferStatus& out) {
    for (auto k : {OfferStatus::Published, OfferStatus::Paused, OfferStatus::Archived})
        if (s == toString(k)) {
            out = k;
            return true;
        }
    return false;
}

// [SECTION] field helpers ---------------------------------------------------

namespace {

/// Thrown inside one entry's parse; caught per entry so one bad entry never stops the import.
struct EntryError {
    std::string reason;
};

std::string str(const json& j, const char* key, size_t maxLen, bool required = true) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) throw EntryError{std::string("missing field '") + key + "'"};
        return {};
    }
    if (!it->is_string()) throw EntryError{std::string("field '") + key + "' must be text"};
    std::string v = it->get<std::string>();
    if (!isValidUtf8(v)) throw EntryError{std::string("field '") + key + "' is not valid UTF-8"};
    // A NUL cuts the text wherever C strings are used; other controls break the layout. Line
    // breaks and tabs stay possible in long texts (a description's paragraphs).
    if (std::any_of(v.begin(), v.end(), [](char c) {
            auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7F;
        }))
        throw EntryError{std::string("field '") + key + "' holds a control character"};
    if (required && v.find_first_not_of(" \t\r\n") == std::string::npos)
        throw EntryError{std::string("field '") + key + "' is empty"};
    if (utf8Length(v) > maxLen)
        throw EntryError{std::string("field '") + key + "' is longer than " + std::to_string(maxLen) +
                         " characters"};
    return v;
}

/// An optional text field a kiosk may do without: anything but valid text within `maxLen` reads as empty.
std::string optionalText(const json& j, const char* key, size_t maxLen) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return {};
    const auto& v = it->get_ref<const std::string&>();
    if (!isValidUtf8(v) || utf8Length(v) > maxLen) return {};
    return v;
}

bool boolean(const json& j, const char* key, bool def) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return def;
    if (!it->is_boolean()) throw EntryError{std::string("field '") + key + "' must be true or false"};
    return it->get<bool>();
}

double number(const json& j, const char* key, double lo, double hi, bool required = true, double def = 0) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required) throw EntryError{std::string("missing field '") + key + "'"};
        return def;
    }
    if (!it->is_number()) throw EntryError{std::string("field '") + key + "' must be a number"};
    double v = it->get<double>();
    if (!(v >= lo && v <= hi))
        throw EntryError{std::string("field '") + key + "' must be between " + formatNumber(lo) + " and " +
                         formatNumber(hi)};
    return v;
}

int integer(const json& j, const char* key, int lo, int hi, bool required = true, int def = 0) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number_float()) throw EntryError{std::string("field '") + key + "' must be a whole number"};
    return static_cast<int>(number(j, key, lo, hi, required, def));
}

std::vector<std::string> strList(const json& j, const char* key, size_t maxItems, size_t maxLen) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) throw EntryError{std::string("field '") + key + "' must be a list"};
    if (it->size() > maxItems)
        throw EntryError{std::string("field '") + key + "' has more than " + std::to_string(maxItems) + " items"};
    for (const auto& e : *it) {
        if (!e.is_string()) throw EntryError{std::string("field '") + key + "' must list text"};
        auto v = e.get<std::string>();
        if (!isValidUtf8(v) || v.empty() || utf8Length(v) > maxLen)
            throw EntryError{std::string("an item of '") + key + "' is empty, too long or not UTF-8"};
        out.push_back(std::move(v));
    }
    return out;
}

std::string id(const json& j) {
    auto v = str(j, "id", 40);
    if (!isCatalogueId(v)) throw EntryError{"id '" + v + "' may only use a-z, 0-9 and '-'"};
    return v;
}

bool isHhMm(const std::string& s) {
    if (s.size() != 5 || s[2] != ':') return false;
    if (!isdigit(static_cast<unsigned char>(s[0])) || !isdigit(static_cast<unsigned char>(s[1])) ||
        !isdigit(static_cast<unsigned char>(s[3])) || !isdigit(static_cast<unsigned char>(s[4])))
        return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60;
}

bool isLocalDateTime(const std::string& s) {
    // YYYY-MM-DDTHH:MM
    if (s.size() != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!isdigit(static_cast<unsigned char>(s[static_cast<size_t>(i)]))) return false;
    int mo = std::stoi(s.substr(5, 2));
    int d = std::stoi(s.substr(8, 2));
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && isHhMm(s.substr(11));
}

Theme parseTheme(const json& j) {
    if (!j.is_object()) throw EntryError{"not an object"};
    Theme t;
    t.id = id(j);
    t.name = str(j, "name", 60);
    t.pictogram = str(j, "pictogram", 20);
    static const std::unordered_set<std::string> known{"hands", "leaf", "palette", "ball", "heart",
                                                       "house", "star", "screen", "cane", "ballot"};
    if (!known.count(t.pictogram)) throw EntryError{"unknown pictogram '" + t.pictogram + "'"};
    auto it = j.find("activities");
    if (it == j.end() || !it->is_array() || it->empty()) throw EntryError{"a theme needs at least one activity"};
    for (const auto& a : *it) {
        if (!a.is_object()) throw EntryError{"an activity is not an object"};
        t.activities.push_back(Activity{id(a), str(a, "name", 80)});
    }
    return t;
}

Neighbourhood parseNeighbourhood(const json& j) {
    if (!j.is_object()) throw EntryError{"not an object"};
    Neighbourhood n;
    n.id = id(j);
    n.name = str(j, "name", 60);
    n.x = number(j, "x", -50, 50, false);
    n.y = number(j, "y", -50, 50, false);
    return n;
}

Organisation parseOrganisation(const json& j) {
    if (!j.is_object()) throw EntryError{"not an object"};
    Organisation o;
    o.id = id(j);
    o.name = str(j, "name", 120);
    auto kind = str(j, "kind", 20);
    if (!parseOrganisationKind(kind, o.kind)) throw EntryError{"unknown kind '" + kind + "'"};
    o.neighbourhoodId = str(j, "neighbourhood", 40);
    o.address = str(j, "address", 200, false);
    o.contact = str(j, "contact", 120, false);
    o.charterSigned = boolean(j, "charter_signed", false);
    return o;
}

// [SECTION] translations ----------------------------------------------------

/// One text of a translation: the French field's length rule, shown text only.
std::string translatedText(const json& t, const char* key, std::size_t maxLen, bool lineBreaks,
                           bool required) {
    auto v = str(t, key, maxLen, required);
    if (auto why = displayTextProblem(v, lineBreaks); !why.empty())
        throw EntryError{std::string("field '") + key + "' " + why};
    return v;
}

/// A translated list, item for item with the French one: none more, none less.
std::vector<std::string> translatedList(const json& t, const char* key,
                                        const std::vector<std::string>& french) {
    auto v = strList(t, key, 3, 80);
    for (const auto& item : v)
        if (auto why = displayTextProblem(item, false); !why.empty())
            throw EntryError{std::string("an item of '") + key + "' " + why};
    if (v.size() != french.size())
        throw EntryError{std::string("field '") + key + "' must translate the " +
                         std::to_string(french.size()) + " French items one by one"};
    return v;
}

OfferTranslation parseTranslation(const json& t, const Offer& french) {
    if (!t.is_object()) throw EntryError{"not an object"};
    OfferTranslation tr;
    tr.title = translatedText(t, "title", kMaxOfferTitleChars, false, true);
    tr.description = translatedText(t, "description", 1200, true, true);
    tr.whatToBring = translatedText(t, "what_to_bring", 200, false, false);
    // Complete or nothing: a visitor told nothing about French must find no French left.
    if (tr.whatToBring.empty() != french.whatToBring.empty())
        throw EntryError{french.whatToBring.empty() ? "field 'what_to_bring' is not in the French offer"
                                                    : "missing field 'what_to_bring'"};
    tr.prerequisites = translatedList(t, "prerequisites", french.prerequisites);
    tr.skills = translatedList(t, "skills", french.skills);
    return tr;
}

/// `translations`: { "en": {…}, "ar": {…} }. Hostile like the rest, but never fatal to the
/// offer: a bad language is left out with its reason, the French offer and the good ones stay.
void parseTranslations(const json& j, Offer& o, std::vector<CatalogueIssue>* dropped) {
    auto it = j.find("translations");
    if (it == j.end() || it->is_null()) return;
    auto drop = [&](const std::string& what, const std::string& why) {
        if (dropped) dropped->push_back({"offer " + o.id, what + " left out: " + why});
    };
    constexpr std::size_t kMaxLanguages = std::size(kOfferLanguages);
    if (!it->is_object()) return drop("translations", "must be an object of languages");
    // Checked before any key is looked at: a flood of keys costs one line, not one per key.
    if (it->size() > kMaxLanguages)
        return drop("translations", "more than " + std::to_string(kMaxLanguages) + " languages");
    for (const auto& [key, body] : it->items()) {
        const std::string& language = key; // a lambda may not capture a structured binding (clang 14)
        const std::string what = "translation '" + utf8Sanitise(language, 8) + "'";
        if (std::none_of(std::begin(kOfferLanguages), std::end(kOfferLanguages),
                         [&](const char* l) { return language == l; })) {
            drop(what, "not a language of the kiosk (ar, en, es, uk)");
            continue;
        }
        try {
            auto tr = parseTranslation(body, o);
            tr.language = language;
            o.translations.push_back(std::move(tr));
        } catch (const EntryError& e) {
            drop(what, e.reason);
        }
    }
    // nlohmann's object keeps its keys sorted: the list is in language order already.
}

Offer parseOffer(const json& j, std::vector<CatalogueIssue>* dropped) {
    if (!j.is_object()) throw EntryError{"not an object"};
    Offer o;
    o.id = id(j);
    o.organisationId = str(j, "organisation", 40);
    o.title = str(j, "title", kMaxOfferTitleChars);
    if (o.title.find_first_of("\n\r\t") != std::string::npos)
        throw EntryError{"field 'title' must be one line"};
    o.description = str(j, "description", 1200);
    o.themeId = str(j, "theme", 40);
    o.activityId = str(j, "activity", 40);
    auto rhythm = str(j, "rhythm", 20);
    if (!parseRhythm(rhythm, o.rhythm)) throw EntryError{"unknown rhythm '" + rhythm + "'"};
    o.frequency = str(j, "frequency", 20, false);
    if (auto it = j.find("dates"); it != j.end() && !it->is_null()) {
        if (!it->is_array()) throw EntryError{"field 'dates' must be a list"};
        if (it->size() > 366) throw EntryError{"field 'dates' has more than 366 items"};
        for (const auto& d : *it) {
            if (!d.is_object()) throw EntryError{"a date is not an object"};
            DateRange r{str(d, "start", 16), str(d, "end", 16)};
            if (!isLocalDateTime(r.start) || !isLocalDateTime(r.end) || r.end <= r.start)
                throw EntryError{"date '" + r.start + "' – '" + r.end + "' is not a valid moment"};
            o.dates.push_back(std::move(r));
        }
    }
    if (auto it = j.find("slots"); it != j.end() && !it->is_null()) {
        if (!it->is_array()) throw EntryError{"field 'slots' must be a list"};
        if (it->size() > 21) throw EntryError{"field 'slots' has more than 21 items"};
        for (const auto& s : *it) {
            if (!s.is_object()) throw EntryError{"a slot is not an object"};
            TimeSlot t{integer(s, "weekday", 1, 7), str(s, "start", 5), str(s, "end", 5)};
            if (!isHhMm(t.start) || !isHhMm(t.end) || t.end <= t.start)
                throw EntryError{"slot '" + t.start + "' – '" + t.end + "' is not a valid time range"};
            o.slots.push_back(std::move(t));
        }
    }
    o.toBeAgreed = boolean(j, "to_be_agreed", false);
    o.durationHours = number(j, "duration_hours", 0.5, 200);
    o.place = str(j, "place", 200, false);
    o.neighbourhoodId = str(j, "neighbourhood", 40);
    o.stepFree = boolean(j, "step_free", false);
    o.minAge = integer(j, "min_age", 0, 99, false, 0);
    o.parentalAgreement = boolean(j, "parental_agreement", false);
    o.groupFriendly = boolean(j, "group_friendly", false);
    o.prerequisites = strList(j, "prerequisites", 3, 80);
    o.skills = strList(j, "skills", 3, 80);
    o.whatToBring = str(j, "what_to_bring", 200, false);
    o.placesWanted = integer(j, "places_wanted", 0, 500, false, 0);
    o.placesLeft = integer(j, "places_left", 0, 500, false, 0);
    o.registrationOpen = boolean(j, "registration_open", true);
    auto status = str(j, "status", 20, false);
    if (status.empty()) status = "published";
    if (!parseOfferStatus(status, o.status)) throw EntryError{"unknown status '" + status + "'"};
    o.permisCitoyen = boolean(j, "permis_citoyen", false);
    // Written by the central server's importers (docs/catalogue-format.md). Tolerant: a value this
    // kiosk cannot use is dropped, the offer itself stays.
    o.source = optionalText(j, "source", 20);
    if (!isCatalogueId(o.source)) o.source.clear();
    o.applicationUrl = optionalText(j, "application_url", 500);
    if (!isWebUrl(o.applicationUrl)) o.applicationUrl.clear();
    // One line of plain text: a newline or control in it would break the card's one line.
    o.schedule = utf8Sanitise(optionalText(j, "schedule", kScheduleCodePoints), kScheduleCodePoints);
    parseTranslations(j, o, dropped);
    return o;
}

template <class T, class Parse>
void parseList(const json& doc, const char* key, const char* what, std::vector<T>& out,
               std::vector<CatalogueIssue>& issues, Parse parse) {
    auto it = doc.find(key);
    if (it == doc.end()) return;
    if (!it->is_array()) {
        issues.push_back({key, "must be a list"});
        return;
    }
    std::unordered_set<std::string> seen;
    size_t index = 0;
    for (const auto& e : *it) {
        std::string name = std::string(key) + "[" + std::to_string(index++) + "]";
        if (e.is_object() && e.contains("id") && e["id"].is_string())
            name = std::string(what) + " " + e["id"].get<std::string>();
        try {
            T v = parse(e);
            if (!seen.insert(v.id).second) throw EntryError{"duplicate id"};
            out.push_back(std::move(v));
        } catch (const EntryError& err) {
            issues.push_back({name, err.reason});
        } catch (const json::exception& err) {
            issues.push_back({name, err.what()});
        }
    }
}

template <class T> bool hasId(const std::vector<T>& v, const std::string& id) {
    return std::any_of(v.begin(), v.end(), [&](const T& e) { return e.id == id; });
}

} // namespace

// [SECTION] validation ------------------------------------------------------

std::string validateOffer(const Offer& o, const Catalogue& refs) {
    if (!hasId(refs.organisations, o.organisationId)) return "unknown organisation '" + o.organisationId + "'";
    auto theme = std::find_if(refs.themes.begin(), refs.themes.end(), [&](const Theme& t) { return t.id == o.themeId; });
    if (theme == refs.themes.end()) return "unknown theme '" + o.themeId + "'";
    if (!hasId(theme->activities, o.activityId))
        return "activity '" + o.activityId + "' does not belong to theme '" + o.themeId + "'";
    if (!hasId(refs.neighbourhoods, o.neighbourhoodId)) return "unknown neighbourhood '" + o.neighbourhoodId + "'";
    if (o.placesLeft > o.placesWanted) return "places_left is greater than places_wanted";
    if (o.rhythm == Rhythm::OneOff) {
        if (!o.frequency.empty()) return "a one-off offer has no frequency";
        if (o.dates.empty() && !o.toBeAgreed) return "a one-off offer needs a date or to_be_agreed";
    } else {
        if (o.frequency != "weekly" && o.frequency != "fortnightly" && o.frequency != "monthly")
            return "a regular offer needs a frequency: weekly, fortnightly or monthly";
        if (o.slots.empty() && !o.toBeAgreed) return "a regular offer needs a time slot or to_be_agreed";
    }
    if (o.parentalAgreement && o.minAge > 17) return "parental_agreement only makes sense below 18";
    return {};
}

// [SECTION] document --------------------------------------------------------

const OfferTranslation* translationOf(const Offer& offer, std::string_view language) {
    for (const auto& t : offer.translations)
        if (t.language == language) return &t;
    return nullptr;
}

std::string displayTextProblem(std::string_view s, bool lineBreaks) {
    if (!isValidUtf8(s)) return "is not valid UTF-8";
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && !(lineBreaks && c == '\n')) || c == 0x7F)
            return lineBreaks ? "holds a control character" : "holds a line break or a control character";
        // C1 controls U+0080–U+009F: C2 80–9F.
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0)
            return "holds a control character";
        // U+202A–U+202E (E2 80 AA–AE) and U+2066–U+2069 (E2 81 A6–A9): embeddings, overrides, isolates.
        if (c == 0xE2 && i + 2 < s.size()) {
            auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9))
                return "holds a bidirectional control character";
        }
    }
    return {};
}

bool isWebUrl(std::string_view s) {
    auto scheme = s.rfind("https://", 0) == 0 ? 8u : s.rfind("http://", 0) == 0 ? 7u : 0u;
    if (scheme == 0 || s.size() <= scheme || s.size() > 500) return false;
    // No spaces, controls or quotes: the address is shown and may become a QR code, never run.
    return std::none_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\';
    });
}

bool isCatalogueId(std::string_view s) {
    if (s.empty() || s.size() > 40) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

CatalogueParseResult parseCatalogue(std::string_view jsonText) {
    CatalogueParseResult r;
    auto parsed = parseUntrustedJson(jsonText);
    if (!parsed.ok()) {
        r.error =
            parsed.tooDeep ? "the catalogue is refused: " + parsed.error : "the catalogue is not valid JSON";
        return r;
    }
    json doc = std::move(parsed.value);
    // json::value() would throw on a "format" of another type: outside input is checked by hand.
    auto format = doc.is_object() ? doc.find("format") : doc.end();
    if (!doc.is_object() || format == doc.end() || !format->is_string() ||
        format->get<std::string>() != "comptoir-catalogue") {
        r.error = "the document is not a comptoir catalogue (field 'format')";
        return r;
    }
    auto fv = doc.find("format_version");
    if (fv == doc.end() || !fv->is_number_integer() || fv->get<int>() != 1) {
        r.error = "unsupported format_version (this kiosk reads version 1)";
        return r;
    }
    auto cv = doc.find("catalogue_version");
    if (cv == doc.end() || !cv->is_number_integer() || cv->get<std::int64_t>() < 0) {
        r.error = "missing or invalid catalogue_version";
        return r;
    }
    Catalogue& c = r.catalogue;
    c.version = cv->get<std::int64_t>();
    parseList(doc, "themes", "theme", c.themes, r.issues, parseTheme);
    parseList(doc, "neighbourhoods", "neighbourhood", c.neighbourhoods, r.issues, parseNeighbourhood);
    std::vector<Organisation> orgs;
    parseList(doc, "organisations", "organisation", orgs, r.issues, parseOrganisation);
    for (auto& o : orgs) {
        if (!hasId(c.neighbourhoods, o.neighbourhoodId))
            r.issues.push_back({"organisation " + o.id, "unknown neighbourhood '" + o.neighbourhoodId + "'"});
        else
            c.organisations.push_back(std::move(o));
    }
    std::vector<Offer> offers;
    const std::size_t issuesBefore = r.issues.size();
    parseList(doc, "offers", "offer", offers, r.issues,
              [&](const json& e) { return parseOffer(e, &r.dropped); });
    std::unordered_set<std::string> activityIds;
    for (auto& o : offers) {
        auto why = validateOffer(o, c);
        if (!why.empty()) {
            r.issues.push_back({"offer " + o.id, why});
            continue;
        }
        o.catalogueVersion = c.version;
        c.offers.push_back(std::move(o));
    }
    for (std::size_t i = issuesBefore; i < r.issues.size(); ++i)
        if (r.issues[i].entry.rfind("offer ", 0) == 0)
            r.skippedOfferIds.push_back(r.issues[i].entry.substr(6));
    r.ok = true;
    return r;
}

namespace {
json translationsObject(const Offer& o) {
    json all = json::object();
    for (const auto& t : o.translations) {
        json one = {{"title", t.title}, {"description", t.description}};
        if (!t.whatToBring.empty()) one["what_to_bring"] = t.whatToBring;
        if (!t.prerequisites.empty()) one["prerequisites"] = t.prerequisites;
        if (!t.skills.empty()) one["skills"] = t.skills;
        all[t.language] = std::move(one);
    }
    return all;
}
} // namespace

std::string translationsJson(const Offer& o) {
    return o.translations.empty() ? "{}" : translationsObject(o).dump();
}

void readTranslationsJson(std::string_view text, Offer& o) {
    o.translations.clear();
    if (text.empty() || text == "{}") return; // nearly every offer: no parse at all
    auto parsed = parseUntrustedJson(text);
    if (!parsed.ok()) return;
    parseTranslations(json{{"translations", std::move(parsed.value)}}, o, nullptr);
}

nlohmann::json offerToJson(const Offer& o) {
    json dates = json::array(), slots = json::array();
    for (const auto& d : o.dates) dates.push_back({{"start", d.start}, {"end", d.end}});
    for (const auto& s : o.slots) slots.push_back({{"weekday", s.weekday}, {"start", s.start}, {"end", s.end}});
    json j = {{"id", o.id},
             {"organisation", o.organisationId},
             {"title", o.title},
             {"description", o.description},
             {"theme", o.themeId},
             {"activity", o.activityId},
             {"rhythm", toString(o.rhythm)},
             {"frequency", o.frequency},
             {"dates", dates},
             {"slots", slots},
             {"to_be_agreed", o.toBeAgreed},
             {"duration_hours", o.durationHours},
             {"place", o.place},
             {"neighbourhood", o.neighbourhoodId},
             {"step_free", o.stepFree},
             {"min_age", o.minAge},
             {"parental_agreement", o.parentalAgreement},
             {"group_friendly", o.groupFriendly},
             {"prerequisites", o.prerequisites},
             {"skills", o.skills},
             {"what_to_bring", o.whatToBring},
             {"places_wanted", o.placesWanted},
             {"places_left", o.placesLeft},
             {"registration_open", o.registrationOpen},
             {"status", toString(o.status)}};
    // Written only when set, so catalogues without the flag keep their exact text.
    if (o.permisCitoyen) j["permis_citoyen"] = true;
    if (!o.source.empty()) j["source"] = o.source;
    if (!o.applicationUrl.empty()) j["application_url"] = o.applicationUrl;
    if (!o.schedule.empty()) j["schedule"] = o.schedule;
    if (!o.translations.empty()) j["translations"] = translationsObject(o);
    return j;
}

std::optional<Offer> parseOfferJson(const nlohmann::json& j, std::string& error,
                                    std::vector<CatalogueIssue>* dropped) {
    try {
        return parseOffer(j, dropped);
    } catch (const EntryError& e) {
        error = e.reason;
        return std::nullopt;
    }
}

std::string serialiseCatalogue(const Catalogue& c, int indent) {
    json doc;
    doc["format"] = "comptoir-catalogue";
    doc["format_version"] = 1;
    doc["catalogue_version"] = c.version;
    doc["themes"] = json::array();
    for (const auto& t : c.themes) {
        json acts = json::array();
        for (const auto& a : t.activities) acts.push_back({{"id", a.id}, {"name", a.name}});
        doc["themes"].push_back({{"id", t.id}, {"name", t.name}, {"pictogram", t.pictogram}, {"activities", acts}});
    }
    doc["neighbourhoods"] = json::array();
    for (const auto& n : c.neighbourhoods)
        doc["neighbourhoods"].push_back({{"id", n.id}, {"name", n.name}, {"x", n.x}, {"y", n.y}});
    doc["organisations"] = json::array();
    for (const auto& o : c.organisations)
        doc["organisations"].push_back({{"id", o.id},
                                        {"name", o.name},
                                        {"kind", toString(o.kind)},
                                        {"neighbourhood", o.neighbourhoodId},
                                        {"address", o.address},
                                        {"contact", o.contact},
                                        {"charter_signed", o.charterSigned}});
    doc["offers"] = json::array();
    for (const auto& o : c.offers) {
        doc["offers"].push_back(offerToJson(o));
    }
    return doc.dump(indent);
}

} // namespace comptoir
