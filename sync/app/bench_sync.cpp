// comptoir-bench-sync: push and pull figures against the reference server on loopback.
//   comptoir-bench-sync CATALOGUE_10K.json WORK_DIR
#include "bench_util.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/job.hpp"

#include <filesystem>
#include <fstream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sstream>

using namespace comptoir;
using namespace comptoir::bench;

namespace {

store::Database freshKiosk(const std::string& path) {
    std::filesystem::remove(path);
    auto db = store::Database::open(path);
    store::migrate(db);
    store::Transaction tx(db);
    store::Keyring::create(db, "135790", store::PinCost::minimum());
    tx.commit();
    return db;
}

/// Seconds to push `n` freshly recorded events, or a negative number when the push failed.
double pushBacklog(const std::string& path, std::size_t n, sync::HttpOptions http) {
    auto db = freshKiosk(path);
    sync::fillSyntheticBacklog(db, "bench", n, n);
    sync::HttpClient client(std::move(http));
    sync::PushOptions po;
    po.kioskId = "bench";
    auto t0 = Clock::now();
    auto r = sync::pushPending(db, client, po);
    double s = msSince(t0) / 1000.0;
    if (r.outcome != sync::Outcome::Done || r.waiting != 0 || r.accepted != n) {
        std::fprintf(stderr, "push of %zu events failed: %s\n", n, r.lastError.c_str());
        return -1;
    }
    return s;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-sync CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    // Figures alone on stdout: scripts/bench reads "<metric> <value> <unit>" lines.
    spdlog::set_default_logger(spdlog::stderr_color_mt("bench"));
    spdlog::set_level(spdlog::level::warn);
    std::string work = argv[2];
    std::filesystem::create_directories(work);
    std::filesystem::remove(work + "/central.db");
    auto storage = sync::central::openSqliteStorage(work + "/central.db");
    sync::central::CentralServer server(*storage, {});
    if (!server.start()) return 1;
    sync::HttpOptions http;
    http.baseUrl = server.baseUrl();
    http.token = storage->createKioskToken("bench");

    double s1k = pushBacklog(work + "/k1k.db", 1000, http);
    double s10k = pushBacklog(work + "/k10k.db", 10000, http);
    double s100k = pushBacklog(work + "/k100k.db", 100000, http);
    if (s1k < 0 || s10k < 0 || s100k < 0) return 1;
    report("sync_push_10k_s", s10k, "s");
    report("sync_push_per_event_us_1k", s1k * 1e6 / 1000, "us");
    report("sync_push_per_event_us_100k", s100k * 1e6 / 100000, "us");

    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parseCatalogue(text.str());
    if (!parsed.ok) return 1;
    (void)storage->importCatalogue(parsed.catalogue);
    auto db = freshKiosk(work + "/pull.db");
    sync::HttpClient client(http);
    auto t0 = Clock::now();
    auto pull = sync::pullCatalogue(db, client, {});
    double ms = msSince(t0);
    if (pull.outcome != sync::Outcome::Done || !pull.changed) {
        std::fprintf(stderr, "catalogue pull failed: %s\n", pull.lastError.c_str());
        return 1;
    }
    report("catalogue_pull_10k_ms", ms, "ms");
    return 0;
}
