#include "comptoir/ui/theme.hpp"

#include "comptoir/ui/arabic_scale.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

namespace comptoir::ui {

float displayScale(int width, int height, double configScale) {
    const float w = static_cast<float>(std::max(width, 1)), h = static_cast<float>(std::max(height, 1));
    return std::min(h, w) / 800.0f * static_cast<float>(configScale);
}

Palette warmPalette() {
    Palette p{};
    p.background = IM_COL32(253, 246, 236, 255); // warm cream
    p.surface = IM_COL32(255, 255, 255, 255);
    p.ink = IM_COL32(45, 42, 50, 255);
    p.inkSoft = IM_COL32(96, 88, 96, 255);
    p.accent = IM_COL32(190, 78, 55, 255); // terracotta, the Comptoir's colour (white on it: 4.8:1)
    p.accentInk = IM_COL32(255, 255, 255, 255);
    p.accentSoft = IM_COL32(251, 226, 212, 255);
    p.header = IM_COL32(170, 66, 46, 255); // a shade darker: the tagline stands on the glow too
    p.headerInk = IM_COL32(255, 250, 244, 255);
    p.shadow = IM_COL32(120, 72, 40, 28);
    p.outline = IM_COL32(236, 222, 206, 255);
    p.notice = IM_COL32(253, 232, 200, 255);
    p.noticeMark = IM_COL32(186, 110, 20, 255);
    p.noticeMarkInk = IM_COL32(255, 255, 255, 255);
    return p;
}

Palette highContrastPalette() {
    Palette p{};
    p.background = IM_COL32(0, 0, 0, 255);
    p.surface = IM_COL32(0, 0, 0, 255);
    p.ink = IM_COL32(255, 255, 255, 255);
    p.inkSoft = IM_COL32(255, 255, 255, 255);
    p.accent = IM_COL32(255, 221, 0, 255);
    p.accentInk = IM_COL32(0, 0, 0, 255);
    p.accentSoft = IM_COL32(60, 60, 0, 255);
    p.header = IM_COL32(0, 0, 0, 255);
    p.headerInk = IM_COL32(255, 221, 0, 255);
    p.shadow = IM_COL32(0, 0, 0, 0);
    p.outline = IM_COL32(255, 255, 255, 255);
    p.notice = p.surface;
    p.noticeMark = p.accent;
    p.noticeMarkInk = p.accentInk;
    p.highContrast = true;
    return p;
}

void applyStyle(const Look& look) {
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    st.WindowRounding = 0;
    st.WindowBorderSize = 0;
    st.WindowPadding = ImVec2(0, 0);
    st.FrameRounding = look.px(14);
    st.ChildRounding = look.px(14);
    st.ScrollbarSize = look.px(14);
    st.ScrollbarRounding = look.px(7);
    st.ItemSpacing = ImVec2(look.px(12), look.px(12));
    st.FramePadding = ImVec2(look.px(16), look.px(12));
    st.TouchExtraPadding = ImVec2(look.px(4), look.px(4));
    const Palette& p = look.palette;
    auto c = [](ImU32 v) { return ImGui::ColorConvertU32ToFloat4(v); };
    // The background is cleared by the renderer (a fast fill), not drawn as two huge triangles,
    // which SDL's software rasteriser fills pixel by pixel.
    st.Colors[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 0);
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    st.Colors[ImGuiCol_Text] = c(p.ink);
    st.Colors[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    st.Colors[ImGuiCol_ScrollbarGrab] = c(p.outline);
    st.Colors[ImGuiCol_ScrollbarGrabHovered] = c(p.outline);
    st.Colors[ImGuiCol_ScrollbarGrabActive] = c(p.accent);
    st.Colors[ImGuiCol_Button] = c(p.accent);
    st.Colors[ImGuiCol_ButtonHovered] = c(p.accent);
    st.Colors[ImGuiCol_ButtonActive] = c(p.accent);
}

std::string findFont(const char* name) {
    const char* dirs[] = {COMPTOIR_FONT_DIR, "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto"};
    for (const char* d : dirs) {
        std::string path = std::string(d) + "/" + name;
        if (std::filesystem::exists(path)) return path;
    }
    return {};
}

bool loadFonts(Look& look, std::string& error) {
    // Latin-1, Latin Extended-A (œ Œ), Cyrillic (Ukrainian), general punctuation (’ « » … — –),
    // euro sign, arrows, and U+FFFD: Dear ImGui draws it for a missing glyph (a visible box the
    // language test looks for) instead of a '?' that could pass for text.
    static const ImWchar ranges[] = {0x0020, 0x017F, 0x0400, 0x04FF, 0x2010, 0x202F, 0x2039, 0x203A,
                                     0x20AC, 0x20AC, 0x2190, 0x2193, 0xFFFD, 0xFFFD, 0};
    // Arabic, and the presentation forms FriBidi's joining produces (ui/bidi.cpp).
    static const ImWchar arabicRanges[] = {0x0600, 0x06FF, 0xFB50, 0xFDFF, 0xFE70, 0xFEFE, 0};
    std::string regular = findFont("NotoSans-Regular.ttf");
    std::string bold = findFont("NotoSans-Bold.ttf");
    std::string arabic = findFont("NotoSansArabic-Regular.ttf");
    std::string arabicBold = findFont("NotoSansArabic-Bold.ttf");
    if (regular.empty() || bold.empty() || arabic.empty() || arabicBold.empty()) {
        error = "Noto Sans or Noto Sans Arabic is missing (install fonts-noto-core)";
        return false;
    }
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight; // no padding rows up to the next power of two
    ImFontConfig cfg;
    cfg.OversampleH = 1; // large sizes need no horizontal oversampling; keeps the atlas small
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    ImFontConfig merge = cfg;
    merge.MergeMode = true;
    bool ok = true;
    auto add = [&](const std::string& latin, const std::string& arab, float px, float arabicScale) {
        ImFont* f = atlas->AddFontFromFileTTF(latin.c_str(), px, &cfg, ranges);
        // Noto Sans Arabic's letters are small beside Noto Sans's at one pixel size: larger by
        // role, they read alike (kArabicScale*). Its glyphs are placed on the Latin font's baseline.
        ImFontConfig m = merge;
        m.GlyphOffset.y = -px * 0.06f;
        ok = ok && f && atlas->AddFontFromFileTTF(arab.c_str(), px * arabicScale, &m, arabicRanges);
        return f;
    };
    look.fonts.body = add(regular, arabic, look.px(22), kArabicScaleBody);
    look.fonts.small = add(regular, arabic, look.px(18), kArabicScaleSmall);
    look.fonts.bold = add(bold, arabicBold, look.px(24), kArabicScaleBold);
    look.fonts.title = add(bold, arabicBold, look.px(38), kArabicScaleTitle);
    static const ImWchar codeRanges[] = {0x0020, 0x007E, 0xFFFD, 0xFFFD,
                                         0}; // reference codes are plain ASCII
    look.fonts.huge = atlas->AddFontFromFileTTF(bold.c_str(), look.px(60), &cfg, codeRanges);
    if (!ok || !look.fonts.body || !look.fonts.bold || !look.fonts.title || !look.fonts.small ||
        !look.fonts.huge) {
        error = "cannot load Noto Sans from " + regular;
        return false;
    }
    if (!atlas->Build()) return false;
    // The atlas holds a copy of the font files per size and script (about 3.5 MB) only to build
    // the glyphs, which are in its texture now; fonts are built again from the files, never from it.
    atlas->ClearInputData();
    return true;
}

namespace {
float luminance(ImU32 c) {
    auto channel = [](unsigned v) {
        const float s = static_cast<float>(v & 0xFF) / 255.0f;
        return s <= 0.03928f ? s / 12.92f : std::pow((s + 0.055f) / 1.055f, 2.4f);
    };
    return 0.2126f * channel(c >> IM_COL32_R_SHIFT) + 0.7152f * channel(c >> IM_COL32_G_SHIFT) +
           0.0722f * channel(c >> IM_COL32_B_SHIFT);
}

// White pictograms stand on these: each at least 3:1 against white (yellow and orange darkened
// to ochre and burnt orange for it).
const std::map<std::string, ImU32>& themeColours() {
    static const std::map<std::string, ImU32> colours = {
        {"solidarite", IM_COL32(214, 96, 77, 255)}, {"environnement", IM_COL32(84, 140, 76, 255)},
        {"culture", IM_COL32(142, 98, 168, 255)},   {"sport", IM_COL32(200, 112, 30, 255)},
        {"sante", IM_COL32(206, 72, 110, 255)},     {"vie-de-quartier", IM_COL32(60, 140, 150, 255)},
        {"jeunesse", IM_COL32(180, 128, 20, 255)},  {"aide-numerique", IM_COL32(70, 110, 180, 255)},
        {"seniors", IM_COL32(150, 110, 80, 255)},   {"citoyennete", IM_COL32(48, 96, 140, 255)},
    };
    return colours;
}
} // namespace

float contrastRatio(ImU32 a, ImU32 b) {
    const float la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

ImU32 blend(ImU32 under, ImU32 over) {
    const unsigned alpha = (over >> IM_COL32_A_SHIFT) & 0xFF;
    auto mix = [&](int shift) {
        const unsigned u = (under >> shift) & 0xFF, o = (over >> shift) & 0xFF;
        return ((o * alpha + u * (255 - alpha) + 127) / 255) << shift;
    };
    return mix(IM_COL32_R_SHIFT) | mix(IM_COL32_G_SHIFT) | mix(IM_COL32_B_SHIFT) |
           (0xFFu << IM_COL32_A_SHIFT);
}

ImU32 discColour(Disc d) {
    switch (d) {
    case Disc::Orange:
        return IM_COL32(200, 110, 60, 255);
    case Disc::Rose:
        return IM_COL32(204, 86, 100, 255);
    case Disc::Sun:
        return IM_COL32(180, 128, 40, 255);
    case Disc::Amber:
        return IM_COL32(206, 104, 40, 255);
    case Disc::Dusk:
        return IM_COL32(90, 100, 170, 255);
    case Disc::Leaf:
        return IM_COL32(84, 140, 76, 255);
    case Disc::Lake:
        return IM_COL32(60, 128, 160, 255);
    case Disc::Lilac:
        return IM_COL32(130, 100, 184, 255);
    }
    return IM_COL32(90, 100, 170, 255);
}

const std::vector<std::string>& knownThemeIds() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> v;
        for (const auto& [id, colour] : themeColours())
            v.push_back(id);
        return v;
    }();
    return ids;
}

ImU32 themeColour(const std::string& themeId, const Palette& p) {
    if (p.highContrast) return p.accent;
    if (auto it = themeColours().find(themeId); it != themeColours().end()) return it->second;
    return p.accent;
}

} // namespace comptoir::ui
