// Agent follow-up: privacy requests (GDPR art. 15 and 17) — find by reference code, export, erase
// after an explicit confirmation.
#include "agent_followup_draw.hpp"

namespace comptoir::ui {

using namespace followup;

PrivacyIntent drawPrivacyRequest(AgentFrame& f, const PrivacyVm& vm, KeyboardState& keyboard) {
    PrivacyIntent intent;
    const Palette& p = f.look.palette;
    float w = available(f);
    text(f, f.look.fonts.title, f.s.get("privacy.title"), w, p.ink);
    gap(f);

    if (vm.stage == PrivacyStage::Find) {
        text(f, f.look.fonts.bold, f.s.get("privacy.code"), w, p.ink);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImVec2 pos = ImGui::GetCursorScreenPos();
        ImFont* big = f.look.fonts.huge;
        float fieldW = std::min(w, f.look.px(420));
        float fieldH = big->FontSize + f.look.px(20);
        dl->AddRectFilled(pos, ImVec2(pos.x + fieldW, pos.y + fieldH), p.surface, f.look.px(12));
        dl->AddRect(pos, ImVec2(pos.x + fieldW, pos.y + fieldH), p.accent, f.look.px(12), 0, f.look.px(3));
        (void)addText(dl, false, big, ImVec2(pos.x + f.look.px(16), pos.y + f.look.px(10)), p.ink, vm.code);
        ImGui::Dummy(ImVec2(fieldW, fieldH));
        if (vm.notFound) text(f, f.look.fonts.bold, f.s.get("privacy.not_found"), w, p.accent);
        gap(f, 8);
        int tapped =
            buttonRow(f, {f.s.get("privacy.find"), f.s.get("followup.back")}, ButtonKind::Primary, w);
        if (tapped == 0) intent.kind = PrivacyIntent::Kind::Find;
        if (tapped == 1) intent.kind = PrivacyIntent::Kind::Back;
        gap(f, 8);
        if (auto key = keyboardBelow(f, KeyboardLayout::Search, keyboard, w)) {
            intent.kind = PrivacyIntent::Kind::Key;
            intent.key = *key;
        }
        return intent;
    }

    text(f, f.look.fonts.bold,
         f.s.format("privacy.found", {{"reference", vm.reference}, {"date", vm.createdOn}}), w, p.ink);
    text(f, f.look.fonts.body, vm.what, w, p.inkSoft);
    gap(f);
    if (!vm.message.empty()) {
        text(f, f.look.fonts.bold, vm.message, w, p.ink);
        gap(f);
    }
    if (vm.stage == PrivacyStage::ConfirmErase) {
        text(f, f.look.fonts.bold, f.s.format("privacy.confirm", {{"reference", vm.reference}}), w, p.accent);
        gap(f, 8);
        int tapped = buttonRow(f, {f.s.get("privacy.confirm_yes"), f.s.get("followup.cancel")},
                               ButtonKind::Primary, w);
        if (tapped == 0) intent.kind = PrivacyIntent::Kind::ConfirmErase;
        if (tapped == 1) intent.kind = PrivacyIntent::Kind::CancelErase;
        return intent;
    }
    if (vm.alreadyErased) text(f, f.look.fonts.body, f.s.get("privacy.already_erased"), w, p.inkSoft);
    std::vector<std::string> actions{f.s.get("privacy.export_button")};
    // Erasing twice is pointless, and after "Done" the record holds nothing personal any more.
    bool canErase = !vm.alreadyErased && vm.stage == PrivacyStage::Found;
    if (canErase) actions.push_back(f.s.get("privacy.erase_button"));
    actions.push_back(f.s.get("followup.back"));
    int tapped = buttonRow(f, actions, ButtonKind::Secondary, w);
    if (tapped == 0) intent.kind = PrivacyIntent::Kind::Export;
    if (canErase && tapped == 1) intent.kind = PrivacyIntent::Kind::AskErase;
    if (tapped == static_cast<int>(actions.size()) - 1) intent.kind = PrivacyIntent::Kind::Back;
    return intent;
}

} // namespace comptoir::ui
