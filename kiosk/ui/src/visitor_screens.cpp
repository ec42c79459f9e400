// The visitor journey, one draw function per screen.
//
// [SECTION] welcome, themes
// [SECTION] offers, filters, search
// [SECTION] offer detail
// [SECTION] contact steps, consent
// [SECTION] confirmation, feedback, goodbye
// [SECTION] idle prompt, dispatch

#include "comptoir/domain/contact.hpp"
#include "comptoir/domain/takeaway.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/domain/when.hpp"
#include "comptoir/ui/bidi.hpp"
#include "comptoir/ui/pictogram.hpp"
#include "comptoir/ui/qr_view.hpp"
#include "comptoir/ui/visitor.hpp"
#include "screen_parts.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace comptoir::ui {

using namespace parts; // the layout helpers every screen shares (screen_parts.hpp)

namespace {

// [SECTION] welcome, themes -------------------------------------------------

void drawWelcome(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, false);
    const float w = ImGui::GetWindowWidth();
    const bool tall = portrait(w, ImGui::GetWindowHeight());
    float top = ImGui::GetCursorPosY() + L.fx(30);
    // Landscape: the words on the left, a ring of theme pictograms on the right. Portrait: the
    // ring above, the words and buttons under it across the width. The ring shrinks to its room,
    // never over a word or a button.
    const float colW = tall ? w - 2 * margin(c) : w * 0.52f;
    const float ringR = L.fx(190), discR = L.fx(40);
    const float roomW = tall ? w - 2 * margin(c) : w - 2 * margin(c) - colW - L.fx(24);
    // In portrait the ring takes what the words and buttons leave (a taller header band, large
    // text), so that the last button stays on the screen.
    const float sp = ImGui::GetStyle().ItemSpacing.y;
    const float wordsH = measureText(L.rtl, L.fonts.title, c.s.get("welcome.title"), colW).y +
                         measureText(L.rtl, L.fonts.body, c.s.get("welcome.sentence"), colW).y + L.fx(16) +
                         L.fx(84) + 2 * L.fx(72) + 6 * sp;
    const float roomH = tall ? std::min(ImGui::GetWindowHeight() * 0.3f,
                                        ImGui::GetWindowHeight() - top - wordsH - L.fx(30) - L.fx(20))
                             : ImGui::GetWindowHeight() - top - L.fx(20);
    const float k = std::max(0.0f, std::min(1.0f, std::min(roomW, roomH) / (2 * (ringR + discR))));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 origin = ImGui::GetWindowPos();
    const float ringX = origin.x + (tall ? w * 0.5f : w - margin(c) - roomW * 0.5f);
    const float ringY = origin.y + top + (tall ? (ringR + discR) * k : std::min(L.fx(250), roomH * 0.5f));
    int n = static_cast<int>(c.data.themes.size());
    for (int i = 0; i < n; ++i) {
        float a = -1.5708f + 6.28318f * static_cast<float>(i) / static_cast<float>(std::max(n, 1));
        ImVec2 cpos(ringX + std::cos(a) * ringR * k, ringY + std::sin(a) * ringR * k);
        dl->AddCircleFilled(cpos, discR * k, themeColour(c.data.themes[static_cast<size_t>(i)].id, p), 40);
        drawPictogram(dl, c.data.themes[static_cast<size_t>(i)].pictogram, cpos, L.fx(46) * k,
                      p.highContrast ? p.accentInk : IM_COL32(255, 255, 255, 255));
    }
    dl->AddCircleFilled(ImVec2(ringX, ringY), L.fx(110) * k, p.accentSoft, 64);
    drawPictogram(dl, "hands", ImVec2(ringX, ringY), L.fx(130) * k, p.accent);
    if (tall) top += 2 * (ringR + discR) * k + L.fx(30);

    ImGui::SetCursorPos(ImVec2(margin(c), top));
    paragraph(c, L.fonts.title, c.s.get("welcome.title"), colW, p.ink);
    ImGui::SetCursorPosX(margin(c));
    paragraph(c, L.fonts.body, c.s.get("welcome.sentence"), colW, p.inkSoft);
    ImGui::Dummy(ImVec2(1, L.fx(16)));
    float bw = std::min(colW, L.px(620));
    ImGui::SetCursorPosX(margin(c));
    if (bigButton(L, c.reg, c.s.get("welcome.discover"), ImVec2(bw, L.fx(84)))) {
        // From the welcome screen, "discover" means everything: no filter left from before.
        st.filters = Filters{};
        st.query.clear();
        st.resultsDirty = true;
        st.list.scrollToTop = true;
        st.go(Screen::Offers);
    }
    sayLastItem(c, c.s.get("welcome.discover"));
    ImGui::SetCursorPosX(margin(c));
    if (bigButton(L, c.reg, c.s.get("welcome.unsure"), ImVec2(bw, L.fx(72)), ButtonKind::Secondary)) {
        st.guided = GuidedAnswers{};
        st.guidedResult.reset();
        st.go(Screen::GuidedThemes);
    }
    sayLastItem(c, c.s.get("welcome.unsure"));
    ImGui::SetCursorPosX(margin(c));
    if (bigButton(L, c.reg, c.s.get("welcome.later"), ImVec2(bw, L.fx(72)), ButtonKind::Secondary)) {
        st.purpose = Purpose::Callback;
        st.offerId.clear(); // a call-back for no offer in particular
        st.go(Screen::FirstName);
    }
    sayLastItem(c, c.s.get("welcome.later"));
}

} // namespace

void parts::tileFrame(const ScreenContext& c, ImVec2 pos, ImVec2 max, bool selected, bool held) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (!p.highContrast)
        dl->AddRectFilled(ImVec2(pos.x, pos.y + L.px(4)), ImVec2(max.x, max.y + L.px(4)), p.shadow, L.px(20));
    dl->AddRectFilled(pos, max, selected ? p.accentSoft : p.surface, L.px(20));
    if (p.highContrast || selected)
        dl->AddRect(pos, max, selected ? p.accent : p.ink, L.px(20), 0, L.px(selected ? 5 : 2));
    if (held) dl->AddRectFilled(pos, max, IM_COL32(0, 0, 0, 30), L.px(20));
    if (selected) {
        // a tick in a round badge, top right: chosen, whatever the colours
        ImVec2 b(max.x - L.px(28), pos.y + L.px(28));
        dl->AddCircleFilled(b, L.px(20), p.accent, 32);
        dl->AddLine(ImVec2(b.x - L.px(9), b.y), ImVec2(b.x - L.px(2), b.y + L.px(8)), p.accentInk, L.px(4));
        dl->AddLine(ImVec2(b.x - L.px(2), b.y + L.px(8)), ImVec2(b.x + L.px(10), b.y - L.px(8)), p.accentInk,
                    L.px(4));
    }
}

bool parts::themeTile(ScreenContext& c, const VisitorCatalogue::ThemeTile& t, ImVec2 at, ImVec2 size,
                      bool selected) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    const float tileW = size.x, tileH = size.y;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorPos(at);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(t.id.c_str());
    bool pressed = touchTarget(c.reg, "##tile", size);
    bool held = ImGui::IsItemActive();
    ImGui::PopID();
    ImVec2 max(pos.x + tileW, pos.y + tileH);
    ImU32 tc = themeColour(t.id, p);
    tileFrame(c, pos, max, selected, held);
    ImVec2 centre(pos.x + tileW * 0.5f, pos.y + L.px(62));
    dl->AddCircleFilled(centre, L.px(44), tc, 48);
    drawPictogram(dl, t.pictogram, centre, L.px(52),
                  p.highContrast ? p.accentInk : IM_COL32(255, 255, 255, 255));
    ImFont* f = L.fonts.bold;
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, tileW - L.px(16), shown(L.rtl, t.name));
    const ImVec2 nameInk = wrappedInk(f, shown(L.rtl, t.name), tileW - L.px(16));
    (void)addText(dl, L.rtl, f, ImVec2(pos.x + (tileW - ts.x) * 0.5f, pos.y + L.px(116)), p.ink, t.name,
                  tileW - L.px(16));
    std::string count = c.s.plural("themes.count", t.openOffers);
    ImFont* sf = L.fonts.small;
    ImVec2 cs = sf->CalcTextSizeA(sf->FontSize, FLT_MAX, 0, shown(L.rtl, count));
    ImVec2 countPos(pos.x + (tileW - cs.x) * 0.5f, max.y - L.px(34));
    (void)addText(dl, L.rtl, sf, countPos, p.inkSoft, count);
    c.reg.record(t.name, pos, max);
    // The name must clear the count below it: its room ends where the count begins.
    c.reg.recordText(t.name, ImVec2(pos.x + L.px(8), pos.y + L.px(116)), ImVec2(max.x - L.px(8), countPos.y),
                     nameInk);
    say(c, t.name, pos, max);
    return pressed;
}

