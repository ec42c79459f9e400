// Agent mode's own screens: what to do next, the sync's health, the agents of this kiosk.
//
// [SECTION] helpers
// [SECTION] inbox
// [SECTION] sync health
// [SECTION] agents

#include "comptoir/ui/agent.hpp"

#include <algorithm>

namespace comptoir::ui {

// [SECTION] helpers ---------------------------------------------------------

namespace {

float textLine(ScreenContext& c, ImFont* f, const std::string& text, ImVec2 pos, ImU32 colour,
               float width = 0) {
    (void)c;
    return addText(ImGui::GetWindowDrawList(), false, f, pos, colour, text, width);
}

KeyboardLabels labelsOf(const Strings& s) {
    return {s.get("key.shift"), s.get("key.backspace"), s.get("key.space"), s.get("key.digits"),
            s.get("key.letters")};
}

/// The content area of a section, below its title: where it starts, how wide, where it ends.
struct Content {
    ImVec2 start;
    float width = 0, bottom = 0, y = 0;
};

Content openContent(ScreenContext& c, const std::string& title, float gapAfter) {
    const Look& L = c.look;
    Content a;
    a.start = ImGui::GetCursorScreenPos();
    a.width = ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - L.px(24) - a.start.x;
    a.bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight() - L.px(16);
    a.y = a.start.y + textLine(c, L.fonts.title, title, a.start, L.palette.ink) + gapAfter;
    return a;
}

} // namespace

/// Applies physical typing to a field: characters, backspace (one code point).
bool typeInto(std::string& field, const PhysicalKeys& keys, std::size_t maxCodePoints, bool digitsOnly) {
    bool changed = false;
    if (keys.backspace && !field.empty()) {
        applyKey(field, KeyPress{"", true}, maxCodePoints);
        changed = true;
    }
    for (std::size_t i = 0; i < keys.text.size();) {
        auto ch = static_cast<unsigned char>(keys.text[i]);
        std::size_t n = ch < 0x80 ? 1 : (ch & 0xE0) == 0xC0 ? 2 : (ch & 0xF0) == 0xE0 ? 3 : 4;
        std::string one = keys.text.substr(i, n);
        i += n;
        if (digitsOnly && (one.size() != 1 || one[0] < '0' || one[0] > '9')) continue;
        applyKey(field, KeyPress{one, false}, maxCodePoints);
        changed = true;
    }
    return changed;
}

// [SECTION] inbox -----------------------------------------------------------

InboxIntent drawInbox(InboxState& st, const InboxVm& vm, ScreenContext& c, KeyFocus& focus,
                      const PhysicalKeys& keys, bool& animating) {
    InboxIntent in;
    const Look& L = c.look;
    const Palette& p = L.palette;
    std::string title = vm.total == 1 ? c.s.get("agent.inbox.count_one")
                                      : c.s.format("agent.inbox.count", {{"n", std::to_string(vm.total)}});
    if (vm.rows != vm.total)
        title += " · " + c.s.format("agent.inbox.found",
                                    {{"n", std::to_string(vm.rows)}, {"total", std::to_string(vm.total)}});
    auto [start, width, bottom, y] = openContent(c, title, L.px(8));
    // Search: typed on a physical keyboard, or on the on-screen one under "Clavier".
    if (typeInto(st.query, keys, 40)) in.queryChanged = true;
    std::string kb = c.s.get("agent.inbox.keyboard");
    ImFont* bold = L.fonts.bold;
    float kbW = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, kb.c_str()).x + L.px(40);
    ImGui::SetCursorScreenPos(ImVec2(start.x, y));
    agentField(c, c.s.get("agent.inbox.search"), st.query, width - kbW - L.px(12), true);
    float fieldBottom = ImGui::GetItemRectMax().y;
    ImGui::SetCursorScreenPos(ImVec2(start.x + width - kbW, fieldBottom - L.px(52)));
    if (agentButton(L, c.reg, focus, kb, ImVec2(kbW, L.px(52)),
                    st.keyboardOpen ? ButtonKind::Primary : ButtonKind::Secondary))
        st.keyboardOpen = !st.keyboardOpen;
    y = fieldBottom + L.px(8);
    if (!vm.searchNote.empty())
        y += textLine(c, L.fonts.small, vm.searchNote, ImVec2(start.x, y), p.inkSoft) + L.px(4);
    float kbH = 0;
    if (st.keyboardOpen) {
        kbH = keyboardHeight(KeyboardLayout::Search, L, width, (bottom - y) * 0.5f);
        if (auto key = drawKeyboard(KeyboardLayout::Search, st.keyboard, labelsOf(c.s), L, c.reg,
                                    ImVec2(start.x, bottom - kbH), width, c.dt, (bottom - y) * 0.5f)) {
            applyKey(st.query, *key, 40);
            in.queryChanged = true;
        }
        kbH += L.px(8);
    }
    if (vm.rows == 0) {
        textLine(c, L.fonts.body, c.s.get(vm.total == 0 ? "agent.inbox.empty" : "agent.inbox.none_found"),
                 ImVec2(start.x, y + L.px(8)), p.inkSoft);
        return in;
    }
    // The rows: dense, two lines each, only the visible ones built (ImGuiListClipper).
    ImGui::SetCursorScreenPos(ImVec2(start.x, y));
    ImVec2 size(width, std::max(L.px(80), bottom - kbH - y));
    // A drag scrolls; a tap (the finger did not travel) opens the row.
    bool tapAllowed = beginTouchScroll("inbox", size, st.scroll, L, c.dt, animating);
    float rowH = L.px(66), gap = L.px(6);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(vm.rows), rowH + gap);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            InboxRowVm r = vm.row(static_cast<std::size_t>(i));
            ImVec2 pos = ImGui::GetCursorScreenPos();
            ImVec2 max(pos.x + width, pos.y + rowH);
            bool held = false;
            if (r.opens) {
                ImGui::PushID(i);
                if (ImGui::InvisibleButton("##row", ImVec2(width, rowH)) && tapAllowed)
                    in.opened = static_cast<std::size_t>(i);
                held = ImGui::IsItemActive() && tapAllowed;
                ImGui::PopID();
                ImGui::SetCursorScreenPos(pos);
            }
            dl->AddRectFilled(pos, max, held ? p.accentSoft : p.surface, L.px(10));
            ImU32 stripe = r.kind == InboxKind::Callback       ? IM_COL32(214, 96, 40, 255)
                           : r.kind == InboxKind::Introduction ? IM_COL32(60, 120, 170, 255)
                                                               : p.accent;
            dl->AddRectFilled(pos, ImVec2(pos.x + L.px(8), max.y), stripe, L.px(10),
                              ImDrawFlags_RoundCornersLeft);
            float x = pos.x + L.px(20);
            std::string who = r.name.empty() ? r.reference : r.name + "  ·  " + r.reference;
            (void)addText(dl, false, bold, ImVec2(x, pos.y + L.px(6)), p.ink, who);
            std::string line2 = r.what + "  ·  " + r.when;
            ImVec4 clip(pos.x, pos.y, max.x - L.px(220), max.y);
            (void)addText(dl, false, L.fonts.small, ImVec2(x, pos.y + L.px(38)),
                          r.overdue ? IM_COL32(180, 60, 20, 255) : p.inkSoft, line2, 0, &clip);
            if (!r.phone.empty()) {
                ImVec2 ps = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, r.phone.c_str());
                (void)addText(dl, false, bold, ImVec2(max.x - L.px(16) - ps.x, pos.y + (rowH - ps.y) * 0.5f),
                              p.ink, r.phone);
            }
            if (r.opens) {
                c.reg.record(who, pos, max); // a button: `tap "Camille  ·  K7F-4QX"` opens it
                // In the Tab ring like every agent control (the rows in view: the list scrolls)
                if (focus.item(L, pos, max)) in.opened = static_cast<std::size_t>(i);
            } else {
                c.reg.recordText(who, pos, max);
            }
            c.reg.recordText(r.what, pos, max);
            ImGui::Dummy(ImVec2(width, rowH + gap));
        }
    }
    ImGui::EndChild();
    return in;
}

