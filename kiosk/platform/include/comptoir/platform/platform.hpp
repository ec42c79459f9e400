#pragma once
/// @brief Platform layer: a real SDL2 window, or an offscreen software surface for headless runs.
///
/// Supports: SDL2 window (optionally fullscreen) with SDL_Renderer; event-driven waiting so an
/// idle kiosk uses no CPU; offscreen rendering with our software rasteriser (raster.hpp) and PNG export;
/// direct touch injection (io.MousePos / io.MouseDown, Dear ImGui 1.86) for scripted sessions.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct ImDrawData;

namespace comptoir::platform {

struct Size {
    int width = 1280;
    int height = 800;
};

/// What the main loop learned while waiting.
struct Pump {
    bool quit = false;           ///< SIGTERM/SIGINT (the supervisor), or the window closed
    bool closeRequested = false; ///< the window manager asked to close the window (Alt+F4, its button)
    bool hadInput = false;       ///< a touch, click, key or resize: redraw and reset the idle timer
};

class Surface {
  public:
    virtual ~Surface() = default;
    /// Waits at most timeoutMs for events (0 = just poll) and feeds them to Dear ImGui.
    virtual Pump pump(int timeoutMs) = 0;
    /// Starts a Dear ImGui frame; dt in seconds.
    virtual void beginFrame(double dt) = 0;
    /// Renders the Dear ImGui draw data and presents it.
    virtual void endFrame() = 0;
    [[nodiscard]] virtual Size size() const = 0;
    /// Writes the last presented frame as PNG; false with a reason on failure.
    virtual bool savePng(const std::string& path, std::string& error) = 0;
    /// Call after the font atlas changed so the renderer uploads it again.
    virtual void reloadFonts() = 0;
    /// The colour each frame starts from (the screens' background).
    virtual void setClearColour(std::uint8_t r, std::uint8_t g, std::uint8_t b) = 0;
    /// Fills the screen or goes back to a window (an agent's action); no-op offscreen.
    virtual void setFullscreen(bool) {}
    [[nodiscard]] virtual bool fullscreen() const { return false; }
    /// Right-to-left screens: each frame is mirrored left to right once drawn (mirrorDrawData),
    /// and touches are mirrored back before Dear ImGui sees them, so layouts need no RTL code.
    void setMirrored(bool mirrored) { m_mirrored = mirrored; }
    [[nodiscard]] bool mirrored() const { return m_mirrored; }

  protected:
    bool m_mirrored = false;
};

/// A window on the current display. nullptr and a plain reason when there is no display.
/// Closing the window never quits by itself: pump() reports closeRequested and the app decides
/// (a fullscreen kiosk ignores it: only an agent, or the supervisor's SIGTERM, ends it).
[[nodiscard]] std::unique_ptr<Surface> openWindow(const std::string& title, Size size, bool fullscreen,
                                                  std::string& error);
/// An offscreen RGBA surface drawn by our software rasteriser: no display needed.
/// `pixels` false: frames are laid out (Dear ImGui, widget rectangles) but never rasterised, for
/// tests that only measure the layout; savePng then refuses.
[[nodiscard]] std::unique_ptr<Surface> openOffscreen(Size size, std::string& error, bool pixels = true);

/// Mirrors a rendered frame left to right: vertices and clip rectangles move to their mirrored
/// place, each glyph (and image) quad keeps its own orientation so that text still reads.
void mirrorDrawData(ImDrawData* data);
/// io.MousePos.x ↦ displayWidth − x (touches on a mirrored frame); no-op when there is no mouse.
void flipMouseX(float displayWidth);

/// Encodes RGBA8 pixels to a PNG file.
bool writePng(const std::string& path, int width, int height, const std::uint8_t* rgba, int stride,
              std::string& error);
/// Reads back a PNG as RGBA8 (tests check that screenshots are not blank).
bool readPng(const std::string& path, int& width, int& height, std::vector<std::uint8_t>& rgba, std::string& error);

} // namespace comptoir::platform
