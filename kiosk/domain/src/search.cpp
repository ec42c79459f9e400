// Offer search. Sections:
// [SECTION] folding
// [SECTION] dates
// [SECTION] index layout
// [SECTION] building
// [SECTION] today cache
// [SECTION] matching
// [SECTION] searching
// [SECTION] why it fits
#include "comptoir/domain/calendar.hpp"
#include "comptoir/domain/search.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>

namespace comptoir {

// [SECTION] folding ---------------------------------------------------------------------------

namespace {

// U+00C0–U+00FF; an empty entry (× ÷) separates words.
// clang-format off
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};
// clang-format on

// U+0100–U+017F, one base letter per code point; '#' marks the ligatures Ĳ ĳ (→ ij) and Œ œ (→ oe).
constexpr std::string_view kExtendedA = "aaaaaa"
                                        "cccccccc"
                                        "dddd"
                                        "eeeeeeeeee"
                                        "gggggggg"
                                        "hhhh"
                                        "iiiiiiiiii"
                                        "##"
                                        "jj"
                                        "kkk"
                                        "llllllllll"
                                        "nnnnnnnnn"
                                        "oooooo"
                                        "##"
                                        "rrrrrr"
                                        "ssssssss"
                                        "tttttt"
                                        "uuuuuuuuuuuu"
                                        "ww"
                                        "yyy"
                                        "zzzzzz"
                                        "s";
static_assert(kExtendedA.size() == 128);

constexpr const char* kLigatures[7] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"}; // U+FB00–U+FB06

/// Reads one UTF-8 code point at `pos`; returns how many bytes it took, 0 for a malformed sequence.
std::size_t readCodePoint(std::string_view s, std::size_t pos, char32_t& out) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    std::size_t len = lead >= 0xF0 && lead <= 0xF4  ? 4
                      : lead >= 0xE0                ? 3
                      : lead >= 0xC2 && lead < 0xE0 ? 2
                                                    : 0;
    if (lead >= 0xF5 || len == 0 || pos + len > s.size()) return 0;
    char32_t value = lead & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const auto cont = static_cast<unsigned char>(s[pos + k]);
        if ((cont & 0xC0) != 0x80) return 0;
        value = (value << 6) | (cont & 0x3F);
    }
    static constexpr char32_t kSmallest[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (value < kSmallest[len] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    out = value;
    return len;
}

void separate(std::string& out) {
    if (!out.empty() && out.back() != ' ') out += ' ';
}

void foldAscii(char32_t c, std::string& out) {
    if (c >= 'A' && c <= 'Z')
        out += static_cast<char>(c + 32);
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        out += static_cast<char>(c);
    else
        separate(out);
}

/// Punctuation, symbols and emoji: they separate words rather than belong to one.
bool isSeparator(char32_t c) {
    return (c >= 0x80 && c <= 0xBF) || c == 0x2BB || c == 0x2BC || (c >= 0x2000 && c <= 0x2BFF) ||
           (c >= 0x3000 && c <= 0x303F) || c == 0xFEFF || (c >= 0x1F000 && c <= 0x1FAFF) ||
           (c >= 0xE0000 && c <= 0xE007F);
}

void appendFolded(std::string_view in, std::string& out) {
    for (std::size_t i = 0; i < in.size();) {
        const auto lead = static_cast<unsigned char>(in[i]);
        if (lead < 0x80) {
            foldAscii(lead, out);
            ++i;
            continue;
        }
        char32_t c = 0;
        const std::size_t len = readCodePoint(in, i, c);
        if (len == 0) {
            separate(out); // a stray byte never glues two words together, nor crashes
            ++i;
            continue;
        }
        if (c >= 0xC0 && c <= 0xFF) {
            const char* s = kLatin1[c - 0xC0];
            if (*s)
                out += s;
            else
                separate(out);
        } else if (c >= 0x100 && c <= 0x17F) {
            const char base = kExtendedA[c - 0x100];
            if (base == '#')
                out += c < 0x140 ? "ij" : "oe";
            else
                out += base;
        } else if (c >= 0x300 && c <= 0x36F) {
            // combining accents of decomposed text (e + U+0301): dropped, like the precomposed ones
        } else if (c >= 0xFE00 && c <= 0xFE0F) {
            // variation selectors
        } else if (c >= 0xFB00 && c <= 0xFB06) {
            out += kLigatures[c - 0xFB00];
        } else if (c >= 0xFF01 && c <= 0xFF5E) {
            foldAscii(c - 0xFEE0, out); // full-width forms, as pasted from some keyboards
        } else if (isSeparator(c)) {
            separate(out);
        } else {
            out.append(in.substr(i, len));
        }
        i += len;
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
}

/// Calls fn(word) for each space-separated word of folded text.
template <class Fn> void forEachWord(std::string_view folded, Fn&& fn) {
    std::size_t start = 0;
    while (start < folded.size()) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string_view::npos) end = folded.size();
        if (end > start) fn(folded.substr(start, end - start));
        start = end + 1;
    }
}

} // namespace

std::string foldForSearch(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    appendFolded(text, out);
    return out;
}