// [SECTION] sync health -----------------------------------------------------

SyncIntent drawSyncHealth(const SyncHealthVm& vm, OfferListState& scroll, ScreenContext& c, KeyFocus& focus,
                          bool& animating) {
    SyncIntent in;
    const Look& L = c.look;
    const Palette& p = L.palette;
    auto [start, width, bottom, y] = openContent(c, c.s.get("agent.sync.title"), L.px(10));
    // The figures in a card, the action on its right.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float cardH = L.px(226);
    dl->AddRectFilled(ImVec2(start.x, y), ImVec2(start.x + width, y + cardH), p.surface, L.px(14));
    float x = start.x + L.px(20), ly = y + L.px(14);
    ly += textLine(c, L.fonts.bold, vm.state, ImVec2(x, ly), p.ink) + L.px(6);
    ly += textLine(c, L.fonts.body, c.s.format("agent.sync.waiting", {{"n", std::to_string(vm.waiting)}}),
                   ImVec2(x, ly), p.ink) +
          L.px(2);
    ly += textLine(c, L.fonts.body, c.s.format("agent.sync.last_push", {{"when", vm.lastPush}}),
                   ImVec2(x, ly), p.ink) +
          L.px(2);
    ly += textLine(c, L.fonts.body, c.s.format("agent.sync.last_pull", {{"when", vm.lastPull}}),
                   ImVec2(x, ly), p.ink) +
          L.px(2);
    ly += textLine(c, L.fonts.body,
                   c.s.get(vm.officeKey ? "agent.sync.office_key" : "agent.sync.no_office_key"),
                   ImVec2(x, ly), p.ink) +
          L.px(2);
    std::string problem = !vm.configured ? c.s.get("agent.sync.not_configured")
                          : vm.lastError.empty()
                              ? c.s.get("agent.sync.no_error")
                              : c.s.format("agent.sync.last_error", {{"what", vm.lastError}});
    textLine(c, L.fonts.body, problem, ImVec2(x, ly),
             vm.lastError.empty() ? p.inkSoft : IM_COL32(180, 60, 20, 255), width - L.px(380));
    std::string now = c.s.get("agent.sync.now");
    float nw = L.fonts.bold->CalcTextSizeA(L.fonts.bold->FontSize, FLT_MAX, 0, now.c_str()).x + L.px(48);
    ImGui::SetCursorScreenPos(ImVec2(start.x + width - nw - L.px(20), y + L.px(20)));
    if (!vm.configured) ImGui::BeginDisabled();
    if (agentButton(L, c.reg, focus, now, ImVec2(nw, L.px(60))) && vm.configured) in.syncNow = true;
    if (!vm.configured) ImGui::EndDisabled();
    y += cardH + L.px(18);
    // Events the server refused for good: its reason, and "Renvoyer" once the cause is fixed.
    std::string deadTitle =
        vm.deadLetters.empty()
            ? c.s.get("agent.sync.dead_none")
            : c.s.format("agent.sync.dead_title", {{"n", std::to_string(vm.deadLetters.size())}});
    y += textLine(c, L.fonts.bold, deadTitle, ImVec2(start.x, y), p.ink) + L.px(8);
    if (vm.deadLetters.empty()) return in;
    ImGui::SetCursorScreenPos(ImVec2(start.x, y));
    bool tapAllowed =
        beginTouchScroll("dead", ImVec2(width, std::max(L.px(80), bottom - y)), scroll, L, c.dt, animating);
    float rowH = L.px(72), gap = L.px(6);
    std::string retry = c.s.get("agent.sync.retry");
    float rw = L.fonts.bold->CalcTextSizeA(L.fonts.bold->FontSize, FLT_MAX, 0, retry.c_str()).x + L.px(40);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(vm.deadLetters.size()), rowH + gap);
    ImDrawList* cdl = ImGui::GetWindowDrawList();
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const auto& d = vm.deadLetters[static_cast<std::size_t>(i)];
            ImVec2 pos = ImGui::GetCursorScreenPos();
            ImVec2 max(pos.x + width, pos.y + rowH);
            cdl->AddRectFilled(pos, max, p.surface, L.px(10));
            std::string head = d.what + "  ·  " + d.when;
            (void)addText(cdl, false, L.fonts.bold, ImVec2(pos.x + L.px(16), pos.y + L.px(6)), p.ink, head);
            ImVec4 clip(pos.x, pos.y, max.x - rw - L.px(24), max.y);
            (void)addText(cdl, false, L.fonts.small, ImVec2(pos.x + L.px(16), pos.y + L.px(40)), p.inkSoft,
                          d.reason, 0, &clip);
            ImGui::SetCursorScreenPos(ImVec2(max.x - rw - L.px(12), pos.y + (rowH - L.px(52)) * 0.5f));
            ImGui::PushID(i);
            bool hit = agentButton(L, c.reg, focus, retry, ImVec2(rw, L.px(52)), ButtonKind::Secondary);
            ImGui::PopID();
            if (hit && tapAllowed) in.retry = d.eventId;
            ImGui::SetCursorScreenPos(pos);
            ImGui::Dummy(ImVec2(width, rowH + gap));
        }
    }
    ImGui::EndChild();
    return in;
}

