// The guided choice behind "Je ne sais pas quoi choisir".
//
// [SECTION] how an offer is lived
// [SECTION] index
// [SECTION] suggestions

#include "comptoir/domain/guided.hpp"

#include "comptoir/domain/calendar.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

namespace comptoir {

// [SECTION] how an offer is lived ------------------------------------------------------------

namespace {

constexpr std::int32_t kNoKey = std::numeric_limits<std::int32_t>::max();
constexpr int kNoon = 12 * 60;
constexpr int kEveningStart = 18 * 60;

// The catalogue has no "outdoors" or "sitting" field: the national platforms' offers do not
// carry one either. The activity says it well enough; an unknown activity simply matches none
// of these and the visitor's answer is widened if nothing else fits.
constexpr std::array kOutdoorActivities = {
    "collecte-de-dechets",        "jardin-partage",        "nature-en-ville",     "maraude",
    "embellissement-du-quartier", "fete-de-quartier",      "encadrement-sportif", "aide-evenement-sportif",
    "journee-citoyenne",          "accompagnement-sorties"};
constexpr std::array kSittingActivities = {"appels-de-convivialite",
                                           "aide-demarches-en-ligne",
                                           "atelier-numerique",
                                           "accompagnement-scolaire",
                                           "lecture-aux-enfants",
                                           "panel-experts-usage",
                                           "conseil-de-quartier",
                                           "bureau-de-vote",
                                           "mentorat",
                                           "visite-de-convivialite",
                                           "reconditionnement-ordinateurs",
                                           "atelier-artistique"};
constexpr std::array kChildrenActivities = {"accompagnement-scolaire", "animation-jeunesse",
                                            "lecture-aux-enfants", "mentorat"};
// Team work even when the offer does not say "come as a group".
constexpr std::array kTeamActivities = {"fete-de-quartier",           "journee-citoyenne",
                                        "collecte-de-dechets",        "aide-evenement-sportif",
                                        "accueil-evenement-culturel", "tri-de-dons"};

template <std::size_t N> bool listed(const std::array<const char*, N>& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(), [&](const char* a) { return id == a; });
}

/// Bit of a (day class, moment) pair: weekdays 0–2, weekend 3–5; morning, afternoon, evening.
std::uint8_t whenBit(int weekday, int minute) {
    const int dayClass = weekday >= 6 ? 1 : 0;
    const int moment = minute < kNoon ? 0 : minute < kEveningStart ? 1 : 2;
    return static_cast<std::uint8_t>(1u << (dayClass * 3 + moment));
}

std::uint8_t momentOf(int minute) {
    return minute < kNoon ? guided::kMorning : minute < kEveningStart ? guided::kAfternoon : guided::kEvening;
}

} // namespace

std::uint8_t guidedWays(const Offer& o) {
    std::uint8_t w = 0;
    const std::string& a = o.activityId;
    w |= (o.groupFriendly || listed(kTeamActivities, a)) ? guided::kTogether : guided::kAlone;
    if (listed(kOutdoorActivities, a)) w |= guided::kOutdoors;
    if (listed(kSittingActivities, a)) w |= guided::kSitting;
    if (o.themeId == "jeunesse" || listed(kChildrenActivities, a)) w |= guided::kWithChildren;
    return w;
}

std::uint8_t GuidedAnswers::answered() const {
    std::uint8_t a = 0;
    if (!themes.empty()) a |= kCriterionThemes;
    if (days != 0 || moments != 0) a |= kCriterionWhen;
    if (ways != 0) a |= kCriterionHow;
    if (frequency != GuidedFrequency::Any) a |= kCriterionFrequency;
    return a;
}

// [SECTION] index ----------------------------------------------------------------------------

GuidedIndex::GuidedIndex(const Catalogue& c) {
    m_themeIds.reserve(c.themes.size());
    for (const auto& t : c.themes)
        m_themeIds.push_back(t.id);
    for (std::uint32_t i = 0; i < c.offers.size(); ++i) {
        const Offer& o = c.offers[i];
        // Only what a visitor can join: a suggestion one cannot say yes to helps nobody.
        if (o.status != OfferStatus::Published || !o.registrationOpen || o.placesLeft <= 0) continue;
        Entry e;
        e.offerIndex = i;
        auto t = std::find(m_themeIds.begin(), m_themeIds.end(), o.themeId);
        if (t != m_themeIds.end()) e.theme = static_cast<std::uint16_t>(t - m_themeIds.begin());
        e.ways = guidedWays(o);
        e.regular = o.rhythm == Rhythm::Regular;
        e.rarelyRepeated = e.regular && (o.frequency == "monthly" || o.frequency == "fortnightly");
        e.firstSession = static_cast<std::uint32_t>(m_sessions.size());
        for (const auto& d : o.dates) {
            auto day = dayNumber(d.start);
            const int m = d.start.size() >= 16 ? minuteOfDay(std::string_view(d.start).substr(11, 5)) : -1;
            if (!day || m < 0) continue;
            m_sessions.push_back(
                {*day, static_cast<std::int16_t>(weekdayOf(*day)), static_cast<std::int16_t>(m)});
        }
        for (const auto& s : o.slots) {
            const int m = minuteOfDay(s.start);
            if (s.weekday < 1 || s.weekday > 7 || m < 0) continue;
            m_sessions.push_back({-1, static_cast<std::int16_t>(s.weekday), static_cast<std::int16_t>(m)});
        }
        e.sessionCount = static_cast<std::uint32_t>(m_sessions.size()) - e.firstSession;
        // A regular offer with no weekly slot is arranged with the host: any moment may do.
        e.toBeAgreed = o.toBeAgreed || (e.regular && e.sessionCount == 0);
        e.title = o.title;
        e.neighbourhoodId = o.neighbourhoodId;
        m_entries.push_back(std::move(e));
    }
}

