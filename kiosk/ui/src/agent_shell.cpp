// Agent mode: physical keyboard and focus, the PIN pad, the shell around every agent screen.
//
// [SECTION] physical keyboard, focus, fields
// [SECTION] PIN pad
// [SECTION] shell, placeholder

#include "comptoir/ui/agent.hpp"

#include <algorithm>

namespace comptoir::ui {

// [SECTION] physical keyboard, focus, fields --------------------------------

namespace {
bool pressed(ImGuiKey key) {
    int index = ImGui::GetKeyIndex(key);
    return index >= 0 && ImGui::IsKeyPressed(index, false);
}
} // namespace

PhysicalKeys readPhysicalKeys() {
    PhysicalKeys k;
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
        ImWchar c = io.InputQueueCharacters[i];
        if (c < 0x20 || c == 0x7F) continue;
        auto cp = static_cast<unsigned>(c);
        if (cp < 0x80) {
            k.text += static_cast<char>(cp);
        } else if (cp < 0x800) {
            k.text += static_cast<char>(0xC0 | (cp >> 6));
            k.text += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            k.text += static_cast<char>(0xE0 | (cp >> 12));
            k.text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            k.text += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    io.InputQueueCharacters.resize(0);
    k.backspace = pressed(ImGuiKey_Backspace);
    k.enter = pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeyPadEnter);
    k.escape = pressed(ImGuiKey_Escape);
    if (pressed(ImGuiKey_Tab)) (io.KeyShift ? k.shiftTab : k.tab) = true;
    return k;
}

void KeyFocus::beginFrame(const PhysicalKeys& keys) {
    count = drawn;
    drawn = 0;
    activate = false;
    if (count == 0) {
        focused = -1;
        return;
    }
    if (keys.tab) focused = (focused + 1) % count;
    if (keys.shiftTab) focused = focused <= 0 ? count - 1 : focused - 1;
    if (focused >= count) focused = count - 1;
    activate = keys.enter && focused >= 0;
}

bool KeyFocus::item(const Look& look, ImVec2 min, ImVec2 max) {
    bool mine = drawn++ == focused;
    if (!mine) return false;
    float pad = look.px(4);
    ImGui::GetWindowDrawList()->AddRect(ImVec2(min.x - pad, min.y - pad), ImVec2(max.x + pad, max.y + pad),
                                        look.palette.ink, look.px(16), 0, look.px(3));
    return activate;
}

bool agentButton(const Look& look, WidgetRegistry& reg, KeyFocus& focus, const std::string& label,
                 ImVec2 size, ButtonKind kind) {
    bool tapped = bigButton(look, reg, label, size, kind);
    return focus.item(look, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()) || tapped;
}

void agentField(ScreenContext& c, const std::string& label, const std::string& value, float width,
                bool focused, bool masked) {
    const Look& L = c.look;
    const Palette& p = L.palette;
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* small = L.fonts.small;
    (void)addText(dl, false, small, pos, p.inkSoft, label);
    ImVec2 box(pos.x, pos.y + small->FontSize + L.px(4));
    ImVec2 boxMax(box.x + width, box.y + L.px(52));
    dl->AddRectFilled(box, boxMax, p.surface, L.px(10));
    dl->AddRect(box, boxMax, focused ? p.accent : p.outline, L.px(10), 0, L.px(focused ? 3 : 1.5f));
    std::string shown = masked ? std::string() : value;
    ImFont* f = L.fonts.body;
    float ty = box.y + (L.px(52) - f->FontSize) * 0.5f;
    float tx = box.x + L.px(14);
    if (masked) {
        for (std::size_t i = 0; i < value.size(); ++i)
            dl->AddCircleFilled(ImVec2(tx + L.px(8) + static_cast<float>(i) * L.px(22), box.y + L.px(26)),
                                L.px(7), p.ink);
        tx += static_cast<float>(value.size()) * L.px(22);
    } else {
        ImVec4 clip(box.x + L.px(6), box.y, boxMax.x - L.px(6), boxMax.y);
        ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown.c_str());
        float visible = width - L.px(40);
        if (ts.x > visible) tx -= ts.x - visible;
        (void)addText(dl, false, f, ImVec2(tx, ty), p.ink, shown, 0, &clip);
        tx += ts.x;
    }
    if (focused)
        dl->AddRectFilled(ImVec2(tx + L.px(3), ty + L.px(3)),
                          ImVec2(tx + L.px(5), ty + f->FontSize - L.px(2)), p.accent);
    ImGui::Dummy(ImVec2(width, boxMax.y - pos.y));
}

