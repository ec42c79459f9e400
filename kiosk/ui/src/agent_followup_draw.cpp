// Helpers shared by the agent follow-up screens.
#include "agent_followup_draw.hpp"

#include "comptoir/ui/agent.hpp"

#include <algorithm>

namespace comptoir::ui::followup {

bool button(AgentFrame& f, const std::string& label, ImVec2 size, ButtonKind kind) {
    return f.focus ? agentButton(f.look, f.reg, *f.focus, label, size, kind)
                   : bigButton(f.look, f.reg, label, size, kind);
}

float text(AgentFrame& f, ImFont* font, const std::string& s, float width, ImU32 colour) {
    ImVec2 pos = ImGui::GetCursorScreenPos();
    (void)f; // the text records itself (addText)
    float h = addText(ImGui::GetWindowDrawList(), false, font, pos, colour, s, width);
    ImGui::Dummy(ImVec2(width, h));
    return h;
}

void gap(AgentFrame& f, float designPixels) {
    ImGui::Dummy(ImVec2(1, f.look.px(designPixels)));
}

float available(AgentFrame& f) {
    (void)f;
    return ImGui::GetContentRegionAvail().x;
}

void textBox(AgentFrame& f, const std::string& typed, float width, int lines) {
    const Look& L = f.look;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImFont* font = L.fonts.body;
    float shown = font->FontSize * static_cast<float>(lines);
    ImVec2 max(pos.x + width, pos.y + shown + L.px(24));
    dl->AddRectFilled(pos, max, L.palette.surface, L.px(12));
    dl->AddRect(pos, max, L.palette.accent, L.px(12), 0, L.px(3));
    float wrap = lines > 1 ? width - L.px(32) : 0.0f;
    float th = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, typed.c_str()).y;
    ImVec4 clip(pos.x, pos.y + L.px(6), max.x - L.px(12), max.y - L.px(6));
    (void)addText(dl, false, font, ImVec2(pos.x + L.px(16), pos.y + L.px(12) - std::max(0.0f, th - shown)),
                  L.palette.ink, typed, wrap, &clip);
    ImGui::Dummy(ImVec2(width, max.y - pos.y));
}

std::optional<KeyPress> keyboardBelow(AgentFrame& f, KeyboardLayout layout, KeyboardState& keyboard,
                                      float width) {
    KeyboardLabels labels{f.s.get("key.shift"), f.s.get("key.backspace"), f.s.get("key.space"),
                          f.s.get("key.digits"), f.s.get("key.letters")};
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float room = ImGui::GetContentRegionAvail().y;
    float height = keyboardHeight(layout, f.look, width, room);
    auto key = drawKeyboard(layout, keyboard, labels, f.look, f.reg, pos, width, f.dt, room);
    ImGui::Dummy(ImVec2(width, height));
    return key;
}

int buttonRow(AgentFrame& f, const std::vector<std::string>& labels, ButtonKind kind, float width) {
    int tapped = -1;
    float x0 = ImGui::GetCursorPosX();
    float x = 0;
    float spacing = f.look.px(12);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        ImFont* font = f.look.fonts.bold;
        float w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, labels[i].c_str()).x + f.look.px(48);
        if (x > 0 && x + w > width) { // wrap to the next line
            x = 0;
        } else if (i > 0) {
            ImGui::SameLine(x0 + x);
        }
        ImGui::SetCursorPosX(x0 + x);
        if (followup::button(f, labels[i], ImVec2(w, f.look.px(56)), kind)) tapped = static_cast<int>(i);
        x += w + spacing;
    }
    return tapped;
}

} // namespace comptoir::ui::followup
