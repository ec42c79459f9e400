// The layout helpers every visitor screen shares: header band, bottom bar, fields, kind
// messages, chips, keyboards. Kept apart so that new screen groups (saving, agent mode) use
// them without growing visitor_screens.cpp.

#include "screen_parts.hpp"

#include "comptoir/ui/bidi.hpp"
#include "comptoir/ui/offer_list.hpp"

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
    // visible text counts for `expect`; its widest word tells a word cut in two
    c.reg.recordText(text, pos, ImVec2(pos.x + width, pos.y + h),
                     wrappedInk(font, shown(c.look.rtl, text), width));
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
/// Buttons are placed from the right; when a row is full (portrait, large text) the next one
/// starts under it, on the band, which grows: a button is never clipped nor pushed off screen.
void topBar(VisitorState& st, ScreenContext& c, Effect& fx, bool showRestart) {
    const Look& L = c.look;
    ImGui::SetCursorPos(ImVec2(0, 0));
    const float w = ImGui::GetWindowWidth();
    const float bandH = L.fx(112);
    const float right = w - L.px(24);
    // The band first, its buttons next, the title last in whatever room the buttons leave.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImDrawListSplitter split;
    split.Split(dl, 2);
    split.SetCurrentChannel(dl, 1);
    const float bh = std::max(L.fx(56), L.px(48)); // bigButton's least height: rows never overlap
    float y = std::max(0.0f, (bandH - bh) * 0.5f);
    float x = right;
    float left = L.fx(116); // the first row leaves the logo its place
    float firstRowX = -1;   // where the first row's buttons begin: the title's room ends there
    float secondRowY = -1;  // where the second row begins: the room beside the first one ends there
    auto room = [&](float bw) {
        if (x - bw >= left || x >= right) return; // fits, or alone on its row
        if (firstRowX < 0) firstRowX = x;
        x = right;
        y += bh + L.fx(12);
        if (secondRowY < 0) secondRowY = y;
        left = L.px(24);
    };
    // A header button's width: its label in bold, with the same padding everywhere.
    auto buttonWidth = [&](const std::string& label) {
        return L.fonts.bold->CalcTextSizeA(L.fonts.bold->FontSize, FLT_MAX, 0, shown(L.rtl, label)).x +
               L.px(36);
    };
    auto place = [&](const std::string& label, ButtonKind kind) {
        const float bw = buttonWidth(label);
        room(bw);
        x -= bw;
        ImGui::SetCursorPos(ImVec2(x, y));
        bool pressed = bigButton(L, c.reg, label, ImVec2(bw, bh), kind);
        x -= L.px(10);
        return pressed;
    };
    // On the coloured band the chosen option is white, the others soft.
    const ButtonKind chosen = L.palette.highContrast ? ButtonKind::Primary : ButtonKind::Secondary;
    // Rightmost, on every visitor screen: the way in for someone who does not read French.
    if (float lw = languageButtonWidth(c); lw > 0) {
        room(lw);
        x -= lw;
        (void)languageButton(st, c, ImVec2(x, y), bh, st.languageMenuOpen ? chosen : ButtonKind::Secondary);
        x -= L.px(24);
    }
    if (place(c.s.get("look.contrast"), c.lookChoice.highContrast ? chosen : ButtonKind::Quiet)) {
        c.lookChoice.highContrast = !c.lookChoice.highContrast;
        fx.lookChanged = true;
    }
    // The three text sizes stay together on one row.
    float sizesW = 0;
    for (const char* label : {"A", "A+", "A++"})
        sizesW += buttonWidth(label) + L.px(10);
    room(sizesW - L.px(10));
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
    // "Recommencer" stands apart from the look choices (a slip of the finger must not wipe a
    // form), and asks first when something was typed.
    if (showRestart) {
        const std::string& restart = c.s.get("button.restart");
        room(buttonWidth(restart) + L.fx(40));
        if (x < right) { // a divider, unless it starts a row of its own
            x -= L.fx(40);
            dl->AddLine(ImVec2(x + L.fx(20), y + bh * 0.15f), ImVec2(x + L.fx(20), y + bh * 0.85f),
                        L.palette.highContrast ? L.palette.ink : IM_COL32(255, 255, 255, 140), L.fx(2));
        }
        if (place(restart, ButtonKind::Secondary)) {
            if (st.formStarted())
                st.restartAsked = true;
            else
                fx.restart = true;
        }
    }
    // Room for "Mots difficiles", drawn once the screen shows such a word (drawWordsButton); the
    // site's name is drawn then too, in the room the button leaves, or all of it when none shows.
    // The room is kept on a row of its own when the buttons' rows are full: the button must show.
    c.wordsSlot = ImVec4(0, 0, 0, 0);
    c.wordsSlotOnTitleRow = false;
    const float beforeWords = x;
    if (st.screen != Screen::Words && st.screen != Screen::Welcome) {
        const float ww = wordsButtonWidth(c);
        room(ww);
        c.wordsSlot = ImVec4(x - ww, y, ww, bh);
        c.wordsSlotOnTitleRow = firstRowX < 0;
    }
    if (firstRowX < 0) firstRowX = beforeWords; // the title's room when the button does not show
    c.headerTextRight = firstRowX;
    float h = std::max(bandH, y + bh + std::max(0.0f, (bandH - bh) * 0.5f));
    split.SetCurrentChannel(dl, 0);
    ImGui::SetCursorPos(ImVec2(0, 0));
    // A read-aloud that cannot be heard is said where the eye goes first, never a silent button.
    std::string subtitle = c.speechUnavailable && c.speech && c.speech->on ? c.s.get("speech.unavailable")
                           : st.screen == Screen::Welcome                  ? c.s.get("app.tagline")
                                                                           : std::string();
    // A subtitle keeps clear of where "Mots difficiles" may show, and of the buttons' second row.
    const float textRight = c.wordsSlotOnTitleRow ? c.wordsSlot.x - L.px(10) : firstRowX;
    const float textBottom = secondRowY < 0 ? h : secondRowY;
    float below = -1; // no room beside the buttons: the band grows, the subtitle goes under them
    if (!subtitle.empty() && !headerTaglineFits(L, std::string(), subtitle, textRight, textBottom)) {
        below = y + bh + L.fx(8);
        h = below + measureText(L.rtl, L.fonts.body, subtitle, w - 2 * L.px(24)).y + L.fx(16);
    }
    (void)drawHeader(L, std::string(), below < 0 ? subtitle : std::string(), textRight, h, textBottom);
    if (below >= 0)
        (void)addText(dl, L.rtl, L.fonts.body,
                      ImVec2(ImGui::GetWindowPos().x + L.px(24), ImGui::GetWindowPos().y + below),
                      L.palette.headerInk, subtitle, w - 2 * L.px(24));
    split.Merge(dl);
    ImGui::SetCursorPos(ImVec2(margin(c), h + L.fx(24)));
}

