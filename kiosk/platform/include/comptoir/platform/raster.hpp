#pragma once
/// @brief A software rasteriser for Dear ImGui draw data, written for the kiosk's screens.
///
/// SDL's software renderer fills every triangle pixel by pixel with barycentric weights: fine for
/// a few widgets, ~40 ms a frame for a full screen of cards at 1080p. Dear ImGui draws nearly
/// everything as axis-aligned quads (rectangles, glyphs), so this rasteriser fills those as spans
/// and keeps an edge-function path for the rest (rounded corners, anti-aliased fringes, icons).

#include <cstdint>
#include <vector>

struct ImDrawData;

namespace comptoir::platform {

class SoftwareRasteriser {
  public:
    /// Takes a copy of the font atlas (alpha only) and registers it as the atlas's texture id.
    void setFontAtlas();
    /// Clears the target and draws the frame. `rgba` is R, G, B, A bytes per pixel.
    void render(const ImDrawData* data, std::uint8_t* rgba, int width, int height, int stride, std::uint8_t clearR,
                std::uint8_t clearG, std::uint8_t clearB) const;

    struct Texture {
        int width = 0, height = 0;
        std::vector<std::uint8_t> alpha;
    };

  private:
    Texture m_font;
};

} // namespace comptoir::platform