namespace {

// [SECTION] offers, filters, search -----------------------------------------

enum class ButtonIcon { Cross, ArrowDown };

/// A pill with a drawn icon and a label ("× Tout effacer", "↓ Plus bas") at `pos` (window
/// coordinates); true when tapped. The icon is drawn, not a glyph: every font has it.
bool iconButton(ScreenContext& c, ButtonIcon icon, const std::string& label, ImVec2 pos, ImVec2 size) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    ImGui::SetCursorPos(pos);
    ImVec2 min = ImGui::GetCursorScreenPos();
    ImGui::PushID(label.c_str());
    bool pressed = ImGui::InvisibleButton("##icon", size);
    bool held = ImGui::IsItemActive();
    ImGui::PopID();
    ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, held ? p.accentSoft : p.surface, size.y * 0.5f);
    dl->AddRect(min, max, p.highContrast ? p.ink : p.outline, size.y * 0.5f, 0, L.px(2));
    ImVec2 centre(min.x + L.px(34), min.y + size.y * 0.5f);
    const float arm = L.px(10);
    if (icon == ButtonIcon::Cross) {
        dl->AddLine(ImVec2(centre.x - arm, centre.y - arm), ImVec2(centre.x + arm, centre.y + arm), p.ink,
                    L.px(4));
        dl->AddLine(ImVec2(centre.x - arm, centre.y + arm), ImVec2(centre.x + arm, centre.y - arm), p.ink,
                    L.px(4));
    } else {
        dl->AddLine(ImVec2(centre.x, centre.y - arm), ImVec2(centre.x, centre.y + arm), p.ink, L.px(4));
        dl->AddLine(ImVec2(centre.x - arm, centre.y + arm * 0.2f), ImVec2(centre.x, centre.y + arm), p.ink,
                    L.px(4));
        dl->AddLine(ImVec2(centre.x + arm, centre.y + arm * 0.2f), ImVec2(centre.x, centre.y + arm), p.ink,
                    L.px(4));
    }
    ImFont* f = L.fonts.bold;
    (void)addText(dl, L.rtl, f, ImVec2(min.x + L.px(58), min.y + (size.y - f->FontSize) * 0.5f), p.ink,
                  label);
    c.reg.record(label, min, max);
    return pressed;
}

/// Width of iconButton for `label`.
float iconButtonWidth(const ScreenContext& c, const std::string& label) {
    ImFont* f = c.look.fonts.bold;
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(c.look.rtl, label)).x + c.look.px(82);
}

void drawFilterPanel(VisitorState& st, ScreenContext& c) {
    const Look& L = c.look;
    const Catalogue& cat = *c.data.catalogue;
    Filters before = st.filters;
    auto section = [&](ChipFlow& flow, const std::string& label) {
        flow.newLine(L.px(6));
        ImGui::SetCursorPos(ImVec2(margin(c), flow.y));
        ImGui::PushFont(L.fonts.bold);
        textItem(c.look.rtl, label);
        ImGui::PopFont();
        flow.y += L.fonts.bold->FontSize + L.px(8);
    };
    // Nothing matches: the button says so and cannot be tapped (a list of nothing helps nobody).
    const std::string clearLabel = c.s.get("filters.clear");
    const std::string seeLabel = st.results.empty()
                                     ? c.s.get("filters.see_none")
                                     : c.s.plural("filters.see", static_cast<long long>(st.results.size()));
    // "Plus bas" stands in the bottom bar, between "Tout effacer" and "Voir les N offres", when it
    // fits there; else (large text, a narrow screen) on a row of its own above the bar, at the end.
    const std::string moreLabel = c.s.get("filters.more_below");
    const float moreW = iconButtonWidth(c, moreLabel), winW = ImGui::GetWindowWidth();
    const auto [barLeft, barRight] = bottomBarGap(c, clearLabel, seeLabel);
    const bool moreInBar = (winW - moreW) * 0.5f >= barLeft && (winW + moreW) * 0.5f <= barRight;
    const float moreRow = moreInBar ? 0.0f : L.fx(64) + L.fx(8);
    // The panel scrolls under the finger: all the choices rarely fit on one screen.
    float top = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(0, top));
    bool animating = false;
    bool tapAllowed =
        beginTouchScroll("filters", ImVec2(winW, ImGui::GetWindowHeight() - top - L.fx(104) - moreRow),
                         st.filtersScroll, L, c.dt, animating);
    st.scrollVelocity = animating ? 1.0f : 0.0f;
    ChipFlow flow(c, -L.px(66));
    flow.tapAllowed = tapAllowed;
    section(flow, c.s.get("filters.when"));
    auto toggle = [&](auto& value, auto option, const std::string& label) {
        if (flow.chip(label, value == option)) value = value == option ? decltype(option){} : option;
    };
    SearchFilters& f = st.filters.search;
    toggle(f.moment, MomentFilter::ThisWeek, c.s.get("filters.this_week"));
    toggle(f.moment, MomentFilter::Weekend, c.s.get("filters.weekend"));
    toggle(f.moment, MomentFilter::Evening, c.s.get("filters.evening"));
    toggle(f.duration, DurationFilter::Short, c.s.get("filters.short"));
    toggle(f.duration, DurationFilter::HalfDay, c.s.get("filters.half_day"));
    toggle(f.duration, DurationFilter::Day, c.s.get("filters.day"));
    toggle(f.duration, DurationFilter::Regular, c.s.get("filters.regular"));
    // Access and places are not a moment: a section of their own, never under "Quand".
    section(flow, c.s.get("filters.practical"));
    if (flow.chip(c.s.get("offer.badge.step_free"), f.stepFree)) f.stepFree = !f.stepFree;
    if (flow.chip(c.s.get("offer.badge.no_prerequisite"), f.noPrerequisite))
        f.noPrerequisite = !f.noPrerequisite;
    if (flow.chip(c.s.get("filters.open_only"), f.registrationOpen)) f.registrationOpen = !f.registrationOpen;
    section(flow, c.s.get("filters.theme"));
    for (const auto& t : cat.themes) {
        bool on = f.themes.count(t.id) > 0;
        if (flow.chip(t.name, on)) on ? (void)f.themes.erase(t.id) : (void)f.themes.insert(t.id);
    }
    section(flow, c.s.get("filters.neighbourhood"));
    for (const auto& n : cat.neighbourhoods) {
        bool on = f.neighbourhoods.count(n.id) > 0;
        if (flow.chip(n.name, on))
            on ? (void)f.neighbourhoods.erase(n.id) : (void)f.neighbourhoods.insert(n.id);
    }
    section(flow, c.s.get("filters.sort"));
    SearchSort& sort = st.filters.sort;
    if (flow.chip(c.s.get("filters.soonest"), sort.order != SortOrder::Nearest)) sort = SearchSort{};
    for (const auto& n : cat.neighbourhoods) {
        bool on = sort.order == SortOrder::Nearest && sort.nearNeighbourhood == n.id;
        if (flow.chip(c.s.format("filters.near", {{"place", n.name}}), on))
            sort = SearchSort{SortOrder::Nearest, n.id};
    }
    ImGui::SetCursorPos(ImVec2(0, flow.bottom() + L.px(16)));
    // More below: the bottom of the panel fades out, and "Plus bas" says so.
    float panelH = 0;
    const bool more = endScreenScroll(c, &panelH);
    if (more) {
        const ImVec2 at =
            moreInBar ? ImVec2((winW - moreW) * 0.5f, ImGui::GetWindowHeight() - L.fx(88))
                      : ImVec2(winW - margin(c) - moreW, ImGui::GetWindowHeight() - L.fx(104) - L.fx(64));
        if (iconButton(c, ButtonIcon::ArrowDown, moreLabel, at, ImVec2(moreW, L.fx(64))))
            st.filtersScroll.scrollBy = panelH * 0.75f;
    }
    if (!(before == st.filters)) {
        st.resultsDirty = true;
        st.list.scrollToTop = true;
    }
    auto b = bottomBar(c, clearLabel, seeLabel, !st.results.empty());
    if (b.back) {
        st.filters = Filters{};
        st.resultsDirty = true;
    }
    if (b.primary) st.filtersOpen = false;
}

std::string activeFilterSummary(const VisitorState& st, const ScreenContext& c) {
    const SearchFilters& f = st.filters.search;
    int n = static_cast<int>(f.themes.size() + f.neighbourhoods.size()) + (f.moment != MomentFilter::Any) +
            (f.duration != DurationFilter::Any) + f.stepFree + f.noPrerequisite + f.registrationOpen +
            (st.filters.sort.order == SortOrder::Nearest);
    return n == 0 ? c.s.get("filters.open") : c.s.format("filters.open_n", {{"n", std::to_string(n)}});
}