/// The header of a one-question screen: "Étape n sur N" and the question.
void stepHeader(VisitorState& st, ScreenContext& c, Effect& fx, const std::string& question, int step,
                int steps) {
    topBar(st, c, fx, true);
    stepLines(c, question, step, steps);
}

void stepLines(ScreenContext& c, const std::string& question, int step, int steps) {
    ImGui::SetCursorPosX(margin(c));
    ImGui::PushFont(c.look.fonts.body); // not the small font: read at arm's length, as the rest
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

int columnsFor(float avail, float minWidth, float gap, int most) {
    const int fit = static_cast<int>(std::floor((avail + gap) / std::max(minWidth + gap, 1.0f)));
    return std::clamp(fit, 1, std::max(most, 1));
}

float widestWord(ImFont* font, const std::vector<std::string>& texts, bool rtl) {
    float widest = 0;
    for (const auto& t : texts)
        widest = std::max(widest, wrappedInk(font, shown(rtl, t), 1.0f).x);
    return widest;
}

/// "Retour" on the left, the main action on the right, pinned to the bottom of the screen.
bool beginScreenScroll(VisitorState& st, ScreenContext& c, const char* id, float bottom, float width) {
    const Look& L = c.look;
    if (st.screenScrollOf != st.screen) { // a new screen starts at its top
        st.screenScroll = OfferListState{};
        st.screenScroll.scrollToTop = true;
        st.screenScrollOf = st.screen;
    }
    const float top = ImGui::GetCursorPosY();
    if (bottom < 0) bottom = ImGui::GetWindowHeight() - L.fx(104);
    ImGui::SetCursorPos(ImVec2(0, top));
    bool animating = false;
    if (width < 0) width = ImGui::GetWindowWidth();
    // Never taller than its room: a panel reaching over the keys would take their taps.
    const bool tapAllowed = beginTouchScroll(id, ImVec2(width, std::max(bottom - top, 1.0f)), st.screenScroll,
                                             L, c.dt, animating);
    st.scrollVelocity = animating ? 1.0f : 0.0f;
    return tapAllowed;
}

bool endScreenScroll(const ScreenContext& c, float* height) {
    const Look& L = c.look;
    ImGui::Dummy(ImVec2(1, L.px(8))); // the last line clears the fade when scrolled to the end
    const float panelH = ImGui::GetWindowHeight();
    // Only the spacing after the last line below: nothing to fade, nothing to scroll to.
    const bool more = ImGui::GetScrollY() < ImGui::GetScrollMaxY() - L.px(24);
    if (more) {
        const ImVec2 wpos = ImGui::GetWindowPos();
        const ImU32 clear = L.palette.background & ~IM_COL32_A_MASK;
        ImGui::GetWindowDrawList()->AddRectFilledMultiColor(
            ImVec2(wpos.x,
                   wpos.y + panelH - std::min(L.px(90), panelH * 0.3f)), // a short panel stays legible
            ImVec2(wpos.x + ImGui::GetWindowWidth(), wpos.y + panelH), clear, clear, L.palette.background,
            L.palette.background);
    }
    ImGui::EndChild();
    if (height) *height = panelH;
    return more;
}

std::pair<float, float> bottomBarGap(const ScreenContext& c, const std::string& backLabel,
                                     const std::string& primaryLabel) {
    const Look& L = c.look;
    auto boldW = [&](const std::string& text) {
        return L.fonts.bold->CalcTextSizeA(L.fonts.bold->FontSize, FLT_MAX, 0, shown(L.rtl, text)).x;
    };
    // As bottomBar and bigButton size them, with a gap on each side.
    const float left = margin(c) + (backLabel.empty() ? 0.0f : boldW(backLabel) + L.px(48) + L.px(16));
    const float right =
        ImGui::GetWindowWidth() - margin(c) -
        (primaryLabel.empty() ? 0.0f : std::max(L.px(260), boldW(primaryLabel) + L.px(64)) + L.px(16));
    return {left, right};
}

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

void fieldLabel(const ScreenContext& c, const std::string& label) {
    ImGui::SetCursorPosX(margin(c));
    ImGui::PushFont(c.look.fonts.body);
    ImGui::PushStyleColor(ImGuiCol_Text, col(c.look.palette.inkSoft));
    textItem(c.look.rtl, label);
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

/// A text field as a big rounded box with a steady caret (no blinking: no redraw needed).
void field(ScreenContext& c, const std::string& label, const std::string& value, float width,
           bool labelInside) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    if (!labelInside) fieldLabel(c, label);
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
    if (labelInside && value.empty()) // the field's name where the words will come, in the soft ink
        (void)addText(dl, L.rtl, L.fonts.body,
                      ImVec2(cx + L.px(12), pos.y + (size.y - L.fonts.body->FontSize) * 0.5f), p.inkSoft,
                      label, 0, &clip);
    say(c, label, pos, ImVec2(pos.x + size.x, pos.y + size.y)); // the field's name, never what was typed
    ImGui::Dummy(size);
}

bool labelFitsInField(const ScreenContext& c, const std::string& label, float width) {
    // As field draws it: after the caret, short of the box's rounded end.
    return measureText(c.look.rtl, c.look.fonts.body, label).x <= width - c.look.px(20 + 3 + 12 + 28);
}

void multilineField(ScreenContext& c, const std::string& label, const std::string& value, float width,
                    float maxHeight, OfferListState& scroll, std::size_t& shownLength) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    fieldLabel(c, label);
    ImGui::SetCursorPosX(margin(c));
    ImFont* f = L.fonts.body;
    const float pad = L.px(18), wrap = width - 2 * pad;
    // The wrapped lines, as ImGui wraps them, so that each can be recorded where it is drawn.
    std::vector<std::pair<std::size_t, std::size_t>> lines;
    const char* text = value.c_str();
    const char* end = text + value.size();
    for (const char* s = text; s < end || lines.empty();) {
        const char* e = s < end ? f->CalcWordWrapPositionA(1.0f, s, end, wrap) : end;
        if (e == s && s < end) { // a single glyph wider than the box still moves on, whole
            e = s + 1;
            while (e < end && (static_cast<unsigned char>(*e) & 0xC0) == 0x80)
                ++e;
        }
        lines.emplace_back(static_cast<std::size_t>(s - text), static_cast<std::size_t>(e - s));
        s = e;
        while (s < end && *s == ' ')
            ++s;
        if (s >= end) break;
    }
    const float lineH = f->FontSize * 1.15f;
    const float contentH = static_cast<float>(lines.size()) * lineH + 2 * pad;
    const float boxH = std::clamp(contentH, L.px(72), std::max(L.px(72), maxHeight));
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImDrawList* outer = ImGui::GetWindowDrawList();
    outer->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + boxH), p.surface, L.px(14));
    outer->AddRect(pos, ImVec2(pos.x + width, pos.y + boxH), p.accent, L.px(14), 0, L.px(3));
    c.reg.recordText(label, pos, ImVec2(pos.x + width, pos.y + boxH));
    say(c, label, pos, ImVec2(pos.x + width, pos.y + boxH)); // the field's name, never what was typed
    bool animating = false;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 0));
    (void)beginTouchScroll("##message", ImVec2(width, boxH), scroll, L, c.dt, animating);
    if (shownLength != value.size()) { // typed or erased: the end comes into view
        ImGui::SetScrollY(std::max(0.0f, contentH - boxH));
        scroll.velocity = 0;
        shownLength = value.size();
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 origin = ImGui::GetCursorScreenPos();
    float y = origin.y + pad;
    float caretX = origin.x + pad;
    for (const auto& [start, len] : lines) {
        std::string line = value.substr(start, len);
        ImVec2 at(origin.x + pad, y);
        // addText records the lines in view: `expect` finds what the visitor can read back, where it is.
        (void)addText(dl, L.rtl, f, at, p.ink, line);
        caretX = at.x + f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(L.rtl, line)).x;
        y += lineH;
    }
    y -= lineH;
    dl->AddRectFilled(ImVec2(caretX + L.px(3), y + L.px(3)), ImVec2(caretX + L.px(6), y + f->FontSize),
                      p.accent);
    ImGui::Dummy(ImVec2(width, contentH - pad));
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

