#pragma once
/// @brief Kiosk configuration (config/kiosk.toml): types, defaults and strict validation.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

/// The hours the kiosk dims at night ([display] night = "20:00-07:30"), local time, minutes
/// from midnight; it may run past midnight. Unset (both -1): never dims.
struct NightSchedule {
    int from = -1;
    int to = -1;
    [[nodiscard]] bool set() const { return from >= 0 && to >= 0; }
    /// True when `minuteOfDay` (0..1439) falls in the night: from `from` included to `to` excluded.
    [[nodiscard]] bool contains(int minuteOfDay) const;
    /// Minutes from `minuteOfDay` until the night starts or ends, whichever comes first (1..1440).
    [[nodiscard]] int minutesUntilChange(int minuteOfDay) const;
    bool operator==(const NightSchedule&) const = default;
};
/// "HH:MM-HH:MM" (24-hour clock, two different times); nullopt otherwise. "" gives an unset schedule.
[[nodiscard]] std::optional<NightSchedule> parseNightSchedule(std::string_view text);
/// "HH:MM" on the 24-hour clock → minutes from midnight; nullopt otherwise.
[[nodiscard]] std::optional<int> parseClockTime(std::string_view text);

struct KioskConfig {
    std::string kioskId = "demo-kiosk";
    std::string siteName = "Comptoir Citoyen d'Angers";
    std::string dataDir;       ///< resolved: --data-dir, config, or the per-user default
    std::string databasePath;  ///< resolved: absolute, or relative to dataDir
    std::string catalogueSeed; ///< catalogue imported when the database is empty
    // [server]
    std::string serverUrl;
    std::string tokenFile;
    std::string caFile;
    std::string proxy;
    // [visitor]
    int idleSeconds = 90;
    int idleCountdownSeconds = 20;
    std::vector<std::string> languages{"fr", "en", "es", "ar", "uk"};
    int callbackDays = 3; ///< "le Comptoir vous contacte sous N jours"
    // [agent]
    int agentIdleSeconds = 180; ///< agent mode logs out after this long untouched
    // [privacy]
    int retentionDays = 365;
    /// The CCAS's office public key (base64, checked by decodePublicKey); empty: contact details
    /// are sealed to the kiosk's own key only (docs/privacy.md).
    std::string officePublicKey;
    // [agent]
    std::string exportDir; ///< indicator CSVs and privacy exports; resolved: absolute, or relative to dataDir
    // [printer]
    std::string printerQueue; ///< CUPS queue of the receipt printer; empty: no "Imprimer" button
    int printerWidthMm = 80;  ///< receipt paper width: 58 or 80
    // [display]
    NightSchedule night; ///< dim, almost black screen at these hours; unset: never
    bool fullscreen = false;
    double scale = 1.0;
    int width = 1280;
    int height = 800;
};

struct ConfigError {
    std::string key;  ///< dotted key, e.g. "visitor.idle_seconds"; empty for a syntax error
    int line = 0;     ///< 1-based line in the file, 0 when unknown
    std::string message;
    [[nodiscard]] std::string describe(std::string_view file) const;
};

struct ConfigResult {
    std::optional<KioskConfig> config;
    std::optional<ConfigError> error;
};

/// Parses and validates a TOML document; every key must be known, typed and in range.
[[nodiscard]] ConfigResult parseConfig(std::string_view tomlText);

/// A kiosk's id: what `kiosk_id` in the configuration accepts, and what the central server
/// accepts in events and tokens.
[[nodiscard]] bool isKioskId(std::string_view s);
inline constexpr const char* kKioskIdRule = "must be 1 to 64 characters among a-z, 0-9, '-' and '_'";

/// A public key written as base64 of exactly 32 bytes (`[privacy] office_public_key`, printed by
/// `comptoir-central office-key init`); nullopt for anything else.
[[nodiscard]] std::optional<std::array<unsigned char, 32>> decodePublicKey(std::string_view base64);

/// https://…, or plain http:// only to the loopback (127.0.0.1, [::1], localhost) for tests.
[[nodiscard]] bool isAcceptableServerUrl(const std::string& url);

/// The per-user default data folder: $COMPTOIR_DATA_DIR, else $XDG_DATA_HOME/comptoir,
/// else $HOME/.local/share/comptoir.
[[nodiscard]] std::string defaultDataDir();

/// Applies --data-dir and resolves relative paths against the data folder.
void resolvePaths(KioskConfig& config, const std::string& dataDirOverride);

} // namespace comptoir
