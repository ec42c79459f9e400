// The pilotage indicators: one pass over each kind of row, integer indexes instead of string
// sets, so that 100,000 records take a few milliseconds (see indicators.hpp for the index).
#include "comptoir/domain/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace comptoir {

const char* toString(Dimension d) {
    switch (d) {
    case Dimension::All:
        return "all";
    case Dimension::Theme:
        return "theme";
    case Dimension::Neighbourhood:
        return "neighbourhood";
    }
    return "all";
}

const IndicatorRow* Indicators::find(const std::string& p, Dimension d, const std::string& key) const {
    for (const auto& r : rows)
        if (r.period == p && r.dimension == d && r.key == key) return &r;
    return nullptr;
}

// [SECTION] indicators

namespace {

using RowKey = std::tuple<std::string, Dimension, std::string>;

struct Acc {
    IndicatorRow row;
    std::unordered_set<std::uint32_t> organisations;
    std::unordered_set<std::uint32_t> engaged;
    std::unordered_set<std::uint32_t> ready;
};

struct Builder {
    Period period;
    std::map<RowKey, Acc> rows;

    std::string periodOf(const std::string& date) const {
        std::string day = date.substr(0, 10);
        return period == Period::Week ? isoWeek(day) : yearMonth(day);
    }
    /// The All row and, when the offer is known, its theme's and neighbourhood's rows.
    template <class F> void each(const std::string& p, const IndicatorOffer* offer, F f) {
        if (p.empty()) return;
        f(at(p, Dimension::All, {}));
        if (!offer) return;
        f(at(p, Dimension::Theme, offer->themeId));
        f(at(p, Dimension::Neighbourhood, offer->neighbourhoodId));
    }
    Acc& at(const std::string& p, Dimension d, const std::string& key) {
        auto [it, fresh] = rows.try_emplace(RowKey{p, d, key});
        if (fresh) {
            it->second.row.period = p;
            it->second.row.dimension = d;
            it->second.row.key = key;
        }
        return it->second;
    }
};

template <class T> std::unordered_map<std::string, std::uint32_t> indexById(const std::vector<T>& v) {
    std::unordered_map<std::string, std::uint32_t> out;
    out.reserve(v.size());
    for (std::uint32_t i = 0; i < v.size(); ++i)
        out.emplace(v[i].id, i);
    return out;
}

} // namespace

Indicators computeIndicators(const IndicatorInput& in, Period period) {
    Builder b{period, {}};
    auto offerIndex = indexById(in.offers);
    auto interestIndex = indexById(in.interests);
    std::unordered_map<std::string, std::uint32_t> orgIndex;
    auto orgId = [&](const std::string& id) {
        return orgIndex.try_emplace(id, static_cast<std::uint32_t>(orgIndex.size())).first->second;
    };
    auto offerOf = [&](const std::string& id) -> const IndicatorOffer* {
        auto it = offerIndex.find(id);
        return it == offerIndex.end() ? nullptr : &in.offers[it->second];
    };

    // "now": open offers and the organisations that have one
    for (const auto& o : in.offers) {
        if (!o.open) continue;
        std::uint32_t org = orgId(o.organisationId);
        b.each("now", &o, [&](Acc& a) {
            ++a.row.openOffers;
            a.organisations.insert(org);
        });
    }

    // introductions: participations, engaged citizens, no-shows, active partners
    std::vector<const IndicatorIntroduction*> introById;
    std::unordered_map<std::string, std::uint32_t> introIndex;
    introIndex.reserve(in.introductions.size());
    std::unordered_set<std::uint32_t> engagedEver; // interests with a started or completed introduction
    for (const auto& n : in.introductions) {
        introIndex.emplace(n.id, static_cast<std::uint32_t>(introById.size()));
        introById.push_back(&n);
        bool engaged = n.status == IntroStatus::Started || n.status == IntroStatus::Completed;
        auto interest = interestIndex.find(n.interestId);
        std::uint32_t person = interest == interestIndex.end() ? UINT32_MAX : interest->second;
        if (engaged && person != UINT32_MAX) engagedEver.insert(person);
        std::uint32_t org = orgId(n.organisationId);
        b.each(b.periodOf(n.createdOn), offerOf(n.offerId), [&](Acc& a) {
            a.organisations.insert(org);
            if (isParticipation(n.status)) ++a.row.participations;
            if (engaged && person != UINT32_MAX) a.engaged.insert(person);
            if (n.status == IntroStatus::NoShow) ++a.row.noShows;
            if (engaged || n.status == IntroStatus::NoShow) ++a.row.noShowBase;
        });
    }

    // registrations still waiting for their first engagement
    for (std::uint32_t i = 0; i < in.interests.size(); ++i) {
        const auto& r = in.interests[i];
        if (r.closed || engagedEver.count(i)) continue;
        b.each(b.periodOf(r.createdOn), offerOf(r.offerId), [&](Acc& a) { a.ready.insert(i); });
    }

    for (const auto& h : in.hours) {
        auto it = introIndex.find(h.introductionId);
        const IndicatorOffer* offer =
            it == introIndex.end() ? nullptr : offerOf(introById[it->second]->offerId);
        b.each(b.periodOf(h.doneOn), offer, [&](Acc& a) { a.row.hours += h.hours; });
    }

    for (const auto& f : in.feedback) {
        if (f.score < 1 || f.score > 4) continue;
        b.each(b.periodOf(f.createdOn), nullptr, [&](Acc& a) {
            ++a.row.feedbackCount;
            a.row.feedbackScoreSum += f.score;
        });
    }

    Indicators out;
    out.period = period;
    out.rows.reserve(b.rows.size());
    auto take = [&](bool nowRows) {
        for (auto& [key, acc] : b.rows) {
            if ((std::get<0>(key) == "now") != nowRows) continue;
            IndicatorRow r = acc.row;
            if (nowRows) r.period.clear();
            r.partnerOrganisations = static_cast<int>(acc.organisations.size());
            r.citizensEngaged = static_cast<int>(acc.engaged.size());
            r.citizensReady = static_cast<int>(acc.ready.size());
            out.rows.push_back(std::move(r));
        }
    };
    take(true);
    take(false);
    return out;
}

