// comptoir-central: the reference central server and its admin commands. Only wiring.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/private_files.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/office_export.hpp"
#include "comptoir/sync/office_key.hpp"
#include "comptoir/sync/central_indicators.hpp"
#include "comptoir/sync/catalogue_import.hpp"
#include "comptoir/sync/http_client.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sstream>
#include <termios.h>
#include <unistd.h>

using namespace comptoir;
using namespace comptoir::sync::central;

namespace {

const char* kUsage = "usage: comptoir-central serve --db FILE [--listen HOST:PORT] [--cert FILE --key FILE] "
                     "[--port-file FILE]\n"
                     "       comptoir-central token create --db FILE --kiosk ID\n"
                     "       comptoir-central token list --db FILE\n"
                     "       comptoir-central token revoke --db FILE --kiosk ID\n"
                     "       comptoir-central catalogue import --db FILE CATALOGUE.json [--withdraw-all]\n"
                     "       comptoir-central catalogue import-engagement --db FILE MISSIONS.json... [--tables DIR]\n"
                     "       comptoir-central catalogue import-engagement --db FILE --from-api --api-key-file FILE\n"
                     "                        [--api-url URL] [--api-query QUERY] [--ca-file FILE] [--tables DIR]\n"
                     "       comptoir-central catalogue import-sheet --db FILE OFFERS.csv\n"
                     "       comptoir-central media add --db FILE PICTURE [--type image/png]\n"
                     "       comptoir-central export registrations --db FILE [--office-key FILE] [--format csv|json]\n"
                     "                        [--out FILE] [--passphrase-fd N]\n"
                     "       comptoir-central office-key init KEYFILE [--passphrase-fd N]\n"
                     "       comptoir-central office-key add KEYFILE [--passphrase-fd N]\n"
                     "       comptoir-central office-key list KEYFILE\n"
                     "       comptoir-central stats --db FILE\n"
                     "       comptoir-central migrate-storage --from sqlite:FILE --to postgresql://…\n"
                     "       comptoir-central indicators --db FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
                     "                        [--by week|month] [--by theme|neighbourhood|kiosk]... [--format csv|json]\n"
                     "                        [--out FILE]\n"
                     "       comptoir-central admin-user add|remove --db FILE --name NAME\n"
                     "       comptoir-central admin-user list --db FILE\n"
                     "  --listen defaults to 127.0.0.1:8080 (port 0: any free port, written to --port-file)\n"
                     "  with --cert and --key the server speaks HTTPS only; without them, a loopback address only\n"
                     "  (in production nginx terminates TLS in front: docs/operations.md)\n"
                     "  --db FILE must exist; add --create to start a new database\n"
                     "  --db postgresql://USER@HOST/DATABASE: a network of kiosks on PostgreSQL (the database must\n"
                     "    exist; its tables are created or migrated); --db-connections N: at most N per process (16)\n"
                     "  migrate-storage copies a pilot's SQLite database into a new PostgreSQL one and checks the counts\n"
                     "  a catalogue without offers is refused unless --withdraw-all: it withdraws every offer from every kiosk\n"
                     "  the office key file stays off the server; its passphrase is asked on the terminal, or read\n"
                     "  from descriptor N (first line) with --passphrase-fd N; without --office-key the export\n"
                     "  leaves contact details sealed (docs/privacy.md)\n"
                     "  indicators: by month unless --by week; CSV for a French spreadsheet unless --format json\n"
                     "  admin-user add: the password of the indicators page (GET /indicators) is asked twice on the\n"
                     "  terminal, or read as one line from standard input when that is not a terminal\n"
                     "  import-engagement and import-sheet replace only their own offers; offers gone from the source are\n"
                     "  closed, not deleted; --tables holds domains.csv and neighbourhoods.csv (default: the assets)\n";

struct Cli {
    std::vector<std::string> words;
    std::string db, listen = "127.0.0.1:8080", cert, key, portFile, kiosk, out, type = "application/octet-stream";
    std::string officeKey, format = "csv", passphraseFd;
    std::string from, to, name, connections = "16";
    std::vector<std::string> by;
    std::string tables, apiKeyFile, apiUrl, apiQuery = "city=Angers", caFile;
    bool withdrawAll = false;
    bool fromApi = false;
    bool create = false;
};

std::optional<std::string> parse(int argc, char** argv, Cli& cli) {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        std::string* target = a == "--db"          ? &cli.db
                              : a == "--listen"    ? &cli.listen
                              : a == "--cert"      ? &cli.cert
                              : a == "--key"       ? &cli.key
                              : a == "--port-file" ? &cli.portFile
                              : a == "--kiosk"     ? &cli.kiosk
                              : a == "--out"       ? &cli.out
                              : a == "--type"      ? &cli.type
                              : a == "--office-key" ? &cli.officeKey
                              : a == "--format"     ? &cli.format
                              : a == "--passphrase-fd" ? &cli.passphraseFd
                              : a == "--from"      ? &cli.from
                              : a == "--to"        ? &cli.to
                              : a == "--name"      ? &cli.name
                              : a == "--tables"    ? &cli.tables
                              : a == "--api-key-file" ? &cli.apiKeyFile
                              : a == "--api-url"   ? &cli.apiUrl
                              : a == "--api-query" ? &cli.apiQuery
                              : a == "--ca-file"   ? &cli.caFile
                              : a == "--db-connections" ? &cli.connections
                                                   : nullptr;
        if (a == "--by") {
            if (i + 1 >= args.size() || args[i + 1].empty()) return a + " needs a value";
            cli.by.push_back(args[++i]);
        } else if (a == "--withdraw-all") {
            cli.withdrawAll = true;
        } else if (a == "--from-api") {
            cli.fromApi = true;
        } else if (a == "--create") {
            cli.create = true;
        } else if (target) {
            if (i + 1 >= args.size() || args[i + 1].empty()) return a + " needs a value";
            *target = args[++i];
        } else if (a.rfind("--", 0) == 0) {
            return "unknown option '" + a + "'";
        } else {
            cli.words.push_back(a);
        }
    }
    if (cli.words.empty()) return "no command";
    // The office key is handled off the server: its commands need no database.
    if (cli.words[0] == "office-key") return std::nullopt;
    if (cli.words[0] == "migrate-storage") {
        if (cli.from.rfind("sqlite:", 0) != 0 || cli.from.size() == 7)
            return "--from sqlite:FILE is required";
        if (!isPostgresUrl(cli.to)) return "--to postgresql://… is required";
        return std::nullopt;
    }
    if (cli.db.empty()) return "--db FILE is required";
    if (cli.connections.empty() || cli.connections.size() > 3 ||
        cli.connections.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(cli.connections) < 1)
        return "--db-connections must be a number from 1 to 999";
    if (cli.format != "csv" && cli.format != "json") return "--format is csv or json";
    if (!cli.passphraseFd.empty() && cli.officeKey.empty()) return "--passphrase-fd goes with --office-key";
    if (cli.cert.empty() != cli.key.empty()) return "--cert and --key go together";
    return std::nullopt;
}

