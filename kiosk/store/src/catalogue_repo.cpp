#include "comptoir/store/catalogue_repo.hpp"

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"

#include <nlohmann/json.hpp>
#include <unordered_map>

namespace comptoir::store {

namespace {
std::string toJsonList(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }
std::vector<std::string> fromJsonList(const std::string& s) {
    auto j = nlohmann::json::parse(s, nullptr, false);
    std::vector<std::string> out;
    if (j.is_array())
        for (const auto& e : j)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}
} // namespace

ImportReport importCatalogue(Database& db, const Catalogue& c, const std::vector<std::string>& keep) {
    Transaction tx(db);
    ImportReport report = upsertCatalogueRows(db, c);
    std::vector<std::string> present = keep;
    for (const auto& o : c.offers)
        present.push_back(o.id);
    // json_each keeps it one statement whatever the number of offers.
    auto close = db.prepare("UPDATE offer SET status = 'archived', registration_open = 0 "
                            "WHERE id NOT IN (SELECT value FROM json_each(?1)) "
                            "AND (status <> 'archived' OR registration_open <> 0)");
    close.bind(1, nlohmann::json(present).dump()).run();
    report.closed = static_cast<std::size_t>(db.changes());
    tx.commit();
    return report;
}

ImportReport upsertCatalogueRows(Database& db, const Catalogue& c) {
    ImportReport report;
    auto nb = db.prepare("INSERT INTO neighbourhood(id, name, x, y) VALUES(?1, ?2, ?3, ?4) "
                         "ON CONFLICT(id) DO UPDATE SET name = excluded.name, x = excluded.x, y = excluded.y");
    for (const auto& n : c.neighbourhoods) {
        nb.bind(1, n.id).bind(2, n.name).bind(3, n.x).bind(4, n.y).run();
        ++report.neighbourhoods;
    }
    auto th = db.prepare("INSERT INTO theme(id, name, pictogram, position) VALUES(?1, ?2, ?3, ?4) "
                         "ON CONFLICT(id) DO UPDATE SET name = excluded.name, pictogram = excluded.pictogram, "
                         "position = excluded.position");
    auto ac = db.prepare("INSERT INTO activity(id, theme_id, name, position) VALUES(?1, ?2, ?3, ?4) "
                         "ON CONFLICT(id) DO UPDATE SET theme_id = excluded.theme_id, name = excluded.name, "
                         "position = excluded.position");
    int position = 0;
    for (const auto& t : c.themes) {
        th.bind(1, t.id).bind(2, t.name).bind(3, t.pictogram).bind(4, position++).run();
        int ap = 0;
        for (const auto& a : t.activities) ac.bind(1, a.id).bind(2, t.id).bind(3, a.name).bind(4, ap++).run();
        ++report.themes;
    }
    auto org = db.prepare(
        "INSERT INTO organisation(id, name, kind, neighbourhood_id, address, contact, charter_signed) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
        "neighbourhood_id = excluded.neighbourhood_id, address = excluded.address, contact = excluded.contact, "
        "charter_signed = excluded.charter_signed");
    for (const auto& o : c.organisations) {
        org.bind(1, o.id).bind(2, o.name).bind(3, toString(o.kind)).bind(4, o.neighbourhoodId).bind(5, o.address);
        org.bind(6, o.contact).bind(7, o.charterSigned).run();
        ++report.organisations;
    }
    auto of = db.prepare(
        "INSERT INTO offer(id, organisation_id, title, description, theme_id, activity_id, rhythm, "
        "frequency, to_be_agreed, duration_hours, place, neighbourhood_id, step_free, min_age, "
        "parental_agreement, group_friendly, prerequisites, skills, what_to_bring, places_wanted, "
        "places_left, registration_open, status, catalogue_version, first_date, permis_citoyen, "
        "translations, source, application_url, schedule) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
        "?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30) ON CONFLICT(id) DO UPDATE SET "
        "organisation_id = excluded.organisation_id, title = excluded.title, "
        "description = excluded.description, theme_id = excluded.theme_id, "
        "activity_id = excluded.activity_id, rhythm = excluded.rhythm, frequency = excluded.frequency, "
        "to_be_agreed = excluded.to_be_agreed, duration_hours = excluded.duration_hours, "
        "place = excluded.place, neighbourhood_id = excluded.neighbourhood_id, "
        "step_free = excluded.step_free, min_age = excluded.min_age, "
        "parental_agreement = excluded.parental_agreement, group_friendly = excluded.group_friendly, "
        "prerequisites = excluded.prerequisites, skills = excluded.skills, "
        "what_to_bring = excluded.what_to_bring, places_wanted = excluded.places_wanted, "
        "places_left = excluded.places_left, registration_open = excluded.registration_open, "
        "status = excluded.status, catalogue_version = excluded.catalogue_version, "
        "first_date = excluded.first_date, permis_citoyen = excluded.permis_citoyen, "
        "translations = excluded.translations, source = excluded.source, "
        "application_url = excluded.application_url, schedule = excluded.schedule");
    auto delDates = db.prepare("DELETE FROM offer_date WHERE offer_id = ?1");
    auto delSlots = db.prepare("DELETE FROM offer_slot WHERE offer_id = ?1");
    auto addDate = db.prepare("INSERT INTO offer_date(offer_id, start, \"end\") VALUES(?1, ?2, ?3)");
    auto addSlot = db.prepare("INSERT INTO offer_slot(offer_id, weekday, start, \"end\") VALUES(?1, ?2, ?3, ?4)");
    for (const auto& o : c.offers) {
        std::optional<std::string> first;
        for (const auto& d : o.dates)
            if (!first || d.start < *first) first = d.start;
        of.bind(1, o.id).bind(2, o.organisationId).bind(3, o.title).bind(4, o.description).bind(5, o.themeId);
        of.bind(6, o.activityId).bind(7, toString(o.rhythm)).bind(8, o.frequency).bind(9, o.toBeAgreed);
        of.bind(10, o.durationHours).bind(11, o.place).bind(12, o.neighbourhoodId).bind(13, o.stepFree);
        of.bind(14, o.minAge).bind(15, o.parentalAgreement).bind(16, o.groupFriendly);
        of.bind(17, toJsonList(o.prerequisites)).bind(18, toJsonList(o.skills)).bind(19, o.whatToBring);
        of.bind(20, o.placesWanted).bind(21, o.placesLeft).bind(22, o.registrationOpen);
        of.bind(23, toString(o.status)).bind(24, c.version).bindOptional(25, first).bind(26, o.permisCitoyen);
        of.bind(27, translationsJson(o)).bind(28, o.source).bind(29, o.applicationUrl).bind(30, o.schedule).run();
        delDates.bind(1, o.id).run();
        delSlots.bind(1, o.id).run();
        for (const auto& d : o.dates) addDate.bind(1, o.id).bind(2, d.start).bind(3, d.end).run();
        for (const auto& s : o.slots) addSlot.bind(1, o.id).bind(2, s.weekday).bind(3, s.start).bind(4, s.end).run();
        ++report.offers;
    }
    db.prepare("INSERT INTO catalogue_meta(key, value) VALUES('version', ?1) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, std::to_string(c.version))
        .run();
    return report;
}

Catalogue loadCatalogueReferences(const Database& db) {
    Catalogue c;
    c.version = catalogueVersion(db);
    {
        auto s = db.prepare("SELECT id, name, pictogram FROM theme ORDER BY position");
        while (s.step()) c.themes.push_back(Theme{s.text(0), s.text(1), s.text(2), {}});
        std::unordered_map<std::string, size_t> index;
        for (size_t i = 0; i < c.themes.size(); ++i) index[c.themes[i].id] = i;
        auto a = db.prepare("SELECT id, theme_id, name FROM activity ORDER BY theme_id, position");
        while (a.step())
            if (auto it = index.find(a.text(1)); it != index.end())
                c.themes[it->second].activities.push_back(Activity{a.text(0), a.text(2)});
    }
    {
        auto s = db.prepare("SELECT id, name, x, y FROM neighbourhood ORDER BY name");
        while (s.step()) c.neighbourhoods.push_back(Neighbourhood{s.text(0), s.text(1), s.real(2), s.real(3)});
    }
    {
        auto s = db.prepare("SELECT id, name, kind, neighbourhood_id, address, contact, charter_signed FROM organisation "
                            "ORDER BY name");
        while (s.step()) {
            Organisation o{s.text(0), s.text(1), OrganisationKind::Association, s.text(3), s.text(4), s.text(5),
                           s.integer(6) != 0};
            (void)parseOrganisationKind(s.text(2), o.kind);
            c.organisations.push_back(std::move(o));
        }
    }
    return c;
}

Catalogue loadCatalogue(const Database& db) {
    Catalogue c = loadCatalogueReferences(db);
    std::unordered_map<std::string, size_t> offerIndex;
    {
        // Exactly as many as stored: a vector doubling from 8,192 to 16,384 offers held both
        // copies at once and left a third of the new one unused (start-up's peak memory).
        const auto count = static_cast<std::size_t>(queryInt(db, "SELECT COUNT(*) FROM offer"));
        c.offers.reserve(count);
        offerIndex.reserve(count);
        auto s = db.prepare(
            "SELECT id, organisation_id, title, description, theme_id, activity_id, rhythm, frequency, "
            "to_be_agreed, duration_hours, place, neighbourhood_id, step_free, min_age, "
            "parental_agreement, group_friendly, prerequisites, skills, what_to_bring, places_wanted, "
            "places_left, registration_open, status, catalogue_version, permis_citoyen, translations, "
            "source, application_url, schedule FROM offer ORDER BY first_date IS NULL, first_date, title");
        while (s.step()) {
            Offer o;
            o.id = s.text(0);
            o.organisationId = s.text(1);
            o.title = s.text(2);
            o.description = s.text(3);
            o.themeId = s.text(4);
            o.activityId = s.text(5);
            (void)parseRhythm(s.text(6), o.rhythm);
            o.frequency = s.text(7);
            o.toBeAgreed = s.integer(8) != 0;
            o.durationHours = s.real(9);
            o.place = s.text(10);
            o.neighbourhoodId = s.text(11);
            o.stepFree = s.integer(12) != 0;
            o.minAge = s.integer(13);
            o.parentalAgreement = s.integer(14) != 0;
            o.groupFriendly = s.integer(15) != 0;
            o.prerequisites = fromJsonList(s.text(16));
            o.skills = fromJsonList(s.text(17));
            o.whatToBring = s.text(18);
            o.placesWanted = s.integer(19);
            o.placesLeft = s.integer(20);
            o.registrationOpen = s.integer(21) != 0;
            (void)parseOfferStatus(s.text(22), o.status);
            o.catalogueVersion = s.int64(23);
            o.permisCitoyen = s.integer(24) != 0;
            readTranslationsJson(s.text(25), o);
            // Checked again as the catalogue checks them: the database file is not trusted more.
            o.source = isCatalogueId(s.text(26)) ? s.text(26) : std::string();
            o.applicationUrl = isWebUrl(s.text(27)) ? s.text(27) : std::string();
            o.schedule = utf8Sanitise(s.text(28), kScheduleCodePoints);
            offerIndex.emplace(o.id, c.offers.size());
            c.offers.push_back(std::move(o));
        }
    }
    {
        auto s = db.prepare("SELECT offer_id, start, \"end\" FROM offer_date ORDER BY offer_id, start");
        while (s.step())
            if (auto it = offerIndex.find(s.text(0)); it != offerIndex.end())
                c.offers[it->second].dates.push_back(DateRange{s.text(1), s.text(2)});
    }
    {
        auto s = db.prepare("SELECT offer_id, weekday, start, \"end\" FROM offer_slot ORDER BY offer_id, weekday, start");
        while (s.step())
            if (auto it = offerIndex.find(s.text(0)); it != offerIndex.end())
                c.offers[it->second].slots.push_back(TimeSlot{s.integer(1), s.text(2), s.text(3)});
    }
    return c;
}

std::int64_t catalogueVersion(const Database& db) {
    auto s = db.prepare("SELECT value FROM catalogue_meta WHERE key = 'version'");
    if (!s.step()) return 0;
    return std::stoll(s.text(0));
}

std::int64_t offerCount(const Database& db) { return queryInt(db, "SELECT COUNT(*) FROM offer"); }

} // namespace comptoir::store
