// What a visitor sees while their registration is written and when it could not be: never a
// silent "Valider". The writing itself runs off the UI thread (app/record_writer.cpp).

#include "screen_parts.hpp"

namespace comptoir::ui::parts {

void drawSaving(VisitorState& st, ScreenContext& c, Effect& fx) {
    // No "Recommencer" while the record is being written: it is on its way either way.
    topBar(st, c, fx, false);
    ImGui::Dummy(ImVec2(1, c.look.px(120)));
    centredLine(c, c.look.fonts.title, c.s.get("save.saving"), c.look.palette.ink);
    centredLine(c, c.look.fonts.body, c.s.get("save.saving_wait"), c.look.palette.inkSoft);
}

void drawSaveFailed(VisitorState& st, ScreenContext& c, Effect& fx) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    topBar(st, c, fx, true);
    ImGui::Dummy(ImVec2(1, L.px(60)));
    centredLine(c, L.fonts.title, c.s.get("save.failed.title"), p.ink);
    ImGui::Dummy(ImVec2(1, L.px(12)));
    centredLine(c, L.fonts.body, c.s.get(st.saveKept ? "save.failed.kept" : "save.failed.not_kept"), p.ink);
    ImGui::Dummy(ImVec2(1, L.px(20)));
    centredLine(c, L.fonts.bold, c.s.get("save.failed.help"), p.ink);
    auto b = bottomBar(c, c.s.get("button.finish"), c.s.get("button.retry"));
    if (b.back) st.go(Screen::Feedback);
    if (b.primary) fx.retrySave = true;
}

} // namespace comptoir::ui::parts