// [SECTION] PIN pad ---------------------------------------------------------

namespace {

void centredText(ImFont* f, const std::string& text, float cx, float y, ImU32 colour, float wrap) {
    (void)addCentredText(ImGui::GetWindowDrawList(), false, f, cx, y, colour, text, wrap);
}

float textHeight(ImFont* f, const std::string& text, float wrap) {
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, wrap, text.c_str()).y;
}

} // namespace

PinPadIntent drawPinPad(PinPadState& st, const PinPadVm& vm, ScreenContext& c, KeyFocus& focus) {
    PinPadIntent in;
    const Look& L = c.look;
    const Palette& p = L.palette;
    PhysicalKeys keys = readPhysicalKeys();
    focus.beginFrame(keys);
    if (keys.escape) in.cancel = true;
    (void)drawHeader(L, c.s.get("agent.pad.title"), std::string());
    ImVec2 origin = ImGui::GetWindowPos();
    float w = ImGui::GetWindowWidth(), h = ImGui::GetWindowHeight();
    float top = L.fx(112);
    float cardW = std::min(w - L.px(40), L.px(560));
    float cx = origin.x + w * 0.5f;
    float y = origin.y + top + L.px(24);
    float wrap = cardW - L.px(40);
    bool locked = vm.lockSecondsLeft > 0;
    if (vm.agents.empty()) {
        centredText(L.fonts.body, c.s.get("agent.pad.no_agent"), cx, y + L.px(40), p.ink, wrap);
    } else if (st.agentId.empty()) {
        centredText(L.fonts.title, c.s.get("agent.pad.who"), cx, y, p.ink, wrap);
        y += L.fonts.title->FontSize + L.px(24);
        for (const auto& a : vm.agents) {
            ImGui::SetCursorScreenPos(ImVec2(cx - cardW * 0.5f, y));
            if (agentButton(L, c.reg, focus, a.name, ImVec2(cardW, L.px(64)), ButtonKind::Secondary)) {
                st.agentId = a.id;
                st.agentName = a.name;
                st.message.clear();
            }
            y += L.px(76);
            if (y > origin.y + h - L.px(180)) break; // a handful of agents per kiosk; the rest by Tab
        }
    } else {
        centredText(L.fonts.title, c.s.format("agent.pad.code_for", {{"name", st.agentName}}), cx, y, p.ink,
                    wrap);
        y += L.fonts.title->FontSize + L.px(20);
        // The dots: one per digit typed, never the digits themselves.
        float dot = L.px(12), gap = L.px(34);
        std::size_t n = std::max<std::size_t>(st.digits.size(), 8);
        float dx = cx - gap * static_cast<float>(n - 1) * 0.5f;
        for (std::size_t i = 0; i < n; ++i) {
            ImVec2 ctr(dx + gap * static_cast<float>(i), y + dot);
            if (i < st.digits.size())
                ImGui::GetWindowDrawList()->AddCircleFilled(ctr, dot, p.ink);
            else
                ImGui::GetWindowDrawList()->AddCircle(ctr, dot, p.outline, 0, L.px(2));
        }
        y += dot * 2 + L.px(16);
        std::string msg = st.checking ? c.s.get("agent.pad.checking") : st.message;
        if (locked) {
            msg = c.s.format("agent.pad.locked", {{"m", std::to_string(vm.lockSecondsLeft / 60)},
                                                  {"s", std::to_string(vm.lockSecondsLeft % 60)}});
        }
        if (!msg.empty()) centredText(L.fonts.bold, msg, cx, y, p.ink, wrap);
        y += std::max(textHeight(L.fonts.bold, msg, wrap), L.fonts.bold->FontSize) + L.px(16);
        // The keypad: big keys, digits from the physical keyboard too.
        float key = std::min(L.px(96), (origin.y + h - y - L.px(110)) / 4.0f - L.px(10));
        key = std::max(key, L.px(56));
        float kg = L.px(12);
        float kx = cx - (key * 3 + kg * 2) * 0.5f;
        if (!locked && !st.checking) {
            for (char ch : keys.text)
                if (ch >= '0' && ch <= '9' && st.digits.size() < 32) st.digits.push_back(ch);
            if (keys.backspace && !st.digits.empty()) st.digits.pop_back();
            if (keys.enter && !st.digits.empty()) in.submit = true;
        }
        const char* labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", nullptr, "0", nullptr};
        if (locked || st.checking) ImGui::BeginDisabled();
        for (int i = 0; i < 12; ++i) {
            ImVec2 pos(kx + static_cast<float>(i % 3) * (key + kg),
                       y + static_cast<float>(i / 3) * (key + kg));
            ImGui::SetCursorScreenPos(pos);
            std::string label = labels[i] ? labels[i]
                                : i == 9  ? c.s.get("agent.pad.erase")
                                          : c.s.get("agent.pad.ok");
            ImGui::PushID(i);
            bool hit = ImGui::InvisibleButton("##k", ImVec2(key, key));
            bool held = ImGui::IsItemActive();
            ImGui::PopID();
            ImVec2 max(pos.x + key, pos.y + key);
            ImDrawList* dl = ImGui::GetWindowDrawList();
            bool ok = i == 11;
            dl->AddRectFilled(pos, max, ok ? p.accent : p.surface, L.px(18));
            if (held) dl->AddRectFilled(pos, max, IM_COL32(0, 0, 0, 40), L.px(18));
            dl->AddRect(pos, max, p.outline, L.px(18), 0, L.px(1.5f));
            ImFont* f = labels[i] ? L.fonts.title : L.fonts.bold;
            ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, label.c_str());
            (void)addText(dl, false, f, ImVec2(pos.x + (key - ts.x) * 0.5f, pos.y + (key - ts.y) * 0.5f),
                          ok ? p.accentInk : p.ink, label);
            if (labels[i])
                c.reg.recordKey(label, pos, max); // `type 73910462` in a script
            else
                c.reg.record(label, pos, max);
            if (!hit) continue;
            if (labels[i] && st.digits.size() < 32)
                st.digits += labels[i];
            else if (i == 9 && !st.digits.empty())
                st.digits.pop_back();
            else if (ok && !st.digits.empty())
                in.submit = true;
        }
        if (locked || st.checking) ImGui::EndDisabled();
    }
    // Leaving is always possible, and never more than one tap.
    float by = origin.y + h - L.fx(88);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + L.px(40), by));
    if (agentButton(L, c.reg, focus, c.s.get("agent.pad.cancel"), ImVec2(0, L.fx(64)), ButtonKind::Secondary))
        in.cancel = true;
    if (!st.agentId.empty() && vm.agents.size() > 1) {
        std::string other = c.s.get("agent.pad.other");
        ImFont* f = L.fonts.bold;
        float ow = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, other.c_str()).x + L.px(48);
        ImGui::SetCursorScreenPos(ImVec2(origin.x + w - L.px(40) - ow, by));
        if (agentButton(L, c.reg, focus, other, ImVec2(ow, L.fx(64)), ButtonKind::Quiet)) {
            st.agentId.clear();
            st.agentName.clear();
            st.digits.clear();
            st.message.clear();
        }
    }
    return in;
}

