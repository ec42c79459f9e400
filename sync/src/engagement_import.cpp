// Missions of API Engagement (`GET /v0/mission`, schema MissionLegacy) as catalogue offers.
// Everything here is outside input: sizes, depth, types and lengths are checked before use.
//
// [SECTION] HTML to plain text
// [SECTION] mapping tables
// [SECTION] one mission
// [SECTION] documents
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/domain/untrusted_json.hpp"
#include "comptoir/sync/catalogue_import.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

namespace comptoir::sync::central {

using nlohmann::json;

namespace {

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// The entities French descriptions use; others are left as written.
const std::unordered_map<std::string_view, std::string_view>& namedEntities() {
    static const std::unordered_map<std::string_view, std::string_view> k = {
        {"amp", "&"},    {"lt", "<"},     {"gt", ">"},     {"quot", "\""},  {"apos", "'"},   {"nbsp", " "},
        {"eacute", "é"}, {"egrave", "è"}, {"ecirc", "ê"},  {"euml", "ë"},   {"agrave", "à"}, {"acirc", "â"},
        {"ccedil", "ç"}, {"icirc", "î"},  {"iuml", "ï"},   {"ocirc", "ô"},  {"ucirc", "û"},  {"ugrave", "ù"},
        {"uuml", "ü"},   {"oelig", "œ"},  {"Eacute", "É"}, {"Egrave", "È"}, {"Ecirc", "Ê"},  {"Agrave", "À"},
        {"Ccedil", "Ç"}, {"OElig", "Œ"},  {"laquo", "«"},  {"raquo", "»"},  {"rsquo", "’"},  {"lsquo", "‘"},
        {"ldquo", "“"},  {"rdquo", "”"},  {"hellip", "…"}, {"ndash", "–"},  {"mdash", "—"},  {"euro", "€"},
        {"deg", "°"},    {"bull", "•"},   {"middot", "·"}, {"copy", "©"},   {"shy", ""}};
    return k;
}

/// Decodes the entity at text[i] == '&'; returns the bytes consumed (0: not an entity).
std::size_t decodeEntity(std::string_view text, std::size_t i, std::string& out) {
    auto semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12 || semi == i + 1) return 0;
    auto name = text.substr(i + 1, semi - i - 1);
    if (name[0] == '#') {
        bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        auto digits = name.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 7) return 0;
        std::uint32_t cp = 0;
        for (char c : digits) {
            int d = c >= '0' && c <= '9'          ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
            if (d < 0) return 0;
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        }
        // No controls, surrogates or numbers beyond Unicode: they decode to nothing.
        if (cp == 0xA0) cp = ' ';
        bool usable = (cp >= 0x20 && cp != 0x7F && (cp < 0x80 || cp > 0x9F) && (cp < 0xD800 || cp > 0xDFFF) &&
                       cp <= 0x10FFFF) ||
                      cp == '\n';
        if (usable) appendUtf8(out, cp);
        return semi - i + 1;
    }
    auto it = namedEntities().find(name);
    if (it == namedEntities().end()) return 0;
    out += it->second;
    return semi - i + 1;
}

bool blockTag(std::string_view name) {
    static const std::unordered_set<std::string_view> k = {
        "p",  "div", "br", "li",    "ul", "ol", "h1", "h2",      "h3",        "h4",
        "h5", "h6",  "tr", "table", "hr", "dt", "dd", "section", "blockquote"};
    return k.count(name) > 0;
}

/// At most `maxCodePoints` of valid UTF-8, line breaks kept (utf8Sanitise makes them spaces).
std::string sanitiseLines(std::string_view s, std::size_t maxCodePoints) {
    std::string out;
    std::size_t count = 0;
    for (std::size_t start = 0; start <= s.size() && count < maxCodePoints;) {
        auto end = std::min(s.find('\n', start), s.size());
        auto line = utf8Sanitise(s.substr(start, end - start), maxCodePoints - count);
        count += utf8Length(line);
        out += line;
        if (end < s.size() && count < maxCodePoints) {
            out += '\n';
            ++count;
        }
        start = end + 1;
    }
    return out;
}