float problemLineHeight(const ScreenContext& c, const std::string& problem) {
    if (problem.empty()) return 0.0f;
    const Look& L = c.look;
    ImFont* f = L.fonts.bold;
    const float w = ImGui::GetWindowWidth() - 2 * margin(c);
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, w - L.px(60), shown(L.rtl, problem)).y + L.px(16) +
           ImGui::GetStyle().ItemSpacing.y;
}

void pinnedProblemLine(ScreenContext& c, const std::string& problem, float bottom) {
    if (problem.empty()) return;
    ImGui::SetCursorPosY(bottom - problemLineHeight(c, problem));
    problemLine(c, problem);
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
    dl->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), L.palette.notice, L.px(10));
    dl->AddCircleFilled(ImVec2(pos.x + L.px(24), pos.y + h * 0.5f), L.px(13), L.palette.noticeMark);
    (void)addText(dl, false, f, ImVec2(pos.x + L.px(18), pos.y + h * 0.5f - f->FontSize * 0.5f),
                  L.palette.noticeMarkInk, "!");
    (void)addText(dl, L.rtl, f, ImVec2(pos.x + L.px(48), pos.y + L.px(8)), L.palette.ink, problem,
                  w - L.px(60));
    c.reg.recordText(problem, ImVec2(pos.x + L.px(48), pos.y), ImVec2(pos.x + w - L.px(12), pos.y + h),
                     wrappedInk(f, shown(L.rtl, problem), w - L.px(60)));
    say(c, problem, pos, ImVec2(pos.x + w, pos.y + h));
    ImGui::Dummy(ImVec2(w, h));
}

