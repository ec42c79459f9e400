#include "comptoir/ui/offer_list.hpp"

#include "comptoir/ui/bidi.hpp"

#include "comptoir/domain/when.hpp"
#include "comptoir/ui/pictogram.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace comptoir::ui {

// [SECTION] view-model ------------------------------------------------------

std::vector<OfferCardVm> buildOfferCards(const Catalogue& c, const Strings& s) {
    std::vector<OfferCardVm> cards;
    std::unordered_map<std::string, const Organisation*> orgs;
    std::unordered_map<std::string, const Neighbourhood*> places;
    std::unordered_map<std::string, const Theme*> themes;
    for (const auto& o : c.organisations)
        orgs[o.id] = &o;
    for (const auto& n : c.neighbourhoods)
        places[n.id] = &n;
    for (const auto& t : c.themes)
        themes[t.id] = &t;
    cards.reserve(c.offers.size());
    for (std::uint32_t index = 0; index < c.offers.size(); ++index) {
        const Offer& o = c.offers[index];
        if (o.status != OfferStatus::Published) continue;
        OfferCardVm card;
        card.id = o.id;
        card.offerIndex = index;
        const OfferTranslation* tr = translationOf(o, s.language());
        card.title = tr ? tr->title : o.title; // the French title when the catalogue has no translation
        if (auto it = orgs.find(o.organisationId); it != orgs.end())
            card.organisation = s.format("offer.by", {{"organisation", it->second->name}});
        if (auto it = places.find(o.neighbourhoodId); it != places.end())
            card.neighbourhood = it->second->name;
        if (auto it = themes.find(o.themeId); it != themes.end()) card.pictogram = it->second->pictogram;
        card.themeId = o.themeId;
        card.when = describeWhen(o, s);
        card.duration = describeDuration(o, s);
        card.full = !o.registrationOpen || o.placesLeft == 0;
        if (card.full) card.badges.push_back(s.get("offer.badge.full"));
        card.permisCitoyen = o.permisCitoyen; // early: a word "Mots difficiles" explains
        if (o.permisCitoyen) card.badges.push_back(s.get("offer.badge.permis"));
        card.badges.push_back(
            s.get(o.rhythm == Rhythm::Regular ? "offer.badge.regular" : "offer.badge.one_off"));
        if (o.stepFree) card.badges.push_back(s.get("offer.badge.step_free"));
        if (o.minAge > 0 && o.minAge < 18) card.badges.push_back(s.plural("offer.badge.minors", o.minAge));
        if (o.groupFriendly) card.badges.push_back(s.get("offer.badge.group"));
        if (o.prerequisites.empty()) card.badges.push_back(s.get("offer.badge.no_prerequisite"));
        cards.push_back(std::move(card));
    }
    return cards;
}

// [SECTION] drawing ---------------------------------------------------------

namespace {

bool headerTitleFits(const Look& look, const std::string& title, float textRight) {
    const float x = ImGui::GetWindowPos().x + look.fx(116); // right of the logo
    return !title.empty() &&
           look.fonts.title->CalcTextSizeA(look.fonts.title->FontSize, FLT_MAX, 0, shown(look.rtl, title))
                   .x <= ImGui::GetWindowPos().x + textRight - x - look.fx(16);
}

enum class TaglinePlace { Line, Wrapped, None };

/// Where the tagline goes in the room right of the logo, left of `textRight` and above
/// `textBottom` (window coordinates): on one line under the title, wrapped in the title's place
/// when there is no title, or nowhere (the caller lays it out elsewhere).
TaglinePlace taglinePlace(const Look& look, const std::string& title, const std::string& tagline,
                          float textRight, float textBottom, float* wrappedHeight = nullptr) {
    if (tagline.empty()) return TaglinePlace::None;
    const float room = textRight - look.fx(116) - look.fx(16);
    const char* text = shown(look.rtl, tagline);
    ImFont* body = look.fonts.body;
    if (body->CalcTextSizeA(body->FontSize, FLT_MAX, 0, text).x <= room &&
        look.fx(64) + body->FontSize <= textBottom)
        return TaglinePlace::Line;
    if (headerTitleFits(look, title, textRight) || room <= 0) return TaglinePlace::None;
    ImFont* small = look.fonts.small;
    const float th = measureText(look.rtl, small, tagline, room).y;
    if (wrappedHeight) *wrappedHeight = th;
    return th <= textBottom - look.fx(12) ? TaglinePlace::Wrapped : TaglinePlace::None;
}

} // namespace