void drawOffers(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, true);
    if (st.filtersOpen) {
        title(c, c.s.get("filters.title"));
        drawFilterPanel(st, c);
        return;
    }
    float top = ImGui::GetCursorPosY();
    float w = ImGui::GetWindowWidth() - 2 * margin(c);
    // search box (opens the search screen) and the filters button, on one line when both fit,
    // else (portrait, large text) one under the other
    const std::string filtersLabel = activeFilterSummary(st, c);
    const float filtersW =
        L.fonts.bold->CalcTextSizeA(L.fonts.bold->FontSize, FLT_MAX, 0, shown(L.rtl, filtersLabel)).x +
        L.px(48);
    const bool oneLine = w * 0.55f + L.px(16) + filtersW <= w;
    float searchW = oneLine ? w * 0.55f : w;
    ImGui::SetCursorPos(ImVec2(margin(c), top));
    ImVec2 spos = ImGui::GetCursorScreenPos();
    std::string searchLabel = st.query.empty() ? c.s.get("search.placeholder") : st.query;
    if (touchTarget(c.reg, "##search", ImVec2(searchW, L.px(64)))) {
        // A new search starts empty: the last words are not kept to be typed after.
        st.query.clear();
        st.resultsDirty = true;
        st.go(Screen::Search);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(spos, ImVec2(spos.x + searchW, spos.y + L.px(64)), p.surface, L.px(32));
    dl->AddRect(spos, ImVec2(spos.x + searchW, spos.y + L.px(64)), p.highContrast ? p.ink : p.outline,
                L.px(32), 0, L.px(2));
    ImVec2 lens(spos.x + L.px(34), spos.y + L.px(30));
    dl->AddCircle(lens, L.px(11), p.inkSoft, 24, L.px(3));
    dl->AddLine(ImVec2(lens.x + L.px(8), lens.y + L.px(8)), ImVec2(lens.x + L.px(17), lens.y + L.px(17)),
                p.inkSoft, L.px(3));
    (void)addText(dl, L.rtl, L.fonts.body,
                  ImVec2(spos.x + L.px(60), spos.y + (L.px(64) - L.fonts.body->FontSize) * 0.5f),
                  st.query.empty() ? p.inkSoft : p.ink, searchLabel);
    const ImVec2 searchInk =
        L.fonts.body->CalcTextSizeA(L.fonts.body->FontSize, FLT_MAX, 0, shown(L.rtl, searchLabel));
    c.reg.record(c.s.get("search.placeholder"), spos, ImVec2(spos.x + searchW, spos.y + L.px(64)),
                 ImVec2(searchInk.x + L.px(76), searchInk.y));
    if (oneLine) {
        ImGui::SetCursorPos(ImVec2(margin(c) + searchW + L.px(16), top));
    } else {
        top += L.px(80);
        ImGui::SetCursorPos(ImVec2(margin(c), top));
    }
    if (bigButton(L, c.reg, filtersLabel, ImVec2(oneLine ? 0 : std::min(w, filtersW), L.px(64)),
                  ButtonKind::Secondary))
        st.filtersOpen = true;

    ImGui::SetCursorPos(ImVec2(margin(c), top + L.px(80)));
    std::string count = st.results.empty()
                            ? c.s.get("offers.none")
                            : c.s.plural("offers.count", static_cast<long long>(st.results.size()));
    ImGui::PushFont(L.fonts.bold);
    textItem(c.look.rtl, count);
    ImGui::PopFont();
    sayLastItem(c, count);

    float listTop = top + L.px(124);
    ImGui::SetCursorPos(ImVec2(margin(c), listTop));
    float listH = ImGui::GetWindowHeight() - listTop - L.fx(104);
    bool animating = false;
    if (st.results.empty()) {
        paragraph(c, L.fonts.body, c.s.get("offers.none_help"), w, p.inkSoft);
    } else if (auto id = drawCardList(c.data.cards, &st.results, st.list, L, c.reg, ImVec2(w, listH), c.dt,
                                      animating)) {
        st.offerId = *id;
        st.detailScroll = OfferListState{};
        st.go(Screen::Detail);
    }
    // The first cards, read in list order: enough to choose or to scroll on.
    for (std::size_t i = 0; i < st.results.size() && i < 3; ++i)
        if (const WidgetRecord* r = c.reg.find(c.data.cards[st.results[i]].title))
            say(c, r->label, r->min, r->max);
    st.scrollVelocity = animating ? 1.0f : 0.0f;
    auto b = bottomBar(c, c.s.get("button.back"), std::string());
    if (b.back) st.back();
}

void drawSearch(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    topBar(st, c, fx, true);
    float w = ImGui::GetWindowWidth() - 2 * margin(c);
    // The field leaves room at its right for "× Tout effacer", shown once something is typed.
    const std::string clearLabel = c.s.get("search.clear");
    const float clearW = iconButtonWidth(c, clearLabel);
    const std::string count = st.query.empty() ? c.s.get("search.hint")
                              : st.results.empty()
                                  ? c.s.get("search.none")
                                  : c.s.plural("search.count", static_cast<long long>(st.results.size()));
    // The keyboard leaves room for three result rows at text size ×1 (keyboardTop): results as
    // you type, to choose from; larger text shows fewer rows, never smaller keys. When not even
    // one row would show (the largest text on the smallest screen), the field's name goes inside
    // the field and the count into the bottom bar, between its buttons.
    const float kbTop = keyboardTop(c, KeyboardLayout::Search);
    const float sp = ImGui::GetStyle().ItemSpacing.y;
    const float rowRoom =
        kbTop - L.px(16) - L.px(8) -
        (ImGui::GetCursorPosY() + L.fonts.body->FontSize + sp + L.px(72) + sp + L.fonts.bold->FontSize + sp);
    const bool cramped = rowRoom < L.px(64);
    const std::string& label = c.s.get("search.label");
    const float fieldW = w - clearW - L.px(16);
    const bool labelInside = cramped && labelFitsInField(c, label, fieldW);
    const auto [gapFrom, gapTo] = bottomBarGap(c, c.s.get("button.back"), c.s.get("search.see_list"));
    const bool countInBar = cramped && measureText(L.rtl, L.fonts.bold, count).x <= gapTo - gapFrom;
    field(c, label, st.query, fieldW, labelInside);
    const float afterField = ImGui::GetCursorPosY();
    const float boxH = L.px(72);
    if (!st.query.empty() &&
        iconButton(c, ButtonIcon::Cross, clearLabel,
                   ImVec2(margin(c) + w - clearW, afterField - boxH - ImGui::GetStyle().ItemSpacing.y),
                   ImVec2(clearW, boxH))) {
        st.query.clear();
        st.resultsDirty = true;
        st.list.scrollToTop = true;
    }
    ImGui::SetCursorPosY(afterField);
    ImGui::SetCursorPosX(margin(c));
    if (countInBar) {
        const float cw = measureText(L.rtl, L.fonts.bold, count).x;
        ImGui::SetCursorPos(
            ImVec2((gapFrom + gapTo - cw) * 0.5f,
                   ImGui::GetWindowHeight() - L.fx(88) + (L.fx(64) - L.fonts.bold->FontSize) * 0.5f));
    }
    ImGui::PushFont(L.fonts.bold);
    textItem(c.look.rtl, count);
    ImGui::PopFont();
    sayLastItem(c, count);
    if (countInBar) ImGui::SetCursorPosY(afterField);
    float listTop = ImGui::GetCursorPosY() + L.px(8);
    bool animating = false;
    ImGui::SetCursorPos(ImVec2(margin(c), listTop));
    if (!st.query.empty() && !st.results.empty() && kbTop - listTop - L.px(16) > L.px(64)) {
        if (auto id = drawCompactList(c.data.cards, st.results, st.list, L, c.reg,
                                      ImVec2(w, kbTop - listTop - L.px(16)), c.dt, animating)) {
            st.offerId = *id;
            st.detailScroll = OfferListState{};
            st.go(Screen::Detail);
        }
    }
    st.scrollVelocity = animating ? 1.0f : 0.0f;
    ImGui::SetCursorPosY(kbTop - L.fx(12));
    if (auto key = keyboardAtBottom(st, c, KeyboardLayout::Search)) {
        applyKey(st.query, *key, 60);
        st.resultsDirty = true;
        st.list.scrollToTop = true;
    }
    auto b = bottomBar(c, c.s.get("button.back"), c.s.get("search.see_list"), !st.results.empty());
    if (b.back) st.back();
    if (b.primary) st.go(Screen::Offers);
}

// [SECTION] offer detail ----------------------------------------------------

/// A row of the offer's facts: its label, then its value, or several values one under the other.
void infoRow(ScreenContext& c, const std::string& label, const std::vector<std::string>& values, float x,
             float width) {
    if (values.empty() || values.front().empty()) return;
    const Look& L = c.look;
    ImGui::SetCursorPosX(x);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    (void)addText(dl, L.rtl, L.fonts.bold, pos, L.palette.inkSoft, label);
    float labelW = L.px(210);
    float y = pos.y + L.px(1);
    for (const auto& value : values)
        y +=
            addText(dl, L.rtl, L.fonts.body, ImVec2(pos.x + labelW, y), L.palette.ink, value, width - labelW);
    const std::string spoken = label + " : " + c.s.join(values);
    float h = std::max(L.fonts.bold->FontSize, y - pos.y);
    say(c, spoken, pos, ImVec2(pos.x + width, pos.y + h));
    ImGui::Dummy(ImVec2(width, h + L.px(6)));
}

