// comptoir-bench-indicators: every pilotage indicator (per week and per month, by theme and by
// neighbourhood) over 100,000 records read from a real SQLite file.
//   comptoir-bench-indicators CATALOGUE.json WORK_DIR
#include "bench_util.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/followup.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/indicators_repo.hpp"
#include "comptoir/store/migrations.hpp"

#include "comptoir/domain/text.hpp"

#include <filesystem>

using namespace comptoir;
using namespace comptoir::bench;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-indicators CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    std::string work = argv[2];
    std::filesystem::create_directories(work);
    std::string text;
    if (!readWholeFile(argv[1], text)) return 1;
    auto parsed = parseCatalogue(text);
    if (!parsed.ok || parsed.catalogue.offers.empty()) return 1;
    std::string path = work + "/indicators.db";
    std::filesystem::remove(path);
    auto db = store::Database::open(path);
    store::migrate(db);
    (void)store::importCatalogue(db, parsed.catalogue);

    // 100,000 records: 40,000 registrations, 30,000 introductions, 20,000 hour entries, 10,000 opinions,
    // spread over two years. Written directly: the benchmark measures reading them, not recording.
    const auto& offers = parsed.catalogue.offers;
    {
        store::Transaction tx(db);
        auto personal = db.prepare("INSERT INTO personal(id, sealed, created_at) VALUES(?1, x'00', ?2)");
        auto interest =
            db.prepare("INSERT INTO interest(id, reference, offer_id, offer_title, personal_id, "
                       "consent_version, created_at, status) VALUES(?1, ?2, ?3, 't', ?4, 1, ?5, ?6)");
        auto intro =
            db.prepare("INSERT INTO introduction(id, interest_id, offer_id, organisation_id, status, "
                       "created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6)");
        auto hours = db.prepare("INSERT INTO hours_log(id, introduction_id, hours, done_on, created_at) "
                                "VALUES(?1, ?2, ?3, ?4, ?4)");
        auto feedback = db.prepare("INSERT INTO feedback(id, score, given_on, held) VALUES(?1, ?2, ?3, 0)");
        auto day = [](int i) { return addDays("2025-01-01", i % 730); };
        for (int i = 0; i < 40000; ++i) {
            std::string id = "i" + std::to_string(i);
            personal.bind(1, i + 1).bind(2, day(i)).run();
            const Offer& o = offers[static_cast<std::size_t>(i) % offers.size()];
            interest.bind(1, id)
                .bind(2, "R" + std::to_string(i))
                .bind(3, o.id)
                .bind(4, i + 1)
                .bind(5, day(i));
            interest.bind(6, i % 11 == 0 ? "closed" : "new").run();
        }
        for (int i = 0; i < 30000; ++i) {
            const Offer& o = offers[static_cast<std::size_t>(i) % offers.size()];
            intro.bind(1, "n" + std::to_string(i)).bind(2, "i" + std::to_string(i)).bind(3, o.id);
            intro.bind(4, o.organisationId)
                .bind(5, toString(kIntroStatuses[static_cast<std::size_t>(i) % 8]));
            intro.bind(6, day(i + 3)).run();
        }
        for (int i = 0; i < 20000; ++i)
            hours.bind(1, "h" + std::to_string(i))
                .bind(2, "n" + std::to_string(i))
                .bind(3, 1.0 + i % 4)
                .bind(4, day(i + 5))
                .run();
        for (int i = 0; i < 10000; ++i)
            feedback.bind(1, "f" + std::to_string(i)).bind(2, 1 + i % 4).bind(3, day(i)).run();
        tx.commit();
    }

    std::vector<double> samples, cpu;
    std::size_t rows = 0;
    for (int run = 0; run < 5; ++run) {
        auto t0 = Clock::now();
        double c0 = cpuMs();
        auto input = store::loadIndicatorInput(db);
        auto weeks = computeIndicators(input, Period::Week);
        auto months = computeIndicators(input, Period::Month);
        samples.push_back(msSince(t0));
        cpu.push_back(cpuMs() - c0);
        rows = weeks.rows.size() + months.rows.size();
    }
    if (rows == 0) return 1;
    report("indicators_100k_ms", percentile(samples, 50), "ms");
    report("indicators_100k_cpu_ms", percentile(cpu, 50), "ms");
    return 0;
}
