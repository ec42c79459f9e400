// comptoir-bench-guided CATALOGUE_10K.json [WORK_DIR]
// The guided choice's suggestions over the whole catalogue, for a spread of answers (strict,
// widened, contradictory, none): matching_10k_ms is the median of one suggest() call.
#include "bench_util.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/guided.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace comptoir;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: comptoir-bench-guided CATALOGUE.json [WORK_DIR]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = parseCatalogue(ss.str());
    if (!parsed.ok) {
        std::fprintf(stderr, "comptoir-bench-guided: %s: %s\n", argv[1], parsed.error.c_str());
        return 1;
    }
    auto t0 = bench::Clock::now();
    const GuidedIndex index(parsed.catalogue);
    const double buildMs = bench::msSince(t0);

    std::vector<GuidedAnswers> answers(5);
    answers[1].themes = {"sport", "environnement"};
    answers[1].days = guided::kWeekend;
    answers[1].moments = guided::kMorning;
    answers[2].themes = {"seniors"};
    answers[2].ways = guided::kWithChildren; // widened
    answers[3].ways = guided::kOutdoors | guided::kSitting;
    answers[3].frequency = GuidedFrequency::Regularly;
    answers[4].days = guided::kWeekdays;
    answers[4].moments = guided::kEvening;
    answers[4].frequency = GuidedFrequency::Once;
    std::vector<double> times;
    std::size_t found = 0;
    for (int round = 0; round < 40; ++round)
        for (const auto& a : answers) {
            auto t = bench::Clock::now();
            auto r = index.suggest(a, "2026-11-24");
            times.push_back(bench::msSince(t));
            found += r.suggestions.size();
        }
    if (found == 0) return 1;
    bench::report("guided_index_build_10k_ms", buildMs, "ms");
    bench::report("matching_10k_ms", bench::percentile(times, 50), "ms");
    bench::report("matching_10k_p95_ms", bench::percentile(times, 95), "ms");
    return 0;
}