void infoRow(ScreenContext& c, const std::string& label, const std::string& value, float x, float width) {
    infoRow(c, label, std::vector<std::string>{value}, x, width);
}

/// "Supermarché, place de l'Europe · Monplaisir": the place, then its neighbourhood.
std::string placeText(const Offer& o, const Catalogue& cat) {
    std::string where = o.place;
    for (const auto& n : cat.neighbourhoods)
        if (n.id == o.neighbourhoodId) where += (where.empty() ? "" : " · ") + n.name;
    return where;
}

/// The take-away ticket of an offer: public facts only (see TakeawayFacts).
TakeawayFacts offerFacts(const ScreenContext& c, const Offer& o, const OfferCardVm& card,
                         const std::string& reference) {
    TakeawayFacts f{c.siteName, card.title, card.when, placeText(o, *c.data.catalogue), {}, {}, reference,
                    o.applicationUrl};
    for (const auto& org : c.data.catalogue->organisations)
        if (org.id == o.organisationId) {
            f.organisation = org.name;
            f.contact = org.contact;
        }
    return f;
}

/// The QR code of `text` at a screen position, with its hint underneath when `withHint` is set.
void qrBlock(ScreenContext& c, const std::string& text, ImVec2 screenPos, float maxSide, bool withHint) {
    const QrMatrix& code = qrFor(text);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float side = drawQr(dl, code, screenPos, maxSide);
    if (!withHint) return;
    ImFont* f = c.look.fonts.body; // the body size: a hint too small to read is no hint
    const std::string& hint = c.s.get("takeaway.qr_hint");
    ImVec2 hintPos(std::round(screenPos.x), std::round(screenPos.y) + side + c.look.px(8));
    const float hh = addText(dl, c.look.rtl, f, hintPos, c.look.palette.inkSoft, hint, side);
    c.reg.recordText(hint, hintPos, ImVec2(hintPos.x + side, hintPos.y + hh),
                     wrappedInk(f, shown(c.look.rtl, hint), side));
}

void drawDetail(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, true);
    const Offer* o = c.data.offer(st.offerId);
    const OfferCardVm* card = c.data.card(st.offerId);
    if (!o || !card) {
        st.back();
        return;
    }
    const Catalogue& cat = *c.data.catalogue;
    // The offer scrolls under the finger when long texts or large type do not fit.
    float childTop = ImGui::GetCursorPosY() - L.px(24);
    ImGui::SetCursorPos(ImVec2(0, childTop));
    bool animating = false;
    (void)beginTouchScroll("detail",
                           ImVec2(ImGui::GetWindowWidth(), ImGui::GetWindowHeight() - childTop - L.fx(104)),
                           st.detailScroll, L, c.dt, animating);
    st.scrollVelocity = animating ? 1.0f : 0.0f;
    float w = ImGui::GetWindowWidth() - 2 * margin(c);
    float top = L.px(24);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGui::SetCursorPos(ImVec2(margin(c), top));
    ImVec2 origin = ImGui::GetCursorScreenPos(); // scrolls with the text
    ImVec2 badge(origin.x + L.px(56), origin.y + L.px(52));
    dl->AddCircleFilled(badge, L.px(52), themeColour(o->themeId, p), 48);
    drawPictogram(dl, card->pictogram, badge, L.px(60),
                  p.highContrast ? p.accentInk : IM_COL32(255, 255, 255, 255));
    float x = margin(c) + L.px(136);
    // The take-away QR code sits at the right, the text keeps the rest of the width; in portrait
    // the text takes the whole width and the code comes after it. So does it when a word of the
    // title would not fit beside the code (large text): the title wraps between words, never
    // clipped, never smaller than the text size chosen.
    const std::string ticket = takeawayText(offerFacts(c, *o, *card, {}), c.s);
    const float qrMax = L.px(230);
    const float qr = qrSide(qrFor(ticket), qrMax);
    const float titleWord = widestWord(L.fonts.title, {card->title}, L.rtl);
    const bool tall = portrait(ImGui::GetWindowWidth(), ImGui::GetWindowHeight()) ||
                      titleWord > w - L.px(136) - qr - L.px(24);
    if (!tall) qrBlock(c, ticket, ImVec2(origin.x + w - qr, origin.y), qrMax, true);
    float textW = w - L.px(136) - (tall ? 0 : qr + L.px(24));
    if (titleWord > textW) { // narrower still: the text goes under the pictogram, across the width
        x = margin(c);
        textW = w;
        top += L.px(116);
    }
    ImGui::SetCursorPos(ImVec2(x, top));
    // The offer's own texts in the display language when the catalogue carries them (complete:
    // docs/catalogue-format.md), else the French ones with a line saying so.
    const OfferTranslation* tr = translationOf(*o, c.s.language());
    paragraph(c, L.fonts.title, card->title, textW, p.ink);
    ImGui::SetCursorPosX(x);
    paragraph(c, L.fonts.body, card->organisation, textW, p.inkSoft);
    ImGui::Dummy(ImVec2(1, L.px(10)));
    if (c.s.language() != "fr" && !tr) { // written in French only: say so, in the visitor's language
        ImGui::SetCursorPosX(x);
        paragraph(c, L.fonts.small, c.s.get("offer.french_only"), textW, p.inkSoft);
    }
    ImGui::SetCursorPosX(x);
    paragraph(c, L.fonts.body, tr ? tr->description : o->description, std::min(textW, L.px(1100)), p.ink);
    ImGui::Dummy(ImVec2(1, L.px(14)));
    // The "Mots difficiles" this offer uses, and the Permis Citoyen it is: each one tap away.
    auto words = hardWordsIn(c, card->title + "\n" + (tr ? tr->description : o->description));
    if (o->permisCitoyen && std::find(words.begin(), words.end(), "permis") == words.end())
        words.emplace_back("permis");
    if (!words.empty()) {
        ImGui::SetCursorPosX(x);
        (void)wordButtons(st, c, words, textW);
        ImGui::Dummy(ImVec2(1, L.px(14)));
    }

    std::string where = placeText(*o, cat);
    where += " — " + c.s.get(o->stepFree ? "detail.step_free" : "detail.not_step_free");
    infoRow(c, c.s.get("detail.where"), where, x, textW);
    // Every date or slot, so that "(et 1 autre date)" on the card leads somewhere.
    infoRow(c, c.s.get("detail.when"), describeEachWhen(*o, c.s), x, textW);
    infoRow(c, c.s.get("detail.how_long"), card->duration, x, textW);
    infoRow(c, c.s.get("detail.bring"), tr ? tr->whatToBring : o->whatToBring, x, textW);
    const auto& needed = tr ? tr->prerequisites : o->prerequisites;
    infoRow(c, c.s.get("detail.needed"), needed.empty() ? c.s.get("detail.nothing_needed") : c.s.join(needed),
            x, textW);
    infoRow(c, c.s.get("detail.helps"), c.s.join(tr ? tr->skills : o->skills), x, textW);
    std::string age = o->minAge == 0         ? c.s.get("detail.all_ages")
                      : o->parentalAgreement ? c.s.plural("detail.age_parental", o->minAge)
                                             : c.s.plural("detail.age", o->minAge);
    infoRow(c, c.s.get("detail.who"), age, x, textW);
    std::string places =
        card->full ? c.s.get("offer.badge.full") : c.s.plural("offer.places_left", o->placesLeft);
    infoRow(c, c.s.get("detail.places"), places, x, textW);
    ImGui::Dummy(ImVec2(1, L.px(16)));
    if (tall) {
        ImGui::SetCursorPosX(x);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        qrBlock(c, ticket, at, qrMax, true);
        ImGui::Dummy(ImVec2(qr, qr + L.fonts.body->FontSize * 3 + L.px(24)));
    }
    ImGui::EndChild();

    if (card->full) {
        auto b = bottomBar(c, c.s.get("button.back"), c.s.get("detail.full_callback"), true,
                           ButtonKind::Secondary);
        if (b.back) st.back();
        if (b.primary) {
            st.purpose = Purpose::Callback;
            st.go(Screen::FirstName);
        }
    } else {
        auto b = bottomBar(c, c.s.get("button.back"), c.s.get("detail.interested"));
        if (b.back) st.back();
        if (b.primary) {
            st.purpose = Purpose::Interest;
            st.go(Screen::FirstName);
        }
    }
}

// [SECTION] contact steps, consent ------------------------------------------

std::string problemText(ContactProblem p, const Strings& s) {
    switch (p) {
    case ContactProblem::None:
        return {};
    case ContactProblem::FirstNameMissing:
        return s.get("form.problem.first_name_missing");
    case ContactProblem::FirstNameTooLong:
        return s.get("form.problem.first_name_long");
    case ContactProblem::NoWayToReach:
        return s.get("form.problem.no_way");
    case ContactProblem::PhoneIncomplete:
        return s.get("form.problem.phone_incomplete");
    case ContactProblem::PhoneIncompleteForeign:
        return s.get("form.problem.phone_incomplete_foreign");
    case ContactProblem::PhoneInvalid:
        return s.get("form.problem.phone_invalid");
    case ContactProblem::EmailInvalid:
        return s.get("form.problem.email_invalid");
    case ContactProblem::MessageTooLong:
        return s.get("form.problem.message_long");
    }
    return {};
}

