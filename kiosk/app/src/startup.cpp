#include "comptoir/app/startup.hpp"

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/install_layout.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/system/journal.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <spdlog/spdlog.h>
#include <sstream>

namespace comptoir::app {

std::string assetDir() {
    if (const char* a = std::getenv("COMPTOIR_ASSETS"); a && *a) return a;
    if (auto installed = installedLayout()) return installed->assetDir;
    return COMPTOIR_ASSET_DIR;
}

std::string localeDir() {
    if (const char* a = std::getenv("COMPTOIR_LOCALE_DIR"); a && *a) return a;
    // The packages install the compiled catalogues beside the assets (packaging/CMakeLists.txt).
    if (auto installed = installedLayout()) return installed->assetDir + "/locale";
    return COMPTOIR_LOCALE_DIR;
}

void setupLogging() {
    system::setupLogging("comptoir-kiosk");
}

std::optional<KioskConfig> loadConfiguration(const Options& options) {
    KioskConfig config;
    // An installed kiosk given no --config reads the packaged /etc/comptoir/kiosk.toml.
    const std::string file = options.configFile.empty() ? defaultConfigFile() : options.configFile;
    if (!file.empty()) {
        std::string text;
        if (!readWholeFile(file, text)) {
            std::cerr << file << ": cannot read the configuration file\n";
            return std::nullopt;
        }
        auto r = parseConfig(text);
        if (r.error) {
            std::cerr << r.error->describe(file) << "\n";
            return std::nullopt;
        }
        config = *r.config;
    }
    if (config.catalogueSeed.empty()) config.catalogueSeed = assetDir() + "/catalogue/demo.json";
    resolvePaths(config, options.dataDir);
    system::setLogKioskId(config.kioskId);
    return config;
}

bool importCatalogueFile(store::Database& db, const std::string& path, bool withdrawAll) {
    std::string text;
    switch (readFileAtMost(path, kMaxCatalogueBytes, text)) {
    case ReadResult::Ok:
        break;
    case ReadResult::Unreadable:
        spdlog::error("catalogue {}: cannot read the file; nothing changed", path);
        return false;
    case ReadResult::TooLarge:
        spdlog::error("catalogue {}: refused: larger than {} MB, more than any real catalogue (25,000 offers "
                      "take about 30 MB); nothing changed",
                      path, kMaxCatalogueBytes >> 20);
        return false;
    }
    auto parsed = parseCatalogue(text);
    if (!parsed.ok) {
        spdlog::error("catalogue {}: {}; nothing changed", path, parsed.error);
        return false;
    }
    for (const auto& issue : parsed.issues) spdlog::warn("catalogue {}: skipped {}: {}", path, issue.entry, issue.reason);
    for (const auto& d : parsed.dropped)
        spdlog::warn("catalogue {}: {}: {}", path, d.entry, d.reason);
    // Closing every offer must be a decision, never the side effect of a wrong file.
    if (parsed.catalogue.offers.empty() && !withdrawAll) {
        spdlog::error(
            "catalogue {}: refused: it has no offer that can be imported, and importing it would close "
            "every offer of this kiosk; give --withdraw-all if that is the intent. Nothing changed",
            path);
        return false;
    }
    if (!parsed.catalogue.offers.empty() && withdrawAll) {
        spdlog::error(
            "catalogue {}: refused: --withdraw-all is for a catalogue with no offer, and this one has "
            "offers. Nothing changed",
            path);
        return false;
    }
    auto report = store::importCatalogue(db, parsed.catalogue, parsed.skippedOfferIds);
    spdlog::info(
        "catalogue {}: version {} imported: {} offers, {} organisations, {} themes ({} entries skipped); "
        "{} offers closed (not in this catalogue)",
        path, parsed.catalogue.version, report.offers, report.organisations, report.themes,
        parsed.issues.size(), report.closed);
    return true;
}

store::OpenedDatabase openDatabase(const KioskConfig& config) {
    auto opened = store::openKioskDatabase(config.databasePath);
    if (store::offerCount(opened.db) == 0 && !config.catalogueSeed.empty())
        (void)importCatalogueFile(opened.db, config.catalogueSeed);
    return opened;
}

void requireRealCredentials(const KioskConfig& config, const store::Database& db) {
    if (config.serverUrl.empty()) return;
    // A public PIN protects nobody: data sealed under a keyring that was ever wrapped by one must
    // never reach the server from this database.
    bool demo = store::keyringIsDemo(db) || (store::Keyring::hasLegacyWrap(db) &&
                                             store::Keyring::unlockLegacy(db, store::kLegacyDemoPin));
    if (demo)
        throw StartupError(
            "this database's key was made for the offline demo, under a public PIN: a kiosk "
            "connected to a server never runs with it. Move the data folder aside, then create "
            "the first agent with 'comptoir-kiosk agent add NAME' (docs/agent.md)");
    if (!store::Keyring::exists(db))
        throw StartupError(
            "this kiosk has no agent yet: a kiosk connected to a server needs its first agent, "
            "created on this machine with 'comptoir-kiosk agent add NAME' (docs/agent.md)");
}

store::OpenedDatabase prepareDatabase(const KioskConfig& config, store::PinCost demoCost) {
    auto opened = openDatabase(config);
    requireRealCredentials(config, opened.db);
    if (!store::Keyring::exists(opened.db)) {
        // Offline and no agent yet: the demo agent, whose PIN the README gives, holds the key.
        // A connected kiosk never gets here (requireRealCredentials).
        (void)store::createFirstAgent(opened.db, store::kDemoAgentName, store::kDemoAgentPin, demoCost, true);
        spdlog::warn("offline demo: personal data is protected by the demo agent's public PIN; create a real "
                     "agent with 'comptoir-kiosk agent add NAME' in a fresh data folder before any visitor "
                     "registers");
    }
    return opened;
}

} // namespace comptoir::app
