#include "comptoir/app/options.hpp"

#include <cstdlib>

namespace comptoir::app {

const char* usage() {
    return "usage: comptoir-kiosk [--config FILE] [--data-dir DIR] [--headless] [--screenshot FILE.png]\n"
           "                      [--size WIDTHxHEIGHT] [--script FILE] [--import CATALOGUE.json "
           "[--withdraw-all]] [--timing]\n"
           "  --config FILE      kiosk configuration (TOML); default: built-in settings\n"
           "  --data-dir DIR     where the database lives; default: $XDG_DATA_HOME/comptoir\n"
           "  --headless         no display: render offscreen (needs --screenshot)\n"
           "  --screenshot FILE  render the current screen to a PNG and exit\n"
           "  --size WxH         window or screenshot size, e.g. 1920x1080\n"
           "  --script FILE      replay a scripted session headless (docs/scripting.md)\n"
           "  --import FILE      make FILE the kiosk's catalogue and exit: an offer it does not hold is "
           "closed\n"
           "  --withdraw-all     with --import: accept a catalogue with no offer (closes every offer)\n"
           "  --timing           print startup_to_first_frame_ms and peak_rss_mb\n"
           "  --fallback SECONDS show only \"Le Comptoir revient dans un instant\" for SECONDS, then end\n"
           "                     (the fallback unit, after repeated failures; no database is opened)\n"
           "       comptoir-kiosk agent add|enable|disable|list ...   (comptoir-kiosk agent --help)\n";
}

OptionsResult parseOptions(const std::vector<std::string>& args) {
    Options o;
    auto value = [&](size_t& i, const std::string& name, std::string& out) -> bool {
        if (i + 1 >= args.size()) return false;
        out = args[++i];
        return !out.empty() || name.empty();
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string v;
        if (a == "--help" || a == "-h") o.help = true;
        else if (a == "--headless") o.headless = true;
        else if (a == "--timing") o.timing = true;
        else if (a == "--withdraw-all")
            o.withdrawAll = true;
        else if (a == "--config") {
            if (!value(i, a, o.configFile)) return {std::nullopt, "--config needs a file"};
        } else if (a == "--data-dir") {
            if (!value(i, a, o.dataDir)) return {std::nullopt, "--data-dir needs a folder"};
        } else if (a == "--screenshot") {
            if (!value(i, a, o.screenshot)) return {std::nullopt, "--screenshot needs a file"};
        } else if (a == "--script") {
            if (!value(i, a, o.script)) return {std::nullopt, "--script needs a file"};
        } else if (a == "--import") {
            if (!value(i, a, o.importFile)) return {std::nullopt, "--import needs a file"};
        } else if (a == "--fallback") {
            char* end = nullptr;
            long secs = value(i, a, v) ? std::strtol(v.c_str(), &end, 10) : -1;
            if (!end || *end != '\0' || secs < 0 || secs > 86'400)
                return {std::nullopt, "--fallback needs a number of seconds (0 to 86400)"};
            o.fallback = true;
            o.fallbackSeconds = static_cast<int>(secs);
        } else if (a == "--size") {
            if (!value(i, a, v)) return {std::nullopt, "--size needs WIDTHxHEIGHT"};
            auto x = v.find('x');
            char* endW = nullptr;
            char* endH = nullptr;
            long w = x == std::string::npos ? 0 : std::strtol(v.c_str(), &endW, 10);
            long h = x == std::string::npos ? 0 : std::strtol(v.c_str() + x + 1, &endH, 10);
            bool whole = x != std::string::npos && endW == v.c_str() + x && endH && *endH == '\0';
            if (!whole || w < 320 || h < 240 || w > 7680 || h > 4320)
                return {std::nullopt, "--size must look like 1280x800 (320x240 to 7680x4320)"};
            o.width = static_cast<int>(w);
            o.height = static_cast<int>(h);
        } else return {std::nullopt, "unknown option '" + a + "'"};
    }
    if (o.headless && o.screenshot.empty() && o.script.empty())
        return {std::nullopt, "--headless needs --screenshot FILE.png or --script FILE"};
    if (!o.script.empty()) o.headless = true;
    return {o, {}};
}

} // namespace comptoir::app
