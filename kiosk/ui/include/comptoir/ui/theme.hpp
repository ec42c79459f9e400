#pragma once
/// @brief The kiosk's look: warm palette, large type, rounded shapes; a high-contrast variant.

#include <imgui.h>
#include <string>

namespace comptoir::ui {

struct Palette {
    ImU32 background, surface, ink, inkSoft, accent, accentInk, accentSoft, header, headerInk, shadow,
        outline;
    bool highContrast = false;
};

struct Fonts {
    ImFont* body = nullptr;
    ImFont* bold = nullptr;
    ImFont* title = nullptr;
    ImFont* huge = nullptr; ///< the reference code
    ImFont* small = nullptr;
};

/// Everything drawing code needs to know about the current look.
struct Look {
    Palette palette;
    Fonts fonts;
    float scale = 1.0f; ///< pixels per design pixel (display height / 800 × configured scale × text size)
    float baseScale = 1.0f; ///< the same without the text size: for the frame that must always fit
    bool rtl = false;       ///< a right-to-left language: text goes through ui::shown, the frame is mirrored
    [[nodiscard]] float px(float designPixels) const { return designPixels * scale; }
    /// Sizes of the screen's frame (keyboard keys, bottom bar): they grow with the display, not
    /// with the text size, so that large text still leaves room for the question and its answer.
    [[nodiscard]] float fx(float designPixels) const { return designPixels * baseScale; }
};

[[nodiscard]] Palette warmPalette();
[[nodiscard]] Palette highContrastPalette();
/// Applies rounding, spacing and colours to the Dear ImGui style.
void applyStyle(const Look& look);
/// Loads Noto Sans (regular and bold) with the glyphs French typography needs (é è à ç œ ’ « » € … —)
/// and Cyrillic, with Noto Sans Arabic merged in (Arabic and its presentation forms, which
/// ui::shown draws). Clears the atlas first. Returns false with a reason when no font file is found.
bool loadFonts(Look& look, std::string& error);
/// The path of a Noto font file (the build's font folder, then Debian's); empty when absent.
[[nodiscard]] std::string findFont(const char* name);
/// Colour of a theme tile / stripe, stable per theme id.
[[nodiscard]] ImU32 themeColour(const std::string& themeId, const Palette& p);

} // namespace comptoir::ui