int totalSteps(const VisitorState& st) {
    return st.purpose == Purpose::Interest ? 5 : 4;
}

void drawFirstName(VisitorState& st, ScreenContext& c, Effect& fx) {
    // The keys keep their size at every text size: the question and the field scroll above them
    // when larger text needs more room (typing brings the field into view).
    // The kind message stands just above the keys, always in view.
    topBar(st, c, fx, true);
    const float above = keyboardTop(c, KeyboardLayout::Letters) - c.look.fx(12);
    (void)beginScreenScroll(st, c, "first_name", above - problemLineHeight(c, st.form.problem));
    stepLines(c, c.s.get("form.first_name.question"), 1, totalSteps(st));
    field(c, c.s.get("form.first_name.label"), st.form.firstName,
          std::min(ImGui::GetWindowWidth() - 2 * margin(c), c.look.px(700)));
    (void)endScreenScroll(c);
    pinnedProblemLine(c, st.form.problem, above);
    if (st.form.firstName.empty()) st.keyboard.shift = true; // a name starts with a capital
    if (auto key = keyboardAtBottom(st, c, KeyboardLayout::Letters)) {
        typeBounded(st.form.firstName, *key, kMaxFirstName, st.form.problem,
                    problemText(ContactProblem::FirstNameTooLong, c.s));
        st.screenScroll.scrollBy = FLT_MAX; // the field, below the question, comes into view
    }
    auto b = bottomBar(c, c.s.get("button.back"), c.s.get("button.continue"));
    if (b.back) st.back();
    if (b.primary) {
        ContactDetails probe{st.form.firstName, "0600000000", "", ""};
        auto problem = validateContact(probe);
        if (problem == ContactProblem::FirstNameMissing || problem == ContactProblem::FirstNameTooLong) {
            st.form.problem = problemText(problem, c.s);
        } else {
            st.keyboard = KeyboardState{};
            st.go(Screen::Contact);
        }
    }
}

void drawContact(VisitorState& st, ScreenContext& c, Effect& fx) {
    topBar(st, c, fx, true);
    const std::string question = c.s.get(st.form.emailMode ? "form.email.question" : "form.phone.question");
    // In landscape the phone keypad stands beside the field, not under it: even with large text,
    // the question, the number and the keypad are all in view. In portrait it stands at the
    // bottom, full keyboard-like, the field above it across the width.
    const float padW = c.look.fx(420);
    const bool padBeside = !st.form.emailMode && !portrait(ImGui::GetWindowWidth(), ImGui::GetWindowHeight());
    float fw = std::min(ImGui::GetWindowWidth() - 2 * margin(c), c.look.px(700));
    if (padBeside) fw = std::min(fw, ImGui::GetWindowWidth() - 2 * margin(c) - padW - c.look.fx(32));
    // "Je préfère donner un e-mail": in portrait right under the field, so that a kind message
    // appearing below can never push it under the keypad at the bottom.
    const std::string otherWay = c.s.get(st.form.emailMode ? "form.prefer_phone" : "form.prefer_email");
    // What stands above the keyboard (or beside the keypad) scrolls when large text needs more
    // room than the screen has: the keys keep their size, nothing runs under them or the bar.
    const KeyboardLayout layout = st.form.emailMode ? KeyboardLayout::Email : KeyboardLayout::Digits;
    float fieldTop = 0;
    bool tapAllowed = true;
    if (padBeside) {
        stepLines(c, question, 2, totalSteps(st));
        fieldTop = ImGui::GetCursorPosY();
        tapAllowed = beginScreenScroll(st, c, "contact", -1, margin(c) + fw + c.look.fx(16));
    } else { // the question scrolls too: the keyboard below keeps its size
        tapAllowed = beginScreenScroll(
            st, c, "contact", keyboardTop(c, layout) - c.look.fx(12) - problemLineHeight(c, st.form.problem));
        stepLines(c, question, 2, totalSteps(st));
    }
    auto otherWayButton = [&] {
        ImGui::SetCursorPosX(margin(c));
        if (bigButton(c.look, c.reg, otherWay, ImVec2(padBeside ? fw : 0, c.look.px(56)),
                      ButtonKind::Quiet) &&
            tapAllowed) {
            st.form.emailMode = !st.form.emailMode;
            st.form.problem.clear();
            st.keyboard = KeyboardState{};
        }
    };
    if (st.form.emailMode) {
        field(c, c.s.get("form.email.label"), st.form.email, fw);
    } else {
        // Grouped however it was typed, "06 12 34 56 78" or "+32 470 12 34 56": easier to check.
        field(c, c.s.get("form.phone.label"), groupPhone(st.form.phone), fw);
        if (!padBeside) otherWayButton();
        if (st.form.problem.empty()) { // which forms are expected, before anything goes wrong
            ImGui::SetCursorPosX(margin(c));
            paragraph(c, c.look.fonts.small, c.s.get("form.phone.hint"), fw, c.look.palette.inkSoft);
        }
    }
    if (padBeside) problemLine(c, st.form.problem, -1, fw); // else pinned above the keyboard, below
    // Beside the keypad, never under it.
    if (st.form.emailMode || padBeside) otherWayButton();
    (void)endScreenScroll(c);
    if (!padBeside) pinnedProblemLine(c, st.form.problem, keyboardTop(c, layout) - c.look.fx(12));
    std::optional<KeyPress> pressed;
    if (st.form.emailMode) {
        pressed = keyboardAtBottom(st, c, KeyboardLayout::Email);
    } else if (!padBeside) {
        pressed = keyboardAtBottom(st, c, KeyboardLayout::Digits);
    } else {
        ImVec2 origin = ImGui::GetWindowPos();
        ImVec2 pos(origin.x + ImGui::GetWindowWidth() - margin(c) - padW, origin.y + fieldTop + c.look.fx(8));
        pressed = drawKeyboard(KeyboardLayout::Digits, st.keyboard, keyboardLabels(c.s), c.look, c.reg, pos,
                               padW, c.dt);
    }
    if (auto key = pressed) {
        if (!padBeside) st.screenScroll.scrollBy = FLT_MAX; // the field, below the question, in view
        if (st.form.emailMode)
            typeBounded(st.form.email, *key, kMaxEmail, st.form.problem, c.s.get("form.problem.email_long"));
        else
            typeBounded(st.form.phone, *key, kMaxPhoneTyped, st.form.problem,
                        c.s.get("form.problem.phone_invalid"));
    }
    auto b = bottomBar(c, c.s.get("button.back"), c.s.get("button.continue"));
    if (b.back) st.back();
    if (b.primary) {
        // Only the field on screen is judged; a half-typed one left on the other side is dropped,
        // never a hidden reason to refuse.
        ContactDetails other{st.form.firstName, st.form.emailMode ? st.form.phone : "",
                             st.form.emailMode ? "" : st.form.email, ""};
        if (!other.phone.empty() || !other.email.empty()) {
            if (validateContact(other) != ContactProblem::None)
                (st.form.emailMode ? st.form.phone : st.form.email).clear();
        }
        ContactDetails probe{st.form.firstName, st.form.emailMode ? "" : st.form.phone,
                             st.form.emailMode ? st.form.email : "", ""};
        auto problem = validateContact(probe);
        if (problem != ContactProblem::None) {
            st.form.problem = problemText(problem, c.s);
        } else {
            st.keyboard = KeyboardState{};
            st.go(st.purpose == Purpose::Interest ? Screen::Moment : Screen::CallbackWhen);
        }
    }
}

void drawMoment(VisitorState& st, ScreenContext& c, Effect& fx) {
    // Someone who gave only an e-mail is written to, not called.
    bool emailOnly = st.form.phone.empty() && !st.form.email.empty();
    stepHeader(st, c, fx, c.s.get(emailOnly ? "form.moment.question_email" : "form.moment.question"), 3,
               totalSteps(st));
    // The choices scroll above the bar when large text or a small screen leaves too little room.
    const bool tapAllowed = beginScreenScroll(st, c, "moment");
    float y = c.look.px(10);
    for (const char* m : {"morning", "afternoon", "evening", "any"}) {
        bool pressed = false;
        confirmChoice(c, c.s.get(std::string("form.moment.") + m), pressed, y);
        y += c.look.px(88);
        if (pressed && tapAllowed) {
            st.form.moment = m;
            st.go(Screen::Message);
        }
    }
    (void)endScreenScroll(c);
    auto b = bottomBar(c, c.s.get("button.back"), std::string());
    if (b.back) st.back();
}

