// The production deployment, for real: nginx (Debian's) running config/nginx/comptoir-central.conf
// on the loopback, TLS from a certificate made for the test, in front of a comptoir-central child
// process. With slow-loris sockets, idle connections, gzip bombs and header floods under way from
// another address, real kiosks push through it with libcurl, and nothing is lost.
#include "loopback_attacks.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

using namespace comptoir;
using namespace comptoir::test;
using namespace std::chrono_literals;

namespace {

/// Replaces the one occurrence of `from` in `text` (the test fails if the shipped file changed).
void replaceOnce(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(text.find(from, at + 1) == std::string::npos);
    text.replace(at, from.size(), to);
}

/// A throwaway nginx: its own prefix, configuration, pid and logs in `dir`, in the foreground.
/// The shipped site file is used as it is, but for its addresses, certificate and log paths.
struct Nginx {
    Nginx(const TempDir& dir, int port, int upstreamPort, const std::string& cert, const std::string& key) {
        auto site = readFile(sourcePath("config/nginx/comptoir-central.conf"));
        replaceOnce(site, "listen 443 ssl;", "listen 127.0.0.1:" + std::to_string(port) + " ssl;");
        replaceOnce(site, "listen [::]:443 ssl;", "");
        replaceOnce(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(upstreamPort) + ";");
        replaceOnce(site, "/etc/ssl/comptoir/fullchain.pem", cert);
        replaceOnce(site, "/etc/ssl/comptoir/privkey.pem", key);
        replaceOnce(site, "/var/log/nginx/comptoir-central.access.log", dir.file("access.log"));
        replaceOnce(site, "/var/log/nginx/comptoir-central.error.log", dir.file("site-error.log"));
        writeFile(dir.file("comptoir-central.conf"), site);
        const auto temp = [&](const char* name) { return dir.file(name); };
        // Workers run as root when the test does (they read the test's 0700 folder).
        writeFile(dir.file("nginx.conf"), std::string(::geteuid() == 0 ? "user root;\n" : "") +
                                              "worker_processes 1;\n"
                                              "pid " +
                                              dir.file("nginx.pid") +
                                              ";\n"
                                              "error_log " +
                                              dir.file("error.log") +
                                              " warn;\n"
                                              "events { worker_connections 2048; }\n"
                                              "http {\n"
                                              "  access_log off;\n"
                                              "  client_body_temp_path " +
                                              temp("body") +
                                              ";\n"
                                              "  proxy_temp_path " +
                                              temp("proxy") +
                                              ";\n"
                                              "  fastcgi_temp_path " +
                                              temp("fastcgi") +
                                              ";\n"
                                              "  uwsgi_temp_path " +
                                              temp("uwsgi") +
                                              ";\n"
                                              "  scgi_temp_path " +
                                              temp("scgi") +
                                              ";\n"
                                              "  include " +
                                              dir.file("comptoir-central.conf") +
                                              ";\n"
                                              "}\n");
        process = std::make_unique<attack::ChildProcess>(
            "/usr/sbin/nginx",
            std::vector<std::string>{"-p", dir.path().string(), "-e", dir.file("error.log"), "-c",
                                     dir.file("nginx.conf"), "-g", "daemon off;"},
            dir.file("nginx.out"));
    }
    std::unique_ptr<attack::ChildProcess> process;
};

} // namespace

TEST_CASE("nginx in front of comptoir-central: kiosks push through slow-loris, idle sockets and bombs",
          "[central][nginx]") {
    TempDir dir;
    const auto tls = selfSignedTls(dir);
    constexpr int kKiosks = 3;
    std::vector<std::string> tokens;
    {
        auto storage = sync::central::openSqliteStorage(dir.file("central.db"));
        for (int k = 0; k < kKiosks; ++k)
            tokens.push_back(storage->createKioskToken("kiosk-" + std::to_string(k)));
    }
    attack::CentralProcess central(binaryPath("sync/comptoir-central"), dir.file("central.db"),
                                   dir.path().string());
    REQUIRE(central.port() > 0);
    const int port = attack::freeLoopbackPort();
    REQUIRE(port > 0);
    Nginx nginx(dir, port, central.port(), tls.certFile, tls.keyFile);
    for (int i = 0; i < 300 && !attack::waitUntilListening(port, 100ms); ++i)
        if (!nginx.process->running())
            FAIL("nginx stopped: " << readFile(dir.file("nginx.out")) << readFile(dir.file("error.log")));
    REQUIRE(attack::waitUntilListening(port, 100ms));

    // The attackers come from 127.0.0.2: nginx's per-client limits fall on them, not on the
    // kiosks (127.0.0.1). Against the bare server, this many slow sockets took every thread.
    attack::Crowd::Plan plan;
    plan.slowLoris = 64;
    plan.slowEvery = 500ms;
    plan.idle = 200;
    plan.bombers = 2;
    plan.headerFlooders = 2;
    plan.floodBytes = std::size_t{4} << 20;
    attack::Crowd crowd(attack::Endpoint{port, true, "127.0.0.2"}, plan);
    std::this_thread::sleep_for(2s);

    std::size_t recorded = 0;
    for (int round = 0; round < 2; ++round) {
        for (int k = 0; k < kKiosks; ++k) {
            const auto id = "kiosk-" + std::to_string(k);
            KioskDb kiosk(dir.file(id + ".db"), id, round == 0);
            for (int i = 0; i < 5; ++i)
                (void)kiosk.registerInterest();
            recorded += 5;
            auto http =
                httpFor("https://127.0.0.1:" + std::to_string(port), tokens[static_cast<std::size_t>(k)]);
            http.caFile = tls.certFile;
            sync::HttpClient client(http);
            const auto started = std::chrono::steady_clock::now();
            auto r = sync::pushPending(kiosk.db, client, pushOptions(id, 3));
            const auto seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            INFO(id << " round " << round << ": " << r.lastError << " in " << seconds << " s");
            CHECK(r.outcome == sync::Outcome::Done);
            CHECK(r.waiting == 0);
            CHECK(seconds < 30.0); // generous: measured in about a tenth of a second
        }
    }
    CHECK(crowd.connectionsOpened() >= plan.slowLoris + plan.idle);
    crowd.stop();
    CHECK(nginx.process->running());
    CHECK(nginx.process->stop() == 0);
    CHECK(central.stop() == 0);

    // Nothing lost: every event recorded on the kiosks is on the server, once.
    auto storage = sync::central::openSqliteStorage(dir.file("central.db"));
    CHECK(storage->eventCount() == static_cast<std::int64_t>(recorded));
    CHECK(storage->distinctEventCount() == static_cast<std::int64_t>(recorded));
}
