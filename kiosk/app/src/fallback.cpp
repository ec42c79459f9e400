#include "comptoir/app/fallback.hpp"

#include "comptoir/system/notify.hpp"
#include "comptoir/ui/pause.hpp"

#include <spdlog/spdlog.h>

namespace comptoir::app {

int runFallback(const Options& options, const KioskConfig& config, const Strings& strings,
                platform::Surface& surface) {
    ui::Look look;
    look.palette = ui::warmPalette();
    look.baseScale = ui::displayScale(surface.size().width, surface.size().height, config.scale);
    look.scale = look.baseScale;
    std::string error;
    if (!ui::loadFonts(look, error)) {
        spdlog::critical("fallback screen: {}", error);
        return 1;
    }
    surface.reloadFonts();
    ui::applyStyle(look);
    const ImU32 bg = look.palette.background;
    surface.setClearColour(static_cast<std::uint8_t>(bg & 0xFF), static_cast<std::uint8_t>((bg >> 8) & 0xFF),
                           static_cast<std::uint8_t>((bg >> 16) & 0xFF));
    ui::WidgetRegistry reg;
    auto draw = [&](double dt) {
        surface.beginFrame(dt);
        reg.beginFrame();
        ui::drawPause(look, strings);
        surface.endFrame();
    };
    if (options.headless) {
        draw(1.0 / 60.0);
        draw(1.0 / 60.0); // sizes settled
        if (!surface.savePng(options.screenshot, error)) {
            spdlog::error("cannot write the screenshot: {}", error);
            return 1;
        }
        return 0;
    }
    spdlog::warn(
        "fallback screen shown for {} s after repeated failures (journalctl -u comptoir-kiosk says why)",
        options.fallbackSeconds);
    system::Notifier notifier;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(options.fallbackSeconds);
    auto last = std::chrono::steady_clock::now();
    bool first = true;
    for (;;) {
        auto now = std::chrono::steady_clock::now();
        if (now >= until) break;
        // A redraw every few seconds is enough for a still screen (and keeps a watchdog fed).
        auto pump = surface.pump(static_cast<int>(std::min<long long>(
            5000, std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1)));
        if (pump.quit) break;
        now = std::chrono::steady_clock::now();
        draw(std::chrono::duration<double>(now - last).count());
        last = now;
        if (first) notifier.ready("fallback screen shown");
        first = false;
        notifier.framed(now);
    }
    notifier.stopping();
    return 0;
}

} // namespace comptoir::app
