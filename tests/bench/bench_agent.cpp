// comptoir-bench-agent: agent mode's figures on real SQLite files.
//   comptoir-bench-agent CATALOGUE_10K.json WORK_DIR   (the catalogue is not needed here)
//   comptoir-bench-agent --add-records DATABASE        (scripts/bench: agent mode's memory)
// agent_unlock_ms: one login at the agents' real cost (PIN check = opening their wrap of the
// kiosk's key, Argon2id 256 MiB); agent_inbox_100k_ms: the inbox built over 100,000 interests
// and introductions.
#include "bench_util.hpp"
#include "comptoir/store/agent_inbox.hpp"
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/migrations.hpp"

#include <filesystem>

using namespace comptoir;
using namespace comptoir::bench;

namespace {

/// 90,000 new interests and 10,000 introductions under way, over two years; one sealed row
/// stands for every contact (the inbox never opens them; agent mode opens those in view).
void addRecords(store::Database& db) {
    db.exec("PRAGMA synchronous = OFF", "fast synthetic fill");
    db.exec("BEGIN;"
            "INSERT INTO personal(sealed, created_at) VALUES(x'00', '2025-01-01T00:00:00Z');"
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999) "
            "INSERT INTO interest(id, reference, offer_id, offer_title, personal_id, consent_version, "
            "created_at, status) SELECT 'int-' || i, printf('R%06d', i), 'off-' || (i % 500), "
            "'Offre numéro ' || (i % 500), (SELECT MAX(id) FROM personal), 1, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', '2025-01-01', '+' || (i % 700) || ' days'), "
            "CASE WHEN i % 10 = 0 THEN 'introduced' ELSE 'new' END FROM n;"
            "INSERT INTO introduction(id, interest_id, organisation_id, status, next_action_on, created_at, "
            "updated_at) SELECT 'intro-' || substr(id, 5), id, 'org-1', 'started', "
            "date(created_at, '+1 day'), created_at, created_at FROM interest "
            "WHERE status = 'introduced';"
            "COMMIT;",
            "fill 100,000 records");
}

} // namespace

int main(int argc, char** argv) {
    // scripts/bench adds the records to a kiosk's database before measuring its memory.
    if (argc == 3 && std::string(argv[1]) == "--add-records") {
        auto db = store::Database::open(argv[2]);
        addRecords(db);
        return 0;
    }
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-agent CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    std::string work = argv[2];
    std::filesystem::create_directories(work);
    {
        std::string path = work + "/unlock.db";
        std::filesystem::remove(path);
        auto db = store::Database::open(path);
        store::migrate(db);
        auto agent = store::createFirstAgent(db, "Bench", "73910462", store::PinCost::agent());
        std::vector<double> ms, cpu;
        for (int i = 0; i < 3; ++i) {
            auto t0 = Clock::now();
            double c0 = cpuMs();
            auto r = store::login(db, agent.id, "73910462", 1'000'000 + i);
            ms.push_back(msSince(t0));
            cpu.push_back(cpuMs() - c0);
            if (!r.key) return 1;
        }
        report("agent_unlock_ms", percentile(ms, 50), "ms");
        report("agent_unlock_cpu_ms", percentile(cpu, 50), "ms");
    }
    {
        std::string path = work + "/inbox.db";
        std::filesystem::remove(path);
        auto db = store::Database::open(path);
        store::migrate(db);
        addRecords(db);
        std::vector<double> ms, cpu;
        std::size_t rows = 0;
        for (int i = 0; i < 5; ++i) {
            auto t0 = Clock::now();
            double c0 = cpuMs();
            auto inbox = store::loadInbox(db, 20261203);
            ms.push_back(msSince(t0));
            cpu.push_back(cpuMs() - c0);
            rows = inbox.items.size();
        }
        if (rows != 100000) {
            std::fprintf(stderr, "the inbox has %zu rows, 100000 expected\n", rows);
            return 1;
        }
        report("agent_inbox_100k_ms", percentile(ms, 50), "ms");
        // On a shared machine the wall time includes waiting for a core; the CPU time does not.
        report("agent_inbox_100k_cpu_ms", percentile(cpu, 50), "ms");
    }
    return 0;
}