void drawMessage(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    topBar(st, c, fx, true);
    const float kbTop = keyboardTop(c, KeyboardLayout::Letters);
    // With large text on a small screen the question scrolls away above the keys (which keep
    // their size). The message wraps and grows so that it can be read back whole before going
    // on, up to the keys; past that the field scrolls (at least a line of it in view).
    const float panelTop = ImGui::GetCursorPosY();
    (void)beginScreenScroll(st, c, "message", kbTop - L.fx(12) - problemLineHeight(c, st.form.problem));
    stepLines(c, c.s.get("form.message.question"), 4, totalSteps(st));
    const float labelH = L.fonts.body->FontSize + ImGui::GetStyle().ItemSpacing.y;
    const float problemH = problemLineHeight(c, st.form.problem); // pinned above the keys
    const float room = std::max(L.px(72), kbTop - L.fx(12) - panelTop - ImGui::GetCursorPosY() - labelH -
                                              problemH - L.fx(8));
    multilineField(c, c.s.get("form.message.label"), st.form.message, ImGui::GetWindowWidth() - 2 * margin(c),
                   room, st.messageScroll, st.messageShown);
    (void)endScreenScroll(c);
    pinnedProblemLine(c, st.form.problem, kbTop - L.fx(12));
    if (auto key = keyboardAtBottom(st, c, KeyboardLayout::Letters)) {
        typeBounded(st.form.message, *key, kMaxMessage, st.form.problem,
                    problemText(ContactProblem::MessageTooLong, c.s));
        st.screenScroll.scrollBy = FLT_MAX; // the field, below the question, in view
    }
    auto b = bottomBar(c, c.s.get("button.back"),
                       c.s.get(st.form.message.empty() ? "button.skip" : "button.continue"));
    if (b.back) st.back();
    if (b.primary) {
        st.keyboard = KeyboardState{};
        st.go(Screen::Consent);
    }
}

void drawCallbackWhen(VisitorState& st, ScreenContext& c, Effect& fx) {
    stepHeader(st, c, fx, c.s.get("callback.question"), 3, totalSteps(st));
    struct Choice {
        const char* key;
        int days;
    };
    const Choice choices[] = {{"callback.week", 7},
                              {"callback.month", 30},
                              {"callback.three_months", 91},
                              {"callback.six_months", 182}};
    // Left: after a while; right: from a given month (the visitor knows "after the summer").
    const Look& L = c.look;
    // The choices scroll above the bar when large text or a small screen leaves too little room.
    const bool tapAllowed = beginScreenScroll(st, c, "when");
    float top = L.px(10);
    float colW = std::min((ImGui::GetWindowWidth() - 2 * margin(c) - L.px(24)) * 0.5f, L.px(560));
    auto choice = [&](const std::string& label, float x, float y, const std::string& date, int index) {
        ImGui::SetCursorPos(ImVec2(x, y));
        bool pressed = bigButton(L, c.reg, label, ImVec2(colW, L.px(72)), ButtonKind::Secondary);
        sayLastItem(c, label);
        if (pressed && tapAllowed) {
            st.form.recontactChoice = index;
            st.form.recontactAfter = date;
            st.go(Screen::Consent);
        }
    };
    for (int i = 0; i < 4; ++i)
        choice(c.s.get(choices[i].key), margin(c), top + static_cast<float>(i) * L.px(88),
               addDays(c.today, choices[i].days), i);
    int year = std::atoi(c.today.substr(0, 4).c_str()), month = std::atoi(c.today.substr(5, 2).c_str());
    for (int i = 0; i < 4; ++i) {
        int m = (month + i) % 12 + 1; // the first days of the next four months
        int y = year + (month + i) / 12;
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02d-01", y, m);
        choice(c.s.format("callback.from_month", {{"month", c.s.get("month." + std::to_string(m))}}),
               margin(c) + colW + L.px(24), top + static_cast<float>(i) * L.px(88), date, 4 + i);
    }
    (void)endScreenScroll(c);
    auto b = bottomBar(c, c.s.get("button.back"), std::string());
    if (b.back) st.back();
}

/// How long data is kept, never rounded down to look shorter: "12 mois" for 365 days, "3 mois"
/// for 90, but "45 jours" for 45 (never "1 mois").
std::string retentionText(int days, const Strings& s) {
    int months = days % 365 == 0 ? days / 365 * 12 : days % 30 == 0 ? days / 30 : 0;
    return months >= 2 ? s.plural("consent.how_long", months) : s.plural("consent.how_long_days", days);
}

void drawConsent(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    stepHeader(st, c, fx, c.s.get("consent.title"), totalSteps(st), totalSteps(st));
    float w = std::min(ImGui::GetWindowWidth() - 2 * margin(c), L.px(1200));
    const std::pair<std::string, std::string> blocks[] = {
        {c.s.get("consent.what.title"), c.s.get(st.purpose == Purpose::Interest ? "consent.what"
                                                : c.data.offer(st.offerId) ? "consent.what_callback_offer"
                                                                           : "consent.what_callback")},
        {c.s.get("consent.who.title"),
         c.s.get(st.purpose == Purpose::Interest ? "consent.who" : "consent.who_callback")},
        {c.s.get("consent.how_long.title"), retentionText(c.retentionDays, c.s)},
        {c.s.get("consent.erase.title"), c.s.get("consent.erase")},
    };
    // The tick box stands just above the bar, always in view beside "Valider"; what is kept, why
    // and how long scroll above it when large text or a small screen leaves too little room. A
    // long sentence (large text, portrait) wraps inside the box.
    const std::string tick = c.s.get("consent.tick");
    ImFont* f = L.fonts.bold;
    // "Retour" beside "Non merci" (going back to check an answer must not cost everything typed)
    // when it fits between "Non merci" and "Valider"; else at the end of the tick box's row.
    const std::string backLabel = c.s.get("button.back");
    const float backW = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, backLabel)).x + L.px(48);
    const auto [gapLeft, gapRight] = bottomBarGap(c, c.s.get("consent.decline"), c.s.get("consent.accept"));
    const bool backInBar = gapLeft + backW <= gapRight;
    const float rowEnd = ImGui::GetWindowWidth() - margin(c) - (backInBar ? 0.0f : backW + L.px(16));
    const float textRoom = rowEnd - margin(c) - L.px(64) - L.px(20) - L.px(24);
    const ImVec2 tickInk = wrappedInk(f, shown(L.rtl, tick), textRoom);
    const ImVec2 size(L.px(64) + L.px(20) + tickInk.x + L.px(24), std::max(L.px(72), tickInk.y + L.px(24)));
    // The kind message ("Cochez d'abord la case") beside the box when there is room, else above it.
    const float problemX = margin(c) + size.x + L.px(20);
    const bool problemBeside = rowEnd - problemX >= L.px(260);
    const float problemH = st.form.problem.empty() || problemBeside
                               ? 0.0f
                               : wrappedInk(L.fonts.bold, shown(L.rtl, st.form.problem),
                                            ImGui::GetWindowWidth() - 2 * margin(c) - L.px(60))
                                         .y +
                                     L.px(16) + L.px(8);
    const float tickTop = ImGui::GetWindowHeight() - L.fx(104) - size.y;
    const bool tapAllowed = beginScreenScroll(st, c, "consent", tickTop - problemH - L.px(12));
    ImGui::Dummy(ImVec2(1, L.px(8)));
    for (const auto& [head, text] : blocks) {
        ImGui::SetCursorPosX(margin(c));
        paragraph(c, L.fonts.bold, head, w, p.ink);
        ImGui::SetCursorPosX(margin(c));
        paragraph(c, L.fonts.body, text, w, p.ink);
        ImGui::Dummy(ImVec2(1, L.px(6)));
    }
    (void)endScreenScroll(c);
    if (!st.form.problem.empty() && !problemBeside) {
        ImGui::SetCursorPosY(tickTop - problemH);
        problemLine(c, st.form.problem);
    }
    // the tick box: a large square and its sentence, both tappable
    ImGui::SetCursorPos(ImVec2(margin(c), tickTop));
    ImVec2 pos = ImGui::GetCursorScreenPos();
    if (touchTarget(c.reg, "##tick", size) && tapAllowed) {
        st.form.consentTicked = !st.form.consentTicked;
        st.form.problem.clear();
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.accentSoft, L.px(14));
    ImVec2 box(pos.x + L.px(12), pos.y + (size.y - L.px(48)) * 0.5f);
    dl->AddRectFilled(box, ImVec2(box.x + L.px(48), box.y + L.px(48)), p.surface, L.px(8));
    dl->AddRect(box, ImVec2(box.x + L.px(48), box.y + L.px(48)), p.accent, L.px(8), 0, L.px(3));
    if (st.form.consentTicked) {
        dl->AddLine(ImVec2(box.x + L.px(10), box.y + L.px(25)), ImVec2(box.x + L.px(21), box.y + L.px(37)),
                    p.accent, L.px(6));
        dl->AddLine(ImVec2(box.x + L.px(21), box.y + L.px(37)), ImVec2(box.x + L.px(40), box.y + L.px(12)),
                    p.accent, L.px(6));
    }
    (void)addText(dl, L.rtl, f, ImVec2(pos.x + L.px(80), pos.y + (size.y - tickInk.y) * 0.5f), p.ink, tick,
                  textRoom);
    c.reg.record(tick, pos, ImVec2(pos.x + size.x, pos.y + size.y), ImVec2(L.px(80) + tickInk.x, tickInk.y));
    say(c, tick, pos, ImVec2(pos.x + size.x, pos.y + size.y));
    if (!st.form.problem.empty() && problemBeside) {
        ImGui::SetCursorPosY(tickTop);
        problemLine(c, st.form.problem, problemX, rowEnd - problemX);
    }

    auto b = bottomBar(c, c.s.get("consent.decline"), c.s.get("consent.accept"), st.form.consentTicked);
    ImGui::SetCursorPos(backInBar ? ImVec2(gapLeft, ImGui::GetWindowHeight() - L.fx(88))
                                  : ImVec2(rowEnd + L.px(16), tickTop + (size.y - L.fx(64)) * 0.5f));
    if (bigButton(L, c.reg, backLabel, ImVec2(backW, L.fx(64)), ButtonKind::Quiet)) st.back();
    if (b.back) {
        // Declining stores nothing: wipe what was typed right away.
        Purpose purpose = st.purpose;
        VisitorState fresh;
        fresh.filters = st.filters;
        fresh.purpose = purpose;
        st.reset();
        st = fresh;
        st.screen = Screen::Declined;
    }
    if (b.primary) fx.submit = true;
    if (b.primaryRefused) st.form.problem = c.s.get("consent.tick_first");
}