/// HOST:PORT or [IPV6]:PORT; the port in digits, 0 (any free port) to 65535. A port out of range
/// used to be truncated to 16 bits: the server bound another port than the one it logged.
bool parseListen(const std::string& listen, ServerOptions& o) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    std::string host = listen.substr(0, colon);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return false;
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        return false; // an IPv6 address goes in brackets
    }
    const auto port = listen.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
        return false;
    if (std::stoi(port) > 65535) return false;
    o.host = host;
    o.port = std::stoi(port);
    return true;
}

int serve(const Cli& cli, CentralStorage& storage) {
    ServerOptions o;
    if (!parseListen(cli.listen, o)) {
        std::cerr << "comptoir-central: --listen must be HOST:PORT with a port from 1 to 65535 (0: any free "
                     "port), not '"
                  << cli.listen << "'\n";
        return 2;
    }
    o.certFile = cli.cert;
    o.keyFile = cli.key;
    if (o.certFile.empty() && !isLoopbackAddress(o.host)) {
        // Tokens and sealed contact details would cross the network in clear.
        std::cerr
            << "comptoir-central: plain HTTP is served on a loopback address only (127.0.0.1, [::1]), not "
            << o.host << ": give --cert and --key, or keep the loopback and put nginx in front "
            << "(docs/operations.md)\n";
        return 2;
    }
    // SIGINT/SIGTERM are taken by one thread with sigwait, which stops the server cleanly.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    CentralServer server(storage, o);
    if (!server.start()) {
        std::cerr << "comptoir-central: cannot listen on " << cli.listen << "\n";
        return 1;
    }
    if (!cli.portFile.empty()) {
        std::ofstream pf(cli.portFile + ".partial");
        pf << server.port() << "\n";
        pf.close();
        std::rename((cli.portFile + ".partial").c_str(), cli.portFile.c_str());
    }
    // A PostgreSQL URI may hold a password: only the kind of database is logged.
    spdlog::info("comptoir-central: serving {} (database {})", server.baseUrl(),
                 isPostgresUrl(cli.db) ? "PostgreSQL" : cli.db);
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("comptoir-central: signal {}, stopping", sig);
    server.stop();
    return 0;
}

