// The indicators' input rows, read in one pass per table, and their CSV export.
#include "comptoir/store/indicators_repo.hpp"

#include "comptoir/store/audit.hpp"
#include "comptoir/store/offers_onsite.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

namespace fs = std::filesystem;

namespace comptoir::store {

IndicatorInput loadIndicatorInput(const Database& db) {
    IndicatorInput in;
    {
        std::unordered_map<std::string, int> held;
        auto h =
            db.prepare("SELECT offer_id, COUNT(*) FROM introduction WHERE status IN ('accepted','started') "
                       "GROUP BY offer_id");
        while (h.step())
            held[h.text(0)] = h.integer(1);
        // Only the fields the indicators read: the whole catalogue (dates, slots, lists) would
        // cost more than every indicator together.
        Catalogue catalogue;
        auto s =
            db.prepare("SELECT id, organisation_id, theme_id, neighbourhood_id, status, registration_open, "
                       "places_wanted, places_left FROM offer");
        while (s.step()) {
            Offer o;
            o.id = s.text(0);
            o.organisationId = s.text(1);
            o.themeId = s.text(2);
            o.neighbourhoodId = s.text(3);
            (void)parseOfferStatus(s.text(4), o.status);
            o.registrationOpen = s.integer(5) != 0;
            o.placesWanted = s.integer(6);
            o.placesLeft = s.integer(7);
            catalogue.offers.push_back(std::move(o));
        }
        applyOnSiteChanges(db, catalogue);
        in.offers.reserve(catalogue.offers.size());
        for (const auto& o : catalogue.offers) {
            auto it = held.find(o.id);
            int taken = it == held.end() ? 0 : it->second;
            bool open = isOpenOffer(o.status, o.registrationOpen, o.placesWanted, o.placesLeft, taken);
            in.offers.push_back({o.id, o.organisationId, o.themeId, o.neighbourhoodId, open});
        }
    }
    {
        auto s = db.prepare("SELECT id, offer_id, created_at, status = 'closed' FROM interest");
        while (s.step())
            in.interests.push_back({s.text(0), s.text(1), s.text(2), s.integer(3) != 0});
    }
    {
        auto s = db.prepare(
            "SELECT id, interest_id, offer_id, organisation_id, created_at, status FROM introduction");
        while (s.step()) {
            IndicatorIntroduction n{s.text(0), s.text(1), s.text(2),
                                    s.text(3), s.text(4), IntroStatus::Proposed};
            (void)parseIntroStatus(s.text(5), n.status);
            in.introductions.push_back(std::move(n));
        }
    }
    {
        auto s = db.prepare("SELECT introduction_id, done_on, hours FROM hours_log");
        while (s.step())
            in.hours.push_back({s.text(0), s.text(1), s.real(2)});
    }
    {
        auto s = db.prepare("SELECT given_on, score FROM feedback");
        while (s.step())
            in.feedback.push_back({s.text(0), s.integer(1)});
    }
    return in;
}

std::string writeExportFile(const std::string& dir, const std::string& name, const std::string& content) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("the folder " + dir + " cannot be created: " + ec.message());
    fs::path final = fs::path(dir) / name;
    fs::path partial = final;
    partial += ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            fs::remove(partial, ec);
            throw std::runtime_error("the file " + final.string() +
                                     " cannot be written (is the folder full or read-only?)");
        }
    }
    fs::rename(partial, final, ec);
    if (ec) {
        fs::remove(partial, ec);
        throw std::runtime_error("the file " + final.string() + " cannot be put in place: " + ec.message());
    }
    return final.string();
}

std::string exportIndicatorsCsv(Database& db, const std::string& agentId, Period period,
                                const std::string& dir, const std::string& stamp) {
    auto indicators = computeIndicators(loadIndicatorInput(db), period);
    std::unordered_map<std::string, std::string> themes, neighbourhoods;
    {
        auto t = db.prepare("SELECT id, name FROM theme");
        while (t.step())
            themes[t.text(0)] = t.text(1);
        auto n = db.prepare("SELECT id, name FROM neighbourhood");
        while (n.step())
            neighbourhoods[n.text(0)] = n.text(1);
    }
    auto label = [&](Dimension d, const std::string& id) {
        const auto& names = d == Dimension::Theme ? themes : neighbourhoods;
        auto it = names.find(id);
        return it == names.end() ? id : it->second;
    };
    std::string name =
        std::string("indicateurs-") + (period == Period::Week ? "semaines-" : "mois-") + stamp + ".csv";
    std::string path = writeExportFile(dir, name, csvDocument(indicatorLines(indicators, label)));
    Transaction tx(db);
    appendAudit(db, agentId, "indicators.export", name.substr(0, 64));
    tx.commit();
    return path;
}

} // namespace comptoir::store