void typeBounded(std::string& value, const KeyPress& key, std::size_t max, std::string& problem,
                 const std::string& tooLong) {
    const std::string before = value;
    applyKey(value, key, max);
    const bool refused = !key.backspace && !key.text.empty() && value == before;
    problem = refused ? tooLong : std::string();
}

ImDrawList* beginOverlay(const char* name, int dim) {
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ds);
    ImGui::SetNextWindowBgAlpha(0.0f);
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ds, IM_COL32(40, 25, 15, dim));
    return dl;
}

void drawRestartQuestion(VisitorState& st, ScreenContext& c, Effect& fx) {
    if (!st.restartAsked) return;
    const Look& L = c.look;
    const Palette& p = L.palette;
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImDrawList* dl = beginOverlay("restart", 170);
    c.reg.cover(ImVec2(0, 0), ds); // the form beneath takes no tap while the question is asked
    WidgetRegistry::CoverScope own(c.reg);
    // Big targets, the safe answer on the right where the main action usually is.
    const float bw = std::min((std::min(ds.x - L.fx(80), L.px(820)) - L.px(96)) * 0.5f, L.px(340));
    const float bh = L.fx(84), gap = L.px(32);
    ImVec2 size(2 * bw + gap + L.px(64), 0);
    const std::string& q = c.s.get("restart.question");
    const std::string& text = c.s.get("restart.text");
    ImFont* t = L.fonts.title;
    ImFont* b = L.fonts.body;
    const float innerW = size.x - L.px(64);
    ImVec2 qs = t->CalcTextSizeA(t->FontSize, FLT_MAX, innerW, shown(L.rtl, q));
    ImVec2 ts = b->CalcTextSizeA(b->FontSize, FLT_MAX, innerW, shown(L.rtl, text));
    size.y = L.px(40) + qs.y + L.px(16) + ts.y + L.px(40) + bh + L.px(32);
    ImVec2 pos((ds.x - size.x) * 0.5f, std::max(L.fx(20), (ds.y - size.y) * 0.5f));
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.surface, L.px(24));
    if (p.highContrast) dl->AddRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), p.ink, L.px(24), 0, L.px(3));
    ImGui::SetCursorScreenPos(ImVec2(pos.x + L.px(32), pos.y + L.px(40)));
    (void)paragraph(c, t, q, innerW, p.ink);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + L.px(32), pos.y + L.px(56) + qs.y));
    (void)paragraph(c, b, text, innerW, p.inkSoft);
    const float by = pos.y + size.y - L.px(32) - bh;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + L.px(32), by));
    const bool wipe = bigButton(L, c.reg, c.s.get("restart.yes"), ImVec2(bw, bh), ButtonKind::Secondary);
    sayLastItem(c, c.s.get("restart.yes"));
    ImGui::SetCursorScreenPos(ImVec2(pos.x + L.px(32) + bw + gap, by));
    const bool keep = bigButton(L, c.reg, c.s.get("restart.no"), ImVec2(bw, bh), ButtonKind::Primary);
    sayLastItem(c, c.s.get("restart.no"));
    // A tap beside the question keeps everything, as "Non" does. Submitted last: the buttons win.
    ImGui::SetCursorPos(ImVec2(0, 0));
    const bool outside = ImGui::InvisibleButton("##outside", ds);
    ImGui::End();
    if (wipe) fx.restart = true;
    if (wipe || keep || outside) st.restartAsked = false;
}

