// Where an installed program finds its files: beside its own executable, never from the
// environment; a build tree is never taken for an installed one.
#include "comptoir/domain/install_layout.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace comptoir;
namespace fs = std::filesystem;

TEST_CASE("install layout: <prefix>/bin beside <prefix>/share/comptoir; /usr's configuration in /etc") {
    test::TempDir dir;
    const fs::path root = dir.path();
    fs::create_directories(root / "usr/bin");
    CHECK_FALSE(installedLayoutFor((root / "usr/bin/comptoir-kiosk").string())); // no assets yet
    fs::create_directories(root / "usr/share/comptoir/i18n");
    auto usr = installedLayoutFor((root / "usr/bin/comptoir-kiosk").string());
    REQUIRE(usr);
    CHECK(usr->assetDir == (root / "usr/share/comptoir").string());
    CHECK(usr->configFile == (root / "etc/comptoir/kiosk.toml").string());

    fs::create_directories(root / "opt/comptoir/bin");
    fs::create_directories(root / "opt/comptoir/share/comptoir/i18n");
    auto opt = installedLayoutFor((root / "opt/comptoir/bin/comptoir-sync").string());
    REQUIRE(opt);
    CHECK(opt->configFile == (root / "opt/comptoir/etc/comptoir/kiosk.toml").string());

    // A build tree (kiosk/app/comptoir-kiosk) keeps the source tree's assets.
    fs::create_directories(root / "build/kiosk/app");
    CHECK_FALSE(installedLayoutFor((root / "build/kiosk/app/comptoir-kiosk").string()));
    // This very test binary runs from the build tree: no packaged configuration is picked up.
    CHECK_FALSE(installedLayout());
    CHECK(defaultConfigFile().empty());
}