// [SECTION] shell, placeholder ----------------------------------------------

std::string sectionKey(AgentSection s) {
    switch (s) {
    case AgentSection::Inbox:
        return "agent.nav.inbox";
    case AgentSection::Introductions:
        return "agent.nav.introductions";
    case AgentSection::Indicators:
        return "agent.nav.indicators";
    case AgentSection::Offers:
        return "agent.nav.offers";
    case AgentSection::Privacy:
        return "agent.nav.privacy";
    case AgentSection::Sync:
        return "agent.nav.sync";
    case AgentSection::Agents:
        return "agent.nav.agents";
    }
    return "agent.nav.inbox";
}

AgentShellIntent drawAgentShell(AgentSection current, const AgentShellVm& vm, ScreenContext& c,
                                KeyFocus& focus, ImVec2& contentMin, ImVec2& contentMax) {
    AgentShellIntent in;
    const Look& L = c.look;
    const Palette& p = L.palette;
    ImVec2 origin = ImGui::GetWindowPos();
    float w = ImGui::GetWindowWidth(), h = ImGui::GetWindowHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The band: a darker strip than the visitors' header, so nobody mistakes one for the other.
    float bandH = L.fx(72);
    dl->AddRectFilled(origin, ImVec2(origin.x + w, origin.y + bandH), p.ink);
    ImFont* bold = L.fonts.bold;
    std::string who = c.s.format("agent.band.who", {{"name", vm.agentName}});
    float ty = origin.y + (bandH - bold->FontSize) * 0.5f;
    (void)addText(dl, false, bold, ImVec2(origin.x + L.px(24), ty), p.background, who);
    std::string waiting = vm.eventsWaiting == 0 ? c.s.get("agent.band.waiting_none")
                          : vm.eventsWaiting == 1
                              ? c.s.get("agent.band.waiting_one")
                              : c.s.format("agent.band.waiting", {{"n", std::to_string(vm.eventsWaiting)}});
    if (vm.deadLetters > 0)
        waiting += " · " + c.s.format("agent.band.dead", {{"n", std::to_string(vm.deadLetters)}});
    float wx = origin.x + L.px(24) + bold->FontSize * 0.6f * 22;
    wx = std::max(wx, origin.x + L.px(24) + bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, who.c_str()).x +
                          L.px(40));
    ImU32 waitingColour = vm.deadLetters > 0 ? IM_COL32(255, 196, 120, 255) : p.background;
    (void)addText(dl, false, L.fonts.body, ImVec2(wx, origin.y + (bandH - L.fonts.body->FontSize) * 0.5f),
                  waitingColour, waiting);
    std::string logout = c.s.get("agent.logout");
    float lw = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, logout.c_str()).x + L.px(48);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + w - L.px(16) - lw, origin.y + (bandH - L.fx(52)) * 0.5f));
    if (agentButton(L, c.reg, focus, logout, ImVec2(lw, L.fx(52)), ButtonKind::Primary)) in.logout = true;

    // The navigation: one column of sections, the assisted registration, the kiosk's own controls.
    float navW = std::clamp(w * 0.2f, L.px(220), L.px(300));
    dl->AddRectFilled(ImVec2(origin.x, origin.y + bandH), ImVec2(origin.x + navW, origin.y + h),
                      p.accentSoft);
    float y = origin.y + bandH + L.px(16);
    float bw = navW - L.px(24);
    float bh = L.px(52);
    for (AgentSection s : kAgentSections) {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + L.px(12), y));
        if (agentButton(L, c.reg, focus, c.s.get(sectionKey(s)), ImVec2(bw, bh),
                        s == current ? ButtonKind::Primary : ButtonKind::Secondary))
            in.go = s;
        y += bh + L.px(8);
    }
    y += L.px(10);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + L.px(12), y));
    if (agentButton(L, c.reg, focus, c.s.get("agent.assist"), ImVec2(bw, bh), ButtonKind::Quiet))
        in.assist = true;
    float low = origin.y + h - L.px(16) - bh;
    if (low > y + bh + L.px(8)) {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + L.px(12), low));
        if (agentButton(L, c.reg, focus, c.s.get("agent.quit"), ImVec2(bw, bh), ButtonKind::Quiet))
            in.quit = true;
        low -= bh + L.px(8);
        ImGui::SetCursorScreenPos(ImVec2(origin.x + L.px(12), low));
        if (agentButton(L, c.reg, focus,
                        c.s.get(vm.fullscreen ? "agent.leave_fullscreen" : "agent.enter_fullscreen"),
                        ImVec2(bw, bh), ButtonKind::Quiet))
            in.toggleFullscreen = true;
    }
    contentMin = ImVec2(origin.x + navW + L.px(24), origin.y + bandH + L.px(16));
    contentMax = ImVec2(origin.x + w - L.px(24), origin.y + h - L.px(16));
    ImGui::SetCursorScreenPos(contentMin);
    return in;
}

void drawAgentPlaceholder(AgentSection section, ScreenContext& c, ImVec2 contentMin, ImVec2 contentMax) {
    const Look& L = c.look;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::string title = c.s.get(sectionKey(section));
    (void)addText(dl, false, L.fonts.title, contentMin, L.palette.ink, title);
    std::string text = c.s.get("agent.placeholder");
    ImVec2 pos(contentMin.x, contentMin.y + L.fonts.title->FontSize + L.px(16));
    (void)addText(dl, false, L.fonts.body, pos, L.palette.inkSoft, text, contentMax.x - pos.x);
}

} // namespace comptoir::ui
