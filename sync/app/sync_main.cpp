// comptoir-sync: the nightly job, the synthetic backlog filler and a status line. Only wiring.
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/install_layout.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/kiosk_db.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/spool.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/sync/job.hpp"
#include "comptoir/sync/status.hpp"
#include "comptoir/system/journal.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <spdlog/spdlog.h>

using namespace comptoir;
using namespace comptoir::sync;

namespace {

const char* kUsage =
    "usage: comptoir-sync [run] [--config FILE] [--data-dir DIR] [--no-push] [--no-pull] [--no-maintenance]\n"
    "                     [--attempts N] [--backoff-ms MS] [--timeout-ms MS] [--keep-backups N]\n"
    "       comptoir-sync fill-backlog --count N [--seed S] [--config FILE] [--data-dir DIR]\n"
    "       comptoir-sync status [--json] [--config FILE] [--data-dir DIR]\n"
    "  run           push waiting events, pull the catalogue, then purge, optimize, check, back up\n"
    "  fill-backlog  record N synthetic fictional registrations (benchmarks, acceptance checks)\n"
    "  status        print events waiting, dead letters, the last successes and the last run's outcome,\n"
    "                the last backup, database size and disk free (--json: for monitoring); exits 0 when\n"
    "                healthy, 1 when something needs attention (each problem is named)\n"
    "exit codes: 0 done, 75 try later (server unreachable or another run in progress),\n"
    "            3 done but events were refused for good (dead-letter: an agent must look),\n"
    "            4 the server's TLS certificate could not be verified (wrong CA, or an interception),\n"
    "            2 configuration error, 1 anything else that needs a person\n";

struct Cli {
    std::string command = "run";
    std::string configFile, dataDir;
    bool push = true, pull = true, maintenance = true;
    bool json = false; ///< status --json
    int attempts = 8;
    long backoffMs = 1000;
    long timeoutMs = 120'000;
    int keepBackups = 7;
    long long count = -1;
    unsigned long long seed = 1;
};

bool number(const std::string& text, long long lo, long long hi, long long& out) {
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || errno != 0 || (end && *end) || v < lo || v > hi) return false;
    out = v;
    return true;
}

std::optional<std::string> parseCli(int argc, char** argv, Cli& cli) {
    std::vector<std::string> args(argv + 1, argv + argc);
    bool commandSeen = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        auto next = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        long long n = 0;
        if (a.rfind("--", 0) != 0) {
            if (commandSeen) return "unexpected argument '" + a + "'";
            if (a != "run" && a != "fill-backlog" && a != "status") return "unknown command '" + a + "'";
            cli.command = a;
            commandSeen = true;
        } else if (a == "--no-push") cli.push = false;
        else if (a == "--no-pull") cli.pull = false;
        else if (a == "--json") cli.json = true;
        else if (a == "--no-maintenance") cli.maintenance = false;
        else if (a == "--config" || a == "--data-dir") {
            auto v = next();
            if (!v || v->empty()) return a + " needs a value";
            (a == "--config" ? cli.configFile : cli.dataDir) = *v;
        } else if (a == "--attempts" || a == "--backoff-ms" || a == "--timeout-ms" || a == "--keep-backups" ||
                   a == "--count" || a == "--seed") {
            auto v = next();
            if (!v || !number(*v, a == "--count" || a == "--seed" ? 0 : 1, 100'000'000, n))
                return a + " needs a whole number in range";
            if (a == "--attempts") cli.attempts = static_cast<int>(n);
            else if (a == "--backoff-ms") cli.backoffMs = static_cast<long>(n);
            else if (a == "--timeout-ms") cli.timeoutMs = static_cast<long>(n);
            else if (a == "--keep-backups") cli.keepBackups = static_cast<int>(n);
            else if (a == "--count") cli.count = n;
            else cli.seed = static_cast<unsigned long long>(n);
        } else return "unknown option '" + a + "'";
    }
    if (cli.command == "fill-backlog" && cli.count < 0) return "fill-backlog needs --count N";
    if (cli.json && cli.command != "status") return "--json goes with status";
    return std::nullopt;
}

/// The kiosk's configuration: --config (or defaults), then --data-dir; prints FILE:LINE on error.
std::optional<KioskConfig> loadConfig(const Cli& cli) {
    KioskConfig config;
    // Installed and given no --config: the packaged /etc/comptoir/kiosk.toml, as the kiosk.
    const std::string file = cli.configFile.empty() ? defaultConfigFile() : cli.configFile;
    if (!file.empty()) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            std::cerr << file << ": cannot read the configuration file\n";
            return std::nullopt;
        }
        std::stringstream text;
        text << in.rdbuf();
        auto parsed = parseConfig(text.str());
        if (parsed.error) {
            std::cerr << parsed.error->describe(file) << "\n";
            return std::nullopt;
        }
        config = *parsed.config;
    }
    resolvePaths(config, cli.dataDir);
    system::setLogKioskId(config.kioskId);
    return config;
}

int fillBacklog(const Cli& cli, const KioskConfig& config) {
    auto opened = store::openKioskDatabase(config.databasePath);
    fillSyntheticBacklog(opened.db, config.kioskId, static_cast<std::size_t>(cli.count), cli.seed,
                         [](std::size_t n) { std::cout << "fill-backlog: " << n << " registrations\n" << std::flush; });
    std::cout << "fill-backlog: " << cli.count << " synthetic registrations recorded; "
              << store::pendingCount(opened.db) << " events waiting\n";
    return kExitOk;
}

int status(const KioskConfig& config, bool json) {
    auto health = readHealth(config, nowUnixMs());
    if (json) std::cout << toJson(health).dump(2) << "\n";
    else std::cout << toLines(health);
    return statusExitCode(health);
}

} // namespace

int main(int argc, char** argv) {
    Cli cli;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
            std::cout << kUsage;
            return kExitOk;
        }
    if (auto err = parseCli(argc, argv, cli)) {
        std::cerr << "comptoir-sync: " << *err << "\n" << kUsage;
        return kExitConfig;
    }
    system::setupLogging("comptoir-sync");
    auto config = loadConfig(cli);
    if (!config) return kExitConfig;
    try {
        if (cli.command == "fill-backlog") return fillBacklog(cli, *config);
        if (cli.command == "status") {
            if (!std::ifstream(config->databasePath)) {
                std::cerr << "comptoir-sync: no kiosk database at " << config->databasePath << "\n";
                return kExitConfig;
            }
            return status(*config, cli.json);
        }
    } catch (const std::exception& e) {
        std::cerr << "comptoir-sync: " << e.what() << "\n";
        return kExitFailure;
    }
    JobOptions o;
    o.config = *config;
    o.push = cli.push;
    o.pull = cli.pull;
    o.maintenance = cli.maintenance;
    o.retry.base = std::chrono::milliseconds(cli.backoffMs);
    o.retry.cap = std::max(std::chrono::milliseconds(cli.backoffMs), std::chrono::milliseconds(60'000));
    o.retry.maxConsecutiveFailures = cli.attempts;
    o.requestTimeout = std::chrono::milliseconds(cli.timeoutMs);
    o.connectTimeout = std::min(std::chrono::milliseconds(10'000), o.requestTimeout);
    o.backupsKept = cli.keepBackups;
    o.say = [](const std::string& line) { std::cout << "comptoir-sync: " << line << "\n" << std::flush; };
    auto result = runJob(o);
    if (result.exitCode == kExitConfig) std::cerr << "comptoir-sync: " << result.summary << "\n";
    return result.exitCode;
}
