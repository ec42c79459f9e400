// comptoir-bench-central: the central server as a child process on loopback, measured from outside.
//   comptoir-bench-central CATALOGUE.json WORK_DIR   (the catalogue is not used; scripts/bench passes it)
// - central_ingest_events_per_s_20_kiosks: 20 kiosks push at once (the real client, batches of
//   500), in rounds until at least 30 s of pushing; central_first_answer_max_s: the slowest
//   kiosk's wait for its first answer in a round.
// - central_ingest_events_per_s_postgres, central_first_answer_max_s_postgres: the same with two
//   server processes on one PostgreSQL database (a throwaway cluster), the kiosks
//   shared between them.
// - central_rss_under_attack_mb: the server's peak resident memory while slow-loris and idle
//   sockets, gzip bombs and header floods run against it directly (no nginx), and
//   central_push_under_attack_s: a kiosk's 500-event push meanwhile.
#include "bench_util.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/job.hpp"
#include "loopback_attacks.hpp"
#include "pg_cluster.hpp"

#include <algorithm>
#include <barrier>
#include <filesystem>
#include <mutex>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <thread>

using namespace comptoir;
using namespace comptoir::bench;

namespace {

constexpr int kKiosks = 20;
constexpr std::size_t kEventsPerRound = 2'500; // per kiosk: 5 batches of 500
constexpr double kMinPushSeconds = 30;

store::Database kioskDb(const std::string& path) {
    auto db = store::Database::open(path);
    store::migrate(db);
    if (!store::Keyring::exists(db)) {
        store::Transaction tx(db);
        store::Keyring::create(db, "135790", store::PinCost::minimum());
        tx.commit();
    }
    return db;
}

sync::HttpOptions httpFor(int port, const std::string& token) {
    sync::HttpOptions o;
    o.baseUrl = "http://127.0.0.1:" + std::to_string(port);
    o.token = token;
    o.connectTimeout = std::chrono::milliseconds(10'000);
    o.totalTimeout = std::chrono::milliseconds(120'000);
    return o;
}

/// Tokens for kiosk-0… in a fresh central database (an SQLite path, or a new PostgreSQL one).
std::vector<std::string> freshCentral(const std::string& db, int kiosks) {
    if (!sync::central::isPostgresUrl(db)) std::filesystem::remove(db);
    auto storage = sync::central::openStorage(db);
    std::vector<std::string> tokens;
    for (int k = 0; k < kiosks; ++k)
        tokens.push_back(storage->createKioskToken("kiosk-" + std::to_string(k)));
    return tokens;
}

/// 20 kiosks pushing at once through `processes` server processes on `db`; `suffix` ends the
/// metric names.
int ingest(const std::string& central, const std::string& work, const std::string& db, int processes,
           const std::string& suffix) {
    const auto tokens = freshCentral(db, kKiosks);
    std::vector<std::unique_ptr<attack::CentralProcess>> servers;
    for (int p = 0; p < processes; ++p) {
        const auto dir = work + "/server-" + std::to_string(p);
        std::filesystem::create_directories(dir);
        servers.push_back(std::make_unique<attack::CentralProcess>(central, db, dir));
        if (servers.back()->port() <= 0) {
            std::fprintf(stderr, "comptoir-central did not start (see %s/central.log)\n", dir.c_str());
            return 1;
        }
    }
    std::vector<store::Database> dbs;
    for (int k = 0; k < kKiosks; ++k) {
        std::filesystem::remove(work + "/kiosk-" + std::to_string(k) + ".db");
        dbs.push_back(kioskDb(work + "/kiosk-" + std::to_string(k) + ".db"));
    }
    double pushSeconds = 0;
    double firstAnswerMax = 0;
    std::size_t accepted = 0;
    bool failed = false;
    for (int round = 0; pushSeconds < kMinPushSeconds && !failed; ++round) {
        {
            // Sealing and committing 50,000 registrations is most of a round's time: every core fills
            // (each kiosk is its own database and connection).
            std::vector<std::jthread> fillers;
            for (int k = 0; k < kKiosks; ++k)
                fillers.emplace_back([&, k] {
                    sync::fillSyntheticBacklog(dbs[static_cast<std::size_t>(k)], "kiosk-" + std::to_string(k),
                                               kEventsPerRound,
                                               static_cast<std::uint64_t>(round * kKiosks + k + 1));
                });
        }
        std::mutex mutex;
        std::barrier start(kKiosks + 1);
        Clock::time_point t0;
        std::vector<std::thread> kiosks;
        for (int k = 0; k < kKiosks; ++k)
            kiosks.emplace_back([&, k] {
                const auto id = "kiosk-" + std::to_string(k);
                const auto& server = *servers[static_cast<std::size_t>(k % processes)];
                sync::HttpClient client(httpFor(server.port(), tokens[static_cast<std::size_t>(k)]));
                sync::PushOptions po;
                po.kioskId = id;
                bool first = true;
                start.arrive_and_wait();
                auto r = sync::pushPending(dbs[static_cast<std::size_t>(k)], client, po,
                                           [&](const sync::PushReport&) {
                                               if (!first) return;
                                               first = false;
                                               const double s = msSince(t0) / 1000.0;
                                               std::lock_guard lock(mutex);
                                               firstAnswerMax = std::max(firstAnswerMax, s);
                                           });
                std::lock_guard lock(mutex);
                accepted += r.accepted;
                if (r.outcome != sync::Outcome::Done || r.waiting != 0) {
                    std::fprintf(stderr, "%s: push failed: %s\n", id.c_str(), r.lastError.c_str());
                    failed = true;
                }
            });
        t0 = Clock::now();
        start.arrive_and_wait();
        for (auto& t : kiosks)
            t.join();
        pushSeconds += msSince(t0) / 1000.0;
    }
    if (failed) return 1;
    const std::string rate = "central_ingest_events_per_s_" + suffix;
    const std::string first = suffix == "20_kiosks" ? std::string("central_first_answer_max_s")
                                                    : "central_first_answer_max_s_" + suffix;
    report(rate.c_str(), static_cast<double>(accepted) / pushSeconds, "events/s");
    report(first.c_str(), firstAnswerMax, "s");
    return 0;
}

int underAttack(const std::string& central, const std::string& work) {
    const auto tokens = freshCentral(work + "/attack.db", 1);
    attack::CentralProcess server(central, work + "/attack.db", work);
    if (server.port() <= 0) return 1;
    attack::Crowd::Plan plan;
    plan.slowLoris = 64;
    plan.slowEvery = std::chrono::milliseconds(500);
    plan.idle = 200;
    plan.bombers = 4;
    plan.headerFlooders = 4;
    plan.floodBytes = std::size_t{200} << 20; // the 200 MiB header flood of the report
    attack::Crowd crowd(attack::Endpoint{server.port(), false, "127.0.0.2"}, plan);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    std::filesystem::remove(work + "/attacked-kiosk.db");
    auto db = kioskDb(work + "/attacked-kiosk.db");
    double pushMax = 0;
    for (int round = 0; round < 3; ++round) {
        sync::fillSyntheticBacklog(db, "kiosk-0", 500, static_cast<std::uint64_t>(round + 1));
        sync::HttpClient client(httpFor(server.port(), tokens[0]));
        sync::PushOptions po;
        po.kioskId = "kiosk-0";
        const auto t0 = Clock::now();
        auto r = sync::pushPending(db, client, po);
        pushMax = std::max(pushMax, msSince(t0) / 1000.0);
        if (r.outcome != sync::Outcome::Done) {
            std::fprintf(stderr, "push under attack failed: %s\n", r.lastError.c_str());
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::seconds(3));
    }
    crowd.stop();
    const auto peak = attack::peakRssMiB(server.pid());
    if (!peak) return 1;
    report("central_rss_under_attack_mb", *peak, "MB");
    report("central_push_under_attack_s", pushMax, "s");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-central CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    // Figures alone on stdout: scripts/bench reads "<metric> <value> <unit>" lines.
    spdlog::set_default_logger(spdlog::stderr_color_mt("bench"));
    spdlog::set_level(spdlog::level::err);
    const std::string work = argv[2];
    std::filesystem::create_directories(work);
    const std::string only =
        std::getenv("COMPTOIR_BENCH_CENTRAL") ? std::getenv("COMPTOIR_BENCH_CENTRAL") : "";
    if ((only.empty() || only == "ingest") &&
        ingest(COMPTOIR_CENTRAL_BINARY, work, work + "/ingest.db", 1, "20_kiosks") != 0)
        return 1;
    if (only.empty() || only == "postgres") {
        pg::Cluster cluster;
        if (ingest(COMPTOIR_CENTRAL_BINARY, work, cluster.newDatabase(), 2, "postgres") != 0) return 1;
    }
    if ((only.empty() || only == "attack") && underAttack(COMPTOIR_CENTRAL_BINARY, work) != 0) return 1;
    return 0;
}