/// Cuts `text` to `maxChars` code points at a word, with "…" when something was cut.
std::string boundText(std::string text, std::size_t maxChars) {
    if (utf8Length(text) <= maxChars) return text;
    std::string cut = sanitiseLines(text, maxChars - 1);
    auto space = cut.find_last_of(" \n");
    if (space != std::string::npos && space > cut.size() / 2) cut.resize(space);
    while (!cut.empty() && (cut.back() == ' ' || cut.back() == '\n' || cut.back() == ','))
        cut.pop_back();
    return cut + "…";
}

} // namespace

// [SECTION] HTML to plain text ------------------------------------------------------

std::string htmlToPlainText(std::string_view html, std::size_t maxChars) {
    // Built as runs of words with pending separators, so that collapsing whitespace and
    // paragraph breaks never leaves doubled spaces or blank lines behind.
    std::string out;
    enum class Gap { None, Space, Line, Paragraph } gap = Gap::None;
    bool bullet = false; // a list item opened: its first word gets "- "
    auto emit = [&](std::string_view piece) {
        if (piece.empty()) return;
        if (!out.empty()) {
            if (gap == Gap::Paragraph)
                out += "\n\n";
            else if (gap == Gap::Line)
                out += "\n";
            else if (gap == Gap::Space)
                out += ' ';
        }
        gap = Gap::None;
        if (bullet) out += "- ";
        bullet = false;
        out += piece;
    };
    auto widen = [&](Gap g) {
        if (static_cast<int>(g) > static_cast<int>(gap)) gap = g;
    };
    std::string word;
    auto flush = [&] {
        emit(word);
        word.clear();
    };
    std::size_t i = 0;
    // Bytes bound the work; the exact cut in code points is made at the end.
    while (i < html.size() && out.size() <= 4 * maxChars + 8) {
        char c = html[i];
        if (c == '<') {
            if (html.substr(i, 4) == "<!--") {
                auto end = html.find("-->", i + 4);
                i = end == std::string_view::npos ? html.size() : end + 3;
                continue;
            }
            auto end = html.find('>', i);
            if (end == std::string_view::npos) break; // an unfinished tag: the rest is not text
            auto inside = html.substr(i + 1, end - i - 1);
            bool closing = !inside.empty() && inside[0] == '/';
            if (closing) inside.remove_prefix(1);
            std::string name;
            for (char n : inside) {
                if (!std::isalnum(static_cast<unsigned char>(n))) break;
                name += static_cast<char>(std::tolower(static_cast<unsigned char>(n)));
            }
            i = end + 1;
            if (!closing && (name == "script" || name == "style")) {
                auto close = html.find("</" + name, i);
                i = close == std::string_view::npos ? html.size() : close;
                continue;
            }
            flush();
            if (name == "br")
                widen(Gap::Line);
            else if (name == "li") {
                widen(Gap::Line);
                bullet = !closing;
            } else if (blockTag(name))
                widen(Gap::Paragraph);
            continue;
        }
        if (c == '&') {
            std::string decoded;
            auto used = decodeEntity(html, i, decoded);
            if (used > 0) {
                for (char d : decoded) {
                    if (d == ' ' || d == '\n') {
                        flush();
                        widen(Gap::Space);
                    } else {
                        word += d;
                    }
                }
                i += used;
                continue;
            }
        }
        auto u = static_cast<unsigned char>(c);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            flush();
            widen(Gap::Space);
        } else if (u >= 0x20 && u != 0x7F) {
            word += c;
        }
        ++i;
    }
    flush();
    return boundText(sanitiseLines(out, maxChars + 2), maxChars);
}

// [SECTION] mapping tables ------------------------------------------------------------

