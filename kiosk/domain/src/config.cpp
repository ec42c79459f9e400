#include "comptoir/domain/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <sodium.h>
#include <toml++/toml.h>

namespace comptoir {

std::string ConfigError::describe(std::string_view file) const {
    // Appended piece by piece: GCC 12 warns falsely on "literal" + std::string&& at -O3.
    std::string s(file);
    if (line > 0) s.append(":").append(std::to_string(line));
    s.append(": ");
    if (!key.empty()) s.append("key '").append(key).append("': ");
    return s.append(message);
}

bool isKioskId(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char ch : s)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')) return false;
    return true;
}

namespace {

struct Field {
    std::function<std::optional<std::string>(const toml::node&, KioskConfig&)> apply; ///< error message or nullopt
};

int lineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

Field text(std::string KioskConfig::*member, bool allowEmpty = true, size_t maxLen = 4096) {
    return {[=](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
        auto v = n.value<std::string>();
        if (!n.is_string() || !v) return "must be text in quotes";
        if (!allowEmpty && v->empty()) return "must not be empty";
        if (v->size() > maxLen) return "is longer than " + std::to_string(maxLen) + " characters";
        c.*member = *v;
        return std::nullopt;
    }};
}

Field integer(int KioskConfig::*member, int lo, int hi) {
    return {[=](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
        if (!n.is_integer()) return "must be a whole number";
        auto v = *n.value<int64_t>();
        if (v < lo || v > hi) return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
        c.*member = static_cast<int>(v);
        return std::nullopt;
    }};
}

Field real(double KioskConfig::*member, double lo, double hi) {
    return {[=](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
        if (!n.is_number()) return "must be a number";
        auto v = *n.value<double>();
        if (!(v >= lo && v <= hi)) return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
        c.*member = v;
        return std::nullopt;
    }};
}

Field boolean(bool KioskConfig::*member) {
    return {[=](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
        if (!n.is_boolean()) return "must be true or false";
        c.*member = *n.value<bool>();
        return std::nullopt;
    }};
}

const std::map<std::string, Field>& schema() {
    static const std::map<std::string, Field> fields = {
        {"kiosk_id", {[](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
             auto v = n.value<std::string>();
             if (!n.is_string() || !v || !isKioskId(*v)) return kKioskIdRule;
             c.kioskId = *v;
             return std::nullopt;
         }}},
        {"site_name", text(&KioskConfig::siteName, false, 120)},
        {"data_dir", text(&KioskConfig::dataDir)},
        {"database", text(&KioskConfig::databasePath, false)},
        {"catalogue_seed", text(&KioskConfig::catalogueSeed)},
        {"server.url", {[](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
             auto v = n.value<std::string>();
             if (!n.is_string() || !v) return "must be text in quotes";
             if (!v->empty() && !isAcceptableServerUrl(*v))
                 return "must start with https:// (plain http is only accepted for 127.0.0.1, [::1] and localhost)";
             c.serverUrl = *v;
             return std::nullopt;
         }}},
        {"server.token_file", text(&KioskConfig::tokenFile)},
        {"server.ca_file", text(&KioskConfig::caFile)},
        {"server.proxy", text(&KioskConfig::proxy)},
        {"visitor.idle_seconds", integer(&KioskConfig::idleSeconds, 15, 3600)},
        {"visitor.idle_countdown_seconds", integer(&KioskConfig::idleCountdownSeconds, 5, 120)},
        {"visitor.callback_days", integer(&KioskConfig::callbackDays, 1, 30)},
        {"visitor.languages", {[](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
             const auto* arr = n.as_array();
             if (!arr || arr->empty()) return "must be a non-empty list such as [\"fr\", \"en\"]";
             std::vector<std::string> langs;
             for (const auto& e : *arr) {
                 auto v = e.value<std::string>();
                 if (!e.is_string() || !v || v->size() != 2) return "must list two-letter language codes";
                 langs.push_back(*v);
             }
             if (langs.front() != "fr") return "must start with \"fr\" (French comes first)";
             c.languages = std::move(langs);
             return std::nullopt;
         }}},
        {"agent.idle_seconds", integer(&KioskConfig::agentIdleSeconds, 30, 3600)},
        {"privacy.retention_days", integer(&KioskConfig::retentionDays, 1, 1095)},
        {"privacy.office_public_key", {[](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
             auto v = n.value<std::string>();
             if (!n.is_string() || !v) return "must be text in quotes";
             if (!v->empty() && !decodePublicKey(*v))
                 return "must be the office public key printed by 'comptoir-central office-key init' (base64 "
                        "of "
                        "32 bytes, 44 characters)";
             c.officePublicKey = *v;
             return std::nullopt;
         }}},
        {"agent.export_dir", text(&KioskConfig::exportDir)},
        {"printer.queue", text(&KioskConfig::printerQueue, true, 127)},
        {"printer.width_mm", {[](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
             if (!n.is_integer() || (*n.value<int64_t>() != 58 && *n.value<int64_t>() != 80))
                 return "must be 58 or 80 (millimetres of receipt paper)";
             c.printerWidthMm = static_cast<int>(*n.value<int64_t>());
             return std::nullopt;
         }}},
        {"display.fullscreen", boolean(&KioskConfig::fullscreen)},
        {"display.scale", real(&KioskConfig::scale, 0.5, 3.0)},
        {"display.width", integer(&KioskConfig::width, 640, 7680)},
        {"display.height", integer(&KioskConfig::height, 480, 4320)},
        {"display.night", {[](const toml::node& n, KioskConfig& c) -> std::optional<std::string> {
             auto v = n.value<std::string>();
             auto night = n.is_string() && v ? parseNightSchedule(*v) : std::nullopt;
             if (!night)
                 return "must be two different times on the 24-hour clock, from-to, such as \"20:00-07:30\" "
                        "(or \"\" for no night)";
             c.night = *night;
             return std::nullopt;
         }}},
    };
    return fields;
}

/// "HH:MM" → minutes from midnight; -1 when it is not a time of the 24-hour clock.
int minuteOf(std::string_view t) {
    if (t.size() != 5 || t[2] != ':') return -1;
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (t[i] < '0' || t[i] > '9') return -1;
    int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

} // namespace

bool NightSchedule::contains(int minute) const {
    if (!set()) return false;
    return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

int NightSchedule::minutesUntilChange(int minute) const {
    if (!set()) return 1440;
    auto until = [&](int at) { return (at - minute + 1440 - 1) % 1440 + 1; }; // 1..1440
    return contains(minute) ? until(to) : until(from);
}

std::optional<int> parseClockTime(std::string_view text) {
    int m = minuteOf(text);
    return m < 0 ? std::nullopt : std::optional<int>(m);
}

std::optional<NightSchedule> parseNightSchedule(std::string_view text) {
    if (text.empty()) return NightSchedule{};
    if (text.size() != 11 || text[5] != '-') return std::nullopt;
    NightSchedule n{minuteOf(text.substr(0, 5)), minuteOf(text.substr(6))};
    if (!n.set() || n.from == n.to) return std::nullopt;
    return n;
}

std::optional<std::array<unsigned char, 32>> decodePublicKey(std::string_view base64) {
    if (sodium_init() < 0 || base64.size() > 64) return std::nullopt;
    std::array<unsigned char, 33> bytes{}; // one more: a longer key must not pass as its first 32 bytes
    std::size_t len = 0;
    if (sodium_base642bin(bytes.data(), bytes.size(), base64.data(), base64.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != 32)
        return std::nullopt;
    std::array<unsigned char, 32> key{};
    std::copy_n(bytes.begin(), key.size(), key.begin());
    // A low-order point (all zeros and a few others) would make every sealing fail: refuse it here.
    std::array<unsigned char, crypto_scalarmult_SCALARBYTES> scalar{};
    std::array<unsigned char, crypto_scalarmult_BYTES> shared{};
    randombytes_buf(scalar.data(), scalar.size());
    bool usable = crypto_scalarmult(shared.data(), scalar.data(), key.data()) == 0;
    sodium_memzero(scalar.data(), scalar.size());
    if (!usable) return std::nullopt;
    return key;
}

bool isAcceptableServerUrl(const std::string& url) {
    if (url.rfind("https://", 0) == 0) return url.size() > 8;
    if (url.rfind("http://", 0) != 0) return false;
    // Plain http only when the host is exactly the loopback: "http://localhost@evil.example" or
    // "http://127.0.0.1.evil.example" must not pass.
    std::string rest = url.substr(7);
    for (const char* host : {"127.0.0.1", "localhost", "[::1]"}) {
        std::string h = host;
        if (rest.rfind(h, 0) != 0) continue;
        if (rest.size() == h.size()) return true;
        char next = rest[h.size()];
        if (next == '/') return true;
        if (next == ':') {
            std::size_t i = h.size() + 1, digits = 0;
            while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i, ++digits;
            return digits > 0 && digits <= 5 && (i == rest.size() || rest[i] == '/');
        }
    }
    return false;
}

namespace {

std::optional<ConfigError> walk(const toml::table& table, const std::string& prefix, KioskConfig& config) {
    for (const auto& [k, node] : table) {
        std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (const auto* sub = node.as_table()) {
            bool knownSection = false;
            for (const auto& [name, field] : schema())
                if (name.rfind(key + ".", 0) == 0) knownSection = true;
            if (!knownSection)
                return ConfigError{key, static_cast<int>(k.source().begin.line), "unknown section"};
            if (auto err = walk(*sub, key, config)) return err;
            continue;
        }
        auto it = schema().find(key);
        if (it == schema().end())
            return ConfigError{key, static_cast<int>(k.source().begin.line), "unknown key"};
        if (auto msg = it->second.apply(node, config)) return ConfigError{key, lineOf(node), *msg};
    }
    return std::nullopt;
}

} // namespace

ConfigResult parseConfig(std::string_view tomlText) {
    ConfigResult r;
    toml::table table;
    try {
        table = toml::parse(tomlText);
    } catch (const toml::parse_error& e) {
        r.error = ConfigError{"", static_cast<int>(e.source().begin.line), std::string(e.description())};
        return r;
    }
    KioskConfig config;
    if (auto err = walk(table, "", config)) {
        r.error = err;
        return r;
    }
    if (config.idleCountdownSeconds >= config.idleSeconds) {
        r.error = ConfigError{"visitor.idle_countdown_seconds", 0, "must be shorter than visitor.idle_seconds"};
        return r;
    }
    r.config = std::move(config);
    return r;
}

std::string defaultDataDir() {
    if (const char* d = std::getenv("COMPTOIR_DATA_DIR"); d && *d) return d;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/comptoir";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/comptoir";
    return "/var/lib/comptoir";
}

void resolvePaths(KioskConfig& config, const std::string& dataDirOverride) {
    if (!dataDirOverride.empty()) config.dataDir = dataDirOverride;
    if (config.dataDir.empty()) config.dataDir = defaultDataDir();
    if (config.databasePath.empty()) config.databasePath = "comptoir.db";
    if (config.databasePath.front() != '/') config.databasePath = config.dataDir + "/" + config.databasePath;
    if (config.exportDir.empty()) config.exportDir = "exports";
    if (config.exportDir.front() != '/') config.exportDir = config.dataDir + "/" + config.exportDir;
}

} // namespace comptoir
