// Agent follow-up: the form of a local one-off offer — its title typed, then each choice stepped.
#include "agent_followup_draw.hpp"

namespace comptoir::ui {

using namespace followup;

LocalOfferIntent drawLocalOfferForm(AgentFrame& f, const LocalOfferVm& vm, KeyboardState& keyboard) {
    LocalOfferIntent intent;
    const Look& L = f.look;
    const Palette& p = L.palette;
    float w = available(f);
    text(f, L.fonts.title, f.s.get("offers.local.title"), w, p.ink);
    gap(f, 8);
    if (vm.stage != LocalOfferVm::Stage::Choices) {
        bool title = vm.stage == LocalOfferVm::Stage::Title;
        const std::string& typed = title ? vm.title : vm.description;
        if (!title) text(f, L.fonts.bold, vm.title, w, p.ink);
        text(f, L.fonts.bold, f.s.get(title ? "offers.local.name" : "offers.local.description"), w, p.ink);
        textBox(f, typed, w, title ? 1 : 2); // the description wraps over two lines
        if (!vm.problem.empty()) text(f, L.fonts.bold, vm.problem, w, p.accent);
        gap(f, 8);
        int tapped =
            buttonRow(f, {f.s.get("offers.local.next"), f.s.get("followup.cancel")}, ButtonKind::Primary, w);
        if (tapped == 0) intent.kind = LocalOfferIntent::Kind::Next;
        if (tapped == 1) intent.kind = LocalOfferIntent::Kind::Cancel;
        gap(f, 8);
        if (auto key = keyboardBelow(f, KeyboardLayout::Letters, keyboard, w)) {
            intent.kind = LocalOfferIntent::Kind::Key;
            intent.key = *key;
        }
        return intent;
    }
    text(f, L.fonts.bold, vm.title, w, p.ink);
    gap(f, 8);
    // One line per choice: its name, then ‹ value ›, the buttons big enough for a finger.
    const ImVec2 arrow(L.fx(64), L.fx(56));
    float labelW = std::min(w * 0.3f, L.px(260));
    float valueW = std::max(L.px(120), std::min(w - labelW - 2 * arrow.x - L.px(24), L.px(520)));
    for (std::size_t i = 0; i < vm.steppers.size(); ++i) {
        const auto& st = vm.steppers[i];
        ImGui::PushID(static_cast<int>(i));
        ImVec2 row = ImGui::GetCursorScreenPos();
        ImFont* bold = L.fonts.bold;
        (void)addText(ImGui::GetWindowDrawList(), false, bold,
                      ImVec2(row.x, row.y + (arrow.y - bold->FontSize) * 0.5f), p.ink, st.label);
        ImGui::SetCursorScreenPos(ImVec2(row.x + labelW, row.y));
        if (followup::button(f, "‹", arrow, ButtonKind::Secondary))
            intent = {LocalOfferIntent::Kind::Step, {}, i, -1};
        f.reg.record(st.label + " ‹", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        ImVec2 v(row.x + labelW + arrow.x + L.px(8), row.y);
        ImFont* body = L.fonts.body;
        ImVec4 clip(v.x, v.y, v.x + valueW, v.y + arrow.y);
        ImVec2 ts = body->CalcTextSizeA(body->FontSize, FLT_MAX, 0, st.value.c_str());
        (void)addText(
            ImGui::GetWindowDrawList(), false, body,
            ImVec2(v.x + std::max(0.0f, (valueW - ts.x) * 0.5f), v.y + (arrow.y - body->FontSize) * 0.5f),
            p.ink, st.value, 0, &clip);
        ImGui::SetCursorScreenPos(ImVec2(v.x + valueW + L.px(8), row.y));
        if (followup::button(f, "›", arrow, ButtonKind::Secondary))
            intent = {LocalOfferIntent::Kind::Step, {}, i, +1};
        f.reg.record(st.label + " ›", ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        ImGui::PopID();
        ImGui::SetCursorScreenPos(ImVec2(row.x, row.y + arrow.y + L.px(8)));
    }
    ImGui::Dummy(ImVec2(1, 1));
    if (!vm.problem.empty()) text(f, L.fonts.bold, vm.problem, w, p.accent);
    gap(f, 8);
    int tapped =
        buttonRow(f, {f.s.get("offers.local.save"), f.s.get("followup.cancel")}, ButtonKind::Primary, w);
    if (tapped == 0) intent.kind = LocalOfferIntent::Kind::Save;
    if (tapped == 1) intent.kind = LocalOfferIntent::Kind::Cancel;
    return intent;
}

} // namespace comptoir::ui
