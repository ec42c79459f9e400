// The layout helpers every visitor screen shares: header band, bottom bar, fields, kind
// messages, chips, keyboards. Kept apart so that new screen groups (saving, agent mode) use
// them without growing visitor_screens.cpp.

#include "screen_parts.hpp"

#include "comptoir/ui/bidi.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace comptoir::ui::parts {

ImVec4 col(ImU32 c) {
    return ImGui::ColorConvertU32ToFloat4(c);
}

float margin(const ScreenContext& c) {
    return c.look.px(40);
}

void say(const ScreenContext& c, const std::string& text, ImVec2 min, ImVec2 max) {
    if (c.readable) c.readable->add(text, min, max);
}

void sayLastItem(const ScreenContext& c, const std::string& text) {
    say(c, text, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

/// Text wrapped to `width` at the cursor; returns its height.
float paragraph(const ScreenContext& c, ImFont* font, const std::string& text, float width, ImU32 colour) {
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float h = addText(ImGui::GetWindowDrawList(), c.look.rtl, font, pos, colour, text, width);
    say(c, text, pos, ImVec2(pos.x + width, pos.y + h));
    ImGui::Dummy(ImVec2(width, h));
    return h;
}

void title(const ScreenContext& c, const std::string& text) {
    float w = ImGui::GetWindowWidth() - 2 * margin(c);
    ImGui::SetCursorPosX(margin(c));
    paragraph(c, c.look.fonts.title, text, w, c.look.palette.ink);
}

/// The header band with the look choices and, except on the welcome screen, "Recommencer".
void topBar(VisitorState& st, ScreenContext& c, Effect& fx, bool showRestart) {
    const Look& L = c.look;
    ImGui::SetCursorPos(ImVec2(0, 0));
    float h = L.fx(112);
    float x = ImGui::GetWindowWidth() - L.px(24);
    // The band first, its buttons next, the title last in whatever room the buttons leave.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImDrawListSplitter split;
    split.Split(dl, 2);
    split.SetCurrentChannel(dl, 1);
    float bh = L.fx(56);
    float y = (h - bh) * 0.5f;
    auto place = [&](const std::string& label, ButtonKind kind) {
        ImFont* f = L.fonts.bold;
        float w = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, label)).x + L.px(36);
        x -= w;
        ImGui::SetCursorPos(ImVec2(x, y));
        bool pressed = bigButton(L, c.reg, label, ImVec2(w, bh), kind);
        x -= L.px(10);
        return pressed;
    };
    // On the coloured band the chosen option is white, the others soft.
    const ButtonKind chosen = L.palette.highContrast ? ButtonKind::Primary : ButtonKind::Secondary;
    // Rightmost, on every visitor screen: the way in for someone who does not read French.
    if (float lw = languageButtonWidth(c); lw > 0) {
        x -= lw;
        (void)languageButton(st, c, ImVec2(x, y), bh, st.languageMenuOpen ? chosen : ButtonKind::Secondary);
        x -= L.px(24);
    }
    if (place(c.s.get("look.contrast"), c.lookChoice.highContrast ? chosen : ButtonKind::Quiet)) {
        c.lookChoice.highContrast = !c.lookChoice.highContrast;
        fx.lookChanged = true;
    }
    for (int size = 2; size >= 0; --size) {
        std::string label = size == 0 ? "A" : size == 1 ? "A+" : "A++";
        if (place(label, c.lookChoice.textSize == size ? chosen : ButtonKind::Quiet) &&
            c.lookChoice.textSize != size) {
            c.lookChoice.textSize = size;
            fx.lookChanged = true;
        }
    }
    x -= L.px(14);
    if (c.speech) {
        // Read-aloud: "Écouter" turns it on for the whole visit; then "Répéter" and the volume.
        SpeechChoice& sp = *c.speech;
        if (sp.on) {
            const char* volumeKey[3] = {"speech.volume.soft", "speech.volume.normal", "speech.volume.loud"};
            if (place(c.s.get(volumeKey[std::clamp(sp.volume, 0, 2)]), ButtonKind::Quiet)) {
                sp.volume = (sp.volume + 1) % 3;
                fx.readScreen = true; // hear the new volume at once
            }
            if (place(c.s.get("speech.repeat"), chosen)) fx.readScreen = true;
        } else if (place(c.s.get("detail.listen"), ButtonKind::Secondary)) {
            sp.on = true;
            fx.readScreen = true;
        }
        x -= L.px(14);
    }
    if (showRestart && place(c.s.get("button.restart"), ButtonKind::Secondary)) fx.restart = true;
    split.SetCurrentChannel(dl, 0);
    ImGui::SetCursorPos(ImVec2(0, 0));
    // A read-aloud that cannot be heard is said where the eye goes first, never a silent button.
    std::string subtitle = c.speechUnavailable && c.speech && c.speech->on ? c.s.get("speech.unavailable")
                           : st.screen == Screen::Welcome                  ? c.s.get("app.tagline")
                                                                           : std::string();
    (void)drawHeader(L, c.siteName, subtitle, x);
    split.Merge(dl);
    ImGui::SetCursorPos(ImVec2(margin(c), h + L.fx(24)));
}