// [SECTION] CSV for a French spreadsheet

std::string csvCell(std::string_view text) {
    std::string cell(text);
    static constexpr std::string_view kFullWidth[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                                      "\xEF\xBC\xA0"};
    bool risky = !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                                   cell[0] == '\t' || cell[0] == '\r');
    for (auto fw : kFullWidth)
        risky = risky || cell.rfind(fw, 0) == 0;
    if (risky) cell.insert(cell.begin(), '\'');
    if (cell.find_first_of(";\"\r\n") == std::string::npos) return cell;
    std::string q = "\"";
    for (char c : cell) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

std::string frenchDecimal(double v, int decimals) {
    if (!std::isfinite(v)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 6), v);
    std::string s = buf;
    if (auto dot = s.find('.'); dot != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.')
            s.pop_back();
        else
            s[dot] = ',';
    }
    if (s == "-0") s = "0";
    return s;
}

std::string csvDocument(const std::vector<std::vector<std::string>>& lines) {
    std::string out = "\xEF\xBB\xBF";
    for (const auto& line : lines) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (i) out += ';';
            out += csvCell(line[i]);
        }
        out += "\r\n";
    }
    return out;
}

std::vector<std::string> indicatorColumns() {
    return {"Période",
            "Regroupement",
            "Valeur",
            "Structures partenaires",
            "Offres ouvertes",
            "Participations",
            "Citoyens engagés",
            "Citoyens prêts à s'engager",
            "Heures données",
            "Non-venues",
            "Taux de non-venue (%)",
            "Avis",
            "Note moyenne des avis (1 à 4)"};
}

std::vector<std::vector<std::string>> indicatorLines(const Indicators& ind, const IndicatorLabel& label) {
    std::vector<std::vector<std::string>> lines;
    lines.push_back(indicatorColumns());
    for (const auto& r : ind.rows) {
        bool now = r.period.empty();
        const char* group = r.dimension == Dimension::All     ? "Tout"
                            : r.dimension == Dimension::Theme ? "Thème"
                                                              : "Quartier";
        auto n = [](int v) { return std::to_string(v); };
        lines.push_back(
            {now ? "Maintenant" : r.period, group,
             r.dimension == Dimension::All ? "" : label(r.dimension, r.key), n(r.partnerOrganisations),
             now ? n(r.openOffers) : "", now ? "" : n(r.participations), now ? "" : n(r.citizensEngaged),
             now ? "" : n(r.citizensReady), now ? "" : frenchDecimal(r.hours), now ? "" : n(r.noShows),
             now || r.noShowBase == 0 ? "" : frenchDecimal(r.noShowRate() * 100, 1),
             now ? "" : n(r.feedbackCount),
             now || r.feedbackCount == 0 ? "" : frenchDecimal(r.feedbackAverage(), 2)});
    }
    return lines;
}

} // namespace comptoir
