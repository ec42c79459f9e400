#include "comptoir/platform/platform.hpp"
#include "comptoir/platform/raster.hpp"

#include <SDL.h>
#include <array>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

namespace comptoir::platform {

namespace {

/// Uploads the font atlas to the renderer, then frees the CPU copies (alpha and RGBA, several
/// MB at kiosk sizes): the renderer keeps its own texture.
void uploadFonts() {
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    ImGui_ImplSDLRenderer_CreateFontsTexture();
    ImGui::GetIO().Fonts->ClearTexData();
}

// [SECTION] window ----------------------------------------------------------

class WindowSurface final : public Surface {
  public:
    WindowSurface(SDL_Window* w, SDL_Renderer* r) : m_window(w), m_renderer(r) {
        ImGui_ImplSDL2_InitForSDLRenderer(m_window);
        SDL_RendererInfo info{};
        // Without a GPU, SDL's own software path is far slower than our rasteriser: use ours
        // and only hand SDL the finished picture.
        m_ownRaster = SDL_GetRendererInfo(m_renderer, &info) != 0 || !(info.flags & SDL_RENDERER_ACCELERATED);
        if (!m_ownRaster) ImGui_ImplSDLRenderer_Init(m_renderer);
    }
    ~WindowSurface() override {
        if (!m_ownRaster) ImGui_ImplSDLRenderer_Shutdown();
        if (m_texture) SDL_DestroyTexture(m_texture);
        ImGui_ImplSDL2_Shutdown();
        SDL_DestroyRenderer(m_renderer);
        SDL_DestroyWindow(m_window);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }

    Pump pump(int timeoutMs) override {
        Pump p;
        SDL_Event e;
        bool got = timeoutMs > 0 ? SDL_WaitEventTimeout(&e, timeoutMs) != 0 : SDL_PollEvent(&e) != 0;
        while (got) {
            ImGui_ImplSDL2_ProcessEvent(&e);
            switch (e.type) {
            case SDL_QUIT: p.quit = true; break;
            case SDL_WINDOWEVENT:
                if (e.window.event == SDL_WINDOWEVENT_CLOSE) p.closeRequested = true;
                p.hadInput = true;
                break;
            case SDL_MOUSEMOTION:
            case SDL_MOUSEBUTTONDOWN:
            case SDL_MOUSEBUTTONUP:
            case SDL_MOUSEWHEEL:
            case SDL_FINGERDOWN:
            case SDL_FINGERUP:
            case SDL_FINGERMOTION:
            case SDL_KEYDOWN:
            case SDL_KEYUP:
            case SDL_TEXTINPUT:
                p.hadInput = true;
                break;
            default: break;
            }
            got = SDL_PollEvent(&e) != 0;
        }
        return p;
    }

    void beginFrame(double) override {
        if (!m_ownRaster) ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        if (m_mirrored) flipMouseX(ImGui::GetIO().DisplaySize.x);
        ImGui::NewFrame();
    }

