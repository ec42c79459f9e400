#pragma once
/// @brief Command line of comptoir-kiosk.

#include <optional>
#include <string>
#include <vector>

namespace comptoir::app {

struct Options {
    std::string configFile;
    std::string dataDir;
    bool headless = false;
    std::string screenshot;
    int width = 0, height = 0; ///< 0: from the configuration
    bool timing = false;       ///< print startup_to_first_frame_ms and peak_rss_mb
    std::string importFile;    ///< import a catalogue and exit
    bool withdrawAll = false;  ///< --withdraw-all: an import with no offer may close every offer
    std::string script;        ///< replay a script headless (see script.hpp)
    bool help = false;
    bool fallback = false;   ///< the pause screen of the fallback unit, no database (fallback.hpp)
    int fallbackSeconds = 0; ///< how long it stays before ending
};

struct OptionsResult {
    std::optional<Options> options;
    std::string error;
};

[[nodiscard]] OptionsResult parseOptions(const std::vector<std::string>& args);
[[nodiscard]] const char* usage();

} // namespace comptoir::app
