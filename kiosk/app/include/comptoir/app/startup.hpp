#pragma once
/// @brief Start-up steps shared by the kiosk and the nightly job: configuration, logging, database.

#include "comptoir/app/options.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/store/kiosk_db.hpp"
#include "comptoir/store/sealing.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace comptoir::app {

/// Exit code for configuration errors (also used by comptoir-sync).
inline constexpr int kExitConfig = 2;

/// A start-up condition the person installing the kiosk must fix (exit code 2).
struct StartupError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Reads --config (or the built-in defaults), validates it, resolves paths with --data-dir.
/// On error prints "FILE:LINE: key 'k': message" to stderr and returns nullopt.
[[nodiscard]] std::optional<KioskConfig> loadConfiguration(const Options& options);

/// Where assets (catalogue, translations) are: $COMPTOIR_ASSETS or the source tree's assets/.
[[nodiscard]] std::string assetDir();
/// Where the compiled translations (<lang>.mo) are: $COMPTOIR_LOCALE_DIR or the build tree's i18n/.
[[nodiscard]] std::string localeDir();

/// Logs to stderr (journal-friendly). Never pass personal fields to a log line.
void setupLogging();

/// Makes a catalogue file the kiosk's catalogue (store::importCatalogue: an offer it does not hold
/// is closed); logs each skipped entry by id and reason. False, nothing changed, when the file is
/// unreadable, larger than kMaxCatalogueBytes, not a catalogue, or holds no offer that can be
/// imported (which would close every offer) unless `withdrawAll`.
bool importCatalogueFile(store::Database& db, const std::string& path, bool withdrawAll = false);

/// Opens/migrates/recovers the database and seeds the demo catalogue on first start.
[[nodiscard]] store::OpenedDatabase openDatabase(const KioskConfig& config);

/// A kiosk configured with a server refuses (StartupError) a database with no agent yet, or whose
/// key was ever wrapped under a public demo PIN (this version's or the previous one's).
void requireRealCredentials(const KioskConfig& config, const store::Database& db);

/// openDatabase, then requireRealCredentials; an offline kiosk with no agent yet gets the demo
/// agent (kDemoAgentName, kDemoAgentPin), its wrap derived at `demoCost`.
[[nodiscard]] store::OpenedDatabase prepareDatabase(const KioskConfig& config,
                                                    store::PinCost demoCost = store::PinCost::agent());

} // namespace comptoir::app