/// The --kiosk of a token command, checked by the rule of the kiosk's own configuration.
std::optional<std::string> kioskArgument(const Cli& cli, const char* command) {
    if (cli.kiosk.empty()) {
        std::cerr << "comptoir-central: " << command << " needs --kiosk ID\n";
        return std::nullopt;
    }
    if (!isKioskId(cli.kiosk)) {
        std::cerr << "comptoir-central: --kiosk " << kKioskIdRule
                  << " (as kiosk_id in the kiosk's configuration)\n";
        return std::nullopt;
    }
    return cli.kiosk;
}

int tokenCommand(const Cli& cli, CentralStorage& storage) {
    const auto& what = cli.words[1];
    if (what == "list") {
        std::cout << "kiosk_id\ttoken_id\tcreated_at\trevoked_at\n";
        for (const auto& t : storage.listKioskTokens())
            std::cout << t.kioskId << '\t' << t.tokenId << '\t' << t.createdAt << '\t'
                      << (t.revokedAt.empty() ? "-" : t.revokedAt) << '\n';
        return 0;
    }
    auto kiosk = kioskArgument(cli, what == "create" ? "token create" : "token revoke");
    if (!kiosk) return 2;
    if (what == "create") {
        // The token is printed once and only its hash is kept.
        std::cout << storage.createKioskToken(*kiosk) << "\n";
        return 0;
    }
    if (!storage.revokeKioskToken(*kiosk)) {
        std::cerr << "comptoir-central: kiosk " << *kiosk << " has no valid token to revoke\n";
        return 1;
    }
    std::cout << "token of kiosk " << *kiosk << " revoked\n";
    return 0;
}

// [office key] -----------------------------------------------------------------

/// The passphrase from --passphrase-fd, else from the terminal (asked twice when `confirm`).
std::optional<std::string> passphrase(const Cli& cli, bool confirm) {
    std::string error;
    if (!cli.passphraseFd.empty()) {
        if (cli.passphraseFd.size() > 4 ||
            cli.passphraseFd.find_first_not_of("0123456789") != std::string::npos) {
            std::cerr << "comptoir-central: --passphrase-fd takes a descriptor number\n";
            return std::nullopt;
        }
        auto p = readPassphraseFromFd(std::stoi(cli.passphraseFd), error);
        if (!p) std::cerr << "comptoir-central: " << error << "\n";
        return p;
    }
    auto p = readPassphraseFromTerminal("Office key passphrase: ");
    if (!p) {
        std::cerr
            << "comptoir-central: no terminal to ask the passphrase on: give it with --passphrase-fd N\n";
        return std::nullopt;
    }
    if (confirm) {
        auto again = readPassphraseFromTerminal("The same passphrase again: ");
        bool same = again && *again == *p;
        if (again) store::wipe(*again);
        if (!same) {
            store::wipe(*p);
            std::cerr << "comptoir-central: the two passphrases differ; nothing was written\n";
            return std::nullopt;
        }
    }
    return p;
}

