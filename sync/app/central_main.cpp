// comptoir-central: the reference central server and its admin commands. Only wiring.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/catalogue_import.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/http_client.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sstream>

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
                     "       comptoir-central export registrations --db FILE [--out FILE.csv]\n"
                     "       comptoir-central stats --db FILE\n"
                     "  --listen defaults to 127.0.0.1:8080 (port 0: any free port, written to --port-file)\n"
                     "  with --cert and --key the server speaks HTTPS only; without them, a loopback address only\n"
                     "  (in production nginx terminates TLS in front: docs/operations.md)\n"
                     "  --db FILE must exist; add --create to start a new database\n"
                     "  a catalogue without offers is refused unless --withdraw-all: it withdraws every offer from every kiosk\n"
                     "  import-engagement and import-sheet replace only their own offers; offers gone from the source are\n"
                     "  closed, not deleted; --tables holds domains.csv and neighbourhoods.csv (default: the assets)\n";

struct Cli {
    std::vector<std::string> words;
    std::string db, listen = "127.0.0.1:8080", cert, key, portFile, kiosk, out, type = "application/octet-stream";
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
                              : a == "--tables"    ? &cli.tables
                              : a == "--api-key-file" ? &cli.apiKeyFile
                              : a == "--api-url"   ? &cli.apiUrl
                              : a == "--api-query" ? &cli.apiQuery
                              : a == "--ca-file"   ? &cli.caFile
                                                   : nullptr;
        if (a == "--withdraw-all") {
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
    if (cli.db.empty()) return "--db FILE is required";
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
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
    if (std::stoi(port) > 65535) return false;
    o.host = host;
    o.port = std::stoi(port);
    return true;
}

int serve(const Cli& cli, CentralStorage& storage) {
    ServerOptions o;
    if (!parseListen(cli.listen, o)) {
        std::cerr << "comptoir-central: --listen must be HOST:PORT with a port from 1 to 65535 (0: any free port), not '"
                  << cli.listen << "'\n";
        return 2;
    }
    o.certFile = cli.cert;
    o.keyFile = cli.key;
    if (o.certFile.empty() && !isLoopbackAddress(o.host)) {
        // Tokens and sealed contact details would cross the network in clear.
        std::cerr << "comptoir-central: plain HTTP is served on a loopback address only (127.0.0.1, [::1]), not "
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
    spdlog::info("comptoir-central: serving {} (database {})", server.baseUrl(), cli.db);
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
    if (tables.empty()) {
        const char* assets = std::getenv("COMPTOIR_ASSETS");
        tables = std::string(assets && *assets ? assets : COMPTOIR_ASSET_DIR) + "/engagement";
    }
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

int run(const Cli& cli) {
    // SQLite would silently create a mistyped path: an empty database that serves nothing.
    std::error_code ec;
    if (!cli.create && !std::filesystem::exists(cli.db, ec)) {
        std::cerr << "comptoir-central: the database " << cli.db
                  << " does not exist (check --db, or add --create to start a new one)\n";
        return 2;
    }
    auto storage = openSqliteStorage(cli.db);
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
        CatalogueImportSummary r;
        try {
            r = storage->importCatalogue(parsed.catalogue, CatalogueImportOptions{cli.withdrawAll});
        } catch (const CatalogueImportRefused& e) {
            std::cerr << "comptoir-central: " << w[2] << ": " << e.what() << "; nothing changed\n";
            return 1;
        }
        if (cli.withdrawAll)
            spdlog::warn("comptoir-central: every offer withdrawn (--withdraw-all); kiosks will empty their catalogue");
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
    if (w.size() == 2 && w[0] == "export" && w[1] == "registrations") {
        if (cli.out.empty()) {
            storage->exportRegistrationsCsv(std::cout);
            return 0;
        }
        std::ofstream out(cli.out, std::ios::binary | std::ios::trunc);
        storage->exportRegistrationsCsv(out);
        out.close();
        if (!out) {
            std::cerr << "comptoir-central: cannot write " << cli.out << "\n";
            return 1;
        }
        return 0;
    }
    if (w[0] == "stats") {
        std::cout << "events " << storage->eventCount() << "\ncatalogue_version " << storage->catalogueVersion() << "\n";
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
