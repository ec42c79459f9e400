// The plain screen shown when the kiosk failed several times in a row (the fallback unit): warm,
// calm, no button, nothing from the database — a visitor sees the Comptoir, never a console.

#include "comptoir/ui/pause.hpp"

#include <algorithm>
#include <cfloat>

namespace comptoir::ui {

void drawPause(const Look& look, const Strings& strings, WidgetRegistry& reg) {
    const Palette& p = look.palette;
    (void)reg; // its texts record themselves (addText)
    ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ds);
    ImGui::Begin("pause", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ds, p.background);
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ds.x, look.px(14)), p.header);
    const float wrap = std::max(look.px(200), ds.x - look.px(160));
    auto line = [&](ImFont* font, const std::string& text, float y, ImU32 colour) {
        ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, text.c_str());
        ImVec2 pos((ds.x - ts.x) * 0.5f, y);
        (void)addText(dl, false, font, pos, colour, text, wrap);
        return ts.y;
    };
    float y = ds.y * 0.38f;
    y += line(look.fonts.title, strings.get("pause.title"), y, p.ink) + look.px(24);
    line(look.fonts.body, strings.get("pause.body"), y, p.inkSoft);
    ImGui::End();
}

} // namespace comptoir::ui