int officeKeyCommand(const Cli& cli) {
    const auto& w = cli.words;
    if (w.size() != 3 || (w[1] != "init" && w[1] != "add" && w[1] != "list")) {
        std::cerr << "comptoir-central: office-key init|add|list KEYFILE\n" << kUsage;
        return 2;
    }
    const std::string& file = w[2];
    try {
        if (w[1] == "list") {
            std::cout << "key_id\tcreated_at\tpublic_key\n";
            for (const auto& k : listOfficeKeys(file))
                std::cout << k.keyId << '\t' << k.createdAt << '\t' << k.publicKey << '\n';
            return 0;
        }
        auto secret = passphrase(cli, w[1] == "init");
        if (!secret) return 1;
        OfficeKeyInfo info;
        try {
            info = w[1] == "init" ? createOfficeKeyFile(file, *secret, officeKeyCost())
                                  : addOfficeKey(file, *secret, officeKeyCost());
        } catch (...) {
            store::wipe(*secret);
            throw;
        }
        store::wipe(*secret);
        std::cout << "office key " << info.keyId << (w[1] == "init" ? " created in " : " added to ") << file
                  << " (keep this file and its passphrase off the server: docs/privacy.md)\n"
                  << "put this line in the [privacy] section of every kiosk's configuration:\n"
                  << "office_public_key = \"" << info.publicKey << "\"\n";
        return 0;
    } catch (const OfficeKeyError& e) {
        std::cerr << "comptoir-central: " << e.what() << "\n";
        return 1;
    }
}

int exportCommand(const Cli& cli, CentralStorage& storage) {
    // The keys are opened before anything is written: a wrong passphrase leaves no file behind.
    std::optional<OfficeKeys> keys;
    if (!cli.officeKey.empty()) {
        auto secret = passphrase(cli, false);
        if (!secret) return 1;
        try {
            keys.emplace(openOfficeKeys(cli.officeKey, *secret));
        } catch (const OfficeKeyError& e) {
            store::wipe(*secret);
            std::cerr << "comptoir-central: " << e.what() << "\n";
            return 1;
        }
        store::wipe(*secret);
    }
    const auto format = cli.format == "json" ? ExportFormat::Json : ExportFormat::Csv;
    ExportCounts counts;
    if (cli.out.empty()) {
        counts = exportRecords(storage, std::cout, format, keys ? &*keys : nullptr);
        std::cout.flush();
    } else {
        std::ostringstream text;
        counts = exportRecords(storage, text, format, keys ? &*keys : nullptr);
        std::string bytes = std::move(text).str();
        try {
            // 0600: an opened export holds names and phone numbers.
            store::writePrivateFileDurably(cli.out, bytes);
        } catch (const std::system_error& e) {
            store::wipe(bytes);
            std::cerr << "comptoir-central: cannot write " << cli.out << ": " << e.what() << "\n";
            return 1;
        }
        store::wipe(bytes);
    }
    std::cerr << "comptoir-central: " << counts.records << " records: " << counts.opened << " opened, "
              << counts.sealed << " left sealed, " << counts.kioskOnly << " sealed to kiosk keys only, "
              << counts.erased << " erased, " << counts.unreadable << " unreadable\n";
    return counts.unreadable > 0 ? 1 : 0;
}

/// Writes `text` to --out (written aside, then renamed) or to standard output.
int writeOut(const Cli& cli, const std::string& text) {
    if (cli.out.empty()) {
        std::cout << text;
        return std::cout ? 0 : 1;
    }
    std::string partial = cli.out + ".partial";
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out || std::rename(partial.c_str(), cli.out.c_str()) != 0) {
        std::remove(partial.c_str());
        std::cerr << "comptoir-central: cannot write " << cli.out << "\n";
        return 1;
    }
    return 0;
}