std::optional<EngagementMappings> loadEngagementMappings(const std::string& domainsCsvPath,
                                                         const std::string& neighbourhoodsCsvPath,
                                                         std::string& error) {
    EngagementMappings m;
    auto table = [&](const std::string& path, std::size_t minCells,
                     std::size_t maxCells) -> std::optional<CsvParse> {
        std::string text;
        if (!readWholeFile(path, text)) {
            error = path + ": cannot be read";
            return std::nullopt;
        }
        auto parsed = parseCsv(text, {}, true);
        if (!parsed.ok()) {
            error = path + ": " + parsed.error;
            return std::nullopt;
        }
        for (const auto& row : parsed.rows)
            if (row.cells.size() < minCells || row.cells.size() > maxCells) {
                error = path + ": line " + std::to_string(row.line) + ": " + std::to_string(minCells) +
                        " to " + std::to_string(maxCells) + " cells expected";
                return std::nullopt;
            }
        return parsed;
    };
    auto domains = table(domainsCsvPath, 4, 4);
    if (!domains) return std::nullopt;
    for (const auto& row : domains->rows) {
        const auto& c = row.cells;
        if (row.line == domains->rows.front().line && c[0] == "domain") continue; // the header
        m.domains.push_back({c[0], c[1], c[2], c[3]});
    }
    auto places = table(neighbourhoodsCsvPath, 3, 6);
    if (!places) return std::nullopt;
    for (const auto& row : places->rows) {
        const auto& c = row.cells;
        if (row.line == places->rows.front().line && c[0] == "postal_code") continue;
        EngagementMappings::PlaceRule rule;
        rule.postalCode = c[0];
        rule.streetContains = foldForMatch(c[1]);
        rule.neighbourhood.id = c[2];
        rule.neighbourhood.name = c.size() > 3 ? c[3] : std::string();
        auto coordinate = [&](std::size_t k, double& out) {
            if (c.size() <= k || c[k].empty()) return true;
            char* end = nullptr;
            out = std::strtod(c[k].c_str(), &end);
            return end && *end == '\0' && out >= -50 && out <= 50;
        };
        bool postal =
            rule.postalCode == "remote" ||
            (rule.postalCode.size() == 5 && std::all_of(rule.postalCode.begin(), rule.postalCode.end(),
                                                        [](char d) { return d >= '0' && d <= '9'; }));
        if (!postal || !isCatalogueId(rule.neighbourhood.id) || !coordinate(4, rule.neighbourhood.x) ||
            !coordinate(5, rule.neighbourhood.y)) {
            error =
                neighbourhoodsCsvPath + ": line " + std::to_string(row.line) +
                ": postal_code must be 5 digits or 'remote', neighbourhood an id (a-z, 0-9, '-'), x and y "
                "numbers from -50 to 50";
            return std::nullopt;
        }
        m.places.push_back(std::move(rule));
    }
    return m;
}

// [SECTION] one mission -------------------------------------------------------------------

namespace {

/// Why one mission cannot be read; it is listed, never imported half-way.
struct Unusable {
    std::string reason;
    bool malformed = false; ///< a field of the wrong type or size: the mission is there, unreadable
};

/// The reading rules of one mission's fields: null and absent read as empty, any other type is refused.
struct MissionReader {
    const json& m;
    const EngagementLimits& limits;