std::vector<std::string> searchWords(std::string_view text) {
    std::vector<std::string> words;
    std::string folded = foldForSearch(text);
    forEachWord(folded, [&](std::string_view w) { words.emplace_back(w); });
    return words;
}

bool withinOneEdit(std::string_view a, std::string_view b) {
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i])
        ++i;
    if (i == a.size()) return true; // equal, or b has one extra trailing byte
    if (a.size() < b.size()) return a.substr(i) == b.substr(i + 1);
    if (a.substr(i + 1) == b.substr(i + 1)) return true; // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}

// [SECTION] dates -----------------------------------------------------------------------------

namespace {

constexpr int kEveningMinute = 18 * 60;
constexpr int kWeekDays = 7;

std::string clockTime(int minute) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60 % 24, minute % 60);
    return buf;
}

} // namespace

// [SECTION] index layout ----------------------------------------------------------------------

namespace {

constexpr std::uint16_t kNone = 0xFFFF;
constexpr std::size_t kMaxWords = 8;        // a visitor types a few words; a paste must not cost more
constexpr std::size_t kMaxQueryBytes = 256; // an on-screen keyboard never gets near; a paste might
constexpr std::size_t kTypoMinLength = 4;   // "jradin" → "jardin"; shorter words have too many neighbours
constexpr std::size_t kPrefixTypoMinLength = 5; // "jradi" → "jardin" while still typing
constexpr std::size_t kLongTerm = 40;           // terms this long or longer share the last length bucket
constexpr double kEpsilon = 1e-9;

// Per-entry bits: the low ones never change, the high ones depend on today.
enum : std::uint32_t {
    kStepFree = 1u << 0,
    kNoPrerequisite = 1u << 1,
    kRegistrationOpen = 1u << 2,
    kRegular = 1u << 3,
    kShort = 1u << 4,
    kHalfDay = 1u << 5,
    kDay = 1u << 6,
    kSlotWeekend = 1u << 7,
    kSlotEvening = 1u << 8,
    kHasSlot = 1u << 9,
    kThisWeek = 1u << 16,
    kWeekend = 1u << 17,
    kEvening = 1u << 18,
    kPast = 1u << 19,
};

enum class Match : std::uint8_t { Exact, Prefix, Typo };

// Posting field bits follow SearchField order, so the lowest set bit is the best field.
constexpr std::uint8_t fieldBit(SearchField f) {
    return static_cast<std::uint8_t>(1u << static_cast<int>(f));
}
constexpr std::uint8_t kMiddleFields = fieldBit(SearchField::Organisation) |
                                       fieldBit(SearchField::Neighbourhood) | fieldBit(SearchField::Theme) |
                                       fieldBit(SearchField::Activity);

// Score of one query word by [match][field group: title, organisation/neighbourhood/theme/activity,
// description]. Exact beats prefix beats typo within a group; a title prefix beats any other exact match; a
// typo only beats a match of a weaker group and kind (a description exact match outranks a title typo).
constexpr std::uint8_t kScore[3][3] = {{12, 9, 7}, {10, 8, 5}, {6, 4, 2}};

int fieldGroup(std::uint8_t fields) {
    if (fields & fieldBit(SearchField::Title)) return 0;
    if (fields & kMiddleFields) return 1;
    return 2;
}

std::uint8_t score(Match m, std::uint8_t fields) {
    return kScore[static_cast<int>(m)][fieldGroup(fields)];
}

SearchField bestField(std::uint8_t fields) {
    for (int f = 0; f <= static_cast<int>(SearchField::Description); ++f)
        if (fields & (1u << f)) return static_cast<SearchField>(f);
    return SearchField::Description;
}

// Ignored in a query that has other words: "aider aux devoirs" should not need "aux" in the offer.
constexpr std::string_view kStopWords[] = {"a",    "au", "aux", "avec", "chez", "d",   "dans", "de", "des",
                                           "du",   "en", "et",  "l",    "la",   "le",  "les",  "ou", "par",
                                           "pour", "qu", "s",   "sur",  "un",   "une", "y"};

bool isStopWord(std::string_view w) {
    return std::find(std::begin(kStopWords), std::end(kStopWords), w) != std::end(kStopWords);
}

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using IdMap = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;

struct When {
    std::int32_t day = 0;
    std::int16_t minute = 0;
};

struct Slot {
    std::int16_t weekday = 1;
    std::int16_t minute = 0;
};

} // namespace

struct SearchIndex::Impl {
    // one entry per published offer, catalogue order
    std::vector<std::uint32_t> offerIndex;
    std::vector<std::string> ids;
    IdMap entryById;
    std::vector<std::uint16_t> theme, place;
    std::vector<std::uint32_t> staticBits;
    std::vector<float> sessionHours; // NaN when unknown (a long regular mission with no slot)
    std::vector<std::string> frequency;
    std::vector<std::uint32_t> titleRank;
    // entry e's dates are dates[dateBegin[e] .. dateBegin[e + 1]), sorted; its slots likewise
    std::vector<std::uint32_t> dateBegin;
    std::vector<When> dates;
    std::vector<std::int16_t> slotStart; // 7 per entry: earliest start minute per weekday, -1 for none
    std::vector<std::uint32_t> slotBegin;
    std::vector<Slot> slots;