// [SECTION] confirmation, feedback, goodbye ---------------------------------
void drawDeclined(VisitorState& st, ScreenContext& c, Effect& fx) {
    topBar(st, c, fx, true);
    ImGui::Dummy(ImVec2(1, c.look.px(60)));
    centredLine(c, c.look.fonts.title, c.s.get("declined.title"), c.look.palette.ink);
    ImGui::Dummy(ImVec2(1, c.look.px(12)));
    centredLine(c, c.look.fonts.body, c.s.get("declined.text"), c.look.palette.inkSoft);
    auto b = bottomBar(c, c.s.get("declined.offers"), c.s.get("button.finish"));
    if (b.back) {
        st.history.clear();
        st.screen = Screen::Offers;
    }
    if (b.primary) st.go(Screen::Feedback);
}

/// The ticket of the confirmation: the offer and the code, or, for a call-back, when the Comptoir
/// will call and the code.
std::string confirmationTicket(const VisitorState& st, const ScreenContext& c) {
    const Offer* o = c.data.offer(st.offerId);
    const OfferCardVm* card = c.data.card(st.offerId);
    if (st.purpose == Purpose::Interest && o && card)
        return takeawayText(offerFacts(c, *o, *card, st.reference), c.s);
    TakeawayFacts f;
    f.siteName = c.siteName;
    if (st.purpose == Purpose::Callback)
        f.title =
            c.s.format("confirm.callback_from", {{"date", frenchDate(st.confirmedRecontactAfter, c.s)}});
    f.reference = st.reference;
    return takeawayText(f, c.s);
}

void drawConfirmation(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, true);
    // Everything above the bar scrolls when large text or a small screen leaves too little room.
    (void)beginScreenScroll(st, c, "confirmation");
    ImGui::Dummy(ImVec2(1, L.px(10)));
    {
        // The first name stays on the screen, never said aloud in the hall.
        Unspoken quiet(c);
        centredLine(c, L.fonts.title, c.s.format("confirm.thanks", {{"name", st.confirmedName}}), p.ink);
    }
    sayLastItem(c, c.s.get("confirm.thanks_spoken"));
    centredLine(
        c, L.fonts.body,
        st.purpose == Purpose::Interest
            ? c.s.plural("confirm.contact_soon", c.callbackDays)
            : c.s.format("confirm.callback_from", {{"date", frenchDate(st.confirmedRecontactAfter, c.s)}}),
        p.ink);
    const Offer* callbackOffer = st.purpose == Purpose::Callback ? c.data.offer(st.offerId) : nullptr;
    if (callbackOffer) // asked from a full offer: the offer is kept with the call-back, and said
        centredLine(c, L.fonts.body, c.s.format("confirm.callback_offer", {{"title", callbackOffer->title}}),
                    p.ink);
    ImGui::Dummy(ImVec2(1, L.px(16)));
    // the reference code, large, in a box: something to show or read out at the counter
    ImFont* f = L.fonts.huge;
    std::string code = st.reference;
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, code));
    float boxW = ts.x + L.px(80), boxH = ts.y + L.px(40);
    // Beside the code, the same ticket as a QR code to keep on a phone (no personal data in it).
    const std::string ticket = confirmationTicket(st, c);
    const float qrMax = L.px(190), gap = L.px(48);
    const float qr = qrSide(qrFor(ticket), qrMax);
    const float rowH = std::max(boxH, qr);
    const float rowX = (ImGui::GetWindowWidth() - boxW - gap - qr) * 0.5f;
    ImGui::SetCursorPosX(rowX);
    ImVec2 rowPos = ImGui::GetCursorScreenPos();
    qrBlock(c, ticket, ImVec2(rowPos.x + boxW + gap, rowPos.y), qrMax, false);
    ImGui::SetCursorPos(ImVec2(rowX, ImGui::GetCursorPosY() + (rowH - boxH) * 0.5f));
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + boxW, pos.y + boxH), p.accentSoft, L.px(16));
    dl->AddRect(pos, ImVec2(pos.x + boxW, pos.y + boxH), p.accent, L.px(16), 0, L.px(3));
    (void)addText(dl, L.rtl, f, ImVec2(pos.x + L.px(40), pos.y + L.px(20)), p.ink, code);
    say(c, c.s.get("confirm.code_spoken") + " " + code, pos, ImVec2(pos.x + boxW, pos.y + boxH));
    ImGui::Dummy(ImVec2(boxW, boxH));
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (rowH - boxH) * 0.5f);
    // Body size, not small: hints read at arm's length too.
    centredLine(c, L.fonts.body, c.s.get("confirm.code_hint"), p.inkSoft);
    centredLine(c, L.fonts.body, c.s.get("takeaway.qr_hint"), p.inkSoft);
    ImGui::Dummy(ImVec2(1, L.px(16)));
    centredLine(c, L.fonts.bold, c.s.get("confirm.next.title"), p.ink);
    // What happens next, as it will really happen: written to or called; introduced to a
    // structure only when there is an offer.
    const bool callback = st.purpose == Purpose::Callback;
    const std::string first = std::string(callback ? "confirm.next_callback.1" : "confirm.next.1") +
                              (st.confirmedByEmail ? "_email" : "");
    const std::string second = !callback       ? "confirm.next.2"
                               : callbackOffer ? "confirm.next_callback.2_offer"
                                               : "confirm.next_callback.2";
    for (const std::string& k : {first, second, std::string("confirm.next.3")})
        centredLine(c, L.fonts.body, c.s.get(k), p.ink);
    // The printed ticket, for visitors without a phone: the same text as the QR code.
    const bool canPrint = c.printer && (st.print == PrintState::None || st.print == PrintState::Failed);
    if (st.print != PrintState::None) {
        ImGui::Dummy(ImVec2(1, L.px(8)));
        const char* key = st.print == PrintState::Printing  ? "takeaway.printing"
                          : st.print == PrintState::Printed ? "takeaway.printed"
                                                            : "takeaway.print_failed";
        centredLine(c, L.fonts.bold, c.s.get(key), p.ink);
    }
    (void)endScreenScroll(c);
    auto b = bottomBar(c, canPrint ? c.s.get("takeaway.print") : std::string(), c.s.get("button.finish"));
    if (b.back && canPrint) fx.print = ticket;
    if (b.primary) st.go(Screen::Feedback);
}

void face(ImDrawList* dl, ImVec2 ctr, float r, int mood, ImU32 fill, ImU32 ink) {
    dl->AddCircleFilled(ctr, r, fill, 48);
    dl->AddCircleFilled(ImVec2(ctr.x - r * 0.35f, ctr.y - r * 0.25f), r * 0.1f, ink);
    dl->AddCircleFilled(ImVec2(ctr.x + r * 0.35f, ctr.y - r * 0.25f), r * 0.1f, ink);
    // mouth: from a frown (1) to a wide smile (4)
    float curve = (static_cast<float>(mood) - 2.0f) * 0.16f * r;
    ImVec2 a(ctr.x - r * 0.42f, ctr.y + r * 0.3f), b(ctr.x + r * 0.42f, ctr.y + r * 0.3f);
    dl->AddBezierCubic(a, ImVec2(a.x + r * 0.2f, a.y + curve), ImVec2(b.x - r * 0.2f, b.y + curve), b, ink,
                       r * 0.09f);
}

