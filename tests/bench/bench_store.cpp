// comptoir-bench-store: catalogue import and durable commit figures, on real SQLite files.
//   comptoir-bench-store CATALOGUE_10K.json WORK_DIR
#include "bench_util.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace comptoir;
using namespace comptoir::bench;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-store CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    std::string work = argv[2];
    std::filesystem::create_directories(work);
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();

    {
        std::string path = work + "/import.db";
        std::filesystem::remove(path);
        auto db = store::Database::open(path);
        store::migrate(db);
        auto t0 = Clock::now();
        auto parsed = parseCatalogue(text);
        if (!parsed.ok) return 1;
        (void)store::importCatalogue(db, parsed.catalogue);
        report("catalogue_import_10k_ms", msSince(t0), "ms");
    }
    {
        std::string path = work + "/commit.db";
        std::filesystem::remove(path);
        auto db = store::Database::open(path);
        store::migrate(db);
        store::Keyring::create(db, "135790", store::PinCost::minimum());
        store::VisitorStore visitors{db, store::Keyring::publicKey(db), "bench"};
        store::InterestDraft d;
        d.offerId = "off-0001";
        d.offerTitle = "Accueillir à l'épicerie";
        d.contact = {"Camille", "0612345678", "", ""};
        d.preferredMoment = "morning";
        std::vector<double> samples;
        for (int i = 0; i < 520; ++i) {
            auto t0 = Clock::now();
            (void)visitors.recordInterest(d);
            if (i >= 20) samples.push_back(msSince(t0)); // first ones warm the page cache
        }
        report("durable_commit_p50_ms", percentile(samples, 50), "ms");
        report("durable_commit_p99_ms", percentile(samples, 99), "ms");
    }
    return 0;
}