int indicatorsCommand(const Cli& cli, CentralStorage& storage) {
    IndicatorQuery q;
    for (const auto& b : cli.by)
        if (!applyBy(b, q)) {
            std::cerr << "comptoir-central: --by is week, month, theme, neighbourhood or kiosk, not '" << b
                      << "'\n";
            return 2;
        }
    q.range = {cli.from, cli.to};
    switch (rangeProblem(q.range)) {
    case RangeProblem::None:
        break;
    case RangeProblem::BadFrom:
    case RangeProblem::BadTo:
        std::cerr << "comptoir-central: --from and --to are dates written YYYY-MM-DD, from 2020 to 2100\n";
        return 2;
    case RangeProblem::Order:
        std::cerr << "comptoir-central: --from comes after --to\n";
        return 2;
    }
    if (cli.format != "csv" && cli.format != "json") {
        std::cerr << "comptoir-central: --format is csv or json\n";
        return 2;
    }
    auto report = computeReport(storage, q);
    return writeOut(cli, cli.format == "csv" ? reportCsv(report) : reportJson(report));
}

/// One line from standard input; on a terminal, asked without echo.
std::optional<std::string> readSecretLine(const char* prompt) {
    bool tty = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (tty) {
        std::cerr << prompt << std::flush;
        if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
            (void)::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
    }
    std::string line;
    bool ok = static_cast<bool>(std::getline(std::cin, line));
    if (tty) {
        (void)::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        std::cerr << "\n";
    }
    if (!ok) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int adminUserCommand(const Cli& cli, CentralStorage& storage) {
    const auto& what = cli.words[1];
    if (what == "list") {
        std::cout << "name\tcreated_at\n";
        for (const auto& u : storage.listAdminUsers())
            std::cout << u.name << '\t' << u.createdAt << '\n';
        return 0;
    }
    if (!isAdminName(cli.name)) {
        std::cerr << "comptoir-central: admin-user " << what
                  << " needs --name NAME: 1 to 64 of a-z, 0-9, '.', '_', '-'\n";
        return 2;
    }
    if (what == "remove") {
        if (!storage.removeAdminUser(cli.name)) {
            std::cerr << "comptoir-central: there is no account " << cli.name << "\n";
            return 1;
        }
        std::cout << "account " << cli.name << " removed\n";
        return 0;
    }
    auto password = readSecretLine("Password (at least 12 characters): ");
    if (!password) {
        std::cerr << "comptoir-central: no password given\n";
        return 2;
    }
    if (::isatty(STDIN_FILENO) == 1) {
        auto again = readSecretLine("The same password again: ");
        if (!again || *again != *password) {
            std::cerr << "comptoir-central: the two passwords differ; nothing changed\n";
            return 2;
        }
    }
    if (auto why = passwordProblem(*password)) {
        std::cerr << "comptoir-central: " << *why << "; nothing changed\n";
        return 2;
    }
    // Only the Argon2id hash is kept; the page checks it over HTTP Basic (behind TLS).
    storage.setAdminUser(cli.name, hashAdminPassword(*password));
    std::cout << "account " << cli.name << " can open /indicators\n";
    return 0;
}

/// Reads a file from outside, refusing it unread when larger than `maxBytes`.
bool readBounded(const std::string& path, std::size_t maxBytes, std::string& out) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        std::cerr << "comptoir-central: cannot read " << path << "\n";
        return false;
    }
    if (size > maxBytes) {
        std::cerr << "comptoir-central: " << path << " is larger than " << (maxBytes >> 20)
                  << " MB; nothing changed\n";
        return false;
    }
    if (!readWholeFile(path, out)) {
        std::cerr << "comptoir-central: cannot read " << path << "\n";
        return false;
    }
    return true;
}

void printSummary(const SourceImportSummary& s, const char* source) {
    std::cout << "catalogue version " << s.storage.version << ": " << s.imported << " offers from " << source
              << ", " << s.closed << " closed, " << s.kept << " kept as they were (unreadable this time); "
              << s.storage.changed << " entries changed, " << s.storage.unchanged << " unchanged\n";
}