KeyboardLabels keyboardLabels(const Strings& s) {
    return {s.get("key.shift"), s.get("key.backspace"), s.get("key.space"), s.get("key.digits"),
            s.get("key.letters")};
}

namespace {
float keyboardWidth(const ScreenContext& c, KeyboardLayout layout) {
    // Frame-sized like the keys: the margins of larger text never make the keyboard narrower.
    const float width = std::min(ImGui::GetWindowWidth() - 2 * c.look.fx(40), c.look.fx(1100));
    return layout == KeyboardLayout::Digits ? std::min(width, c.look.fx(420)) : width;
}
/// The most the keys may take: the frame's height less the header, a question and a field at
/// text size ×1 (fx: the same at every text size, so larger text never gives smaller keys); on
/// the search screen, less the search box and three result rows too (results as you type).
float keyboardRoom(const ScreenContext& c, KeyboardLayout layout) {
    const float above = c.look.fx(layout == KeyboardLayout::Search ? 540 : 360);
    return ImGui::GetWindowHeight() - c.look.fx(104) - c.look.fx(12) - above;
}
} // namespace

float keyboardTop(const ScreenContext& c, KeyboardLayout layout) {
    return ImGui::GetWindowHeight() - c.look.fx(104) -
           keyboardHeight(layout, c.look, keyboardWidth(c, layout), keyboardRoom(c, layout));
}

/// The keyboard pinned above the bottom bar; returns the key tapped.
std::optional<KeyPress> keyboardAtBottom(VisitorState& st, ScreenContext& c, KeyboardLayout layout) {
    const float width = keyboardWidth(c, layout);
    ImVec2 pos((ImGui::GetWindowWidth() - width) * 0.5f, keyboardTop(c, layout));
    return drawKeyboard(layout, st.keyboard, keyboardLabels(c.s), c.look, c.reg, pos, width, c.dt,
                        keyboardRoom(c, layout));
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
    // Wrapped at its own width (the same lines), so that its box is where it stands.
    paragraph(c, f, text, std::min(w, std::ceil(ts.x) + 1.0f), colour);
}

} // namespace comptoir::ui::parts
