#include "comptoir/platform/platform.hpp"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

namespace comptoir::platform {

namespace {

// [SECTION] window ----------------------------------------------------------

class WindowSurface final : public Surface {
  public:
    WindowSurface(SDL_Window* w, SDL_Renderer* r) : m_window(w), m_renderer(r) {
        ImGui_ImplSDL2_InitForSDLRenderer(m_window);
        ImGui_ImplSDLRenderer_Init(m_renderer);
    }
    ~WindowSurface() override {
        ImGui_ImplSDLRenderer_Shutdown();
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
            case SDL_WINDOWEVENT: p.hadInput = true; break;
            default: break;
            }
            got = SDL_PollEvent(&e) != 0;
        }
        return p;
    }

    void beginFrame(double) override {
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
    }

    void endFrame() override {
        ImGui::Render();
        SDL_SetRenderDrawColor(m_renderer, 0, 0, 0, 255);
        SDL_RenderClear(m_renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(m_renderer);
    }

    Size size() const override {
        Size s;
        SDL_GetWindowSize(m_window, &s.width, &s.height);
        return s;
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
        ImGui_ImplSDLRenderer_DestroyFontsTexture();
        ImGui_ImplSDLRenderer_CreateFontsTexture();
    }

  private:
    SDL_Window* m_window;
    SDL_Renderer* m_renderer;
};

// [SECTION] offscreen -------------------------------------------------------

class OffscreenSurface final : public Surface {
  public:
    OffscreenSurface(SDL_Surface* s, SDL_Renderer* r, Size size) : m_surface(s), m_renderer(r), m_size(size) {
        ImGui_ImplSDLRenderer_Init(m_renderer);
    }
    ~OffscreenSurface() override {
        ImGui_ImplSDLRenderer_Shutdown();
        SDL_DestroyRenderer(m_renderer);
        SDL_FreeSurface(m_surface);
    }

    // Headless input comes from the script runner, which writes io.MousePos/MouseDown itself.
    Pump pump(int) override { return {}; }

    void beginFrame(double dt) override {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(static_cast<float>(m_size.width), static_cast<float>(m_size.height));
        io.DisplayFramebufferScale = ImVec2(1, 1);
        io.DeltaTime = dt > 0 ? static_cast<float>(dt) : 1.0f / 60.0f;
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui::NewFrame();
    }

    void endFrame() override {
        ImGui::Render();
        SDL_SetRenderDrawColor(m_renderer, 0, 0, 0, 255);
        SDL_RenderClear(m_renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(m_renderer);
    }

    Size size() const override { return m_size; }

    bool savePng(const std::string& path, std::string& error) override {
        if (SDL_MUSTLOCK(m_surface)) SDL_LockSurface(m_surface);
        bool ok = writePng(path, m_size.width, m_size.height, static_cast<const std::uint8_t*>(m_surface->pixels),
                           m_surface->pitch, error);
        if (SDL_MUSTLOCK(m_surface)) SDL_UnlockSurface(m_surface);
        return ok;
    }

    void reloadFonts() override {
        ImGui_ImplSDLRenderer_DestroyFontsTexture();
        ImGui_ImplSDLRenderer_CreateFontsTexture();
    }

  private:
    SDL_Surface* m_surface;
    SDL_Renderer* m_renderer;
    Size m_size;
};

} // namespace

std::unique_ptr<Surface> openWindow(const std::string& title, Size size, bool fullscreen, std::string& error) {
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1"); // a finger acts as the left button
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
    if (!r) r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE);
    if (!r) {
        error = SDL_GetError();
        SDL_DestroyWindow(w);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return nullptr;
    }
    return std::make_unique<WindowSurface>(w, r);
}

std::unique_ptr<Surface> openOffscreen(Size size, std::string& error) {
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, size.width, size.height, 32, SDL_PIXELFORMAT_ABGR8888);
    if (!s) {
        error = SDL_GetError();
        return nullptr;
    }
    SDL_Renderer* r = SDL_CreateSoftwareRenderer(s);
    if (!r) {
        error = SDL_GetError();
        SDL_FreeSurface(s);
        return nullptr;
    }
    return std::make_unique<OffscreenSurface>(s, r, size);
}

} // namespace comptoir::platform