bool drawHeaderTitle(const Look& look, const std::string& title, float textRight) {
    if (!headerTitleFits(look, title, textRight)) return false;
    ImVec2 origin = ImGui::GetWindowPos();
    (void)addText(ImGui::GetWindowDrawList(), look.rtl, look.fonts.title,
                  ImVec2(origin.x + look.fx(116), origin.y + look.fx(14)), look.palette.headerInk, title);
    return true;
}

bool headerTaglineFits(const Look& look, const std::string& title, const std::string& tagline,
                       float textRight, float textBottom) {
    return taglinePlace(look, title, tagline, textRight, textBottom) != TaglinePlace::None;
}

float drawHeader(const Look& look, const std::string& title, const std::string& tagline, float textRight,
                 float height, float textBottom) {
    const Palette& p = look.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 origin = ImGui::GetWindowPos();
    float width = ImGui::GetWindowWidth();
    float h = height > 0 ? height : look.fx(112);
    if (textBottom <= 0) textBottom = h;
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + h), p.header);
    if (!p.highContrast) {
        // soft circles give the band some warmth without an image file
        dl->PushClipRect(origin, ImVec2(origin.x + width, origin.y + h), true);
        dl->AddCircleFilled(ImVec2(origin.x + width - look.fx(60), origin.y + look.fx(10)), look.fx(90),
                            kHeaderGlow, 48);
        dl->AddCircleFilled(ImVec2(origin.x + width - look.fx(190), origin.y + h), look.fx(55),
                            IM_COL32(242, 165, 65, 70), 48);
        dl->PopClipRect();
    }
    float x = origin.x + look.fx(32);
    // logo: a sun-like mark in a circle
    ImVec2 logo(x + look.fx(32), origin.y + look.fx(56));
    dl->AddCircleFilled(logo, look.fx(32), p.highContrast ? p.accent : IM_COL32(255, 246, 232, 255), 40);
    drawPictogram(dl, "hands", logo, look.fx(40), p.highContrast ? p.accentInk : p.accent);
    x += look.fx(84);
    (void)drawHeaderTitle(look, title, textRight);
    float th = 0;
    switch (taglinePlace(look, title, tagline, textRight, textBottom, &th)) {
    case TaglinePlace::Line:
        (void)addText(dl, look.rtl, look.fonts.body, ImVec2(x, origin.y + look.fx(64)), p.headerInk, tagline);
        break;
    case TaglinePlace::Wrapped:
        // A note too long for one line (read-aloud not working) takes the title's place, wrapped:
        // said where the eye goes first.
        (void)addText(dl, look.rtl, look.fonts.small, ImVec2(x, origin.y + (textBottom - th) * 0.5f),
                      p.headerInk, tagline, textRight - look.fx(116) - look.fx(16));
        break;
    case TaglinePlace::None:
        break;
    }
    return h;
}