// [SECTION] agents ----------------------------------------------------------

AgentsIntent drawAgents(AgentsState& st, const std::vector<AgentRowVm>& agents, ScreenContext& c,
                        KeyFocus& focus, const PhysicalKeys& keys, bool& animating) {
    AgentsIntent in;
    const Look& L = c.look;
    const Palette& p = L.palette;
    auto [start, width, bottom, y] = openContent(c, c.s.get("agent.agents.title"), L.px(8));
    if (!st.message.empty())
        y += textLine(c, L.fonts.bold, st.message, ImVec2(start.x, y), p.ink, width) + L.px(8);

    if (st.form != AgentsState::Form::None) {
        bool adding = st.form == AgentsState::Form::Add;
        int firstField = adding ? 0 : 1;
        if (st.field < firstField) st.field = firstField;
        if (keys.tab || keys.enter) {
            // Tab and Enter move from field to field; Enter on the last one saves.
            if (keys.enter && st.field == 2)
                in.submit = true;
            else
                st.field = st.field == 2 ? firstField : st.field + 1;
        }
        std::string& target = st.field == 0 ? st.name : st.field == 1 ? st.pin : st.pinAgain;
        (void)typeInto(target, keys, st.field == 0 ? 40 : 32, st.field != 0);
        float fw = std::min(width, L.px(620));
        if (!adding)
            y += textLine(c, L.fonts.bold, c.s.format("agent.agents.new_pin_for", {{"name", st.targetName}}),
                          ImVec2(start.x, y), p.ink) +
                 L.px(6);
        auto fieldAt = [&](int index, const std::string& label, const std::string& value, bool masked) {
            ImGui::SetCursorScreenPos(ImVec2(start.x, y));
            ImVec2 top = ImGui::GetCursorScreenPos();
            agentField(c, label, value, fw, st.field == index, masked);
            ImVec2 bot = ImGui::GetCursorScreenPos();
            ImGui::SetCursorScreenPos(top);
            ImGui::PushID(index);
            if (ImGui::InvisibleButton("##field", ImVec2(fw, bot.y - top.y))) st.field = index;
            ImGui::PopID();
            y = bot.y + L.px(8);
        };
        if (adding) fieldAt(0, c.s.get("agent.agents.name"), st.name, false);
        fieldAt(1, c.s.get("agent.agents.pin"), st.pin, true);
        fieldAt(2, c.s.get("agent.agents.pin_again"), st.pinAgain, true);
        ImGui::SetCursorScreenPos(ImVec2(start.x, y + L.px(4)));
        if (agentButton(L, c.reg, focus, c.s.get("agent.agents.save"), ImVec2(L.px(240), L.px(56))))
            in.submit = true;
        ImGui::SetCursorScreenPos(ImVec2(start.x + L.px(256), y + L.px(4)));
        if (agentButton(L, c.reg, focus, c.s.get("agent.agents.cancel"), ImVec2(L.px(200), L.px(56)),
                        ButtonKind::Secondary)) {
            st = AgentsState{};
            return in;
        }
        y += L.px(72);
        KeyboardLayout layout = st.field == 0 ? KeyboardLayout::Letters : KeyboardLayout::Digits;
        float kw = layout == KeyboardLayout::Digits ? std::min(width, L.px(420)) : width;
        float room = bottom - y;
        float kh = keyboardHeight(layout, L, kw, room);
        if (room > L.px(120)) {
            auto key = drawKeyboard(layout, st.keyboard, labelsOf(c.s), L, c.reg,
                                    ImVec2(start.x, bottom - kh), kw, c.dt, room);
            // A PIN is digits only: the keypad's "+" does nothing there.
            bool digit = key && (key->backspace ||
                                 (key->text.size() == 1 && key->text[0] >= '0' && key->text[0] <= '9'));
            if (key && (st.field == 0 || digit)) applyKey(target, *key, st.field == 0 ? 40 : 32);
        }
        return in;
    }

    ImGui::SetCursorScreenPos(ImVec2(start.x, y));
    if (agentButton(L, c.reg, focus, c.s.get("agent.agents.add"), ImVec2(0, L.px(56)))) {
        st = AgentsState{};
        st.form = AgentsState::Form::Add;
    }
    y += L.px(72);
    ImGui::SetCursorScreenPos(ImVec2(start.x, y));
    bool tapAllowed = beginTouchScroll("agents", ImVec2(width, std::max(L.px(80), bottom - y)), st.scroll, L,
                                       c.dt, animating);
    float rowH = L.px(64), gap = L.px(6);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < agents.size(); ++i) {
        const auto& a = agents[i];
        ImVec2 pos = ImGui::GetCursorScreenPos();
        ImVec2 max(pos.x + width, pos.y + rowH);
        dl->AddRectFilled(pos, max, p.surface, L.px(10));
        std::string name = a.self ? a.name + " (" + c.s.get("agent.agents.you") + ")" : a.name;
        (void)addText(dl, false, L.fonts.bold,
                      ImVec2(pos.x + L.px(16), pos.y + (rowH - L.fonts.bold->FontSize) * 0.5f),
                      a.active ? p.ink : p.inkSoft, name);
        c.reg.recordText(a.name, pos, max);
        float bx = pos.x + width * 0.45f;
        std::string status = c.s.get(a.active ? "agent.agents.active" : "agent.agents.disabled");
        bx += drawBadge(dl, L, ImVec2(bx, pos.y + L.px(18)), status, a.active ? p.accentSoft : p.background,
                        p.ink) +
              L.px(8);
        if (a.demo)
            drawBadge(dl, L, ImVec2(bx, pos.y + L.px(18)), c.s.get("agent.agents.demo"),
                      IM_COL32(253, 232, 200, 255), p.ink);
        if (!a.self) {
            std::string label = c.s.get(a.active ? "agent.agents.disable" : "agent.agents.enable");
            float lw =
                L.fonts.bold->CalcTextSizeA(L.fonts.bold->FontSize, FLT_MAX, 0, label.c_str()).x + L.px(40);
            ImGui::SetCursorScreenPos(ImVec2(max.x - lw - L.px(10), pos.y + L.px(6)));
            ImGui::PushID(static_cast<int>(i));
            // The label alone is ambiguous in a list: the registry gets "Désactiver Paul".
            bool hit = agentButton(L, c.reg, focus, label, ImVec2(lw, L.px(52)), ButtonKind::Secondary);
            c.reg.record(label + " " + a.name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
            ImGui::PopID();
            if (hit && tapAllowed) {
                if (a.active) {
                    in.disable = a.id;
                } else {
                    st = AgentsState{};
                    st.form = AgentsState::Form::Enable;
                    st.targetId = a.id;
                    st.targetName = a.name;
                    st.field = 1;
                }
            }
        }
        ImGui::SetCursorScreenPos(pos);
        ImGui::Dummy(ImVec2(width, rowH + gap));
    }
    ImGui::EndChild();
    return in;
}

} // namespace comptoir::ui