    void endFrame() override {
        ImGui::Render();
        if (m_mirrored) {
            mirrorDrawData(ImGui::GetDrawData());
            flipMouseX(ImGui::GetIO().DisplaySize.x);
        }
        if (m_ownRaster) {
            presentOwnRaster();
            return;
        }
        SDL_SetRenderDrawColor(m_renderer, m_clear[0], m_clear[1], m_clear[2], 255);
        SDL_RenderClear(m_renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(m_renderer);
    }

    void presentOwnRaster() {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(m_renderer, &w, &h);
        if (w <= 0 || h <= 0) return;
        if (!m_texture || w != m_textureSize.width || h != m_textureSize.height) {
            if (m_texture) SDL_DestroyTexture(m_texture);
            m_texture = SDL_CreateTexture(m_renderer, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STREAMING, w, h);
            m_textureSize = {w, h};
            m_pixels.assign(static_cast<size_t>(w) * static_cast<size_t>(h) * 4, 0);
            if (!m_texture) return;
        }
        m_raster.render(ImGui::GetDrawData(), m_pixels.data(), w, h, w * 4, m_clear[0], m_clear[1], m_clear[2]);
        SDL_UpdateTexture(m_texture, nullptr, m_pixels.data(), w * 4);
        SDL_RenderCopy(m_renderer, m_texture, nullptr, nullptr);
        SDL_RenderPresent(m_renderer);
    }

    Size size() const override {
        Size s;
        SDL_GetWindowSize(m_window, &s.width, &s.height);
        return s;
    }

    void setFullscreen(bool on) override {
        (void)SDL_SetWindowFullscreen(m_window, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    }
    bool fullscreen() const override {
        return (SDL_GetWindowFlags(m_window) & (SDL_WINDOW_FULLSCREEN | SDL_WINDOW_FULLSCREEN_DESKTOP)) != 0;
    }

    bool savePng(const std::string& path, std::string& error) override {
        Size s;
        SDL_GetRendererOutputSize(m_renderer, &s.width, &s.height);
        std::vector<std::uint8_t> pixels(static_cast<size_t>(s.width) * static_cast<size_t>(s.height) * 4);
        if (SDL_RenderReadPixels(m_renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels.data(), s.width * 4) != 0) {
            error = SDL_GetError();
            return false;
        }
        return writePng(path, s.width, s.height, pixels.data(), s.width * 4, error);
    }

    void reloadFonts() override {
        if (!m_ownRaster) {
            uploadFonts();
            return;
        }
        m_raster.setFontAtlas();
        ImGui::GetIO().Fonts->ClearTexData();
    }
    void setClearColour(std::uint8_t r, std::uint8_t g, std::uint8_t b) override { m_clear = {r, g, b}; }

  private:
    bool m_ownRaster = false;
    SoftwareRasteriser m_raster;
    SDL_Texture* m_texture = nullptr;
    Size m_textureSize{0, 0};
    std::vector<std::uint8_t> m_pixels;
    SDL_Window* m_window;
    SDL_Renderer* m_renderer;
    std::array<std::uint8_t, 3> m_clear{0, 0, 0};
};

// [SECTION] offscreen -------------------------------------------------------

/// Draws into plain memory with our own rasteriser: no display, no SDL renderer.
class OffscreenSurface final : public Surface {
  public:
    OffscreenSurface(Size size, bool pixels)
        : m_size(size),
          m_pixels(pixels ? static_cast<size_t>(size.width) * static_cast<size_t>(size.height) * 4 : 0),
          m_rasterise(pixels) {}

    // Headless input comes from the script runner, which writes io.MousePos/MouseDown itself.
    Pump pump(int) override { return {}; }

    void beginFrame(double dt) override {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(static_cast<float>(m_size.width), static_cast<float>(m_size.height));
        io.DisplayFramebufferScale = ImVec2(1, 1);
        io.DeltaTime = dt > 0 ? static_cast<float>(dt) : 1.0f / 60.0f;
        if (m_mirrored) flipMouseX(io.DisplaySize.x); // the script taps where the mirrored screen shows
        ImGui::NewFrame();
    }

    void endFrame() override {
        ImGui::Render();
        if (m_mirrored) {
            mirrorDrawData(ImGui::GetDrawData());
            flipMouseX(ImGui::GetIO().DisplaySize.x); // back to screen coordinates for the next frame
        }
        if (m_rasterise)
            m_raster.render(ImGui::GetDrawData(), m_pixels.data(), m_size.width, m_size.height,
                            m_size.width * 4, m_clear[0], m_clear[1], m_clear[2]);
    }

    Size size() const override { return m_size; }

    bool savePng(const std::string& path, std::string& error) override {
        if (!m_rasterise) {
            error = "this offscreen surface lays frames out without drawing them";
            return false;
        }
        return writePng(path, m_size.width, m_size.height, m_pixels.data(), m_size.width * 4, error);
    }

    void reloadFonts() override {
        m_raster.setFontAtlas();
        ImGui::GetIO().Fonts->ClearTexData();
    }
    void setClearColour(std::uint8_t r, std::uint8_t g, std::uint8_t b) override { m_clear = {r, g, b}; }

  private:
    Size m_size;
    std::vector<std::uint8_t> m_pixels;
    SoftwareRasteriser m_raster;
    std::array<std::uint8_t, 3> m_clear{0, 0, 0};
    bool m_rasterise = true;
};

} // namespace

std::unique_ptr<Surface> openWindow(const std::string& title, Size size, bool fullscreen, std::string& error) {
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1"); // a finger acts as the left button
    // Closing the window is a request the app may refuse (kiosk lock-down), not a quit; and a
    // fullscreen kiosk stays on screen when another window takes the focus (Alt+Tab).
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        error = SDL_GetError();
        return nullptr;
    }
    // With no display SDL may fall back to its offscreen or dummy driver: a window nobody can
    // see. Refuse that unless it was asked for explicitly (SDL_VIDEODRIVER).
    const char* driver = SDL_GetCurrentVideoDriver();
    const char* asked = SDL_getenv("SDL_VIDEODRIVER");
    if (driver && (SDL_strcmp(driver, "offscreen") == 0 || SDL_strcmp(driver, "dummy") == 0 ||
                   SDL_strcmp(driver, "evdev") == 0) &&
        !(asked && SDL_strcmp(asked, driver) == 0)) {
        error = std::string("no display (SDL fell back to its '") + driver + "' driver)";
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return nullptr;
    }
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE;
    if (fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    SDL_Window* w = SDL_CreateWindow(title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, size.width,
                                     size.height, flags);
    if (!w) {
        error = SDL_GetError();
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return nullptr;
    }
    SDL_Renderer* r = SDL_CreateRenderer(w, -1, SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_ACCELERATED);
    if (!r) r = SDL_CreateRenderer(w, -1, SDL_RENDERER_ACCELERATED);
    if (!r) r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
    if (!r) {
        error = SDL_GetError();
        SDL_DestroyWindow(w);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return nullptr;
    }
    return std::make_unique<WindowSurface>(w, r);
}

std::unique_ptr<Surface> openOffscreen(Size size, std::string& error, bool pixels) {
    if (size.width <= 0 || size.height <= 0) {
        error = "the offscreen size must be positive";
        return nullptr;
    }
    return std::make_unique<OffscreenSurface>(size, pixels);
}

} // namespace comptoir::platform