/// The header of a one-question screen: "Étape n sur N" and the question.
void stepHeader(VisitorState& st, ScreenContext& c, Effect& fx, const std::string& question, int step,
                int steps) {
    topBar(st, c, fx, true);
    ImGui::SetCursorPosX(margin(c));
    ImGui::PushFont(c.look.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, col(c.look.palette.inkSoft));
    std::string progress =
        c.s.format("form.step", {{"n", std::to_string(step)}, {"total", std::to_string(steps)}});
    textItem(c.look.rtl, progress);
    sayLastItem(c, progress);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    title(c, question);
    ImGui::Dummy(ImVec2(1, c.look.px(8)));
}

/// "Retour" on the left, the main action on the right, pinned to the bottom of the screen.
BottomBar bottomBar(ScreenContext& c, const std::string& backLabel, const std::string& primaryLabel,
                    bool primaryEnabled, ButtonKind primaryKind) {
    BottomBar b;
    const Look& L = c.look;
    float y = ImGui::GetWindowHeight() - L.fx(88);
    if (!backLabel.empty()) {
        ImGui::SetCursorPos(ImVec2(margin(c), y));
        b.back = bigButton(L, c.reg, backLabel, ImVec2(0, L.fx(64)), ButtonKind::Secondary);
    }
    if (!primaryLabel.empty()) {
        ImFont* f = L.fonts.bold;
        float w = std::max(
            L.px(260), f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, primaryLabel)).x + L.px(64));
        ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - margin(c) - w, y));
        bool pressed = bigButton(L, c.reg, primaryLabel, ImVec2(w, L.fx(64)),
                                 primaryEnabled ? primaryKind : ButtonKind::Disabled);
        b.primary = pressed && primaryEnabled;
        b.primaryRefused = pressed && !primaryEnabled;
        if (primaryEnabled) sayLastItem(c, primaryLabel);
    }
    return b;
}

/// A text field as a big rounded box with a steady caret (no blinking: no redraw needed).
void field(ScreenContext& c, const std::string& label, const std::string& value, float width) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    ImGui::SetCursorPosX(margin(c));
    ImGui::PushFont(L.fonts.body);
    ImGui::PushStyleColor(ImGuiCol_Text, col(p.inkSoft));
    textItem(L.rtl, label);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::SetCursorPosX(margin(c));
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImVec2 size(width, L.px(72));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.surface, L.px(14));
    dl->AddRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.accent, L.px(14), 0, L.px(3));
    ImFont* f = L.fonts.title;
    const char* text = shown(L.rtl, value);
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, text);
    float tx = pos.x + L.px(20);
    float visible = size.x - L.px(48);
    ImVec4 clip(pos.x + L.px(8), pos.y, pos.x + size.x - L.px(8), pos.y + size.y);
    if (ts.x > visible) tx -= ts.x - visible; // keep the end (and the caret) in view
    float ty = pos.y + (size.y - f->FontSize) * 0.5f;
    (void)addText(dl, L.rtl, f, ImVec2(tx, ty), p.ink, value, 0, &clip);
    float cx = std::min(tx + ts.x + L.px(3), pos.x + size.x - L.px(20));
    dl->AddRectFilled(ImVec2(cx, ty + L.px(4)), ImVec2(cx + L.px(3), ty + f->FontSize - L.px(2)), p.accent);
    say(c, label, pos, ImVec2(pos.x + size.x, pos.y + size.y)); // the field's name, never what was typed
    ImGui::Dummy(size);
}

