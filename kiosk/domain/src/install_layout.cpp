#include "comptoir/domain/install_layout.hpp"

#include <filesystem>
#include <system_error>

namespace comptoir {

namespace fs = std::filesystem;

std::optional<InstallLayout> installedLayoutFor(const std::string& exePath) {
    std::error_code ec;
    fs::path exe(exePath);
    fs::path bin = exe.parent_path();
    if (bin.filename() != "bin") return std::nullopt;
    fs::path prefix = bin.parent_path();
    fs::path assets = prefix / "share" / "comptoir";
    if (!fs::is_directory(assets / "i18n", ec)) return std::nullopt;
    // FHS: /usr's configuration is in /etc; any other prefix keeps its own etc/.
    fs::path etc = prefix.filename() == "usr" ? prefix.parent_path() / "etc" : prefix / "etc";
    return InstallLayout{prefix.string(), assets.string(), (etc / "comptoir" / "kiosk.toml").string()};
}

std::optional<InstallLayout> installedLayout() {
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    return installedLayoutFor(exe.string());
}

std::string defaultConfigFile() {
    auto layout = installedLayout();
    std::error_code ec;
    if (layout && fs::is_regular_file(layout->configFile, ec)) return layout->configFile;
    return {};
}

} // namespace comptoir
