#include "comptoir/ui/widgets.hpp"

#include "comptoir/ui/bidi.hpp"

#include <algorithm>
#include <imgui_internal.h>

namespace comptoir::ui {

namespace {
thread_local WidgetRegistry* t_drawing = nullptr;
bool inside(ImVec2 p, ImVec2 min, ImVec2 max) {
    return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y;
}
bool meet(ImVec2 amin, ImVec2 amax, ImVec2 bmin, ImVec2 bmax) {
    return amin.x < bmax.x && bmin.x < amax.x && amin.y < bmax.y && bmin.y < amax.y;
}
} // namespace

WidgetRegistry::~WidgetRegistry() {
    if (t_drawing == this) t_drawing = nullptr;
}

void WidgetRegistry::beginFrame() {
    m_current.clear();
    m_coversBefore = std::move(m_covers);
    m_covers.clear();
    t_drawing = this;
}

WidgetRegistry* WidgetRegistry::drawing() {
    return t_drawing;
}

void WidgetRegistry::add(WidgetRecord w) {
    if (ImGuiWindow* win = ImGui::GetCurrentContext() ? ImGui::GetCurrentWindowRead() : nullptr) {
        w.clipMin = win->DrawList->GetClipRectMin();
        w.clipMax = win->DrawList->GetClipRectMax();
    } else {
        w.clipMin = ImVec2(-FLT_MAX, -FLT_MAX);
        w.clipMax = ImVec2(FLT_MAX, FLT_MAX);
    }
    w.covered = coveredRect(w.min, w.max);
    m_current.push_back(std::move(w));
}

void WidgetRegistry::cover(ImVec2 min, ImVec2 max) {
    m_covers.push_back({min, max});
    for (auto& w : m_current) // drawn before, so beneath
        w.covered = w.covered || meet(w.min, w.max, min, max);
}

bool WidgetRegistry::coveredAt(ImVec2 p) const {
    if (m_coverDepth > 0) return false;
    for (const auto* list : {&m_covers, &m_coversBefore})
        for (const auto& r : *list)
            if (inside(p, r.min, r.max)) return true;
    return false;
}

bool WidgetRegistry::coveredRect(ImVec2 min, ImVec2 max) const {
    if (m_coverDepth > 0) return false;
    for (const auto* list : {&m_covers, &m_coversBefore})
        for (const auto& r : *list)
            if (meet(min, max, r.min, r.max)) return true;
    return false;
}

const WidgetRecord* WidgetRegistry::find(const std::string& label) const {
    // What lies under the keyboard or a menu cannot be tapped: a script does not find it either.
    const WidgetRecord* text = nullptr;
    for (const auto& w : m_current) {
        if (w.label != label || w.covered) continue;
        if (w.tappable) return &w;
        if (!text) text = &w;
    }
    return text;
}

ImVec2 wrappedInk(ImFont* font, const char* text, float width) {
    ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, width, text);
    float widest = 0;
    const char* word = text;
    for (const char* p = text;; ++p) {
        if (*p == ' ' || *p == '\n' || *p == '\0') {
            if (p > word)
                widest = std::max(widest, font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, word, p).x);
            if (*p == '\0') break;
            word = p + 1;
        }
    }
    return ImVec2(std::max(size.x, widest), size.y);
}

bool touchTarget(WidgetRegistry& reg, const char* id, ImVec2 size) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 max(pos.x + size.x, pos.y + size.y);
    const ImVec2 finger = ImGui::GetIO().MousePos;
    if (inside(finger, pos, max) && reg.coveredAt(finger)) {
        ImGui::Dummy(size); // keeps the layout; the finger belongs to what is drawn over it
        return false;
    }
    return ImGui::InvisibleButton(id, size);
}

const WidgetRecord* WidgetRegistry::findKey(const std::string& label) const {
    for (const auto& w : m_current)
        if (w.key && w.label == label) return &w;
    return nullptr;
}

bool bigButton(const Look& look, WidgetRegistry& reg, const std::string& label, ImVec2 size, ButtonKind kind) {
    const Palette& p = look.palette;
    ImFont* font = look.fonts.bold;
    const char* text = shown(look.rtl, label);
    ImVec2 textSize = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text);
    if (size.x <= 0) size.x = textSize.x + look.px(48);
    if (size.y <= 0) size.y = look.px(60);
    size.y = std::max(size.y, look.px(48));
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(label.c_str());
    bool pressed = touchTarget(reg, "##b", size);
    bool held = ImGui::IsItemActive();
    ImGui::PopID();
    ImVec2 max(pos.x + size.x, pos.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool disabled = kind == ButtonKind::Disabled;
    ImU32 bg = kind == ButtonKind::Primary ? p.accent
               : kind == ButtonKind::Secondary || disabled ? (disabled ? p.background : p.surface)
                                                            : p.accentSoft;
    ImU32 fg = kind == ButtonKind::Primary ? p.accentInk : disabled ? p.inkSoft : p.ink;
    float r = size.y * 0.5f;
    if (!p.highContrast && !disabled) dl->AddRectFilled(ImVec2(pos.x, pos.y + look.px(3)), ImVec2(max.x, max.y + look.px(3)), p.shadow, r);
    dl->AddRectFilled(pos, max, bg, r);
    if (held) dl->AddRectFilled(pos, max, IM_COL32(0, 0, 0, 40), r);
    if (kind == ButtonKind::Secondary || disabled || p.highContrast) dl->AddRect(pos, max, p.highContrast ? p.ink : p.outline, r, 0, look.px(2));
    (void)addText(dl, look.rtl, font,
                  ImVec2(pos.x + (size.x - textSize.x) * 0.5f, pos.y + (size.y - textSize.y) * 0.5f), fg,
                  label);
    reg.record(label, pos, max, ImVec2(textSize.x + look.px(8), textSize.y));
    return pressed;
}

float badgeWidth(const Look& look, const std::string& text) {
    ImFont* f = look.fonts.small;
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown(look.rtl, text)).x + look.px(20);
}

float drawBadge(ImDrawList* dl, const Look& look, ImVec2 pos, const std::string& text, ImU32 bg, ImU32 fg) {
    ImFont* f = look.fonts.small;
    float wdt = badgeWidth(look, text);
    float h = f->FontSize + look.px(8);
    dl->AddRectFilled(pos, ImVec2(pos.x + wdt, pos.y + h), bg, h * 0.5f);
    if (look.palette.highContrast) dl->AddRect(pos, ImVec2(pos.x + wdt, pos.y + h), look.palette.ink, h * 0.5f);
    (void)addText(dl, look.rtl, f, ImVec2(pos.x + look.px(10), pos.y + look.px(4)), fg, text);
    return wdt;
}

} // namespace comptoir::ui