void problemLine(ScreenContext& c, const std::string& problem, float x, float width) {
    if (problem.empty()) return;
    const Look& L = c.look;
    ImGui::SetCursorPosX(x < 0 ? margin(c) : x);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float w = width > 0 ? width : ImGui::GetWindowWidth() - 2 * margin(c);
    ImFont* f = L.fonts.bold;
    float h = f->CalcTextSizeA(f->FontSize, FLT_MAX, w - L.px(60), shown(L.rtl, problem)).y + L.px(16);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h),
                      L.palette.highContrast ? L.palette.surface : IM_COL32(253, 232, 200, 255), L.px(10));
    dl->AddCircleFilled(ImVec2(pos.x + L.px(24), pos.y + h * 0.5f), L.px(13), IM_COL32(230, 150, 40, 255));
    (void)addText(dl, false, f, ImVec2(pos.x + L.px(18), pos.y + h * 0.5f - f->FontSize * 0.5f),
                  IM_COL32(255, 255, 255, 255), "!");
    (void)addText(dl, L.rtl, f, ImVec2(pos.x + L.px(48), pos.y + L.px(8)), L.palette.ink, problem,
                  w - L.px(60));
    say(c, problem, pos, ImVec2(pos.x + w, pos.y + h));
    ImGui::Dummy(ImVec2(w, h));
}

KeyboardLabels keyboardLabels(const Strings& s) {
    return {s.get("key.shift"), s.get("key.backspace"), s.get("key.space"), s.get("key.digits"),
            s.get("key.letters")};
}

/// The keyboard pinned above the bottom bar; returns the key tapped.
std::optional<KeyPress> keyboardAtBottom(VisitorState& st, ScreenContext& c, KeyboardLayout layout) {
    const Look& L = c.look;
    float width = std::min(ImGui::GetWindowWidth() - 2 * margin(c), L.fx(1100));
    if (layout == KeyboardLayout::Digits) width = std::min(width, L.fx(420));
    // Whatever is above (question, field, message) stays in view: keys shrink first.
    float room = ImGui::GetWindowHeight() - L.fx(104) - ImGui::GetCursorPosY() - L.fx(12);
    float h = keyboardHeight(layout, L, width, room);
    ImVec2 pos((ImGui::GetWindowWidth() - width) * 0.5f, ImGui::GetWindowHeight() - L.fx(104) - h);
    return drawKeyboard(layout, st.keyboard, keyboardLabels(c.s), L, c.reg, pos, width, c.dt, room);
}

void confirmChoice(ScreenContext& c, const std::string& label, bool& pressed, float y) {
    ImGui::SetCursorPos(ImVec2(margin(c), y));
    pressed =
        bigButton(c.look, c.reg, label,
                  ImVec2(std::min(ImGui::GetWindowWidth() - 2 * margin(c), c.look.px(720)), c.look.px(72)),
                  ButtonKind::Secondary);
    sayLastItem(c, label);
}

std::string addDays(const std::string& today, int days) {
    std::tm tm{};
    tm.tm_year = std::atoi(today.substr(0, 4).c_str()) - 1900;
    tm.tm_mon = std::atoi(today.substr(5, 2).c_str()) - 1;
    tm.tm_mday = std::atoi(today.substr(8, 2).c_str()) + days;
    tm.tm_hour = 12;
    std::mktime(&tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

void centredLine(ScreenContext& c, ImFont* f, const std::string& text, ImU32 colour) {
    float w = ImGui::GetWindowWidth() - 2 * margin(c);
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, w, shown(c.look.rtl, text));
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - ts.x) * 0.5f);
    paragraph(c, f, text, w, colour);
}

} // namespace comptoir::ui::parts
