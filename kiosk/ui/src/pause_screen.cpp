// The plain screens: the one shown when the kiosk failed several times in a row (the fallback
// unit), warm, calm, no button, nothing from the database — a visitor sees the Comptoir, never a
// console; and the night screen, almost black, that any touch wakes.

#include "comptoir/ui/pause.hpp"

#include <algorithm>

namespace comptoir::ui {

namespace {

/// A full-screen window with nothing to tap, on `background`.
ImDrawList* beginPlainScreen(const char* name, ImU32 background) {
    ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ds);
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ds, background);
    return dl;
}

/// One centred (wrapped) line at `y`, recorded as visible text; returns its height.
float centredText(const Look& look, ImDrawList* dl, ImFont* font, const std::string& text, float y,
                  ImU32 colour) {
    const float width = ImGui::GetIO().DisplaySize.x;
    return addCentredText(dl, look.rtl, font, width * 0.5f, y, colour, text,
                          std::max(look.px(200), width - look.px(160)));
}

} // namespace

void drawPause(const Look& look, const Strings& strings) {
    const Palette& p = look.palette;
    ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImDrawList* dl = beginPlainScreen("pause", p.background);
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ds.x, look.px(14)), p.header);
    float y = ds.y * 0.38f;
    y += centredText(look, dl, look.fonts.title, strings.get("pause.title"), y, p.ink) + look.px(24);
    centredText(look, dl, look.fonts.body, strings.get("pause.body"), y, p.inkSoft);
    ImGui::End();
}

void drawNight(const Look& look, const Strings& strings) {
    ImDrawList* dl = beginPlainScreen("night", kNightBackground);
    centredText(look, dl, look.fonts.body, strings.get("night.touch"), ImGui::GetIO().DisplaySize.y * 0.47f,
                kNightInk);
    ImGui::End();
}

} // namespace comptoir::ui
