// The language button of every visitor screen and the list it opens. Each language is named in
// itself, with no flag (a flag is a country, not a language). Picking one returns it in the
// Effect; the app switches the next frame. See docs/languages.md.

#include "comptoir/ui/bidi.hpp"
#include "comptoir/ui/pictogram.hpp"
#include "screen_parts.hpp"

namespace comptoir::ui::parts {

namespace {

const std::string& currentName(const ScreenContext& c) {
    for (const auto& l : *c.languages)
        if (l.code == c.s.language()) return l.name;
    return c.languages->front().name;
}

} // namespace

float languageButtonWidth(const ScreenContext& c) {
    if (!c.languages || c.languages->size() < 2) return 0;
    ImFont* f = c.look.fonts.bold;
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(c.look.rtl, currentName(c))).x + c.look.px(36) +
           c.look.fx(44);
}

bool languageButton(VisitorState& st, ScreenContext& c, ImVec2 pos, float height, ButtonKind kind) {
    if (!c.languages || c.languages->size() < 2) return false;
    const Look& L = c.look;
    float w = languageButtonWidth(c);
    ImGui::SetCursorPos(pos);
    ImVec2 screen = ImGui::GetCursorScreenPos();
    bool tapped = bigButton(L, c.reg, currentName(c), ImVec2(w, height), kind);
    ImU32 ink = kind == ButtonKind::Primary ? L.palette.accentInk : L.palette.ink;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // bigButton centred the name; the globe goes in the room left of it.
    ImFont* f = L.fonts.bold;
    float textW = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, currentName(c))).x;
    float gx = screen.x + (w - textW) * 0.5f - L.fx(22);
    drawPictogram(dl, "globe", ImVec2(gx, screen.y + height * 0.5f), L.fx(14), ink);
    if (tapped) st.languageMenuOpen = !st.languageMenuOpen;
    return tapped;
}

void drawLanguageMenu(VisitorState& st, ScreenContext& c, Effect& fx) {
    if (!st.languageMenuOpen || !c.languages || c.languages->size() < 2) return;
    const Look& L = c.look;
    const Palette& p = L.palette;
    ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImDrawList* dl = beginOverlay("languages", 150);
    c.reg.cover(ImVec2(0, 0), ds); // the screen beneath takes no tap while the list is open
    WidgetRegistry::CoverScope own(c.reg);
    const auto n = static_cast<float>(c.languages->size());
    float rowH = L.fx(76), gap = L.fx(12);
    ImVec2 size(std::min(ds.x - L.fx(80), L.fx(520)), L.fx(120) + n * (rowH + gap));
    ImVec2 pos((ds.x - size.x) * 0.5f, std::max(L.fx(20), (ds.y - size.y) * 0.5f));
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.surface, L.fx(24));
    if (p.highContrast) dl->AddRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.ink, L.fx(24), 0, L.fx(2));
    ImFont* t = L.fonts.bold;
    const std::string& title = c.s.get("language.choose");
    ImVec2 ts = t->CalcTextSizeA(t->FontSize, FLT_MAX, 0, shown(L.rtl, title));
    ImVec2 tpos(pos.x + (size.x - ts.x) * 0.5f, pos.y + L.fx(32));
    (void)addText(dl, L.rtl, t, tpos, p.ink, title);
    float y = pos.y + L.fx(96);
    for (const auto& l : *c.languages) {
        ImGui::SetCursorScreenPos(ImVec2(pos.x + L.fx(32), y));
        bool current = l.code == c.s.language();
        if (bigButton(L, c.reg, l.name, ImVec2(size.x - L.fx(64), rowH),
                      current ? ButtonKind::Primary : ButtonKind::Secondary)) {
            if (!current) fx.language = l.code;
            st.languageMenuOpen = false;
        }
        y += rowH + gap;
    }
    // A tap on the dimmed screen around the list closes it, changing nothing. Submitted after
    // the languages so that they, not this, take a tap on them.
    ImGui::SetCursorPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("##outside", ds)) st.languageMenuOpen = false;
    ImGui::End();
}

} // namespace comptoir::ui::parts