namespace {

void drawCard(const OfferCardVm& card, const Look& look, ImVec2 pos, ImVec2 size, bool pressed) {
    const Palette& p = look.palette;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 max(pos.x + size.x, pos.y + size.y);
    float r = look.px(18);
    if (!p.highContrast)
        dl->AddRectFilled(ImVec2(pos.x, pos.y + look.px(4)), ImVec2(max.x, max.y + look.px(4)), p.shadow, r);
    dl->AddRectFilled(pos, max, p.surface, r);
    if (p.highContrast) dl->AddRect(pos, max, p.ink, r, 0, look.px(2));
    if (pressed) dl->AddRectFilled(pos, max, IM_COL32(0, 0, 0, 25), r);
    ImU32 tc = themeColour(card.themeId, p);
    // theme stripe with its pictogram
    float stripe = look.px(92);
    dl->AddRectFilled(pos, ImVec2(pos.x + stripe, max.y), tc, r, ImDrawFlags_RoundCornersLeft);
    drawPictogram(dl, card.pictogram, ImVec2(pos.x + stripe * 0.5f, pos.y + look.px(58)), look.px(52),
                  p.highContrast ? p.accentInk : IM_COL32(255, 255, 255, 255));
    float x = pos.x + stripe + look.px(20);
    float textWidth = max.x - x - look.px(20);
    ImVec4 clip(pos.x, pos.y, max.x - look.px(12), max.y);
    float y = pos.y + look.px(16);
    ImFont* bold = look.fonts.bold;
    float titleH = addText(dl, look.rtl, bold, ImVec2(x, y), p.ink, card.title, textWidth, &clip);
    y += std::min(titleH, bold->FontSize * 2.3f) + look.px(6);
    ImFont* body = look.fonts.body;
    ImFont* small = look.fonts.small;
    std::string who = card.organisation + (card.neighbourhood.empty() ? "" : " · " + card.neighbourhood);
    (void)addText(dl, look.rtl, small, ImVec2(x, y), p.inkSoft, who, 0, &clip);
    y += small->FontSize + look.px(6);
    (void)addText(dl, look.rtl, body, ImVec2(x, y), p.ink, card.when, 0, &clip);
    y += body->FontSize + look.px(2);
    (void)addText(dl, look.rtl, body, ImVec2(x, y), p.inkSoft, card.duration, 0, &clip);
    // badges along the bottom, as many as fit
    float bx = x;
    float by = max.y - small->FontSize - look.px(20);
    for (size_t i = 0; i < card.badges.size(); ++i) {
        float w = badgeWidth(look, card.badges[i]);
        if (bx + w > max.x - look.px(12)) break;
        bool full = card.full && i == 0;
        ImU32 bg = full ? p.accent : p.accentSoft;
        ImU32 fg = full ? p.accentInk : p.ink;
        bx += drawBadge(dl, look, ImVec2(bx, by), card.badges[i], bg, fg) + look.px(8);
    }
}

} // namespace

bool beginTouchScroll(const char* id, ImVec2 size, OfferListState& state, const Look& look, float dt,
                      bool& animating) {
    ImGui::BeginChild(id, size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (state.scrollToTop) {
        ImGui::SetScrollY(0);
        state.velocity = 0;
        state.scrollToTop = false;
    }
    if (state.scrollBy != 0) {
        ImGui::SetScrollY(std::clamp(ImGui::GetScrollY() + state.scrollBy, 0.0f, ImGui::GetScrollMaxY()));
        state.scrollBy = 0;
    }
    // Drag to scroll with inertia: the finger moves the list; on release it keeps gliding.
    ImGuiIO& io = ImGui::GetIO();
    bool inside = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
    if (io.MouseClicked[0] && inside) {
        state.dragging = true;
        state.dragTravel = 0;
        state.velocity = 0;
        state.lastMouseY = io.MousePos.y;
    }
    if (state.dragging) {
        float dy = io.MousePos.y - state.lastMouseY;
        state.lastMouseY = io.MousePos.y;
        state.dragTravel += std::fabs(dy);
        if (state.dragTravel > look.px(12)) ImGui::SetScrollY(ImGui::GetScrollY() - dy);
        if (dt > 0) state.velocity = 0.7f * state.velocity + 0.3f * (-dy / dt);
        if (!io.MouseDown[0]) {
            state.dragging = false;
            if (state.dragTravel <= look.px(12)) state.velocity = 0;
        }
    } else if (std::fabs(state.velocity) > 5.0f) {
        ImGui::SetScrollY(
            std::clamp(ImGui::GetScrollY() + state.velocity * dt, 0.0f, ImGui::GetScrollMaxY()));
        state.velocity *= std::pow(0.05f, dt); // loses 95 % of its speed per second
        animating = true;
    } else {
        state.velocity = 0;
    }
    if (io.MouseWheel != 0 && inside) ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseWheel * look.px(120));

    if (state.dragging) animating = true;
    return state.dragTravel <= look.px(12);
}

