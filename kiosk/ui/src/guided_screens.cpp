// "Je ne sais pas quoi choisir": four questions with picture answers, one per screen, then
// ranked suggestions, each with why it fits. The matching itself is domain code (guided.cpp);
// the app computes GuidedResult when the results screen shows.
//
// [SECTION] picture answers
// [SECTION] the four questions
// [SECTION] suggestions
// [SECTION] dispatch

#include "comptoir/domain/when.hpp"
#include "comptoir/ui/bidi.hpp"
#include "comptoir/ui/pictogram.hpp"
#include "screen_parts.hpp"

#include <algorithm>
#include <functional>

namespace comptoir::ui::parts {

namespace {

constexpr int kQuestions = 4;

// [SECTION] picture answers ------------------------------------------------------------------

struct Answer {
    const char* key;       ///< translation key of the label
    const char* pictogram; ///< pictogram.cpp key
    ImU32 colour;          ///< the disc behind it: warm, distinct, never the only cue
};

/// A big tile: a coloured disc with its pictogram, the label under it, a tick when chosen.
bool pictureAnswer(ScreenContext& c, const Answer& a, ImVec2 at, ImVec2 size, bool selected) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    const std::string label = c.s.get(a.key);
    ImGui::SetCursorPos(at);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(a.key);
    bool pressed = touchTarget(c.reg, "##answer", size);
    bool held = ImGui::IsItemActive();
    ImGui::PopID();
    ImVec2 max(pos.x + size.x, pos.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    tileFrame(c, pos, max, selected, held);
    ImFont* f = L.fonts.bold;
    const float wrap = size.x - L.px(16);
    const ImVec2 ts = measureText(L.rtl, f, label, wrap);
    // The disc gives way to a label wrapped on several lines (answerRows makes room for both).
    const float r = std::max(
        L.px(12), std::min({size.x * 0.3f, (size.y - L.px(70)) * 0.42f, (size.y - L.px(36) - ts.y) * 0.5f}));
    ImVec2 centre(pos.x + size.x * 0.5f, pos.y + L.px(16) + r);
    dl->AddCircleFilled(centre, r, p.highContrast ? p.accent : a.colour, 48);
    drawPictogram(dl, a.pictogram, centre, r * 1.2f,
                  p.highContrast ? p.accentInk : IM_COL32(255, 255, 255, 255));
    (void)addText(dl, L.rtl, f, ImVec2(pos.x + (size.x - ts.x) * 0.5f, centre.y + r + L.px(10)), p.ink, label,
                  wrap);
    c.reg.record(label, pos, max);
    c.reg.recordText(label, ImVec2(pos.x + L.px(8), centre.y + r + L.px(10)), ImVec2(max.x - L.px(8), max.y),
                     wrappedInk(f, shown(L.rtl, label), wrap));
    say(c, label, pos, max);
    return pressed;
}

/// Answers in rows of at most `perRow` tiles, centred, from `top`, `tileH` tall (less when the
/// rows would not fit above the bottom bar, never under `minH`: then they scroll).
template <class Tapped>
void answerRows(VisitorState& st, ScreenContext& c, const std::vector<Answer>& answers, int perRow, float top,
                float tileH, float minH, const std::function<bool(std::size_t)>& selected, Tapped&& tapped) {
    const Look& L = c.look;
    const float gap = L.px(18);
    const float avail = ImGui::GetWindowWidth() - 2 * margin(c);
    std::vector<std::string> labels;
    for (const auto& a : answers)
        labels.push_back(c.s.get(a.key));
    perRow = columnsFor(avail, std::max(L.px(150), widestWord(L.fonts.bold, labels, L.rtl) + L.px(28)), gap,
                        perRow);
    const float tileW =
        std::min(L.px(230), (avail - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow));
    const std::size_t rows =
        (answers.size() + static_cast<std::size_t>(perRow) - 1) / static_cast<std::size_t>(perRow);
    const float room = ImGui::GetWindowHeight() - L.fx(104) - top - L.px(4);
    // A tile holds its whole label, however many lines it wraps to, under a disc of some size:
    // the rows grow (and scroll) rather than the label run out of its button.
    float labelH = 0;
    for (const auto& label : labels)
        labelH = std::max(labelH, measureText(L.rtl, L.fonts.bold, label, tileW - L.px(16)).y);
    minH = std::max(minH, L.px(16) + 2 * L.px(30) + L.px(10) + labelH + L.px(10));
    tileH = std::max(minH, std::min(tileH, room / static_cast<float>(rows) - gap));
    const bool scrolls = static_cast<float>(rows) * (tileH + gap) > room;
    bool tapAllowed = true;
    float y = top;
    if (scrolls) {
        ImGui::SetCursorPos(ImVec2(0, top));
        bool animating = false;
        tapAllowed = beginTouchScroll("answers", ImVec2(ImGui::GetWindowWidth(), room), st.guidedScroll, L,
                                      c.dt, animating);
        st.scrollVelocity = animating ? 1.0f : 0.0f;
        y = L.px(4);
    }
    for (std::size_t i = 0; i < answers.size(); i += static_cast<std::size_t>(perRow)) {
        const std::size_t n = std::min(answers.size() - i, static_cast<std::size_t>(perRow));
        const float rowW = static_cast<float>(n) * tileW + static_cast<float>(n - 1) * gap;
        float x = (ImGui::GetWindowWidth() - rowW) * 0.5f;
        for (std::size_t k = i; k < i + n; ++k, x += tileW + gap)
            if (pictureAnswer(c, answers[k], ImVec2(x, y), ImVec2(tileW, tileH), selected(k)) && tapAllowed)
                tapped(k);
        y += tileH + gap;
    }
    if (scrolls) {
        ImGui::SetCursorPos(ImVec2(0, y));
        ImGui::Dummy(ImVec2(1, 1));
        ImGui::EndChild();
    }
}

const Answer kAny{"guided.any", "any", discColour(Disc::Lilac)};

void toggle(std::uint8_t& bits, std::uint8_t bit) {
    bits = static_cast<std::uint8_t>(bits ^ bit);
}

/// "Retour" and, once something is chosen, "Continuer". Where no "Peu importe" tile stands
/// (the themes), the main button says "Peu importe" while nothing is chosen: an answer too.
void questionBottom(VisitorState& st, ScreenContext& c, bool anyChosen, Screen next, bool anyTile = true) {
    std::string primary = anyChosen ? c.s.get("button.continue")
                          : anyTile ? std::string()
                                    : c.s.get("guided.any");
    auto b = bottomBar(c, c.s.get("button.back"), primary, true,
                       anyChosen ? ButtonKind::Primary : ButtonKind::Secondary);
    if (b.back) st.back();
    if (b.primary) st.go(next);
}

// [SECTION] the four questions ---------------------------------------------------------------

void drawThemesQuestion(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    stepHeader(st, c, fx, c.s.get("guided.themes.question"), 1, kQuestions);
    ImGui::SetCursorPosX(margin(c));
    paragraph(c, L.fonts.body, c.s.get("guided.several"), ImGui::GetWindowWidth() - 2 * margin(c),
              L.palette.inkSoft);
    const float gap = L.px(18);
    const float w = ImGui::GetWindowWidth() - 2 * margin(c);
    std::vector<std::string> names;
    for (const auto& t : c.data.themes)
        names.push_back(t.name);
    names.push_back(c.s.plural("themes.count", 888));
    const int cols =
        columnsFor(w, std::max(L.px(150), widestWord(L.fonts.bold, names, L.rtl) + L.px(28)), gap, 5);
    const float tileW = (w - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    const float gridTop = ImGui::GetCursorPosY() + L.px(4);
    const float room = ImGui::GetWindowHeight() - L.fx(104) - gridTop - L.px(4);
    const std::size_t rows =
        (c.data.themes.size() + static_cast<std::size_t>(cols) - 1) / static_cast<std::size_t>(cols);
    // Tall enough for the longest name wrapped in the tile between the disc and the count
    // (themeTile: the name from 116 down to 34 above the bottom); larger text, taller tiles.
    float nameH = 0;
    for (const auto& t : c.data.themes)
        nameH = std::max(nameH, wrappedInk(L.fonts.bold, shown(L.rtl, t.name), tileW - L.px(16)).y);
    const float tileH = std::max(std::clamp((room - gap * static_cast<float>(rows)) /
                                                static_cast<float>(std::max<std::size_t>(rows, 1)),
                                            L.px(170), L.px(200)),
                                 L.px(116) + nameH + L.px(34));
    // Large text on a small screen: more rows than fit; the grid scrolls under the finger
    // rather than running under the bottom bar.
    const bool scrolls = static_cast<float>(rows) * (tileH + gap) > room;
    bool tapAllowed = true;
    float top = gridTop;
    if (scrolls) {
        ImGui::SetCursorPos(ImVec2(0, gridTop));
        bool animating = false;
        tapAllowed = beginTouchScroll("themes", ImVec2(ImGui::GetWindowWidth(), room), st.guidedScroll, L,
                                      c.dt, animating);
        st.scrollVelocity = animating ? 1.0f : 0.0f;
        top = L.px(4);
    }
    for (std::size_t i = 0; i < c.data.themes.size(); ++i) {
        const auto& t = c.data.themes[i];
        ImVec2 at(margin(c) + static_cast<float>(i % static_cast<std::size_t>(cols)) * (tileW + gap),
                  top + static_cast<float>(i / static_cast<std::size_t>(cols)) * (tileH + gap));
        const bool on = st.guided.themes.count(t.id) > 0;
        if (themeTile(c, t, at, ImVec2(tileW, tileH), on) && tapAllowed)
            on ? (void)st.guided.themes.erase(t.id) : (void)st.guided.themes.insert(t.id);
    }
    if (scrolls) {
        ImGui::Dummy(ImVec2(1, gap));
        ImGui::EndChild();
    }
    questionBottom(st, c, !st.guided.themes.empty(), Screen::GuidedWhen, false);
}

/// A question where several answers may be chosen, each toggling one bit of the answers; the
/// last answer is "Peu importe", which clears them and goes on.
struct Toggle {
    std::uint8_t* bits;
    std::uint8_t bit;
};
void multiChoiceQuestion(VisitorState& st, ScreenContext& c, Effect& fx, const char* questionKey, int step,
                         const std::vector<Answer>& answers, const std::vector<Toggle>& toggles,
                         Screen next) {
    const Look& L = c.look;
    stepHeader(st, c, fx, c.s.get(questionKey), step, kQuestions);
    ImGui::SetCursorPosX(margin(c));
    paragraph(c, L.fonts.body, c.s.get("guided.several"), ImGui::GetWindowWidth() - 2 * margin(c),
              L.palette.inkSoft);
    const float room = ImGui::GetWindowHeight() - L.fx(104) - ImGui::GetCursorPosY() - L.px(30);
    const float tileH = std::clamp(room * 0.5f, L.px(140), L.px(210));
    std::vector<Answer> all = answers;
    all.push_back(kAny);
    bool skip = false;
    answerRows(
        st, c, all, 3, ImGui::GetCursorPosY() + L.px(6), tileH, L.px(140),
        [&](std::size_t k) { return k < toggles.size() && (*toggles[k].bits & toggles[k].bit) != 0; },
        [&](std::size_t k) {
            k < toggles.size() ? toggle(*toggles[k].bits, toggles[k].bit) : (void)(skip = true);
        });
    bool anyChosen = false;
    for (const auto& t : toggles) {
        if (skip) *t.bits = 0;
        anyChosen = anyChosen || *t.bits != 0;
    }
    if (skip) {
        st.go(next);
        return;
    }
    questionBottom(st, c, anyChosen, next);
}

void drawWhenQuestion(VisitorState& st, ScreenContext& c, Effect& fx) {
    GuidedAnswers& g = st.guided;
    multiChoiceQuestion(st, c, fx, "guided.when.question", 2,
                        {{"guided.when.weekdays", "week", discColour(Disc::Orange)},
                         {"guided.when.weekend", "weekend", discColour(Disc::Rose)},
                         {"guided.when.morning", "sunrise", discColour(Disc::Sun)},
                         {"guided.when.afternoon", "sun", discColour(Disc::Amber)},
                         {"guided.when.evening", "moon", discColour(Disc::Dusk)}},
                        {{&g.days, guided::kWeekdays},
                         {&g.days, guided::kWeekend},
                         {&g.moments, guided::kMorning},
                         {&g.moments, guided::kAfternoon},
                         {&g.moments, guided::kEvening}},
                        Screen::GuidedHow);
}

void drawHowQuestion(VisitorState& st, ScreenContext& c, Effect& fx) {
    GuidedAnswers& g = st.guided;
    multiChoiceQuestion(st, c, fx, "guided.how.question", 3,
                        {{"guided.how.alone", "person", discColour(Disc::Orange)},
                         {"guided.how.together", "people", discColour(Disc::Rose)},
                         {"guided.how.outdoors", "tree", discColour(Disc::Leaf)},
                         {"guided.how.sitting", "chair", discColour(Disc::Lake)},
                         {"guided.how.children", "child", discColour(Disc::Sun)}},
                        {{&g.ways, guided::kAlone},
                         {&g.ways, guided::kTogether},
                         {&g.ways, guided::kOutdoors},
                         {&g.ways, guided::kSitting},
                         {&g.ways, guided::kWithChildren}},
                        Screen::GuidedOften);
}

void drawOftenQuestion(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    stepHeader(st, c, fx, c.s.get("guided.often.question"), 4, kQuestions);
    const float room = ImGui::GetWindowHeight() - L.fx(104) - ImGui::GetCursorPosY() - L.px(30);
    const float tileH = std::clamp(room, L.px(160), L.px(260));
    const std::vector<Answer> answers = {
        {"guided.often.once", "once", discColour(Disc::Orange)},
        {"guided.often.few", "few", discColour(Disc::Rose)},
        {"guided.often.regularly", "repeat", discColour(Disc::Leaf)},
        kAny,
    };
    const GuidedFrequency values[] = {GuidedFrequency::Once, GuidedFrequency::AFewTimes,
                                      GuidedFrequency::Regularly, GuidedFrequency::Any};
    // One answer only: tapping it is the answer.
    answerRows(
        st, c, answers, 4, ImGui::GetCursorPosY() + L.px(16), tileH, L.px(160),
        [](std::size_t) { return false; },
        [&](std::size_t k) {
            st.guided.frequency = values[k];
            st.guidedResult.reset();
            st.go(Screen::GuidedResults);
        });
    auto b = bottomBar(c, c.s.get("button.back"), std::string());
    if (b.back) st.back();
}

// [SECTION] suggestions ----------------------------------------------------------------------

/// "le samedi matin, à Monplaisir, en groupe": the answers this offer meets, in plain words.
std::string whyItFits(const GuidedSuggestion& s, const GuidedAnswers& a, const ScreenContext& c) {
    std::vector<std::string> parts;
    const Strings& t = c.s;
    if (s.weekday == 0) {
        parts.push_back(t.get("guided.why.agreed"));
    } else {
        const int m = s.moment == guided::kMorning ? 1 : s.moment == guided::kAfternoon ? 2 : 3;
        const std::string day = t.get("weekday." + std::to_string(s.weekday));
        if (s.date.empty())
            parts.push_back(
                t.format("guided.why.slot",
                         {{"weekday", day}, {"moment", t.get("guided.moment." + std::to_string(m))}}));
        else
            parts.push_back(
                t.format("guided.why.date", {{"weekday", day},
                                             {"date", frenchDate(s.date, t)},
                                             {"moment", t.get("guided.moment.long." + std::to_string(m))}}));
    }
    for (const auto& n : c.data.catalogue->neighbourhoods)
        if (n.id == s.neighbourhoodId) parts.push_back(t.format("guided.why.place", {{"place", n.name}}));
    const std::pair<std::uint8_t, const char*> ways[] = {{guided::kTogether, "guided.why.together"},
                                                         {guided::kAlone, "guided.why.alone"},
                                                         {guided::kOutdoors, "guided.why.outdoors"},
                                                         {guided::kSitting, "guided.why.sitting"},
                                                         {guided::kWithChildren, "guided.why.children"}};
    for (const auto& [bit, key] : ways)
        if (s.waysMatched & bit) parts.push_back(t.get(key));
    if (a.frequency != GuidedFrequency::Any && !(s.missed & kCriterionFrequency))
        parts.push_back(t.get(s.rhythm == GuidedFrequency::Regularly   ? "guided.why.regularly"
                              : s.rhythm == GuidedFrequency::AFewTimes ? "guided.why.few"
                                                                       : "guided.why.once"));
    return t.join(parts);
}

/// What was set aside to find something, said kindly: "Rien ne correspondait à tout : nous
/// n'avons pas tenu compte du moment choisi."
std::string widenedNote(std::uint8_t widened, const Strings& s) {
    std::vector<std::string> what;
    if (widened & kCriterionThemes) what.push_back(s.get("guided.widened.themes"));
    if (widened & kCriterionWhen) what.push_back(s.get("guided.widened.when"));
    if (widened & kCriterionHow) what.push_back(s.get("guided.widened.how"));
    if (widened & kCriterionFrequency) what.push_back(s.get("guided.widened.often"));
    std::string list;
    for (std::size_t i = 0; i < what.size(); ++i)
        list += (i == 0                 ? ""
                 : i + 1 == what.size() ? s.get("guided.widened.and")
                                        : s.get("list.separator")) +
                what[i];
    return s.format("guided.widened", {{"what", list}});
}

void drawResults(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, true);
    if (!st.guidedResult) return; // the app computes it before the next frame
    const GuidedResult& r = *st.guidedResult;
    const float w = ImGui::GetWindowWidth() - 2 * margin(c);
    if (r.nothingOpen) {
        title(c, c.s.get("guided.nothing.title"));
        ImGui::SetCursorPosX(margin(c));
        paragraph(c, L.fonts.body, c.s.get("guided.nothing.text"), w, p.ink);
        auto b = bottomBar(c, c.s.get("button.back"), c.s.get("welcome.later"));
        if (b.back) st.back();
        if (b.primary) {
            st.purpose = Purpose::Callback;
            st.offerId.clear(); // a call-back for no offer in particular
            st.go(Screen::FirstName);
        }
        return;
    }
    title(c, c.s.get("guided.results.title"));
    if (r.widened != 0) {
        ImGui::SetCursorPosX(margin(c));
        ImVec2 pos = ImGui::GetCursorScreenPos();
        std::string note = widenedNote(r.widened, c.s);
        ImFont* f = L.fonts.body;
        float h = f->CalcTextSizeA(f->FontSize, FLT_MAX, w - L.px(32), shown(L.rtl, note)).y + L.px(16);
        ImGui::GetWindowDrawList()->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), p.accentSoft, L.px(10));
        ImGui::SetCursorPosX(margin(c) + L.px(16));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + L.px(8));
        paragraph(c, f, note, w - L.px(32), p.ink);
        ImGui::Dummy(ImVec2(1, L.px(8)));
    }
    ImGui::Dummy(ImVec2(1, L.px(4)));
    // One row per suggestion, as many as fit above the bottom bar: few, clear, big.
    const float baseRowH = L.px(118), gap = L.px(12);
    float y = ImGui::GetCursorPosY();
    const float bottom = ImGui::GetWindowHeight() - L.fx(104);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string whyLabel = c.s.get("guided.why");
    const float whyLabelW =
        L.fonts.bold->CalcTextSizeA(L.fonts.body->FontSize, FLT_MAX, 0, shown(L.rtl, whyLabel)).x + L.px(8);
    // The reason wraps under itself rather than run past the row (large text, narrow screens).
    const float whyRoom = std::max(L.px(80), w - L.px(116) - whyLabelW - L.px(12));
    for (const auto& s : r.suggestions) {
        const std::string& id = c.data.catalogue->offers[s.offerIndex].id;
        const OfferCardVm* card = c.data.card(id);
        if (!card) continue;
        const std::string why = whyItFits(s, st.guided, c);
        const float whyH = measureText(L.rtl, L.fonts.body, why, whyRoom).y; // the lines addText draws
        const float rowH = std::max(baseRowH, L.px(12) + L.fonts.bold->FontSize + L.px(4) +
                                                  L.fonts.small->FontSize + L.px(10) + whyH + L.px(12));
        if (y + rowH > bottom) break;
        ImGui::SetCursorPos(ImVec2(margin(c), y));
        ImVec2 pos = ImGui::GetCursorScreenPos();
        ImGui::PushID(id.c_str());
        bool pressed = touchTarget(c.reg, "##suggestion", ImVec2(w, rowH));
        bool held = ImGui::IsItemActive();
        ImGui::PopID();
        ImVec2 max(pos.x + w, pos.y + rowH);
        if (!p.highContrast)
            dl->AddRectFilled(ImVec2(pos.x, pos.y + L.px(3)), ImVec2(max.x, max.y + L.px(3)), p.shadow,
                              L.px(18));
        dl->AddRectFilled(pos, max, p.surface, L.px(18));
        if (p.highContrast) dl->AddRect(pos, max, p.ink, L.px(18), 0, L.px(2));
        if (held) dl->AddRectFilled(pos, max, IM_COL32(0, 0, 0, 30), L.px(18));
        ImVec2 badge(pos.x + L.px(58), pos.y + rowH * 0.5f);
        dl->AddCircleFilled(badge, L.px(40), themeColour(card->themeId, p), 40);
        drawPictogram(dl, card->pictogram, badge, L.px(46),
                      p.highContrast ? p.accentInk : IM_COL32(255, 255, 255, 255));
        const float tx = pos.x + L.px(116);
        ImVec4 clip(pos.x, pos.y, max.x - L.px(12), max.y);
        (void)addText(dl, L.rtl, L.fonts.bold, ImVec2(tx, pos.y + L.px(12)), p.ink, card->title, 0, &clip);
        (void)addText(dl, L.rtl, L.fonts.small,
                      ImVec2(tx, pos.y + L.px(12) + L.fonts.bold->FontSize + L.px(4)), p.inkSoft,
                      card->organisation, 0, &clip);
        const float wy = max.y - whyH - L.px(12);
        (void)addText(dl, L.rtl, L.fonts.bold, ImVec2(tx, wy), p.accent, whyLabel, 0, &clip,
                      L.fonts.body->FontSize);
        (void)addText(dl, L.rtl, L.fonts.body, ImVec2(tx + whyLabelW, wy), p.ink, why, whyRoom, &clip);
        c.reg.record(card->title, pos, max);
        say(c, card->title + ". " + whyLabel + " " + why, pos, max);
        if (pressed) {
            st.offerId = id;
            st.detailScroll = OfferListState{};
            st.go(Screen::Detail);
        }
        y += rowH + gap;
    }
    auto b = bottomBar(c, c.s.get("button.back"), c.s.get("themes.all"), true, ButtonKind::Secondary);
    if (b.back) st.back();
    if (b.primary) {
        st.filters = Filters{};
        st.query.clear();
        st.resultsDirty = true;
        st.list.scrollToTop = true;
        st.go(Screen::Offers);
    }
}

} // namespace

// [SECTION] dispatch -------------------------------------------------------------------------

void drawGuided(VisitorState& st, ScreenContext& c, Effect& fx) {
    switch (st.screen) {
    case Screen::GuidedThemes:
        drawThemesQuestion(st, c, fx);
        break;
    case Screen::GuidedWhen:
        drawWhenQuestion(st, c, fx);
        break;
    case Screen::GuidedHow:
        drawHowQuestion(st, c, fx);
        break;
    case Screen::GuidedOften:
        drawOftenQuestion(st, c, fx);
        break;
    default:
        drawResults(st, c, fx);
        break;
    }
}

} // namespace comptoir::ui::parts