int importEngagement(const Cli& cli, CentralStorage& storage) {
    std::string tables = cli.tables;
    // $COMPTOIR_ASSETS, else the installed package's share/comptoir-central, else this build's.
    if (tables.empty()) tables = defaultAssetDir() + "/engagement";
    std::string error;
    auto mappings = loadEngagementMappings(tables + "/domains.csv", tables + "/neighbourhoods.csv", error);
    if (!mappings) {
        std::cerr << "comptoir-central: " << error << "; nothing changed\n";
        return 1;
    }
    EngagementLimits limits;
    std::vector<std::string> texts;
    if (cli.fromApi) {
        if (cli.words.size() != 2 || cli.apiKeyFile.empty()) {
            std::cerr << "comptoir-central: --from-api takes no file, and needs --api-key-file FILE\n"
                      << kUsage;
            return 2;
        }
        auto key = sync::readTokenFile(cli.apiKeyFile);
        if (!key) {
            std::cerr << "comptoir-central: cannot read an API key from " << cli.apiKeyFile << "\n";
            return 2;
        }
        EngagementFetchOptions o;
        if (!cli.apiUrl.empty()) o.baseUrl = cli.apiUrl;
        o.apiKey = *key;
        o.query = cli.apiQuery;
        o.caFile = cli.caFile;
        texts = fetchEngagementPages(o);
    } else {
        if (cli.words.size() < 3) {
            std::cerr << "comptoir-central: import-engagement needs a MISSIONS.json file (or --from-api)\n"
                      << kUsage;
            return 2;
        }
        std::size_t total = 0;
        for (std::size_t i = 2; i < cli.words.size(); ++i) {
            std::string text;
            if (!readBounded(cli.words[i], limits.maxDocumentBytes - total, text)) return 1;
            total += text.size();
            texts.push_back(std::move(text));
        }
    }
    std::vector<std::string_view> views(texts.begin(), texts.end());
    auto fresh = mapEngagementDocuments(views, currentCatalogue(storage), *mappings, limits);
    for (const auto& issue : fresh.skipped)
        std::cerr << "comptoir-central: skipped " << issue.where << ": " << issue.reason << "\n";
    printSummary(importSourceOffers(storage, fresh, cli.withdrawAll), "API Engagement");
    return 0;
}

int importSheet(const Cli& cli, CentralStorage& storage) {
    if (cli.words.size() != 3) {
        std::cerr << "comptoir-central: import-sheet needs one OFFERS.csv file\n" << kUsage;
        return 2;
    }
    std::string text;
    if (!readBounded(cli.words[2], CsvLimits{}.maxBytes, text)) return 1;
    auto sheet = readOfferSheet(text, currentCatalogue(storage));
    if (!sheet.clean()) {
        for (const auto& issue : sheet.issues)
            std::cerr << cli.words[2] << ": " << issue.where << ": " << issue.reason << "\n";
        std::cerr << "comptoir-central: " << sheet.issues.size() << " problem(s) in " << cli.words[2]
                  << "; nothing imported\n";
        return 1;
    }
    printSummary(importSourceOffers(storage, sheet.offers, cli.withdrawAll), "the sheet");
    return 0;
}

/// Copies a pilot's SQLite database into a new PostgreSQL one (docs/operations.md).
int migrateStorage(const Cli& cli) {
    const std::string from = cli.from.substr(7);
    std::error_code ec;
    if (!std::filesystem::exists(from, ec)) {
        std::cerr << "comptoir-central: the database " << from << " does not exist (check --from)\n";
        return 2;
    }
    const auto report = copySqliteToPostgres(from, cli.to);
    std::cout << "table\trows\n";
    for (const auto& [table, rows] : report.rows)
        std::cout << table << '\t' << rows << '\n';
    std::cout << "copied; every count checked in the target\n";
    return 0;
}

