// Helpers shared by the agent follow-up screens.
#include "agent_followup_draw.hpp"

namespace comptoir::ui::followup {

float text(AgentFrame& f, ImFont* font, const std::string& s, float width, ImU32 colour) {
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, pos, colour, s.c_str(), nullptr, width);
    float h = font->CalcTextSizeA(font->FontSize, FLT_MAX, width, s.c_str()).y;
    f.reg.recordText(s, pos, ImVec2(pos.x + width, pos.y + h));
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
        if (bigButton(f.look, f.reg, labels[i], ImVec2(w, f.look.px(56)), kind)) tapped = static_cast<int>(i);
        x += w + spacing;
    }
    return tapped;
}

} // namespace comptoir::ui::followup
