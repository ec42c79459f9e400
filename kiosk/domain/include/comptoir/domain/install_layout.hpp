#pragma once
/// @brief Where an installed program finds its assets and configuration: beside its own
/// executable, so the Debian packages need no environment variable and the dev tree keeps its
/// source-tree defaults.

#include <optional>
#include <string>

namespace comptoir {

struct InstallLayout {
    std::string prefix;     ///< e.g. /usr
    std::string assetDir;   ///< <prefix>/share/comptoir
    std::string configFile; ///< /etc/comptoir/kiosk.toml for the prefix /usr
};

/// The layout of an executable at `exePath` when it sits in <prefix>/bin with
/// <prefix>/share/comptoir/i18n beside it (an installed tree); nullopt otherwise (a build tree).
/// The configuration of the prefix /usr is /etc (also below another root: ROOT/usr → ROOT/etc).
[[nodiscard]] std::optional<InstallLayout> installedLayoutFor(const std::string& exePath);

/// installedLayoutFor(/proc/self/exe).
[[nodiscard]] std::optional<InstallLayout> installedLayout();

/// The configuration an installed program reads when given no --config: its layout's
/// configFile when that file exists; empty (built-in defaults) otherwise.
[[nodiscard]] std::string defaultConfigFile();

} // namespace comptoir
