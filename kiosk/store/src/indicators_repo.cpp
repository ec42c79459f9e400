// The indicators' input rows, read in one pass per table, and their CSV export.
#include "comptoir/store/indicators_repo.hpp"

#include "comptoir/store/audit.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"

#include <algorithm>
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
        // One offer at a time, only the fields the indicators read: the whole catalogue (dates,
        // slots, lists) would cost more than every indicator together.
        in.offers.reserve(static_cast<std::size_t>(offerCount(db)));
        forEachShownOfferPlaces(db, [&](const Offer& o) {
            auto it = held.find(o.id);
            int taken = it == held.end() ? 0 : it->second;
            bool open = isOpenOffer(o.status, o.registrationOpen, o.placesWanted, o.placesLeft, taken);
            in.offers.push_back({o.id, o.organisationId, o.themeId, o.neighbourhoodId, open});
        });
    }
    // Compact rows (100,000 records in a few MB): rowids stand for ids (short enough to stay inside
    // each std::string), dates are cut to the day, and the registrations no introduction names
    // (most of them) are folded in SQL into one row per day, offer and state. The figures are
    // those of one row per record (tests/store/test_indicators_repo.cpp).
    const auto rows = [&](const char* sql) {
        return static_cast<std::size_t>(std::max<std::int64_t>(0, queryInt(db, sql)));
    };
    in.interests.reserve(
        rows("SELECT COUNT(*) FROM interest i WHERE EXISTS (SELECT 1 FROM introduction n "
             "WHERE n.interest_id = i.id)") +
        rows("SELECT COUNT(*) FROM (SELECT 1 FROM interest i WHERE NOT EXISTS (SELECT 1 FROM "
             "introduction n WHERE n.interest_id = i.id) GROUP BY offer_id, substr(created_at, "
             "1, 10), status = 'closed')"));
    {
        auto s =
            db.prepare("SELECT i.rowid, i.offer_id, substr(i.created_at, 1, 10), i.status = 'closed' FROM "
                       "interest i WHERE EXISTS (SELECT 1 FROM introduction n WHERE n.interest_id = i.id)");
        while (s.step())
            in.interests.push_back({s.text(0), s.text(1), s.text(2), s.integer(3) != 0});
    }
    {
        auto s = db.prepare("SELECT offer_id, substr(created_at, 1, 10), status = 'closed', COUNT(*) FROM "
                            "interest i WHERE NOT EXISTS (SELECT 1 FROM introduction n WHERE n.interest_id = "
                            "i.id) GROUP BY offer_id, substr(created_at, 1, 10), status = 'closed'");
        while (s.step())
            in.interests.push_back(
                {std::string(), s.text(0), s.text(1), s.integer(2) != 0, {}, s.integer(3)});
    }
    in.introductions.reserve(rows("SELECT COUNT(*) FROM introduction"));
    {
        // An introduction whose registration is gone names none ("-": no registration has it).
        auto s = db.prepare("SELECT n.rowid, COALESCE(i.rowid, '-'), n.offer_id, n.organisation_id, "
                            "substr(n.created_at, 1, 10), n.status FROM introduction n "
                            "LEFT JOIN interest i ON i.id = n.interest_id");
        while (s.step()) {
            IndicatorIntroduction n{s.text(0), s.text(1), s.text(2),
                                    s.text(3), s.text(4), IntroStatus::Proposed};
            (void)parseIntroStatus(s.text(5), n.status);
            in.introductions.push_back(std::move(n));
        }
    }
    in.hours.reserve(rows("SELECT COUNT(*) FROM hours_log"));
    {
        auto s = db.prepare("SELECT COALESCE(n.rowid, '-'), h.done_on, h.hours FROM hours_log h "
                            "LEFT JOIN introduction n ON n.id = h.introduction_id");
        while (s.step())
            in.hours.push_back({s.text(0), s.text(1), s.real(2)});
    }
    in.feedback.reserve(rows("SELECT COUNT(*) FROM feedback"));
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