    std::string text(const char* key) const {
        auto it = m.find(key);
        if (it == m.end() || it->is_null()) return {};
        if (!it->is_string()) throw Unusable{std::string("field '") + key + "' must be text", true};
        const auto& v = it->get_ref<const std::string&>();
        if (v.size() > limits.maxTextBytes)
            throw Unusable{std::string("field '") + key + "' is longer than " +
                               std::to_string(limits.maxTextBytes) + " bytes",
                           true};
        if (!isValidUtf8(v)) throw Unusable{std::string("field '") + key + "' is not valid UTF-8", true};
        return v;
    }
    /// One line of plain text (titles, names): controls become spaces, at most maxChars.
    std::string line(const char* key, std::size_t maxChars) const {
        return htmlToPlainLine(text(key), maxChars);
    }
    static std::string htmlToPlainLine(const std::string& s, std::size_t maxChars) {
        std::string out = htmlToPlainText(s, maxChars);
        std::replace(out.begin(), out.end(), '\n', ' ');
        return out;
    }
    std::vector<std::string> list(const char* key) const {
        std::vector<std::string> out;
        auto it = m.find(key);
        if (it == m.end() || it->is_null()) return out;
        if (!it->is_array()) throw Unusable{std::string("field '") + key + "' must be a list", true};
        if (it->size() > limits.maxListItems)
            throw Unusable{std::string("field '") + key + "' has more than " +
                               std::to_string(limits.maxListItems) + " items",
                           true};
        for (const auto& e : *it) {
            if (e.is_null()) continue;
            if (!e.is_string() || e.get_ref<const std::string&>().size() > 1000 ||
                !isValidUtf8(e.get_ref<const std::string&>()))
                throw Unusable{std::string("field '") + key + "' must list short texts", true};
            out.push_back(e.get<std::string>());
        }
        return out;
    }
    /// openToMinors and reducedMobilityAccessible: "yes"/"no" in v0, true/false in v2, or null.
    std::optional<bool> yesNo(const char* key) const {
        auto it = m.find(key);
        if (it == m.end() || it->is_null()) return std::nullopt;
        if (it->is_boolean()) return it->get<bool>();
        if (it->is_string()) {
            const auto& v = it->get_ref<const std::string&>();
            if (v == "yes" || v == "true") return true;
            if (v == "no" || v == "false") return false;
            if (v.empty()) return std::nullopt;
        }
        throw Unusable{std::string("field '") + key + "' must be yes, no, true, false or null", true};
    }
    std::optional<double> number(const char* key) const {
        auto it = m.find(key);
        if (it == m.end() || it->is_null()) return std::nullopt;
        if (!it->is_number()) throw Unusable{std::string("field '") + key + "' must be a number", true};
        return it->get<double>();
    }
};

/// "eng-" + the mission id when it is already a catalogue id, else a stable hash of it.
std::string offerIdFor(const std::string& missionId) {
    std::string lower;
    for (char c : missionId)
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    std::string id = "eng-" + lower;
    return isCatalogueId(id) ? id : "eng-" + stableHash16(missionId);
}

/// Same organisation, same id, whatever mission names it: RNA, else SIRET/SIREN, else its name.
std::string organisationIdFor(const MissionReader& r, const std::string& name) {
    for (const char* key : {"organizationRNA", "organizationSiret", "organizationSiren"}) {
        auto v = r.text(key);
        if (!v.empty() && v.size() <= 40) return "eng-org-" + stableHash16(std::string(key) + ":" + v);
    }
    return "eng-org-" + stableHash16("name:" + foldForMatch(name));
}

OrganisationKind organisationKind(const std::string& type) {
    auto t = foldForMatch(type);
    if (t.find("commune") != std::string::npos || t.find("mairie") != std::string::npos ||
        t.find("collectivite") != std::string::npos)
        return OrganisationKind::CityService;
    if (t.find("public") != std::string::npos || t.find("etat") != std::string::npos)
        return OrganisationKind::PublicBody;
    if (t.find("collectif") != std::string::npos) return OrganisationKind::Collective;
    return OrganisationKind::Association;
}

/// The rhythm words of `schedule`: "par semaine", "mensuel", "tous les 15 jours"…
std::string frequencyOf(const std::string& schedule) {
    auto s = foldForMatch(schedule);
    auto has = [&](const char* w) { return s.find(w) != std::string::npos; };
    if (has("quinzaine") || has("15 jours") || has("deux semaines") || has("2 semaines"))
        return "fortnightly";
    if (has("semaine") || has("hebdo")) return "weekly";
    if (has("mois") || has("mensuel")) return "monthly";
    return {};
}

struct Place {
    std::string neighbourhood;
    std::string address;
};

/// The first address a rule of the table places; a remote mission without one, the "remote" rule.
std::optional<Place> placeOf(const MissionReader& r, const EngagementMappings& mappings, bool remote) {
    auto it = r.m.find("addresses");
    std::vector<const json*> addresses;
    if (it != r.m.end() && !it->is_null()) {
        if (!it->is_array()) throw Unusable{"field 'addresses' must be a list", true};
        if (it->size() > r.limits.maxListItems) throw Unusable{"field 'addresses' has too many items", true};
        for (const auto& a : *it) {
            if (!a.is_object()) throw Unusable{"an address must be an object", true};
            addresses.push_back(&a);
        }
    }
    for (const json* a : addresses) {
        MissionReader ar{*a, r.limits};
        auto street = ar.line("street", 200);
        auto postal = ar.text("postalCode");
        if (postal.empty()) postal = ar.text("zip"); // the schema's own example spells it so
        auto city = ar.line("city", 80);
        auto folded = foldForMatch(street);
        for (const auto& rule : mappings.places) {
            if (rule.postalCode != postal) continue;
            if (!rule.streetContains.empty() && folded.find(rule.streetContains) == std::string::npos)
                continue;
            std::string address = street;
            if (!postal.empty() || !city.empty())
                address += (address.empty() ? "" : ", ") + postal + " " + city;
            return Place{rule.neighbourhood.id, utf8Sanitise(address, 200)};
        }
    }
    if (remote)
        for (const auto& rule : mappings.places)
            if (rule.postalCode == "remote") return Place{rule.neighbourhood.id, {}};
    return std::nullopt;
}

struct MappedMission {
    Offer offer;
    Organisation organisation;
};

MappedMission mapMission(const MissionReader& r, const std::string& offerId,
                         const EngagementMappings& mappings) {
    auto status = r.text("statusCode");
    if (!status.empty() && status != "ACCEPTED")
        throw Unusable{"not published (statusCode " + utf8Sanitise(status, 20) + ")"};
    if (!r.text("deletedAt").empty()) throw Unusable{"deleted on the platform"};
    MappedMission mm;
    Offer& o = mm.offer;
    o.id = offerId;
    o.source = kSourceEngagement;
    o.title = r.line("title", kMaxOfferTitleChars); // what a kiosk accepts
    if (o.title.empty()) throw Unusable{"no title"};
    o.description = htmlToPlainText(r.text("description"), 1200);
    if (o.description.empty()) o.description = o.title;

    auto domain = r.text("domain");
    auto activities = r.list("activities");
    const EngagementMappings::DomainRule* rule = nullptr;
    for (const auto& d : mappings.domains)
        if (d.domain == domain && !d.apiActivity.empty() &&
            std::find(activities.begin(), activities.end(), d.apiActivity) != activities.end()) {
            rule = &d;
            break;
        }
    if (!rule)
        for (const auto& d : mappings.domains)
            if (d.domain == domain && d.apiActivity.empty()) {
                rule = &d;
                break;
            }
    if (!rule) throw Unusable{"domain '" + utf8Sanitise(domain, 40) + "' is not in domains.csv"};
    o.themeId = rule->theme;
    o.activityId = rule->activity;

    auto remote = r.text("remote");
    auto place = placeOf(r, mappings, remote == "full" || remote == "possible");
    if (!place) throw Unusable{"no address in the area of neighbourhoods.csv"};
    o.neighbourhoodId = place->neighbourhood;
    o.place = place->address;

    o.schedule = r.line("schedule", 200);
    o.frequency = frequencyOf(o.schedule);
    o.rhythm = o.frequency.empty() ? Rhythm::OneOff : Rhythm::Regular;
    o.toBeAgreed = true; // the moment itself is agreed with the organisation
    auto hours = r.number("duration");
    o.durationHours = hours && *hours >= 0.5 && *hours <= 200 ? *hours : 2;
    auto minors = r.yesNo("openToMinors");
    o.minAge = minors.value_or(false) ? 16 : 18;
    o.parentalAgreement = minors.value_or(false);
    o.stepFree = r.yesNo("reducedMobilityAccessible").value_or(false);
    auto places = r.number("places");
    int wanted = places ? static_cast<int>(std::clamp(*places, 0.0, 500.0)) : 1;
    o.placesWanted = o.placesLeft = wanted;
    o.registrationOpen = wanted > 0;
    auto bounded = [](std::vector<std::string> items) {
        std::vector<std::string> out;
        for (auto& s : items) {
            auto line = MissionReader::htmlToPlainLine(s, 80);
            if (!line.empty() && out.size() < 3) out.push_back(std::move(line));
        }
        return out;
    };
    o.prerequisites = bounded(r.list("requirements"));
    o.skills = bounded(r.list("softSkills"));
    auto url = r.text("applicationUrl");
    if (isWebUrl(url)) o.applicationUrl = url;

    Organisation& org = mm.organisation;
    auto name = r.line("organizationName", 120);
    if (name.empty()) name = r.line("publisherName", 120);
    if (name.empty()) throw Unusable{"no organisation name"};
    org.id = organisationIdFor(r, name);
    org.name = name;
    auto type = r.text("organizationType");
    if (type.empty()) type = r.text("organizationStatusJuridique");
    org.kind = organisationKind(type);
    org.neighbourhoodId = o.neighbourhoodId;
    org.address = r.line("organizationFullAddress", 200);
    auto site = r.text("organizationUrl");
    if (isWebUrl(site) && site.size() <= 120) org.contact = site;
    o.organisationId = org.id;
    return mm;
}

} // namespace

