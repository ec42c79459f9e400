#include "comptoir/ui/widgets.hpp"

#include "comptoir/ui/bidi.hpp"

namespace comptoir::ui {

namespace {
thread_local WidgetRegistry* t_drawing = nullptr;
} // namespace

WidgetRegistry::~WidgetRegistry() {
    if (t_drawing == this) t_drawing = nullptr;
}

void WidgetRegistry::beginFrame() {
    m_current.clear();
    t_drawing = this;
}

WidgetRegistry* WidgetRegistry::drawing() {
    return t_drawing;
}

const WidgetRecord* WidgetRegistry::find(const std::string& label) const {
    const WidgetRecord* text = nullptr;
    for (const auto& w : m_current) {
        if (w.label != label) continue;
        if (w.tappable) return &w;
        if (!text) text = &w;
    }
    return text;
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
    bool pressed = ImGui::InvisibleButton("##b", size);
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
    reg.record(label, pos, max);
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
