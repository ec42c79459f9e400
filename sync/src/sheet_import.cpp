// The CCAS's own offers kept in a spreadsheet (CSV, French conventions). Every problem of every
// row is collected with its line and column; the caller imports nothing unless there is none.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/catalogue_import.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

namespace comptoir::sync::central {

namespace {

/// The columns, in the names the sheet's header row uses (compared folded: "Activité" = "activite").
enum Col {
    kId,
    kTitle,
    kDescription,
    kOrganisation,
    kOrganisationKind,
    kAddress,
    kNeighbourhood,
    kTheme,
    kActivity,
    kRhythm,
    kFrequency,
    kSlots,
    kDates,
    kToBeAgreed,
    kHours,
    kPlaces,
    kMinAge,
    kParental,
    kStepFree,
    kGroup,
    kPermis,
    kLink,
    // Optional translations, a title and a description per language (kOfferLanguages' order).
    kTitleAr,
    kDescriptionAr,
    kTitleEn,
    kDescriptionEn,
    kTitleEs,
    kDescriptionEs,
    kTitleUk,
    kDescriptionUk,
    kColumnCount
};
constexpr std::array<const char*, kColumnCount> kNames = {
    "identifiant",    "titre",       "description",     "structure",      "type de structure",
    "adresse",        "quartier",    "theme",           "activite",       "rythme",
    "frequence",      "creneaux",    "dates",           "a convenir",     "duree heures",
    "places",         "age minimum", "accord parental", "accessible pmr", "en groupe",
    "permis citoyen", "lien",        "titre ar",        "description ar", "titre en",
    "description en", "titre es",    "description es",  "titre uk",       "description uk"};
constexpr std::array<bool, kColumnCount> kRequired = {
    true, true,  true,  true,  false, false, true,  true,  true,  true,  false, false, false, false, true,
    true, false, false, false, false, false, false, false, false, false, false, false, false, false, false};

/// A spreadsheet's name for a column: A, B, … Z, AA…
std::string letters(std::size_t index) {
    std::string s;
    for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26)
        s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
    return s;
}

struct Problem {
    std::string reason;
};

bool yes(const std::string& v, bool& out) {
    auto f = foldForMatch(v);
    if (f.empty() || f == "non" || f == "no" || f == "0")
        out = false;
    else if (f == "oui" || f == "yes" || f == "1" || f == "x")
        out = true;
    else
        return false;
    return true;
}

/// "1,5" or "1.5" (a French spreadsheet writes a comma).
bool decimal(std::string v, double& out) {
    std::replace(v.begin(), v.end(), ',', '.');
    v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
    if (v.empty() || v.size() > 12) return false;
    char* end = nullptr;
    out = std::strtod(v.c_str(), &end);
    return end && *end == '\0';
}

bool wholeNumber(const std::string& v, int lo, int hi, int& out) {
    double d = 0;
    if (!decimal(v, d) || d != static_cast<int>(d) || d < lo || d > hi) return false;
    out = static_cast<int>(d);
    return true;
}

std::vector<std::string> splitList(const std::string& v) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : v + ",") {
        if (c == ',' || c == '\n') {
            auto b = cur.find_first_not_of(" \t\r");
            if (b != std::string::npos) out.push_back(cur.substr(b, cur.find_last_not_of(" \t\r") - b + 1));
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

/// "14:00-17:00", "14h-17h", "9h30 - 12h"; false otherwise.
bool timeRange(const std::string& v, std::string& start, std::string& end) {
    auto dash = v.find('-');
    if (dash == std::string::npos) return false;
    auto hhmm = [](std::string t, std::string& out) {
        t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
        std::replace(t.begin(), t.end(), 'h', ':');
        if (!t.empty() && t.back() == ':') t += "00";
        if (t.size() == 4 && t[1] == ':') t = "0" + t;
        if (t.size() != 5 || t[2] != ':' || !std::isdigit(static_cast<unsigned char>(t[0])) ||
            !std::isdigit(static_cast<unsigned char>(t[1])) ||
            !std::isdigit(static_cast<unsigned char>(t[3])) ||
            !std::isdigit(static_cast<unsigned char>(t[4])) || std::stoi(t.substr(0, 2)) > 23 ||
            std::stoi(t.substr(3)) > 59)
            return false;
        out = t;
        return true;
    };
    return hhmm(v.substr(0, dash), start) && hhmm(v.substr(dash + 1), end) && start < end;
}

/// "mercredi 14:00-17:00" → a weekly slot.
bool slot(const std::string& v, TimeSlot& out) {
    static const std::array<const char*, 7> days = {"lundi",    "mardi",  "mercredi", "jeudi",
                                                    "vendredi", "samedi", "dimanche"};
    auto f = foldForMatch(v);
    for (int d = 0; d < 7; ++d)
        if (f.rfind(days[static_cast<std::size_t>(d)], 0) == 0) {
            out.weekday = d + 1;
            auto space = v.find(' ');
            return space != std::string::npos && timeRange(v.substr(space + 1), out.start, out.end);
        }
    return false;
}

/// "05/12/2026 09:00-12:00" or "2026-12-05 09:00-12:00" → a one-off moment.
bool moment(const std::string& v, DateRange& out) {
    auto space = v.find(' ');
    if (space == std::string::npos) return false;
    std::string day = v.substr(0, space), iso;
    if (day.size() == 10 && day[2] == '/' && day[5] == '/')
        iso = day.substr(6, 4) + "-" + day.substr(3, 2) + "-" + day.substr(0, 2);
    else if (day.size() == 10 && day[4] == '-' && day[7] == '-')
        iso = day;
    else
        return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (!std::isdigit(static_cast<unsigned char>(iso[i]))) return false;
    int month = std::stoi(iso.substr(5, 2)), dayOfMonth = std::stoi(iso.substr(8, 2));
    if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return false;
    std::string start, end;
    if (!timeRange(v.substr(space + 1), start, end)) return false;
    out = {iso + "T" + start, iso + "T" + end};
    return true;
}

template <class T> const T* byIdOrName(const std::vector<T>& v, const std::string& cell) {
    auto f = foldForMatch(cell);
    for (const auto& e : v)
        if (foldForMatch(e.id) == f || foldForMatch(e.name) == f) return &e;
    return nullptr;
}

} // namespace

SheetResult readOfferSheet(std::string_view csvText, const Catalogue& base) {
    SheetResult r;
    r.offers.source = kSourceSheet;
    auto csv = parseCsv(csvText);
    if (!csv.ok()) {
        r.issues.push_back({"the file", csv.error});
        return r;
    }
    if (csv.rows.empty()) {
        r.issues.push_back({"the file", "it is empty: the first line must name the columns"});
        return r;
    }
    // The header row says where each column is; order and extra columns are the CCAS's choice.
    std::array<std::optional<std::size_t>, kColumnCount> at{};
    const auto& header = csv.rows.front();
    for (std::size_t c = 0; c < header.cells.size(); ++c) {
        auto f = foldForMatch(header.cells[c]);
        std::replace(f.begin(), f.end(), '_', ' ');
        for (std::size_t k = 0; k < kColumnCount; ++k)
            if (f == kNames[k]) {
                if (at[k])
                    r.issues.push_back({"line " + std::to_string(header.line) + ", column " + letters(c),
                                        std::string("the column '") + kNames[k] + "' appears twice"});
                at[k] = c;
            }
    }
    for (std::size_t k = 0; k < kColumnCount; ++k)
        if (kRequired[k] && !at[k])
            r.issues.push_back({"line " + std::to_string(header.line),
                                std::string("the column '") + kNames[k] + "' is missing"});
    if (!r.issues.empty()) return r;

    std::unordered_set<std::string> ids;
    std::unordered_map<std::string, std::size_t> orgAt;
    Catalogue refs;
    refs.themes = base.themes;
    refs.neighbourhoods = base.neighbourhoods;
    for (std::size_t i = 1; i < csv.rows.size(); ++i) {
        const auto& row = csv.rows[i];
        std::size_t issuesBefore = r.issues.size();
        auto where = [&](Col k) {
            return "line " + std::to_string(row.line) + ", column " + letters(*at[k]) + " (" + kNames[k] +
                   ")";
        };
        auto cell = [&](Col k) -> std::string {
            if (!at[k] || *at[k] >= row.cells.size()) return {};
            const auto& v = row.cells[*at[k]];
            auto b = v.find_first_not_of(" \t\r\n");
            return b == std::string::npos ? std::string()
                                          : v.substr(b, v.find_last_not_of(" \t\r\n") - b + 1);
        };
        auto problem = [&](Col k, std::string why) { r.issues.push_back({where(k), std::move(why)}); };
        auto text = [&](Col k, std::size_t maxChars, bool lines) {
            auto v = cell(k);
            if (kRequired[k] && v.empty())
                problem(k, "empty");
            else if (utf8Length(v) > maxChars)
                problem(k, "longer than " + std::to_string(maxChars) + " characters");
            for (char c : v) {
                auto u = static_cast<unsigned char>(c);
                if ((u < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))) || u == 0x7F) {
                    problem(k, lines ? "holds a control character"
                                     : "holds a line break or a control character");
                    break;
                }
            }
            return v;
        };
        auto flag = [&](Col k) {
            bool b = false;
            if (!yes(cell(k), b)) problem(k, "write oui or non");
            return b;
        };

        Offer o;
        o.source = kSourceSheet;
        auto id = foldForMatch(cell(kId));
        std::replace(id.begin(), id.end(), ' ', '-');
        o.id = "ccas-" + id;
        if (id.empty() || !isCatalogueId(o.id))
            problem(kId, "use up to 35 letters, digits and '-'");
        else if (!ids.insert(o.id).second)
            problem(kId, "'" + cell(kId) + "' is used by another row");
        o.title = text(kTitle, kMaxOfferTitleChars, false);
        o.description = text(kDescription, 1200, true);
        std::erase(o.description, '\r'); // a line break from Windows is one character on the kiosk
        auto orgName = text(kOrganisation, 120, false);
        o.place = text(kAddress, 200, false);

        if (auto n = byIdOrName(base.neighbourhoods, cell(kNeighbourhood)))
            o.neighbourhoodId = n->id;
        else
            problem(kNeighbourhood, "'" + cell(kNeighbourhood) + "' is not a neighbourhood of the catalogue");
        const Theme* theme = byIdOrName(base.themes, cell(kTheme));
        if (!theme)
            problem(kTheme, "'" + cell(kTheme) + "' is not a theme of the catalogue");
        else {
            o.themeId = theme->id;
            if (auto a = byIdOrName(theme->activities, cell(kActivity)))
                o.activityId = a->id;
            else
                problem(kActivity,
                        "'" + cell(kActivity) + "' is not an activity of the theme " + theme->name);
        }

        auto rhythm = foldForMatch(cell(kRhythm));
        if (rhythm == "ponctuel" || rhythm == "ponctuelle")
            o.rhythm = Rhythm::OneOff;
        else if (rhythm == "regulier" || rhythm == "reguliere")
            o.rhythm = Rhythm::Regular;
        else
            problem(kRhythm, "write ponctuel or régulier");
        auto freq = foldForMatch(cell(kFrequency));
        if (freq == "hebdomadaire" || freq == "chaque semaine")
            o.frequency = "weekly";
        else if (freq == "tous les 15 jours" || freq == "bimensuelle" || freq == "quinzaine")
            o.frequency = "fortnightly";
        else if (freq == "mensuelle" || freq == "chaque mois")
            o.frequency = "monthly";
        else if (!freq.empty())
            problem(kFrequency, "write hebdomadaire, tous les 15 jours or mensuelle");
        if (o.rhythm == Rhythm::OneOff && !o.frequency.empty())
            problem(kFrequency, "a one-off offer has no frequency");
        if (o.rhythm == Rhythm::Regular && o.frequency.empty() && rhythm.size())
            problem(kFrequency, "a regular offer needs one: hebdomadaire, tous les 15 jours or mensuelle");
        for (const auto& s : splitList(cell(kSlots))) {
            TimeSlot t;
            if (slot(s, t) && o.slots.size() < 21)
                o.slots.push_back(t);
            else
                problem(kSlots,
                        "'" + utf8Sanitise(s, 40) + "': write e.g. mercredi 14:00-17:00 (21 at most)");
        }
        for (const auto& d : splitList(cell(kDates))) {
            DateRange m;
            if (moment(d, m) && o.dates.size() < 366)
                o.dates.push_back(m);
            else
                problem(kDates, "'" + utf8Sanitise(d, 40) + "': write e.g. 05/12/2026 09:00-12:00");
        }
        o.toBeAgreed = flag(kToBeAgreed);
        if (!decimal(cell(kHours), o.durationHours) || !(o.durationHours >= 0.5 && o.durationHours <= 200))
            problem(kHours, "a number of hours from 0,5 to 200");
        if (!wholeNumber(cell(kPlaces), 0, 500, o.placesWanted))
            problem(kPlaces, "a whole number from 0 to 500");
        o.placesLeft = o.placesWanted;
        o.registrationOpen = o.placesWanted > 0;
        if (!cell(kMinAge).empty() && !wholeNumber(cell(kMinAge), 0, 99, o.minAge))
            problem(kMinAge, "a whole number from 0 to 99");
        o.parentalAgreement = flag(kParental);
        o.stepFree = flag(kStepFree);
        o.groupFriendly = flag(kGroup);
        o.permisCitoyen = flag(kPermis);
        auto link = cell(kLink);
        if (!link.empty() && !isWebUrl(link))
            problem(kLink, "an address starting with https:// without spaces");
        o.applicationUrl = link;

        Organisation org;
        org.name = orgName;
        org.id = "ccas-org-" + stableHash16(foldForMatch(orgName));
        auto kind = foldForMatch(cell(kOrganisationKind));
        if (kind.empty() || kind == "association")
            org.kind = OrganisationKind::Association;
        else if (kind == "service de la ville")
            org.kind = OrganisationKind::CityService;
        else if (kind == "organisme public")
            org.kind = OrganisationKind::PublicBody;
        else if (kind == "collectif d habitants" || kind == "collectif")
            org.kind = OrganisationKind::Collective;
        else
            problem(kOrganisationKind,
                    "write association, service de la Ville, organisme public or collectif d'habitants");
        // Translations: both cells of a language or neither (docs/catalogue-format.md).
        for (std::size_t l = 0; l < std::size(kOfferLanguages); ++l) {
            const auto titleCol = static_cast<Col>(kTitleAr + 2 * l),
                       descriptionCol = static_cast<Col>(titleCol + 1);
            OfferTranslation tr;
            tr.language = kOfferLanguages[l];
            const std::size_t before = r.issues.size();
            tr.title = text(titleCol, 120, false);
            tr.description = text(descriptionCol, 1200, true);
            std::erase(tr.description, '\r');
            if (r.issues.size() != before || (tr.title.empty() && tr.description.empty())) continue;
            if (tr.title.empty() || tr.description.empty()) {
                problem(tr.title.empty() ? titleCol : descriptionCol,
                        std::string("empty, while '") + kNames[tr.title.empty() ? descriptionCol : titleCol] +
                            "' is filled: write both or neither");
                continue;
            }
            bool fine = true;
            for (auto k : {titleCol, descriptionCol})
                if (auto why =
                        displayTextProblem(k == titleCol ? tr.title : tr.description, k == descriptionCol);
                    !why.empty()) {
                    problem(k, why);
                    fine = false;
                }
            if (fine) o.translations.push_back(std::move(tr));
        }
        org.neighbourhoodId = o.neighbourhoodId;
        org.address = o.place;
        o.organisationId = org.id;
        if (r.issues.size() != issuesBefore) continue;

        // The catalogue's own rules, for what the cells cannot show alone (dates of a one-off…).
        if (!orgAt.count(org.id)) {
            orgAt[org.id] = r.offers.organisations.size();
            r.offers.organisations.push_back(org);
            refs.organisations.push_back(org);
        }
        auto why = validateOffer(o, refs);
        if (!why.empty()) {
            r.issues.push_back({"line " + std::to_string(row.line), why});
            continue;
        }
        r.offers.offers.push_back(std::move(o));
    }
    if (!r.issues.empty()) r.offers.offers.clear();
    return r;
}

} // namespace comptoir::sync::central