    std::vector<std::string> themeIds, placeIds;
    IdMap themeById, placeById;
    std::vector<double> placeX, placeY;

    // the dictionary: sorted distinct words, each with its postings (entry, field bits), by entry
    std::string termText;
    std::vector<std::uint32_t> termOffset, termLength, postBegin;
    std::vector<std::uint32_t> postEntry;
    std::vector<std::uint8_t> postFields;
    // ASCII terms with a letter, by length, for the typo scan
    std::array<std::vector<std::uint32_t>, kLongTerm + 1> typoCandidates;

    // what depends on today, recomputed when it changes
    bool haveDay = false;
    std::int32_t cachedDay = 0;
    std::vector<std::uint32_t> bits;
    std::vector<std::int64_t> next; // minutes since 1970 of the next occurrence
    std::vector<std::uint32_t> soonRank, soonOrder;

    // per-keystroke scratch, sized once
    std::string queryText;
    std::array<std::string_view, kMaxWords> words{};
    std::size_t wordCount = 0;
    std::vector<std::uint8_t> pass, matched, best, themeAllowed, placeAllowed;
    std::vector<std::uint16_t> total;
    std::vector<std::uint32_t> touched, placeDistance;
    std::vector<std::uint64_t> keys;

    [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(offerIndex.size()); }
    [[nodiscard]] std::string_view term(std::uint32_t t) const {
        return std::string_view(termText).substr(termOffset[t], termLength[t]);
    }

    void build(const Catalogue& c);
    void ensureToday(std::string_view today);
    void parseQuery(std::string_view query);
    template <class Fn> void forEachMatch(std::string_view word, Fn&& fn) const;
    std::size_t preparePass(const SearchFilters& f);
    bool prepareDistances(const SearchSort& sort);
    void run(std::string_view query, const SearchFilters& f, const SearchSort& sort, std::string_view today,
             std::vector<SearchHit>& out);
    void sortAndEmit(const std::vector<std::uint32_t>& candidates, const SearchSort& sort, bool useDistance,
                     std::vector<SearchHit>& out);
    [[nodiscard]] std::vector<FitReason> why(std::uint32_t e, std::string_view query, const SearchFilters& f,
                                             const SearchSort& sort, std::string_view today);
};

// [SECTION] building --------------------------------------------------------------------------

namespace {

/// Assigns provisional ids to words while the index is built; sorted at the end.
class TermCollector {
  public:
    std::uint32_t id(std::string_view word) {
        auto it = m_ids.find(word);
        if (it != m_ids.end()) return it->second;
        auto id = static_cast<std::uint32_t>(m_ids.size());
        m_ids.emplace(std::string(word), id);
        return id;
    }
    /// Ids of the words of `text`, appended to `out`.
    void words(std::string_view text, std::vector<std::uint32_t>& out) {
        m_folded.clear();
        appendFolded(text, m_folded);
        forEachWord(m_folded, [&](std::string_view w) { out.push_back(id(w)); });
    }
    [[nodiscard]] const IdMap& ids() const { return m_ids; }

  private:
    IdMap m_ids;
    std::string m_folded;
};

struct RawPosting {
    std::uint32_t term;
    std::uint32_t entry;
    std::uint8_t fields;
};

float sessionHoursOf(const Offer& o) {
    // A regular offer of 10 h or more counts its total (as describeDuration says); one session is a slot.
    if (o.rhythm != Rhythm::Regular || o.durationHours < 10) return static_cast<float>(o.durationHours);
    for (const auto& s : o.slots) {
        const int a = minuteOfDay(s.start), b = minuteOfDay(s.end);
        if (a >= 0 && b > a) return static_cast<float>(b - a) / 60.0f;
    }
    return std::numeric_limits<float>::quiet_NaN();
}

std::uint32_t durationBits(float h) {
    if (std::isnan(h)) return 0;
    if (h <= 2 + kEpsilon) return kShort;
    if (h <= 4 + kEpsilon) return kHalfDay;
    return kDay;
}

} // namespace

