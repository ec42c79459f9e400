#pragma once
/// @brief The start every screen benchmark shares: a fresh kiosk database filled from the
/// catalogue given, at 1920×1080, with the French catalogue of sentences loaded.

#include "comptoir/app/startup.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/i18n.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace comptoir::bench {

struct KioskBench {
    KioskConfig config;
    std::optional<store::OpenedDatabase> opened;
    Strings french;
};

/// argv[1] the catalogue, argv[2] a work folder (emptied). False when French cannot be read.
inline bool openKioskBench(char** argv, KioskBench& b) {
    b.config.dataDir = argv[2];
    b.config.catalogueSeed = argv[1];
    b.config.width = 1920;
    b.config.height = 1080;
    resolvePaths(b.config, "");
    std::filesystem::remove_all(b.config.dataDir);
    b.opened.emplace(app::prepareDatabase(b.config));
    std::string error;
    return b.french.load(app::assetDir() + "/i18n", "fr", error);
}

} // namespace comptoir::bench