void drawFeedback(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, true);
    ImGui::Dummy(ImVec2(1, L.px(20)));
    centredLine(c, L.fonts.title, c.s.get("feedback.question"), p.ink);
    centredLine(c, L.fonts.body, c.s.get("feedback.anonymous"), p.inkSoft);
    // Four faces in a row; two rows of two when the screen is narrow (portrait, large text). Each
    // face's column is as wide as its name ("Pas du tout" never runs over its neighbours); the
    // faces scroll above the bar when large text on a small screen needs more room.
    const float gap = L.px(30), avail = ImGui::GetWindowWidth() - 2 * margin(c);
    std::vector<std::string> labels;
    float widest = 0;
    ImFont* f = L.fonts.bold;
    for (int i = 0; i < 4; ++i) {
        labels.push_back(c.s.get("feedback." + std::to_string(i + 1)));
        widest = std::max(widest, f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, labels.back())).x);
    }
    // All four in a row whenever their names fit (never only the sad faces in view above the fold).
    const float need = std::max(L.px(96), widest + L.px(16));
    const int cols = columnsFor(avail, need, gap, 4) >= 4 ? 4 : 2;
    const float colMax = (avail - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    // Smaller faces rather than faces under the bottom bar (never under a fingertip's 96 px).
    const float rows = cols == 4 ? 1.0f : 2.0f;
    const float room = ImGui::GetWindowHeight() - L.fx(104) - ImGui::GetCursorPosY() - L.px(38);
    const float tile = std::max(L.px(96), std::min({L.px(200), colMax, room / rows - L.px(50) - gap}));
    const float colW = std::max(tile, std::min(widest + L.px(16), colMax));
    float labelH = L.px(50);
    for (const auto& label : labels)
        labelH = std::max(labelH, wrappedInk(f, shown(L.rtl, label), colW - L.px(8)).y + L.px(14));
    const bool tapAllowed = beginScreenScroll(st, c, "feedback");
    const float x0 =
        (ImGui::GetWindowWidth() - static_cast<float>(cols) * colW - static_cast<float>(cols - 1) * gap) *
        0.5f;
    const float y0 = L.px(30);
    const ImU32 fills[4] = {IM_COL32(235, 130, 110, 255), IM_COL32(245, 185, 110, 255),
                            IM_COL32(170, 200, 110, 255), IM_COL32(100, 180, 120, 255)};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int i = 0; i < 4; ++i) {
        ImGui::SetCursorPos(ImVec2(x0 + static_cast<float>(i % cols) * (colW + gap),
                                   y0 + static_cast<float>(i / cols) * (tile + labelH + gap)));
        ImVec2 pos = ImGui::GetCursorScreenPos();
        const std::string& label = labels[static_cast<std::size_t>(i)];
        ImGui::PushID(i);
        bool pressed = touchTarget(c.reg, "##face", ImVec2(colW, tile + labelH));
        ImGui::PopID();
        face(dl, ImVec2(pos.x + colW * 0.5f, pos.y + tile * 0.5f), tile * 0.42f, i + 1,
             p.highContrast ? p.accent : fills[i], p.highContrast ? p.accentInk : IM_COL32(60, 40, 30, 255));
        const ImVec2 ts = wrappedInk(f, shown(L.rtl, label), colW - L.px(8));
        (void)addText(dl, L.rtl, f, ImVec2(pos.x + (colW - ts.x) * 0.5f, pos.y + tile + L.px(8)), p.ink,
                      label, colW - L.px(8));
        c.reg.record(label, pos, ImVec2(pos.x + colW, pos.y + tile + labelH),
                     ImVec2(ts.x, tile + L.px(8) + ts.y));
        say(c, label, pos, ImVec2(pos.x + colW, pos.y + tile + labelH));
        if (pressed && tapAllowed) {
            fx.feedbackScore = i + 1;
            st.feedbackGiven = true;
            st.go(Screen::Goodbye);
        }
    }
    ImGui::SetCursorPosY(y0 + rows * (tile + labelH + gap));
    (void)endScreenScroll(c);
    auto b = bottomBar(c, std::string(), c.s.get("button.skip"), true, ButtonKind::Secondary);
    if (b.primary) st.go(Screen::Goodbye);
}

void drawGoodbye(VisitorState& st, ScreenContext& c, Effect& fx) {
    topBar(st, c, fx, false);
    ImGui::Dummy(ImVec2(1, c.look.px(90)));
    centredLine(c, c.look.fonts.title, c.s.get("goodbye.title"), c.look.palette.ink);
    centredLine(c, c.look.fonts.body, c.s.get("goodbye.text"), c.look.palette.inkSoft);
    auto b = bottomBar(c, std::string(), c.s.get("goodbye.home"));
    if (b.primary) fx.restart = true;
}

} // namespace

// [SECTION] idle prompt, dispatch -------------------------------------------

bool drawIdlePrompt(ScreenContext& c, int secondsLeft) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImDrawList* dl = beginOverlay("idle", 170);
    c.reg.cover(ImVec2(0, 0), ds); // the screen beneath takes no tap while the question is asked
    WidgetRegistry::CoverScope own(c.reg);
    ImVec2 size(std::min(ds.x - L.px(80), L.px(760)), L.px(360));
    ImVec2 pos((ds.x - size.x) * 0.5f, (ds.y - size.y) * 0.5f);
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.surface, L.px(24));
    if (p.highContrast) dl->AddRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.ink, L.px(24), 0, L.px(3));
    std::string q = c.s.get("idle.question");
    std::string left = c.s.plural("idle.countdown", secondsLeft);
    ImFont* t = L.fonts.title;
    ImVec2 qs = t->CalcTextSizeA(t->FontSize, FLT_MAX, 0, shown(L.rtl, q));
    (void)addText(dl, L.rtl, t, ImVec2(pos.x + (size.x - qs.x) * 0.5f, pos.y + L.px(50)), p.ink, q);
    ImFont* b = L.fonts.body;
    ImVec2 ls = b->CalcTextSizeA(b->FontSize, FLT_MAX, 0, shown(L.rtl, left));
    (void)addText(dl, L.rtl, b, ImVec2(pos.x + (size.x - ls.x) * 0.5f, pos.y + L.px(120)), p.inkSoft, left);
    ImVec2 lpos(pos.x + (size.x - ls.x) * 0.5f, pos.y + L.px(120));
    c.reg.recordText(left, lpos, ImVec2(lpos.x + ls.x, lpos.y + ls.y), ls);
    c.reg.recordText(q, ImVec2(pos.x, pos.y + L.px(50)), ImVec2(pos.x + size.x, pos.y + L.px(50) + qs.y),
                     ImVec2(qs.x + L.px(16), qs.y));
    say(c, q, pos, ImVec2(pos.x + size.x, pos.y + L.px(110)));
    say(c, left, lpos, ImVec2(lpos.x + ls.x, lpos.y + ls.y));
    float bw = L.px(420);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + (size.x - bw) * 0.5f, pos.y + size.y - L.px(130)));
    bool here = bigButton(L, c.reg, c.s.get("idle.here"), ImVec2(bw, L.px(84)));
    sayLastItem(c, c.s.get("idle.here"));
    ImGui::End();
    return here;
}

Effect drawVisitor(VisitorState& st, ScreenContext& c) {
    Effect fx;
    switch (st.screen) {
    case Screen::Welcome:
        drawWelcome(st, c, fx);
        break;
    case Screen::GuidedThemes:
    case Screen::GuidedWhen:
    case Screen::GuidedHow:
    case Screen::GuidedOften:
    case Screen::GuidedResults:
        drawGuided(st, c, fx);
        break;
    case Screen::Offers:
        drawOffers(st, c, fx);
        break;
    case Screen::Search:
        drawSearch(st, c, fx);
        break;
    case Screen::Detail:
        drawDetail(st, c, fx);
        break;
    case Screen::FirstName:
        drawFirstName(st, c, fx);
        break;
    case Screen::Contact:
        drawContact(st, c, fx);
        break;
    case Screen::Moment:
        drawMoment(st, c, fx);
        break;
    case Screen::Message:
        drawMessage(st, c, fx);
        break;
    case Screen::CallbackWhen:
        drawCallbackWhen(st, c, fx);
        break;
    case Screen::Consent:
        drawConsent(st, c, fx);
        break;
    case Screen::Saving:
        drawSaving(st, c, fx);
        break;
    case Screen::SaveFailed:
        drawSaveFailed(st, c, fx);
        break;
    case Screen::Declined:
        drawDeclined(st, c, fx);
        break;
    case Screen::Confirmation:
        drawConfirmation(st, c, fx);
        break;
    case Screen::Feedback:
        drawFeedback(st, c, fx);
        break;
    case Screen::Goodbye:
        drawGoodbye(st, c, fx);
        break;
    case Screen::Words:
        drawWords(st, c, fx);
        break;
    }
    drawWordsButton(st, c);
    drawRestartQuestion(st, c, fx);
    drawLanguageMenu(st, c, fx);
    return fx;
}

} // namespace comptoir::ui
