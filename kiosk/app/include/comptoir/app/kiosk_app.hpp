#pragma once
/// @brief The kiosk program: wires configuration, store, UI and platform, then runs.

#include "comptoir/app/options.hpp"

#include <chrono>
#include <memory>

namespace comptoir {
struct KioskConfig;
namespace sync {
class SyncWorker;
}
} // namespace comptoir

namespace comptoir::app {

/// Starts the background sync when a server is configured; nullptr for an offline kiosk or a
/// configuration the sync cannot use (logged).
[[nodiscard]] std::unique_ptr<sync::SyncWorker> startSync(const KioskConfig& config);

/// Kiosk lock-down: a close request from the window manager (its button, Alt+F4) is ignored in
/// fullscreen, where only an agent (agent mode) or the supervisor (SIGTERM) ends the kiosk.
[[nodiscard]] bool keepOpenOnClose(bool fullscreen);

/// Runs comptoir-kiosk; returns the process exit code. `started` is when main() began, for
/// the startup_to_first_frame_ms figure.
int runKiosk(const Options& options, std::chrono::steady_clock::time_point started);

} // namespace comptoir::app