// [SECTION] documents -----------------------------------------------------------------------

SourceOffers mapEngagementDocuments(const std::vector<std::string_view>& documents, const Catalogue& base,
                                    const EngagementMappings& mappings, const EngagementLimits& limits) {
    SourceOffers out;
    out.source = kSourceEngagement;
    // The tables must name what the catalogue has, or every mission would be skipped one by one.
    Catalogue refs;
    refs.themes = base.themes;
    refs.neighbourhoods = base.neighbourhoods;
    for (const auto& d : mappings.domains) {
        auto t = std::find_if(base.themes.begin(), base.themes.end(),
                              [&](const Theme& x) { return x.id == d.theme; });
        if (t == base.themes.end() || std::none_of(t->activities.begin(), t->activities.end(),
                                                   [&](const Activity& a) { return a.id == d.activity; }))
            throw CatalogueImportRefused(
                "domains.csv names theme '" + d.theme + "' and activity '" + d.activity +
                "', which the catalogue does not have (import the base catalogue first)");
    }
    for (const auto& p : mappings.places)
        if (std::none_of(refs.neighbourhoods.begin(), refs.neighbourhoods.end(),
                         [&](const Neighbourhood& n) { return n.id == p.neighbourhood.id; })) {
            if (p.neighbourhood.name.empty())
                throw CatalogueImportRefused(
                    "neighbourhoods.csv names neighbourhood '" + p.neighbourhood.id +
                    "', which the catalogue does not have, without a name to add it");
            refs.neighbourhoods.push_back(p.neighbourhood);
        }

    std::size_t totalBytes = 0, missions = 0;
    std::unordered_map<std::string, std::size_t> orgAt;
    std::unordered_set<std::string> seen, usedNeighbourhoods;
    for (auto text : documents) {
        totalBytes += text.size();
        if (totalBytes > limits.maxDocumentBytes)
            throw CatalogueImportRefused("the missions are larger than " +
                                         std::to_string(limits.maxDocumentBytes) + " bytes in all");
        auto parsed = parseUntrustedJson(text);
        if (!parsed.ok())
            throw CatalogueImportRefused(parsed.tooDeep ? "refused: " + parsed.error
                                                        : "not valid JSON (" + parsed.error + ")");
        const json& doc = parsed.value;
        auto data = doc.is_object() ? doc.find("data") : doc.end();
        if (!doc.is_object() || data == doc.end() || !data->is_array())
            throw CatalogueImportRefused("not an answer of GET /v0/mission: no 'data' list of missions");
        if (auto ok = doc.find("ok"); ok != doc.end() && ok->is_boolean() && !ok->get<bool>())
            throw CatalogueImportRefused("the API answered ok: false");
        for (const auto& m : *data) {
            if (++missions > limits.maxMissions)
                throw CatalogueImportRefused("more than " + std::to_string(limits.maxMissions) + " missions");
            if (!m.is_object())
                throw CatalogueImportRefused("mission " + std::to_string(missions) + " is not an object");
            MissionReader r{m, limits};
            std::string missionId;
            try {
                missionId = r.text("id");
                if (missionId.empty()) missionId = r.text("_id");
                if (missionId.empty() || missionId.size() > 100)
                    throw Unusable{"no id of at most 100 characters"};
            } catch (const Unusable& why) {
                out.skipped.push_back({"mission " + std::to_string(missions), why.reason});
                continue;
            }
            std::string where = "mission " + utf8Sanitise(missionId, 40);
            std::string offerId = offerIdFor(missionId);
            if (!seen.insert(offerId).second) {
                out.skipped.push_back({where, "listed twice; the first one is kept"});
                continue;
            }
            try {
                auto mm = mapMission(r, offerId, mappings);
                usedNeighbourhoods.insert(mm.offer.neighbourhoodId);
                auto it = orgAt.find(mm.organisation.id);
                if (it == orgAt.end()) {
                    orgAt[mm.organisation.id] = out.organisations.size();
                    out.organisations.push_back(mm.organisation);
                }
                out.offers.push_back(std::move(mm.offer));
            } catch (const Unusable& why) {
                out.skipped.push_back({where, why.reason});
                // A malformed field is not a mission gone: what was imported before stays as it was.
                if (why.malformed) out.unreadableOfferIds.push_back(offerId);
            }
        }
    }
    for (const auto& p : mappings.places)
        if (usedNeighbourhoods.count(p.neighbourhood.id) &&
            std::none_of(base.neighbourhoods.begin(), base.neighbourhoods.end(),
                         [&](const Neighbourhood& n) { return n.id == p.neighbourhood.id; }) &&
            std::none_of(out.addedNeighbourhoods.begin(), out.addedNeighbourhoods.end(),
                         [&](const Neighbourhood& n) { return n.id == p.neighbourhood.id; }))
            out.addedNeighbourhoods.push_back(p.neighbourhood);
    return out;
}

} // namespace comptoir::sync::central