void SearchIndex::Impl::build(const Catalogue& c) {
    TermCollector terms;
    for (std::uint32_t i = 0; i < c.themes.size(); ++i) {
        themeIds.push_back(c.themes[i].id);
        themeById.emplace(c.themes[i].id, i);
    }
    for (std::uint32_t i = 0; i < c.neighbourhoods.size(); ++i) {
        placeIds.push_back(c.neighbourhoods[i].id);
        placeById.emplace(c.neighbourhoods[i].id, i);
        placeX.push_back(c.neighbourhoods[i].x);
        placeY.push_back(c.neighbourhoods[i].y);
    }
    // Names shared by many offers are folded once.
    std::vector<std::vector<std::uint32_t>> themeWords(c.themes.size()), placeWords(c.neighbourhoods.size()),
        orgWords(c.organisations.size());
    std::vector<std::vector<std::vector<std::uint32_t>>> activityWords(c.themes.size());
    for (std::size_t i = 0; i < c.themes.size(); ++i) {
        terms.words(c.themes[i].name, themeWords[i]);
        for (const auto& a : c.themes[i].activities)
            terms.words(a.name, activityWords[i].emplace_back());
    }
    for (std::size_t i = 0; i < c.neighbourhoods.size(); ++i)
        terms.words(c.neighbourhoods[i].name, placeWords[i]);
    IdMap orgById;
    for (std::uint32_t i = 0; i < c.organisations.size(); ++i) {
        orgById.emplace(c.organisations[i].id, i);
        terms.words(c.organisations[i].name, orgWords[i]);
    }

    std::vector<RawPosting> raw;
    std::vector<std::pair<std::uint32_t, std::uint8_t>> own; // this offer's (term, field bits)
    std::vector<std::uint32_t> scratch;
    auto add = [&](const std::vector<std::uint32_t>& ws, SearchField f) {
        for (auto w : ws)
            own.emplace_back(w, fieldBit(f));
    };
    auto lookup = [](const IdMap& m, const std::string& id) {
        auto it = m.find(id);
        return it == m.end() ? kNone : static_cast<std::uint16_t>(it->second);
    };
    std::vector<std::string> foldedTitles;
    for (std::uint32_t oi = 0; oi < c.offers.size(); ++oi) {
        const Offer& o = c.offers[oi];
        if (o.status != OfferStatus::Published) continue;
        const auto e = static_cast<std::uint32_t>(offerIndex.size());
        offerIndex.push_back(oi);
        ids.push_back(o.id);
        entryById.emplace(o.id, e);
        const std::uint16_t th = lookup(themeById, o.themeId);
        theme.push_back(th);
        place.push_back(lookup(placeById, o.neighbourhoodId));

        own.clear();
        auto addText = [&](const std::string& text, SearchField f) {
            scratch.clear();
            terms.words(text, scratch);
            add(scratch, f);
        };
        addText(o.title, SearchField::Title);
        addText(o.description, SearchField::Description);
        // Translated texts too, whatever the display language: a visitor types the words they know.
        for (const auto& tr : o.translations) {
            addText(tr.title, SearchField::Title);
            addText(tr.description, SearchField::Description);
        }
        if (auto org = orgById.find(o.organisationId); org != orgById.end())
            add(orgWords[org->second], SearchField::Organisation);
        if (place.back() != kNone) add(placeWords[place.back()], SearchField::Neighbourhood);
        if (th != kNone) {
            add(themeWords[th], SearchField::Theme);
            const auto& acts = c.themes[th].activities;
            for (std::size_t a = 0; a < acts.size(); ++a)
                if (acts[a].id == o.activityId) add(activityWords[th][a], SearchField::Activity);
        }
        std::sort(own.begin(), own.end());
        for (std::size_t k = 0; k < own.size(); ++k) {
            if (k > 0 && own[k].first == own[k - 1].first)
                raw.back().fields |= own[k].second;
            else
                raw.push_back({own[k].first, e, own[k].second});
        }
        foldedTitles.push_back(foldForSearch(o.title));

        // when, how long, access
        std::uint32_t b = 0;
        if (o.stepFree) b |= kStepFree;
        if (o.prerequisites.empty()) b |= kNoPrerequisite;
        if (o.registrationOpen) b |= kRegistrationOpen;
        if (o.rhythm == Rhythm::Regular) b |= kRegular;
        sessionHours.push_back(sessionHoursOf(o));
        b |= durationBits(sessionHours.back());
        frequency.push_back(o.frequency);
        std::array<std::int16_t, kWeekDays> earliest;
        earliest.fill(-1);
        slotBegin.push_back(static_cast<std::uint32_t>(slots.size()));
        for (const auto& s : o.slots) {
            const int m = minuteOfDay(s.start);
            if (s.weekday < 1 || s.weekday > kWeekDays || m < 0) continue;
            auto& first = earliest[static_cast<std::size_t>(s.weekday - 1)];
            if (first < 0 || m < first) first = static_cast<std::int16_t>(m);
            slots.push_back({static_cast<std::int16_t>(s.weekday), static_cast<std::int16_t>(m)});
            b |= kHasSlot;
            if (s.weekday >= 6) b |= kSlotWeekend;
            if (m >= kEveningMinute) b |= kSlotEvening;
        }
        slotStart.insert(slotStart.end(), earliest.begin(), earliest.end());
        staticBits.push_back(b);
        dateBegin.push_back(static_cast<std::uint32_t>(dates.size()));
        for (const auto& d : o.dates) {
            auto day = dayNumber(d.start);
            const int m = d.start.size() >= 16 ? minuteOfDay(std::string_view(d.start).substr(11, 5)) : -1;
            if (day) dates.push_back({*day, static_cast<std::int16_t>(std::max(m, 0))});
        }
        std::sort(dates.begin() + dateBegin.back(), dates.end(), [](const When& x, const When& y) {
            return x.day != y.day ? x.day < y.day : x.minute < y.minute;
        });
    }
    dateBegin.push_back(static_cast<std::uint32_t>(dates.size()));
    slotBegin.push_back(static_cast<std::uint32_t>(slots.size()));

    // Sort the dictionary so that a prefix is one contiguous range.
    const auto termTotal = static_cast<std::uint32_t>(terms.ids().size());
    std::vector<std::pair<std::string_view, std::uint32_t>> sorted;
    sorted.reserve(termTotal);
    for (const auto& [word, id] : terms.ids())
        sorted.emplace_back(word, id);
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::uint32_t> rank(termTotal);
    postBegin.assign(termTotal + 1, 0);
    for (std::uint32_t t = 0; t < termTotal; ++t) {
        rank[sorted[t].second] = t;
        const std::string_view w = sorted[t].first;
        termOffset.push_back(static_cast<std::uint32_t>(termText.size()));
        termLength.push_back(static_cast<std::uint32_t>(w.size()));
        termText.append(w);
        const bool ascii =
            std::all_of(w.begin(), w.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
        const bool letter = std::any_of(w.begin(), w.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
        if (ascii && letter) typoCandidates[std::min(w.size(), kLongTerm)].push_back(t);
    }
    // Counting sort by term keeps each posting list in entry order.
    for (const auto& p : raw)
        ++postBegin[rank[p.term] + 1];
    for (std::uint32_t t = 0; t < termTotal; ++t)
        postBegin[t + 1] += postBegin[t];
    postEntry.resize(raw.size());
    postFields.resize(raw.size());
    std::vector<std::uint32_t> fill(postBegin.begin(), postBegin.end() - 1);
    for (const auto& p : raw) {
        const std::uint32_t at = fill[rank[p.term]]++;
        postEntry[at] = p.entry;
        postFields[at] = p.fields;
    }

    const std::uint32_t n = size();
    std::vector<std::uint32_t> byTitle(n);
    for (std::uint32_t e = 0; e < n; ++e)
        byTitle[e] = e;
    std::sort(byTitle.begin(), byTitle.end(), [&](std::uint32_t a, std::uint32_t b) {
        return foldedTitles[a] != foldedTitles[b] ? foldedTitles[a] < foldedTitles[b] : ids[a] < ids[b];
    });
    titleRank.resize(n);
    for (std::uint32_t r = 0; r < n; ++r)
        titleRank[byTitle[r]] = r;

    pass.assign(n, 0);
    matched.assign(n, 0);
    best.assign(n, 0);
    total.assign(n, 0);
    touched.reserve(n);
    keys.reserve(n);
    bits = staticBits;
    next.assign(n, 0);
    soonRank.assign(n, 0);
    soonOrder.assign(n, 0);
    themeAllowed.assign(themeIds.size(), 0);
    placeAllowed.assign(placeIds.size(), 0);
    placeDistance.assign(placeIds.size(), 0);
    queryText.reserve(kMaxQueryBytes * 3);
}

// [SECTION] today cache -----------------------------------------------------------------------

void SearchIndex::Impl::ensureToday(std::string_view today) {
    const std::int32_t day = dayNumber(today).value_or(0);
    if (haveDay && day == cachedDay) return;
    haveDay = true;
    cachedDay = day;
    constexpr std::int64_t kNoDate = std::numeric_limits<std::int64_t>::max() - 1; // to be agreed
    constexpr std::int64_t kOver = std::numeric_limits<std::int64_t>::max();       // every date has passed
    const int todayWeekday = weekdayOf(day);
    const std::uint32_t n = size();
    for (std::uint32_t e = 0; e < n; ++e) {
        std::uint32_t b = staticBits[e];
        std::int64_t soonest = kNoDate;
        if (b & kHasSlot) {
            b |= kThisWeek;
            if (b & kSlotWeekend) b |= kWeekend;
            if (b & kSlotEvening) b |= kEvening;
            for (int d = 0; d < kWeekDays; ++d) {
                const int start =
                    slotStart[e * kWeekDays + static_cast<std::uint32_t>((todayWeekday - 1 + d) % kWeekDays)];
                if (start >= 0) {
                    soonest = (static_cast<std::int64_t>(day) + d) * 1440 + start;
                    break;
                }
            }
        }
        bool upcoming = false;
        for (std::uint32_t k = dateBegin[e]; k < dateBegin[e + 1]; ++k) {
            const When& w = dates[k];
            if (w.day < day) continue;
            upcoming = true;
            soonest = std::min(soonest, static_cast<std::int64_t>(w.day) * 1440 + w.minute);
            if (w.day < day + kWeekDays) b |= kThisWeek;
            if (weekdayOf(w.day) >= 6) b |= kWeekend;
            if (w.minute >= kEveningMinute) b |= kEvening;
        }
        if (!upcoming && !(b & kHasSlot) && dateBegin[e + 1] > dateBegin[e]) {
            b |= kPast;
            soonest = kOver;
        }
        bits[e] = b;
        next[e] = soonest;
        soonOrder[e] = e;
    }
    std::sort(soonOrder.begin(), soonOrder.end(), [&](std::uint32_t a, std::uint32_t b) {
        return next[a] != next[b] ? next[a] < next[b] : titleRank[a] < titleRank[b];
    });
    for (std::uint32_t r = 0; r < n; ++r)
        soonRank[soonOrder[r]] = r;
}

// [SECTION] matching --------------------------------------------------------------------------

void SearchIndex::Impl::parseQuery(std::string_view query) {
    queryText.clear();
    appendFolded(query.substr(0, kMaxQueryBytes), queryText);
    std::array<std::string_view, kMaxWords> stops{};
    std::size_t stopCount = 0;
    wordCount = 0;
    forEachWord(queryText, [&](std::string_view w) {
        if (isStopWord(w)) {
            if (stopCount < kMaxWords) stops[stopCount++] = w;
        } else if (wordCount < kMaxWords) {
            words[wordCount++] = w;
        }
    });
    if (wordCount == 0) { // "le", "a": the visitor is probably starting a longer word
        words = stops;
        wordCount = stopCount;
    }
}

template <class Fn> void SearchIndex::Impl::forEachMatch(std::string_view word, Fn&& fn) const {
    const auto termTotal = static_cast<std::uint32_t>(termLength.size());
    std::uint32_t lo = 0, hi = termTotal;
    while (lo < hi) { // first term not below `word`
        const std::uint32_t mid = lo + (hi - lo) / 2;
        if (term(mid) < word)
            lo = mid + 1;
        else
            hi = mid;
    }
    std::uint32_t end = lo;
    for (; end < termTotal && term(end).starts_with(word); ++end)
        fn(end, termLength[end] == word.size() ? Match::Exact : Match::Prefix);

    const std::size_t len = word.size();
    const bool typoAllowed = len >= kTypoMinLength && std::all_of(word.begin(), word.end(), [](char ch) {
                                 return ch >= 'a' && ch <= 'z';
                             });
    if (!typoAllowed) return;
    const std::size_t longest = len >= kPrefixTypoMinLength ? kLongTerm : std::min(len + 1, kLongTerm);
    for (std::size_t bucket = len - 1; bucket <= longest; ++bucket) {
        for (std::uint32_t t : typoCandidates[bucket]) {
            if (t >= lo && t < end) continue; // already an exact or prefix match
            const std::string_view candidate = term(t);
            if (candidate.size() + 1 >= len && candidate.size() <= len + 1 &&
                withinOneEdit(word, candidate)) {
                fn(t, Match::Typo);
                continue;
            }
            if (len < kPrefixTypoMinLength) continue;
            for (std::size_t k = len - 1; k <= len + 1 && k < candidate.size(); ++k) {
                if (withinOneEdit(word, candidate.substr(0, k))) {
                    fn(t, Match::Typo);
                    break;
                }
            }
        }
    }
}

// [SECTION] searching -------------------------------------------------------------------------

std::size_t SearchIndex::Impl::preparePass(const SearchFilters& f) {
    std::uint32_t need = 0;
    const std::uint32_t forbid = f.includePast ? 0u : static_cast<std::uint32_t>(kPast);
    if (f.stepFree) need |= kStepFree;
    if (f.noPrerequisite) need |= kNoPrerequisite;
    if (f.registrationOpen) need |= kRegistrationOpen;
    // Indexed by the enums' values, in declaration order.
    constexpr std::uint32_t kMomentBits[] = {0, kThisWeek, kWeekend, kEvening};
    constexpr std::uint32_t kDurationBits[] = {0, kShort, kHalfDay, kDay, kRegular};
    need |= kMomentBits[static_cast<int>(f.moment)] | kDurationBits[static_cast<int>(f.duration)];
    auto allow = [](const std::set<std::string>& chosen, const IdMap& byId,
                    std::vector<std::uint8_t>& allowed) {
        std::fill(allowed.begin(), allowed.end(), 0);
        for (const auto& id : chosen)
            if (auto it = byId.find(id); it != byId.end()) allowed[it->second] = 1;
    };
    const bool byTheme = !f.themes.empty(), byPlace = !f.neighbourhoods.empty();
    if (byTheme) allow(f.themes, themeById, themeAllowed);
    if (byPlace) allow(f.neighbourhoods, placeById, placeAllowed);
    std::size_t count = 0;
    const std::uint32_t n = size();
    for (std::uint32_t e = 0; e < n; ++e) {
        bool ok = (bits[e] & need) == need && !(bits[e] & forbid);
        if (ok && byTheme) ok = theme[e] != kNone && themeAllowed[theme[e]];
        if (ok && byPlace) ok = place[e] != kNone && placeAllowed[place[e]];
        pass[e] = ok;
        count += ok;
    }
    return count;
}

bool SearchIndex::Impl::prepareDistances(const SearchSort& sort) {
    if (sort.order != SortOrder::Nearest) return false;
    auto it = placeById.find(sort.nearNeighbourhood);
    if (it == placeById.end()) return false;
    for (std::size_t p = 0; p < placeIds.size(); ++p) {
        const double km = std::hypot(placeX[p] - placeX[it->second], placeY[p] - placeY[it->second]);
        placeDistance[p] = static_cast<std::uint32_t>(std::min(km * 1000.0, 4e9)); // metres
    }
    return true;
}

void SearchIndex::Impl::sortAndEmit(const std::vector<std::uint32_t>& candidates, const SearchSort& sort,
                                    bool useDistance, std::vector<SearchHit>& out) {
    // One 64-bit key per hit: the primary criterion above, the soonest-then-title rank below.
    keys.clear();
    for (std::uint32_t e : candidates) {
        std::uint64_t primary = 0;
        if (useDistance)
            primary = place[e] == kNone ? 0xFFFFFFFFu : placeDistance[place[e]];
        else if (sort.order == SortOrder::Relevance)
            primary = 0xFFFFu - total[e];
        keys.push_back(primary << 32 | soonRank[e]);
    }
    std::sort(keys.begin(), keys.end());
    for (std::uint64_t k : keys) {
        const std::uint32_t e = soonOrder[static_cast<std::uint32_t>(k)];
        out.push_back({e, offerIndex[e], total[e]});
    }
}

void SearchIndex::Impl::run(std::string_view query, const SearchFilters& f, const SearchSort& sort,
                            std::string_view today, std::vector<SearchHit>& out) {
    out.clear();
    ensureToday(today);
    const std::size_t passing = preparePass(f);
    const bool useDistance = prepareDistances(sort);
    parseQuery(query);
    if (passing == 0) return;
    const std::uint32_t n = size();

    if (wordCount == 0) {
        std::fill(total.begin(), total.end(), 0);
        if (!useDistance) { // the cached soonest order already is the answer
            for (std::uint32_t e : soonOrder)
                if (pass[e]) out.push_back({e, offerIndex[e], 0});
            return;
        }
        touched.clear();
        for (std::uint32_t e = 0; e < n; ++e)
            if (pass[e]) touched.push_back(e);
        sortAndEmit(touched, sort, true, out);
        return;
    }

    // Every word must match (AND): an entry survives word i only if it matched words 0 … i-1.
    std::fill(matched.begin(), matched.end(), 0);
    std::fill(total.begin(), total.end(), 0);
    for (std::size_t i = 0; i < wordCount; ++i) {
        touched.clear();
        forEachMatch(words[i], [&](std::uint32_t t, Match m) {
            for (std::uint32_t p = postBegin[t]; p < postBegin[t + 1]; ++p) {
                const std::uint32_t e = postEntry[p];
                if (!pass[e] || matched[e] != i) continue;
                const std::uint8_t s = score(m, postFields[p]);
                if (best[e] == 0) touched.push_back(e);
                best[e] = std::max(best[e], s);
            }
        });
        for (std::uint32_t e : touched) {
            matched[e] = static_cast<std::uint8_t>(i + 1);
            total[e] = static_cast<std::uint16_t>(total[e] + best[e]);
            best[e] = 0;
        }
        if (touched.empty()) return;
    }
    if (sort.order == SortOrder::Soonest || (sort.order == SortOrder::Nearest && !useDistance)) {
        // Walking the cached order beats sorting once most entries match ("a", "e").
        if (touched.size() * 8 > n) {
            for (std::uint32_t e : soonOrder)
                if (matched[e] == wordCount) out.push_back({e, offerIndex[e], total[e]});
            return;
        }
    }
    sortAndEmit(touched, sort, useDistance, out);
}

// [SECTION] why it fits -----------------------------------------------------------------------

std::vector<FitReason> SearchIndex::Impl::why(std::uint32_t e, std::string_view query, const SearchFilters& f,
                                              const SearchSort& sort, std::string_view today) {
    std::vector<FitReason> reasons;
    if (e >= size()) return reasons;
    ensureToday(today);
    parseQuery(query);
    for (std::size_t i = 0; i < wordCount; ++i) {
        std::uint8_t bestScore = 0;
        FitReason r{FitKind::Word, {}, 0, 0, SearchField::Title};
        forEachMatch(words[i], [&](std::uint32_t t, Match m) {
            auto first = postEntry.begin() + postBegin[t], last = postEntry.begin() + postBegin[t + 1];
            auto it = std::lower_bound(first, last, e);
            if (it == last || *it != e) return;
            const std::uint8_t fields = postFields[static_cast<std::size_t>(it - postEntry.begin())];
            if (score(m, fields) <= bestScore) return;
            bestScore = score(m, fields);
            r.value = std::string(term(t));
            r.field = bestField(fields);
        });
        if (bestScore > 0) reasons.push_back(std::move(r));
    }
    if (!f.themes.empty() && theme[e] != kNone && f.themes.count(themeIds[theme[e]]))
        reasons.push_back({FitKind::Theme, themeIds[theme[e]], 0, 0, SearchField::Theme});
    if (!f.neighbourhoods.empty() && place[e] != kNone && f.neighbourhoods.count(placeIds[place[e]]))
        reasons.push_back({FitKind::Neighbourhood, placeIds[place[e]], 0, 0, SearchField::Neighbourhood});

    const std::uint32_t b = bits[e];
    auto moment = [&](FitKind kind, auto&& dateFits, auto&& slotFits) {
        for (std::uint32_t k = dateBegin[e]; k < dateBegin[e + 1]; ++k) {
            const When& w = dates[k];
            if (w.day >= cachedDay && dateFits(w)) {
                reasons.push_back({kind, kind == FitKind::Evening ? clockTime(w.minute) : isoDate(w.day),
                                   weekdayOf(w.day), 0, SearchField::Title});
                return;
            }
        }
        const Slot* chosen = nullptr; // the next occurrence from today among the slots that fit
        int chosenAt = 0;
        for (std::uint32_t k = slotBegin[e]; k < slotBegin[e + 1]; ++k) {
            const Slot& s = slots[k];
            const int at = (s.weekday - weekdayOf(cachedDay) + kWeekDays) % kWeekDays * 1440 + s.minute;
            if (slotFits(s.weekday, s.minute) && (!chosen || at < chosenAt)) {
                chosen = &s;
                chosenAt = at;
            }
        }
        if (chosen)
            reasons.push_back({kind, kind == FitKind::Evening ? clockTime(chosen->minute) : std::string(),
                               chosen->weekday, 0, SearchField::Title});
    };
    if (f.moment == MomentFilter::ThisWeek && (b & kThisWeek))
        moment(
            FitKind::ThisWeek, [&](const When& w) { return w.day < cachedDay + kWeekDays; },
            [](int, int) { return true; });
    if (f.moment == MomentFilter::Weekend && (b & kWeekend))
        moment(
            FitKind::Weekend, [](const When& w) { return weekdayOf(w.day) >= 6; },
            [](int wd, int) { return wd >= 6; });
    if (f.moment == MomentFilter::Evening && (b & kEvening))
        moment(
            FitKind::Evening, [](const When& w) { return w.minute >= kEveningMinute; },
            [](int, int start) { return start >= kEveningMinute; });
    const bool durationFits = (f.duration == DurationFilter::Short && (b & kShort)) ||
                              (f.duration == DurationFilter::HalfDay && (b & kHalfDay)) ||
                              (f.duration == DurationFilter::Day && (b & kDay));
    if (durationFits) reasons.push_back({FitKind::Duration, {}, 0, sessionHours[e], SearchField::Title});
    if (f.duration == DurationFilter::Regular && (b & kRegular))
        reasons.push_back({FitKind::Regular, frequency[e], 0, 0, SearchField::Title});
    if (f.stepFree && (b & kStepFree)) reasons.push_back({FitKind::StepFree, {}, 0, 0, SearchField::Title});
    if (f.noPrerequisite && (b & kNoPrerequisite))
        reasons.push_back({FitKind::NoPrerequisite, {}, 0, 0, SearchField::Title});
    if (f.registrationOpen && (b & kRegistrationOpen))
        reasons.push_back({FitKind::RegistrationOpen, {}, 0, 0, SearchField::Title});
    if (prepareDistances(sort) && place[e] != kNone)
        reasons.push_back({FitKind::Near, placeIds[place[e]], 0, placeDistance[place[e]] / 1000.0,
                           SearchField::Neighbourhood});
    return reasons;
}

// ---------------------------------------------------------------------------------------------

SearchIndex::SearchIndex() : SearchIndex(Catalogue{}) {}

SearchIndex::SearchIndex(const Catalogue& catalogue) : m_impl(std::make_unique<Impl>()) {
    m_impl->build(catalogue);
}

SearchIndex::~SearchIndex() = default;
SearchIndex::SearchIndex(SearchIndex&&) noexcept = default;
SearchIndex& SearchIndex::operator=(SearchIndex&&) noexcept = default;

std::vector<SearchHit> SearchIndex::search(std::string_view query, const SearchFilters& filters,
                                           const SearchSort& sort, std::string_view today) const {
    std::vector<SearchHit> out;
    search(query, filters, sort, today, out);
    return out;
}

void SearchIndex::search(std::string_view query, const SearchFilters& filters, const SearchSort& sort,
                         std::string_view today, std::vector<SearchHit>& out) const {
    out.clear();
    if (m_impl) m_impl->run(query, filters, sort, today, out);
}

std::vector<FitReason> SearchIndex::whyItFits(std::uint32_t entry, std::string_view query,
                                              const SearchFilters& filters, const SearchSort& sort,
                                              std::string_view today) const {
    return m_impl ? m_impl->why(entry, query, filters, sort, today) : std::vector<FitReason>{};
}

std::vector<std::uint32_t> SearchIndex::openOffersPerTheme(std::string_view today) const {
    if (!m_impl) return {};
    Impl& d = *m_impl;
    d.ensureToday(today);
    std::vector<std::uint32_t> counts(d.themeIds.size(), 0);
    for (std::uint32_t e = 0; e < d.size(); ++e)
        if (d.theme[e] != kNone && (d.bits[e] & kRegistrationOpen) && !(d.bits[e] & kPast))
            ++counts[d.theme[e]];
    return counts;
}

std::uint32_t SearchIndex::size() const {
    return m_impl ? m_impl->size() : 0;
}

std::uint32_t SearchIndex::offerIndex(std::uint32_t entry) const {
    return m_impl->offerIndex.at(entry);
}

const std::string& SearchIndex::offerId(std::uint32_t entry) const {
    return m_impl->ids.at(entry);
}

std::optional<std::uint32_t> SearchIndex::entryOf(std::string_view offerId) const {
    if (!m_impl) return std::nullopt;
    auto it = m_impl->entryById.find(offerId);
    if (it == m_impl->entryById.end()) return std::nullopt;
    return it->second;
}

std::size_t SearchIndex::wordCount() const {
    return m_impl ? m_impl->termLength.size() : 0;
}

} // namespace comptoir
