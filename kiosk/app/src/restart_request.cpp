#include "comptoir/app/restart_request.hpp"

#include <filesystem>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <system_error>

namespace comptoir::app {

namespace fs = std::filesystem;

RestartRequest::RestartRequest(std::string flagPath, std::chrono::system_clock::time_point processStart,
                               std::chrono::seconds quiet)
    : m_flag(std::move(flagPath)), m_processStart(processStart), m_quiet(quiet) {}

bool RestartRequest::due(bool atRest, std::optional<std::chrono::steady_clock::time_point> lastInput,
                         std::chrono::steady_clock::time_point now) {
    if (!m_requested && (!m_lastLook || now - *m_lastLook >= std::chrono::seconds(2))) {
        m_lastLook = now;
        struct stat st {};
        if (::stat(m_flag.c_str(), &st) == 0) {
            auto writtenAt = std::chrono::system_clock::time_point(
                std::chrono::duration_cast<std::chrono::system_clock::duration>(
                    std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
            if (writtenAt < m_processStart) {
                std::error_code ec;
                // This program already is the new one (started after the upgrade wrote the flag).
                fs::remove(m_flag, ec);
                spdlog::info("update: restart request older than this program, removed");
            } else {
                m_requested = true;
                spdlog::info("update: restart requested; waiting for the welcome screen to be at rest");
            }
        }
    }
    if (!m_requested || !atRest) return false;
    if (lastInput && now - *lastInput < m_quiet) return false;
    std::error_code ec;
    fs::remove(m_flag, ec);
    if (ec) spdlog::warn("update: cannot remove the restart flag: {}", ec.message());
    spdlog::info("update: the welcome screen is at rest, restarting to run the new program");
    return true;
}

} // namespace comptoir::app
