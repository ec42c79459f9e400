// Kiosk lock-down on a real SDL window (SDL's offscreen video driver, no display needed): the
// window manager's close (its button, Alt+F4) comes out of the platform as a request, never as a
// quit, and the main loop's rule keeps a fullscreen kiosk open; keys the kiosk reads quit nothing.
#include "comptoir/app/kiosk_app.hpp"
#include "comptoir/platform/platform.hpp"

#include <SDL.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <imgui.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

using namespace comptoir;

namespace {
void push(SDL_Event e) {
    REQUIRE(SDL_PushEvent(&e) == 1);
}
SDL_Event closeEvent() {
    SDL_Event e{};
    e.type = SDL_WINDOWEVENT;
    e.window.event = SDL_WINDOWEVENT_CLOSE;
    e.window.windowID = 1;
    return e;
}
SDL_Event key(SDL_Keycode code, Uint16 mod) {
    SDL_Event e{};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = code;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(code);
    e.key.keysym.mod = mod;
    e.key.state = SDL_PRESSED;
    return e;
}
} // namespace

TEST_CASE("the window manager's close is ignored by a fullscreen kiosk, honoured by a window") {
#if defined(__SANITIZE_ADDRESS__)
    // SDL's video drivers (loaded with dlopen, unloaded at quit) keep a few allocations for the
    // process's life; once unloaded, no suppression can name them. Not ours: not counted.
    __lsan::ScopedDisabler sdlVideoIsNotOurs;
#endif
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    REQUIRE(setenv("SDL_VIDEODRIVER", "offscreen", 1) == 0);
    std::string error;
    auto surface = platform::openWindow("Comptoir (test)", {640, 480}, true, error);
    INFO(error);
    REQUIRE(surface);
    (void)surface->pump(0); // whatever the driver queued on opening
    REQUIRE(surface->fullscreen());

    push(closeEvent());
    push(key(SDLK_F4, KMOD_LALT));
    push(key(SDLK_ESCAPE, KMOD_NONE));
    push(key(SDLK_q, KMOD_LCTRL));
    auto p = surface->pump(0);
    CHECK(p.closeRequested);
    CHECK_FALSE(p.quit); // a request the kiosk may refuse, not the supervisor's SIGTERM
    CHECK(app::keepOpenOnClose(surface->fullscreen()));

    // Out of fullscreen (an agent's action), the same close ends the kiosk.
    surface->setFullscreen(false);
    CHECK_FALSE(surface->fullscreen());
    push(closeEvent());
    p = surface->pump(0);
    CHECK(p.closeRequested);
    CHECK_FALSE(app::keepOpenOnClose(surface->fullscreen()));

    surface.reset();
    unsetenv("SDL_VIDEODRIVER");
    ImGui::DestroyContext();
}
