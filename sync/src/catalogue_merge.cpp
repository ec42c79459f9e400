// Imported offers joining the catalogue: the CSV reader every import table shares, the folding
// used to compare names, and the merge that replaces one source's offers only.
//
// [SECTION] CSV
// [SECTION] folding
// [SECTION] merge
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/catalogue_import.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

namespace comptoir::sync::central {

// [SECTION] CSV ---------------------------------------------------------------

CsvParse parseCsv(std::string_view text, const CsvLimits& limits, bool commentLines) {
    CsvParse r;
    if (text.size() > limits.maxBytes) {
        r.error = "the file is larger than " + std::to_string(limits.maxBytes >> 20) + " MB";
        return r;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (!isValidUtf8(text)) {
        // Name the line: spreadsheets often save as Windows-1252. '\n' never occurs inside a
        // UTF-8 sequence, so lines can be checked one by one.
        std::size_t line = 1, start = 0;
        while (start <= text.size()) {
            auto end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            if (!isValidUtf8(text.substr(start, end - start))) break;
            start = end + 1;
            ++line;
        }
        r.error = "line " + std::to_string(line) + ": the file is not UTF-8 (save it as \"CSV UTF-8\")";
        return r;
    }
    std::size_t i = 0, line = 1;
    while (i < text.size()) {
        CsvRow row;
        row.line = line;
        if (commentLines && text[i] == '#') {
            while (i < text.size() && text[i] != '\n')
                ++i;
            ++i, ++line;
            continue;
        }
        bool endOfRow = false;
        while (!endOfRow) {
            std::string cell;
            if (i < text.size() && text[i] == '"') {
                ++i;
                bool closed = false;
                while (i < text.size()) {
                    char c = text[i++];
                    if (c == '"') {
                        if (i < text.size() && text[i] == '"') {
                            cell += '"';
                            ++i;
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    if (c == '\n') ++line;
                    cell += c;
                }
                if (!closed) {
                    r.error = "line " + std::to_string(row.line) +
                              ": a quoted cell is never closed (a \" is missing)";
                    return r;
                }
                if (i < text.size() && text[i] != ';' && text[i] != '\n' && text[i] != '\r') {
                    r.error = "line " + std::to_string(line) + ": text after the closing \" of a quoted cell";
                    return r;
                }
            } else {
                while (i < text.size() && text[i] != ';' && text[i] != '\n' && text[i] != '\r')
                    cell += text[i++];
            }
            if (cell.size() > limits.maxCellBytes) {
                r.error = "line " + std::to_string(row.line) + ": a cell is longer than " +
                          std::to_string(limits.maxCellBytes) + " bytes";
                return r;
            }
            row.cells.push_back(std::move(cell));
            if (row.cells.size() > limits.maxColumns) {
                r.error = "line " + std::to_string(row.line) + ": more than " +
                          std::to_string(limits.maxColumns) + " columns";
                return r;
            }
            if (i < text.size() && text[i] == ';') {
                ++i;
                continue;
            }
            if (i < text.size() && text[i] == '\r') ++i;
            if (i < text.size() && text[i] == '\n') ++i;
            ++line;
            endOfRow = true;
        }
        bool blank = true;
        for (const auto& c : row.cells)
            if (c.find_first_not_of(" \t") != std::string::npos) blank = false;
        if (blank) continue;
        r.rows.push_back(std::move(row));
        if (r.rows.size() > limits.maxRows) {
            r.error = "more than " + std::to_string(limits.maxRows) + " rows";
            r.rows.clear();
            return r;
        }
    }
    return r;
}

// [SECTION] folding -------------------------------------------------------------

std::string foldForMatch(std::string_view s) {
    // The accented letters of French, upper and lower case, two bytes each in UTF-8.
    static const std::unordered_map<std::string_view, char> kFold = {
        {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"ç", 'c'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'},
        {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'}, {"ÿ", 'y'},
        {"À", 'a'}, {"Â", 'a'}, {"Ä", 'a'}, {"Ç", 'c'}, {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'}, {"Ë", 'e'},
        {"Î", 'i'}, {"Ï", 'i'}, {"Ô", 'o'}, {"Ö", 'o'}, {"Ù", 'u'}, {"Û", 'u'}, {"Ü", 'u'}};
    std::string out;
    out.reserve(s.size());
    auto space = [&] {
        if (!out.empty() && out.back() != ' ') out += ' ';
    };
    for (std::size_t i = 0; i < s.size();) {
        auto u = static_cast<unsigned char>(s[i]);
        if (u >= 0x80) {
            if (s.substr(i, 3) == "’") {
                space();
                i += 3;
                continue;
            }
            auto it = i + 1 < s.size() ? kFold.find(s.substr(i, 2)) : kFold.end();
            if (it != kFold.end()) {
                out += it->second;
                i += 2;
                continue;
            }
            out += s[i++];
            continue;
        }
        char c = s[i++];
        if (c == '-' || c == '\'' || c == ' ' || c == '\t' || c == ',' || c == '.')
            space();
        else
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::string stableHash16(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// [SECTION] merge -----------------------------------------------------------------

Catalogue currentCatalogue(CentralStorage& storage) {
    // The full delta holds every live entry in the catalogue format; read it back as one.
    auto delta = nlohmann::json::parse(storage.catalogueDelta(0));
    nlohmann::json doc = {{"format", "comptoir-catalogue"},
                          {"format_version", 1},
                          {"catalogue_version", delta.at("catalogue_version")}};
    for (const char* kind : {"themes", "neighbourhoods", "organisations", "offers"})
        doc[kind] = delta.at(kind);
    auto parsed = parseCatalogue(doc.dump());
    if (!parsed.ok) throw CatalogueImportRefused("the stored catalogue cannot be read back: " + parsed.error);
    return std::move(parsed.catalogue);
}

Catalogue mergeSourceOffers(const Catalogue& current, const SourceOffers& fresh,
                            SourceImportSummary* summary) {
    SourceImportSummary local;
    SourceImportSummary& s = summary ? *summary : local;
    Catalogue out;
    out.version = current.version;
    out.themes = current.themes;
    out.neighbourhoods = current.neighbourhoods;
    std::unordered_set<std::string> known;
    for (const auto& n : out.neighbourhoods)
        known.insert(n.id);
    for (const auto& n : fresh.addedNeighbourhoods)
        if (known.insert(n.id).second) out.neighbourhoods.push_back(n);

    // Organisations: the fresh copy wins; the ones no longer named stay (closed offers name them).
    std::unordered_map<std::string, std::size_t> orgAt;
    out.organisations = current.organisations;
    for (std::size_t i = 0; i < out.organisations.size(); ++i)
        orgAt[out.organisations[i].id] = i;
    for (const auto& o : fresh.organisations) {
        auto it = orgAt.find(o.id);
        if (it != orgAt.end())
            out.organisations[it->second] = o;
        else {
            orgAt[o.id] = out.organisations.size();
            out.organisations.push_back(o);
        }
    }

    std::unordered_set<std::string> freshIds,
        unreadable(fresh.unreadableOfferIds.begin(), fresh.unreadableOfferIds.end());
    for (const auto& o : fresh.offers)
        freshIds.insert(o.id);
    std::vector<Offer> closed;
    for (const auto& o : current.offers) {
        if (o.source != fresh.source) {
            // Another source's offer, or one from a catalogue file: not this import's to change,
            // unless this source now publishes the same id (then the fresh copy replaces it).
            if (!freshIds.count(o.id)) out.offers.push_back(o);
            continue;
        }
        if (freshIds.count(o.id)) continue;
        if (unreadable.count(o.id)) {
            out.offers.push_back(o);
            ++s.kept;
            continue;
        }
        Offer c = o;
        if (c.status != OfferStatus::Archived || c.registrationOpen) ++s.closed;
        c.status = OfferStatus::Archived;
        c.registrationOpen = false;
        closed.push_back(std::move(c));
    }
    for (const auto& o : fresh.offers)
        out.offers.push_back(o);
    s.imported = fresh.offers.size();
    for (auto& c : closed)
        out.offers.push_back(std::move(c));
    return out;
}

SourceImportSummary importSourceOffers(CentralStorage& storage, const SourceOffers& fresh, bool closeAll) {
    Catalogue current = currentCatalogue(storage);
    SourceImportSummary s;
    Catalogue merged = mergeSourceOffers(current, fresh, &s);
    if (fresh.offers.empty() && s.closed > 0 && !closeAll)
        throw CatalogueImportRefused("nothing to import: this would close every offer from " + fresh.source +
                                     " (" + std::to_string(s.closed) +
                                     "); give --withdraw-all if that is the intent");
    // Only an import that closes everything on purpose may leave the catalogue empty.
    CatalogueImportOptions options;
    options.withdrawAll = closeAll && merged.offers.empty();
    s.storage = storage.importCatalogue(merged, options);
    return s;
}

} // namespace comptoir::sync::central
