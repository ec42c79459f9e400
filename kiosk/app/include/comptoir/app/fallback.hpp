#pragma once
/// @brief The fallback session (comptoir-kiosk --fallback SECONDS): after repeated failures the
/// screen shows "Le Comptoir revient dans un instant" — no database, no network — for SECONDS,
/// then the program ends (exit 0) and systemd tries the kiosk again
/// (config/systemd/comptoir-kiosk-fallback.service).

#include "comptoir/app/options.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/platform/platform.hpp"

namespace comptoir::app {

/// Shows the pause screen on `surface` for options.fallbackSeconds (headless: renders it to
/// options.screenshot). Returns the exit code.
[[nodiscard]] int runFallback(const Options& options, const KioskConfig& config, const Strings& strings,
                              platform::Surface& surface);

} // namespace comptoir::app