std::optional<std::string> drawCardList(const std::vector<OfferCardVm>& cards,
                                        const std::vector<std::uint32_t>* indices, OfferListState& state,
                                        const Look& look, WidgetRegistry& reg, ImVec2 avail, float dt,
                                        bool& animating) {
    std::optional<std::string> tapped;
    const std::size_t count = indices ? indices->size() : cards.size();
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    bool tapAllowed = beginTouchScroll("offers", avail, state, look, dt, animating);

    int columns = avail.x >= look.px(1500) ? 3 : avail.x >= look.px(760) ? 2 : 1;
    float gap = look.px(20);
    ImVec2 cardSize((avail.x - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns),
                    look.px(210));
    int rows =
        static_cast<int>((count + static_cast<std::size_t>(columns) - 1) / static_cast<std::size_t>(columns));
    // Only visible rows are laid out: 10,000 offers cost the same per frame as 10.
    ImGuiListClipper clipper;
    clipper.Begin(rows, cardSize.y + gap);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            ImVec2 rowPos = ImGui::GetCursorScreenPos();
            for (int col = 0; col < columns; ++col) {
                std::size_t i = static_cast<std::size_t>(row) * static_cast<std::size_t>(columns) +
                                static_cast<std::size_t>(col);
                if (i >= count) break;
                const auto& card = cards[indices ? (*indices)[i] : i];
                ImVec2 pos(rowPos.x + static_cast<float>(col) * (cardSize.x + gap), rowPos.y + look.px(4));
                ImGui::SetCursorScreenPos(pos);
                ImGui::PushID(card.id.c_str());
                if (touchTarget(reg, "##card", cardSize) && tapAllowed) tapped = card.id;
                bool held = ImGui::IsItemActive() && state.dragTravel <= look.px(12);
                ImGui::PopID();
                drawCard(card, look, pos, cardSize, held);
                reg.record(card.title, pos, ImVec2(pos.x + cardSize.x, pos.y + cardSize.y));
                // The badge's words count as shown: the header then offers "Mots difficiles".
                if (card.permisCitoyen)
                    reg.record(card.badges[card.full ? 1 : 0], pos,
                               ImVec2(pos.x + cardSize.x, pos.y + cardSize.y));
            }
            ImGui::SetCursorScreenPos(rowPos);
            ImGui::Dummy(ImVec2(avail.x, cardSize.y + gap));
        }
    }
    clipper.End();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    return tapped;
}

std::optional<std::string> drawCompactList(const std::vector<OfferCardVm>& cards,
                                           const std::vector<std::uint32_t>& indices, OfferListState& state,
                                           const Look& look, WidgetRegistry& reg, ImVec2 avail, float dt,
                                           bool& animating) {
    std::optional<std::string> tapped;
    const Palette& p = look.palette;
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    bool tapAllowed = beginTouchScroll("compact", avail, state, look, dt, animating);
    float rowH = look.px(64), gap = look.px(8);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(indices.size()), rowH + gap);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const auto& card = cards[indices[static_cast<std::size_t>(i)]];
            ImVec2 pos = ImGui::GetCursorScreenPos();
            ImVec2 max(pos.x + avail.x, pos.y + rowH);
            ImGui::PushID(card.id.c_str());
            if (touchTarget(reg, "##row", ImVec2(avail.x, rowH)) && tapAllowed) tapped = card.id;
            bool held = ImGui::IsItemActive() && tapAllowed;
            ImGui::PopID();
            dl->AddRectFilled(pos, max, held ? p.accentSoft : p.surface, look.px(14));
            if (p.highContrast) dl->AddRect(pos, max, p.ink, look.px(14));
            ImVec2 dot(pos.x + look.px(32), pos.y + rowH * 0.5f);
            dl->AddCircleFilled(dot, look.px(22), themeColour(card.themeId, p), 32);
            drawPictogram(dl, card.pictogram, dot, look.px(26),
                          p.highContrast ? p.accentInk : IM_COL32(255, 255, 255, 255));
            ImVec4 clip(pos.x, pos.y, max.x - look.px(12), max.y);
            float x = pos.x + look.px(68);
            (void)addText(dl, look.rtl, look.fonts.bold, ImVec2(x, pos.y + look.px(6)), p.ink, card.title, 0,
                          &clip);
            std::string line = card.neighbourhood + " · " + card.when;
            (void)addText(dl, look.rtl, look.fonts.small, ImVec2(x, pos.y + look.px(36)), p.inkSoft, line, 0,
                          &clip);
            reg.record(card.title, pos, max);
            // The button moved the cursor already: one row is rowH + gap, as the clipper counts.
            ImGui::SetCursorScreenPos(pos);
            ImGui::Dummy(ImVec2(avail.x, rowH + gap));
        }
    }
    clipper.End();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    return tapped;
}

} // namespace comptoir::ui
