#pragma once
/// @brief Software updates never interrupt a visitor. Upgrading the package drops the flag file
/// <data_dir>/restart-requested (packaging/kiosk/postinst); the kiosk honours it only at rest on
/// its welcome screen, untouched for a minute (or since it started): it removes the flag and ends
/// with exit code 0, and systemd (Restart=always) starts the new program.

#include <chrono>
#include <optional>
#include <string>

namespace comptoir::app {

/// The flag's name inside the data folder.
inline constexpr const char* kRestartFlag = "restart-requested";

class RestartRequest {
  public:
    /// `processStart`: a flag older than this asked for the program already running, and is
    /// removed without effect.
    RestartRequest(std::string flagPath, std::chrono::system_clock::time_point processStart,
                   std::chrono::seconds quiet = std::chrono::seconds(60));

    /// Called on every turn of the main loop (looks at the disk at most every 2 s). `atRest`:
    /// KioskSession::atRest(); `lastInput`: the last touch, none since start when empty.
    /// True once the kiosk must end to restart (the flag is removed by then).
    [[nodiscard]] bool due(bool atRest, std::optional<std::chrono::steady_clock::time_point> lastInput,
                           std::chrono::steady_clock::time_point now);

  private:
    std::string m_flag;
    std::chrono::system_clock::time_point m_processStart;
    std::chrono::seconds m_quiet;
    std::optional<std::chrono::steady_clock::time_point> m_lastLook;
    bool m_requested = false;
};

} // namespace comptoir::app