int run(const Cli& cli) {
    if (cli.words[0] == "office-key") return officeKeyCommand(cli);
    if (cli.words[0] == "migrate-storage") return migrateStorage(cli);
    // SQLite would silently create a mistyped path: an empty database that serves nothing.
    std::error_code ec;
    if (!isPostgresUrl(cli.db) && !cli.create && !std::filesystem::exists(cli.db, ec)) {
        std::cerr << "comptoir-central: the database " << cli.db
                  << " does not exist (check --db, or add --create to start a new one)\n";
        return 2;
    }
    auto storage = openStorage(cli.db, PostgresOptions{static_cast<std::size_t>(std::stoi(cli.connections))});
    const auto& w = cli.words;
    if (w[0] == "serve") return serve(cli, *storage);
    if (w.size() == 2 && w[0] == "token" && (w[1] == "create" || w[1] == "list" || w[1] == "revoke"))
        return tokenCommand(cli, *storage);
    if (w.size() == 3 && w[0] == "catalogue" && w[1] == "import") {
        std::string text;
        if (!readWholeFile(w[2], text)) {
            std::cerr << "comptoir-central: cannot read " << w[2] << "\n";
            return 1;
        }
        auto parsed = parseCatalogue(text);
        if (!parsed.ok) {
            std::cerr << "comptoir-central: " << w[2] << ": " << parsed.error << "\n";
            return 1;
        }
        for (const auto& issue : parsed.issues)
            std::cerr << "comptoir-central: skipped " << issue.entry << ": " << issue.reason << "\n";
        for (const auto& d : parsed.dropped)
            std::cerr << "comptoir-central: " << d.entry << ": " << d.reason << "\n";
        CatalogueImportSummary r;
        try {
            r = storage->importCatalogue(parsed.catalogue, CatalogueImportOptions{cli.withdrawAll});
        } catch (const CatalogueImportRefused& e) {
            std::cerr << "comptoir-central: " << w[2] << ": " << e.what() << "; nothing changed\n";
            return 1;
        }
        if (cli.withdrawAll)
            spdlog::warn("comptoir-central: every offer withdrawn (--withdraw-all); kiosks will empty their "
                         "catalogue");
        std::cout << "catalogue version " << r.version << ": " << r.changed << " changed, " << r.deleted
                  << " deleted, " << r.unchanged << " unchanged\n";
        return 0;
    }
    if (w.size() >= 2 && w[0] == "catalogue" && (w[1] == "import-engagement" || w[1] == "import-sheet")) {
        try {
            return w[1] == "import-sheet" ? importSheet(cli, *storage) : importEngagement(cli, *storage);
        } catch (const CatalogueImportRefused& e) {
            std::cerr << "comptoir-central: " << e.what() << "; nothing changed\n";
            return 1;
        }
    }
    if (w.size() == 3 && w[0] == "media" && w[1] == "add") {
        std::string data;
        if (!readWholeFile(w[2], data)) {
            std::cerr << "comptoir-central: cannot read " << w[2] << "\n";
            return 1;
        }
        std::cout << storage->addMedia(cli.type, data) << "\n";
        return 0;
    }
    if (w.size() == 2 && w[0] == "export" && w[1] == "registrations") return exportCommand(cli, *storage);
    if (w.size() == 1 && w[0] == "indicators") return indicatorsCommand(cli, *storage);
    if (w.size() == 2 && w[0] == "admin-user" && (w[1] == "add" || w[1] == "list" || w[1] == "remove"))
        return adminUserCommand(cli, *storage);
    if (w[0] == "stats") {
        std::cout << "events " << storage->eventCount() << "\ncatalogue_version "
                  << storage->catalogueVersion() << "\n";
        return 0;
    }
    std::cerr << "comptoir-central: unknown command\n" << kUsage;
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    Cli cli;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
            std::cout << kUsage;
            return 0;
        }
    if (auto err = parse(argc, argv, cli)) {
        std::cerr << "comptoir-central: " << *err << "\n" << kUsage;
        return 2;
    }
    try {
        return run(cli);
    } catch (const std::exception& e) {
        std::cerr << "comptoir-central: " << e.what() << "\n";
        return 1;
    }
}
