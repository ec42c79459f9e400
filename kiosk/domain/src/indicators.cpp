// The pilotage indicators: one pass over each kind of row, integer indexes instead of string
// sets, so that 100,000 records take a few milliseconds (see indicators.hpp for the index).
#include "comptoir/domain/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace comptoir {

const char* toString(Dimension d) {
    switch (d) {
    case Dimension::All:
        return "all";
    case Dimension::Theme:
        return "theme";
    case Dimension::Neighbourhood:
        return "neighbourhood";
    case Dimension::Kiosk:
        return "kiosk";
    }
    return "all";
}

bool isOpenOffer(OfferStatus status, bool registrationOpen, int placesWanted, int placesLeft, int taken,
                 bool markedFullOrClosed) {
    return status == OfferStatus::Published && registrationOpen && !markedFullOrClosed &&
           !offerIsFull(placesWanted, placesLeft - taken, false);
}

const IndicatorRow* Indicators::find(const std::string& p, Dimension d, const std::string& key) const {
    for (const auto& r : rows)
        if (r.period == p && r.dimension == d && r.key == key) return &r;
    return nullptr;
}

// [SECTION] indicators

namespace {

/// Row accumulator; distinct counts collect ids and count them once at the end (cheaper than sets).
struct Acc {
    IndicatorRow row;
    std::vector<std::uint32_t> organisations, engaged, ready;
};

/// Interns strings as small integers: periods, themes, neighbourhoods, organisations.
struct Interner {
    std::unordered_map<std::string, std::uint32_t> index;
    std::vector<std::string> names;
    std::uint32_t of(const std::string& s) {
        auto [it, fresh] = index.try_emplace(s, static_cast<std::uint32_t>(names.size()));
        if (fresh) names.push_back(s);
        return it->second;
    }
};

constexpr std::uint32_t kNone = UINT32_MAX;

/// Record ids (UUIDs, hundreds of thousands on the central server) → their position in the
/// input: open addressing over views of the input's strings, no allocation per entry, one tag
/// compared before the string (a node-based map costs several cache misses per lookup).
class FlatIndex {
  public:
    template <class Rows, class Key> FlatIndex(const Rows& rows, Key key) {
        std::size_t cap = 16;
        while (cap < rows.size() * 2)
            cap <<= 1;
        m_mask = cap - 1;
        m_slots.assign(cap, Slot{});
        m_keys.reserve(rows.size());
        for (const auto& r : rows) {
            std::string_view k = key(r);
            auto h = std::hash<std::string_view>{}(k);
            auto idx = static_cast<std::uint32_t>(m_keys.size());
            m_keys.push_back(k);
            for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
                Slot& s = m_slots[i];
                if (s.row == 0) {
                    s = Slot{static_cast<std::uint32_t>(h >> 32), idx + 1};
                    break;
                }
                if (s.tag == static_cast<std::uint32_t>(h >> 32) && m_keys[s.row - 1] == k)
                    break; // first wins
            }
        }
    }
    [[nodiscard]] std::uint32_t find(std::string_view k) const {
        auto h = std::hash<std::string_view>{}(k);
        for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.row == 0) return kNone;
            if (s.tag == static_cast<std::uint32_t>(h >> 32) && m_keys[s.row - 1] == k) return s.row - 1;
        }
    }

  private:
    struct Slot {
        std::uint32_t tag = 0, row = 0; ///< row: position + 1, 0 when free
    };
    std::vector<Slot> m_slots;
    std::vector<std::string_view> m_keys;
    std::size_t m_mask = 0;
};

/// "YYYY-MM-DD…" as the number YYYYMMDD (days compare as numbers); 0 when not a date.
std::uint32_t dayNumber(const std::string& date) {
    if (date.size() < 10) return 0;
    std::uint32_t day = 0;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        char c = date[static_cast<std::size_t>(i)];
        if (c < '0' || c > '9') return 0;
        day = day * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return day;
}

struct Builder {
    Period period;
    std::uint32_t firstDay = 0, lastDay = UINT32_MAX; // the DayRange, as day numbers
    Interner periods;                                 // index 0 is "now"
    const Interner* keys = nullptr;                   // theme, neighbourhood and kiosk ids (shared)
    std::unordered_map<std::uint32_t, std::uint32_t> dayToPeriod;
    std::vector<std::pair<std::uint64_t, Acc>> accs;

