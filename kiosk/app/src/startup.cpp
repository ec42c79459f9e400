#include "comptoir/app/startup.hpp"

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/sealing.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sstream>

namespace comptoir::app {

std::string assetDir() {
    if (const char* a = std::getenv("COMPTOIR_ASSETS"); a && *a) return a;
    return COMPTOIR_ASSET_DIR;
}

void setupLogging() {
    static bool done = false;
    if (done) return;
    done = true;
    auto logger = spdlog::stderr_color_mt("comptoir");
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(logger);
    if (const char* lvl = std::getenv("COMPTOIR_LOG")) spdlog::set_level(spdlog::level::from_str(lvl));
}

std::optional<KioskConfig> loadConfiguration(const Options& options) {
    KioskConfig config;
    if (!options.configFile.empty()) {
        std::string text;
        if (!readWholeFile(options.configFile, text)) {
            std::cerr << options.configFile << ": cannot read the configuration file\n";
            return std::nullopt;
        }
        auto r = parseConfig(text);
        if (r.error) {
            std::cerr << r.error->describe(options.configFile) << "\n";
            return std::nullopt;
        }
        config = *r.config;
    }
    if (config.catalogueSeed.empty()) config.catalogueSeed = assetDir() + "/catalogue/demo.json";
    resolvePaths(config, options.dataDir);
    return config;
}

bool importCatalogueFile(store::Database& db, const std::string& path) {
    std::string text;
    if (!readWholeFile(path, text)) {
        spdlog::error("catalogue {}: cannot read the file", path);
        return false;
    }
    auto parsed = parseCatalogue(text);
    if (!parsed.ok) {
        spdlog::error("catalogue {}: {}", path, parsed.error);
        return false;
    }
    for (const auto& issue : parsed.issues) spdlog::warn("catalogue {}: skipped {}: {}", path, issue.entry, issue.reason);
    auto report = store::importCatalogue(db, parsed.catalogue);
    spdlog::info("catalogue {}: version {} imported: {} offers, {} organisations, {} themes ({} entries skipped)", path,
                 parsed.catalogue.version, report.offers, report.organisations, report.themes, parsed.issues.size());
    return true;
}

store::OpenedDatabase prepareDatabase(const KioskConfig& config) {
    auto opened = store::openKioskDatabase(config.databasePath);
    if (store::offerCount(opened.db) == 0 && !config.catalogueSeed.empty())
        (void)importCatalogueFile(opened.db, config.catalogueSeed);
    if (!store::Keyring::exists(opened.db)) {
        // The agents' PIN wraps the key that reads personal data back; until agent mode lets
        // them choose it, the initial PIN comes from the environment (documented in docs/operations.md).
        const char* pin = std::getenv("COMPTOIR_INITIAL_PIN");
        if (!pin || !*pin) {
            // A kiosk connected to a server is a real one: a PIN written in the source would
            // protect nobody's data. Only the offline demo may start with it.
            if (!config.serverUrl.empty())
                throw StartupError("COMPTOIR_INITIAL_PIN is not set: a connected kiosk needs the agents' PIN "
                                   "(at least 6 digits) at its first start (docs/operations.md)");
            spdlog::warn("no COMPTOIR_INITIAL_PIN set: this offline demo kiosk protects personal data with the "
                         "demo PIN; set a real one before any visitor registers");
            pin = "246810";
        } else if (std::strlen(pin) < 6) {
            throw StartupError("COMPTOIR_INITIAL_PIN must have at least 6 characters");
        }
        store::Transaction tx(opened.db);
        store::Keyring::create(opened.db, pin, store::PinCost::interactive());
        tx.commit();
    }
    return opened;
}

} // namespace comptoir::app
