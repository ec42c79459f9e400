#pragma once
/// @brief The kiosk program: wires configuration, store, UI and platform, then runs.

#include "comptoir/app/options.hpp"

#include <chrono>

namespace comptoir::app {

/// Runs comptoir-kiosk; returns the process exit code. `started` is when main() began, for
/// the startup_to_first_frame_ms figure.
int runKiosk(const Options& options, std::chrono::steady_clock::time_point started);

} // namespace comptoir::app