    /// "YYYY-MM-DD…" → its period's index; kNone when the date is not one or is out of the range.
    /// Days repeat a lot: each is turned into a period once.
    std::uint32_t periodOf(const std::string& date) {
        std::uint32_t day = dayNumber(date);
        if (day == 0 || day < firstDay || day > lastDay) return kNone;
        auto it = dayToPeriod.find(day);
        if (it != dayToPeriod.end()) return it->second;
        std::string d = date.substr(0, 10);
        std::string p = period == Period::Week ? isoWeek(d)
                        : period == Period::Month
                            ? yearMonth(d)
                            : (yearMonth(d).empty() ? std::string() : std::string("total"));
        std::uint32_t idx = p.empty() ? kNone : periods.of(p);
        dayToPeriod.emplace(day, idx);
        return idx;
    }
    /// Rows sit in a dense table, one block of 1 + 3 × keys per period (All, then each key
    /// thrice: as a theme, a neighbourhood and a kiosk); slots hold index + 1. Every key is
    /// interned before the first row is made, so the width never changes.
    std::vector<std::uint32_t> table;
    Acc& at(std::uint32_t p, Dimension d, std::uint32_t key) {
        std::size_t n = keys->names.size();
        std::size_t width = 1 + 3 * n;
        std::size_t slot = p * width + (d == Dimension::All             ? 0
                                        : d == Dimension::Theme         ? 1 + key
                                        : d == Dimension::Neighbourhood ? 1 + n + key
                                                                        : 1 + 2 * n + key);
        if (slot >= table.size()) table.resize((p + 8) * width, 0);
        if (table[slot] == 0) {
            std::uint64_t packed = (std::uint64_t(p) << 34) | (std::uint64_t(d) << 32) | key;
            accs.emplace_back(packed, Acc{});
            table[slot] = static_cast<std::uint32_t>(accs.size());
        }
        return accs[table[slot] - 1].second;
    }
    /// The All row and, when known, the offer's theme's and neighbourhood's rows and the kiosk's.
    template <class F>
    void each(std::uint32_t p, std::uint32_t theme, std::uint32_t nb, std::uint32_t kiosk, F f) {
        if (p == kNone) return;
        f(at(p, Dimension::All, 0));
        if (kiosk != kNone) f(at(p, Dimension::Kiosk, kiosk));
        if (theme == kNone) return;
        f(at(p, Dimension::Theme, theme));
        f(at(p, Dimension::Neighbourhood, nb));
    }
};

/// Distinct counts without sorting: one stamp per id, shared by every row, and a new stamp value
/// per count (sorting each row's ids was a tenth of the time over a million events).
class DistinctCounter {
  public:
    /// Distinct ids of `v`, each weighing `weight(id)`.
    template <class Weight> std::size_t count(const std::vector<std::uint32_t>& v, Weight weight) {
        ++m_current;
        std::size_t total = 0;
        for (std::uint32_t id : v) {
            if (id >= m_stamps.size()) m_stamps.resize(static_cast<std::size_t>(id) + 1, 0);
            if (m_stamps[id] == m_current) continue;
            m_stamps[id] = m_current;
            total += weight(id);
        }
        return total;
    }
    std::size_t count(const std::vector<std::uint32_t>& v) {
        return count(v, [](std::uint32_t) { return std::size_t{1}; });
    }

  private:
    std::vector<std::uint32_t> m_stamps;
    std::uint32_t m_current = 0;
};

} // namespace

