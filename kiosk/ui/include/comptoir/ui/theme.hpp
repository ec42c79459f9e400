#pragma once
/// @brief The kiosk's look: warm palette, large type, rounded shapes; a high-contrast variant.

#include <imgui.h>
#include <string>
#include <vector>

namespace comptoir::ui {

/// Every text colour meets WCAG AA (4.5:1) on the backgrounds it is drawn on, and every white
/// pictogram 3:1 on its disc (tests/ui/test_contrast.cpp measures them).
struct Palette {
    ImU32 background, surface, ink, inkSoft, accent, accentInk, accentSoft, header, headerInk, shadow, outline;
    ImU32 notice = 0;        ///< behind a kind message
    ImU32 noticeMark = 0;    ///< the round mark before a kind message ...
    ImU32 noticeMarkInk = 0; ///< ... and its "!"
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

/// Pixels per design pixel for a display: its height over 800 in landscape; in portrait the
/// width over 800 (a 1080x1920 screen is drawn as 800 design pixels wide, as dense as 1920x1080),
/// so that every screen lays out on at least 800 design pixels across. `configScale` multiplies it.
[[nodiscard]] float displayScale(int width, int height, double configScale);
/// True when the display is taller than wide: screens stack what landscape puts side by side.
[[nodiscard]] inline bool portrait(float width, float height) {
    return height > width;
}

[[nodiscard]] Palette warmPalette();
[[nodiscard]] Palette highContrastPalette();
/// Applies rounding, spacing and colours to the Dear ImGui style.
void applyStyle(const Look& look);
/// Loads Noto Sans (regular and bold) with the glyphs French typography needs (é è à ç œ ’ « » € … —)
/// and Cyrillic, with Noto Sans Arabic merged in (Arabic and its presentation forms, which
/// ui::shown draws). Clears the atlas first. Returns false with a reason when no font file is found.
bool loadFonts(Look& look, std::string& error);
/// WCAG 2 contrast ratio of two opaque colours, from 1 (the same) to 21 (black on white).
[[nodiscard]] float contrastRatio(ImU32 a, ImU32 b);
/// `over` at its own alpha over the opaque `under`: the colour the eye gets.
[[nodiscard]] ImU32 blend(ImU32 under, ImU32 over);
/// A translucent white circle warms the header band; the tagline may stand on it.
inline constexpr ImU32 kHeaderGlow = IM_COL32(255, 255, 255, 22);

/// The coloured discs a white pictogram stands on (guided answers): warm, distinct, each at
/// least 3:1 against white.
enum class Disc { Orange, Rose, Sun, Amber, Dusk, Leaf, Lake, Lilac };
[[nodiscard]] ImU32 discColour(Disc d);
inline constexpr Disc kAllDiscs[] = {Disc::Orange, Disc::Rose, Disc::Sun,  Disc::Amber,
                                     Disc::Dusk,   Disc::Leaf, Disc::Lake, Disc::Lilac};
/// The theme ids themeColour knows (a catalogue's other themes get the accent).
[[nodiscard]] const std::vector<std::string>& knownThemeIds();

/// The path of a Noto font file (the build's font folder, then Debian's); empty when absent.
[[nodiscard]] std::string findFont(const char* name);
/// Colour of a theme tile / stripe, stable per theme id.
[[nodiscard]] ImU32 themeColour(const std::string& themeId, const Palette& p);

} // namespace comptoir::ui
