// comptoir-central: the reference central server and its admin commands. Only wiring.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/central.hpp"

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

const char* kUsage =
    "usage: comptoir-central serve --db FILE [--listen HOST:PORT] [--cert FILE --key FILE] "
    "[--port-file FILE]\n"
    "       comptoir-central token create --db FILE --kiosk ID\n"
    "       comptoir-central token list --db FILE\n"
    "       comptoir-central token revoke --db FILE --kiosk ID\n"
    "       comptoir-central catalogue import --db FILE CATALOGUE.json [--withdraw-all]\n"
    "       comptoir-central media add --db FILE PICTURE [--type image/png]\n"
    "       comptoir-central export registrations --db FILE [--out FILE.csv]\n"
    "       comptoir-central stats --db FILE\n"
    "       comptoir-central migrate-storage --from sqlite:FILE --to postgresql://…\n"
    "  --listen defaults to 127.0.0.1:8080 (port 0: any free port, written to --port-file)\n"
    "  with --cert and --key the server speaks HTTPS only; without them, a loopback address only\n"
    "  (in production nginx terminates TLS in front: docs/operations.md)\n"
    "  --db FILE must exist; add --create to start a new database\n"
    "  --db postgresql://USER@HOST/DATABASE: a network of kiosks on PostgreSQL (the database must\n"
    "    exist; its tables are created or migrated); --db-connections N: at most N per process (16)\n"
    "  migrate-storage copies a pilot's SQLite database into a new PostgreSQL one and checks the counts\n"
    "  a catalogue without offers is refused unless --withdraw-all: it withdraws every offer from every "
    "kiosk\n";

struct Cli {
    std::vector<std::string> words;
    std::string db, listen = "127.0.0.1:8080", cert, key, portFile, kiosk, out,
                    type = "application/octet-stream";
    std::string from, to, connections = "16";
    bool withdrawAll = false;
    bool create = false;
};

std::optional<std::string> parse(int argc, char** argv, Cli& cli) {
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        std::string* target = a == "--db"               ? &cli.db
                              : a == "--listen"         ? &cli.listen
                              : a == "--cert"           ? &cli.cert
                              : a == "--key"            ? &cli.key
                              : a == "--port-file"      ? &cli.portFile
                              : a == "--kiosk"          ? &cli.kiosk
                              : a == "--out"            ? &cli.out
                              : a == "--type"           ? &cli.type
                              : a == "--from"           ? &cli.from
                              : a == "--to"             ? &cli.to
                              : a == "--db-connections" ? &cli.connections
                                                        : nullptr;
        if (a == "--withdraw-all") {
            cli.withdrawAll = true;
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