std::vector<Indicators> computeIndicators(const IndicatorInput& in, std::span<const Period> periods,
                                          const DayRange& range) {
    // Every key (themes, neighbourhoods, then kiosks) is interned before the first row is made
    // (see Builder::at); one set of keys serves every period's builder.
    Interner keys;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> offerKeys;
    offerKeys.reserve(in.offers.size());
    for (const auto& o : in.offers)
        offerKeys.emplace_back(keys.of(o.themeId), keys.of(o.neighbourhoodId));
    // A record's kiosk key (kNone on a kiosk, whose records carry none). Records come in runs
    // from one kiosk: the last one is remembered.
    std::string lastKiosk;
    std::uint32_t lastKioskKey = kNone;
    auto kioskOf = [&](const std::string& kioskId) {
        if (kioskId.empty()) return kNone;
        if (lastKioskKey == kNone || kioskId != lastKiosk) {
            lastKiosk = kioskId;
            lastKioskKey = keys.of(kioskId);
        }
        return lastKioskKey;
    };
    for (const auto& r : in.interests)
        (void)kioskOf(r.kioskId);
    for (const auto& n : in.introductions)
        (void)kioskOf(n.kioskId);
    for (const auto& h : in.hours)
        (void)kioskOf(h.kioskId);
    for (const auto& f : in.feedback)
        (void)kioskOf(f.kioskId);

    std::vector<Builder> builders(periods.size());
    for (std::size_t i = 0; i < periods.size(); ++i) {
        Builder& b = builders[i];
        b.period = periods[i];
        b.keys = &keys;
        if (!range.from.empty()) b.firstDay = std::max<std::uint32_t>(1, dayNumber(range.from));
        if (!range.to.empty()) b.lastDay = dayNumber(range.to);
        (void)b.periods.of("now");
    }
    // The record's row in every builder; `date` picks each builder's period.
    auto each = [&](const std::string& date, std::pair<std::uint32_t, std::uint32_t> k, std::uint32_t kiosk,
                    auto f) {
        for (auto& b : builders)
            b.each(b.periodOf(date), k.first, k.second, kiosk, f);
    };

    Interner orgs;
    FlatIndex offerIndex(in.offers, [](const IndicatorOffer& o) -> std::string_view { return o.id; });
    auto keysOf = [&](const std::string& offerId) -> std::pair<std::uint32_t, std::uint32_t> {
        auto i = offerIndex.find(offerId);
        return i == kNone ? std::pair{kNone, kNone} : offerKeys[i];
    };

    // "now": open offers and the organisations that have one
    for (std::uint32_t i = 0; i < in.offers.size(); ++i) {
        const auto& o = in.offers[i];
        if (!o.open) continue;
        std::uint32_t org = orgs.of(o.organisationId);
        for (auto& b : builders)
            b.each(0, offerKeys[i].first, offerKeys[i].second, kNone, [&](Acc& a) {
                ++a.row.openOffers;
                a.organisations.push_back(org);
            });
    }

    FlatIndex interestIndex(in.interests,
                            [](const IndicatorInterest& r) -> std::string_view { return r.id; });

    // introductions: participations, engaged citizens, no-shows, active partners
    std::vector<std::pair<std::uint32_t, std::uint32_t>> introKeys; // its offer's keys, by position
    introKeys.reserve(in.introductions.size());
    std::vector<bool> engagedEver(in.interests.size(), false);
    for (const auto& n : in.introductions) {
        auto k = keysOf(n.offerId);
        introKeys.push_back(k);
        bool engaged = n.status == IntroStatus::Started || n.status == IntroStatus::Completed;
        std::uint32_t person = interestIndex.find(n.interestId);
        if (engaged && person != kNone) engagedEver[person] = true;
        std::uint32_t org = orgs.of(n.organisationId);
        bool participation = isParticipation(n.status);
        bool noShow = n.status == IntroStatus::NoShow;
        each(n.createdOn, k, kioskOf(n.kioskId), [&](Acc& a) {
            a.organisations.push_back(org);
            if (participation) ++a.row.participations;
            if (engaged && person != kNone) a.engaged.push_back(person);
            if (noShow) ++a.row.noShows;
            if (engaged || noShow) ++a.row.noShowBase;
        });
    }

    // registrations still waiting for their first engagement
    for (std::uint32_t i = 0; i < in.interests.size(); ++i) {
        const auto& r = in.interests[i];
        if (r.closed || engagedEver[i]) continue;
        each(r.createdOn, keysOf(r.offerId), kioskOf(r.kioskId), [&](Acc& a) { a.ready.push_back(i); });
    }

    FlatIndex introIndex(in.introductions,
                         [](const IndicatorIntroduction& n) -> std::string_view { return n.id; });
    for (const auto& h : in.hours) {
        auto i = introIndex.find(h.introductionId);
        auto k = i == kNone ? std::pair{kNone, kNone} : introKeys[i];
        each(h.doneOn, k, kioskOf(h.kioskId), [&](Acc& a) { a.row.hours += h.hours; });
    }

    for (const auto& f : in.feedback) {
        if (f.score < 1 || f.score > 4) continue;
        each(f.createdOn, {kNone, kNone}, kioskOf(f.kioskId), [&](Acc& a) {
            ++a.row.feedbackCount;
            a.row.feedbackScoreSum += f.score;
        });
    }

    std::vector<Indicators> all;
    // Organisations and people are numbered apart: one stamp table for each.
    DistinctCounter distinctOrganisations, distinctPeople;
    for (auto& b : builders) {
        Indicators out;
        out.period = b.period;
        out.rows.reserve(b.accs.size());
        for (auto& [packed, acc] : b.accs) {
            auto p = static_cast<std::uint32_t>(packed >> 34);
            auto d = static_cast<Dimension>((packed >> 32) & 3);
            auto key = static_cast<std::uint32_t>(packed & 0xFFFFFFFFu);
            IndicatorRow r = acc.row;
            r.period = p == 0 ? std::string() : b.periods.names[p];
            r.dimension = d;
            r.key = d == Dimension::All ? std::string() : keys.names[key];
            r.partnerOrganisations = static_cast<int>(distinctOrganisations.count(acc.organisations));
            r.citizensEngaged = static_cast<int>(distinctPeople.count(acc.engaged));
            // Each registration counted as many times as it stands for (IndicatorInterest::count).
            r.citizensReady = static_cast<int>(distinctPeople.count(acc.ready, [&](std::uint32_t i) {
                return static_cast<std::size_t>(std::max(in.interests[i].count, 0));
            }));
            out.rows.push_back(std::move(r));
        }
        // "now" first, then periods in order; within one, All, themes, neighbourhoods, kiosks, by id.
        std::sort(out.rows.begin(), out.rows.end(), [](const IndicatorRow& x, const IndicatorRow& y) {
            bool xn = x.period.empty(), yn = y.period.empty();
            if (xn != yn) return xn;
            return std::tie(x.period, x.dimension, x.key) < std::tie(y.period, y.dimension, y.key);
        });
        all.push_back(std::move(out));
    }
    return all;
}

Indicators computeIndicators(const IndicatorInput& in, Period period, const DayRange& range) {
    const Period one[] = {period};
    return std::move(computeIndicators(in, one, range).front());
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
        const char* group = r.dimension == Dimension::All             ? "Tout"
                            : r.dimension == Dimension::Theme         ? "Thème"
                            : r.dimension == Dimension::Neighbourhood ? "Quartier"
                                                                      : "Kiosque";
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