// [SECTION] suggestions ----------------------------------------------------------------------

GuidedResult GuidedIndex::suggest(const GuidedAnswers& a, std::string_view today, std::size_t limit) const {
    const std::int32_t t = dayNumber(today).value_or(0);
    const int todayWeekday = weekdayOf(t);
    std::uint8_t wantedWhen = 0; // the (day class, moment) pairs the visitor can do
    for (int dc = 0; dc < 2; ++dc)
        for (int m = 0; m < 3; ++m)
            if ((a.days == 0 || (a.days & (1u << dc))) && (a.moments == 0 || (a.moments & (1u << m))))
                wantedWhen |= static_cast<std::uint8_t>(1u << (dc * 3 + m));
    std::vector<char> themeChosen(m_themeIds.size(), 0);
    for (std::size_t i = 0; i < m_themeIds.size(); ++i)
        themeChosen[i] = a.themes.count(m_themeIds[i]) ? 1 : 0;
    const std::uint8_t answered = a.answered();

    struct Candidate {
        std::uint32_t entry;
        std::uint32_t session; ///< the session the reason names; UINT32_MAX: to be agreed
        std::int32_t key;      ///< minutes from today to that session
        std::uint8_t missed;
        std::uint8_t ways;
        std::uint8_t upcoming;
    };
    std::vector<Candidate> cands;
    cands.reserve(m_entries.size());
    std::uint8_t drop = 0xFF;
    for (std::uint32_t ei = 0; ei < m_entries.size(); ++ei) {
        const Entry& e = m_entries[ei];
        std::int32_t fitKey = kNoKey, anyKey = kNoKey;
        std::uint32_t fit = UINT32_MAX, any = UINT32_MAX;
        std::uint8_t upcoming = 0;
        for (std::uint32_t s = e.firstSession; s < e.firstSession + e.sessionCount; ++s) {
            const Session& ss = m_sessions[s];
            std::int32_t key;
            if (ss.day >= 0) {
                if (ss.day < t) continue; // already past
                key = (ss.day - t) * 1440 + ss.minute;
            } else {
                key = (ss.weekday - todayWeekday + 7) % 7 * 1440 + ss.minute;
            }
            upcoming = static_cast<std::uint8_t>(std::min(upcoming + 1, 255));
            if (key < anyKey) anyKey = key, any = s;
            if ((whenBit(ss.weekday, ss.minute) & wantedWhen) && key < fitKey) fitKey = key, fit = s;
        }
        if (upcoming == 0 && !e.toBeAgreed) continue; // every date is past: nothing to join
        std::uint8_t matched = 0;
        if (e.theme < themeChosen.size() && themeChosen[e.theme]) matched |= kCriterionThemes;
        if (fit != UINT32_MAX || e.toBeAgreed) matched |= kCriterionWhen;
        if (e.ways & a.ways) matched |= kCriterionHow;
        const bool fits = a.frequency == GuidedFrequency::Once ? !e.regular
                          : a.frequency == GuidedFrequency::AFewTimes
                              ? (!e.regular && upcoming >= 2) || e.rarelyRepeated
                              : e.regular;
        if (fits) matched |= kCriterionFrequency;
        const std::uint8_t missed = answered & static_cast<std::uint8_t>(~matched);
        const bool useFit = fit != UINT32_MAX;
        cands.push_back({ei, useFit ? fit : any, useFit ? fitKey : anyKey, missed,
                         static_cast<std::uint8_t>(e.ways & a.ways), upcoming});
        // Criteria weigh their own bit value: the cheapest widening is the smallest `missed`.
        drop = std::min(drop, missed);
    }
    GuidedResult r;
    if (cands.empty()) {
        r.nothingOpen = true;
        return r;
    }
    r.widened = drop;
    std::erase_if(cands, [&](const Candidate& c) { return (c.missed & ~drop) != 0; });
    auto better = [&](const Candidate& x, const Candidate& y) {
        if (x.missed != y.missed) return x.missed < y.missed;
        const int wx = std::popcount(x.ways), wy = std::popcount(y.ways);
        if (wx != wy) return wx > wy;
        if (x.key != y.key) return x.key < y.key;
        const Entry &ex = m_entries[x.entry], &ey = m_entries[y.entry];
        if (ex.title != ey.title) return ex.title < ey.title;
        return ex.offerIndex < ey.offerIndex;
    };
    const std::size_t n = std::min(limit, cands.size());
    std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(n), cands.end(), better);
    r.suggestions.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Candidate& c = cands[i];
        const Entry& e = m_entries[c.entry];
        GuidedSuggestion s;
        s.offerIndex = e.offerIndex;
        s.missed = c.missed;
        if (c.session != UINT32_MAX) {
            const Session& ss = m_sessions[c.session];
            s.weekday = ss.weekday;
            s.moment = momentOf(ss.minute);
            if (ss.day >= 0) s.date = isoDate(ss.day);
        }
        s.waysMatched = c.ways;
        s.themeMatched = e.theme < themeChosen.size() && themeChosen[e.theme];
        s.rhythm = e.regular         ? GuidedFrequency::Regularly
                   : c.upcoming >= 2 ? GuidedFrequency::AFewTimes
                                     : GuidedFrequency::Once;
        s.neighbourhoodId = e.neighbourhoodId;
        r.suggestions.push_back(std::move(s));
    }
    return r;
}

} // namespace comptoir
