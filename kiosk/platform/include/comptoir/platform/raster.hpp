#pragma once
/// @brief A software rasteriser for Dear ImGui draw data, written for the kiosk's screens.
///
/// SDL's software renderer fills every triangle pixel by pixel with barycentric weights: fine for
/// a few widgets, ~40 ms a frame for a full screen of cards at 1080p. Dear ImGui draws nearly
/// everything as axis-aligned quads (rectangles, glyphs), so this rasteriser fills those as spans
/// and every other triangle (rounded corners, anti-aliased fringes, lines, icons) as row spans.
/// The picture is cut into bands of rows drawn by a small pool of threads started once: each band
/// is drawn whole (clear, then every primitive that touches it, in order) while it sits in the
/// core's cache, and a pixel's value never depends on which band or thread drew it.

#include <cstdint>
#include <memory>
#include <vector>

struct ImDrawData;

namespace comptoir::platform {

class SoftwareRasteriser {
  public:
    /// `threads` draw bands in parallel, the caller's thread being one of them; 0 picks one per
    /// core (at most 4), 1 draws everything on the caller's thread. 64 rows of 1920 pixels are
    /// 480 KiB, which stay in a core's L2 cache while a band's overdraw (shadow, card, text) lands.
    explicit SoftwareRasteriser(int threads = 0, int bandRows = 64);
    ~SoftwareRasteriser();
    SoftwareRasteriser(const SoftwareRasteriser&) = delete;
    SoftwareRasteriser& operator=(const SoftwareRasteriser&) = delete;

    /// Takes a copy of the font atlas (alpha only) and registers it as the atlas's texture id.
    void setFontAtlas();
    /// Clears the target and draws the frame. `rgba` is R, G, B, A bytes per pixel.
    void render(const ImDrawData* data, std::uint8_t* rgba, int width, int height, int stride,
                std::uint8_t clearR, std::uint8_t clearG, std::uint8_t clearB);
    /// Threads drawing a frame, the caller's included.
    [[nodiscard]] int threads() const;

    struct Texture {
        int width = 0, height = 0;
        std::vector<std::uint8_t> alpha;
    };

  private:
    struct Bins;
    class Pool;
    Texture m_font;
    std::unique_ptr<Bins> m_bins; ///< reused from frame to frame: no allocation once warm
    std::unique_ptr<Pool> m_pool; ///< null when drawing on the caller's thread only
};

} // namespace comptoir::platform
