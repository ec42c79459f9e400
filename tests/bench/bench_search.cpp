// comptoir-bench-search CATALOGUE_10K.json WORK_DIR
// One keystroke = filter + rank over the whole catalogue, timed while queries are typed key by key.
#include "bench_util.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/search.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace comptoir;

namespace {

struct Typed {
    std::string text; ///< typed one byte at a time (UTF-8 sequences whole)
    SearchFilters filters;
    SearchSort sort;
};

std::vector<std::string> keystrokes(const std::string& text) {
    std::vector<std::string> prefixes;
    for (std::size_t i = 1; i <= text.size(); ++i)
        if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            prefixes.push_back(text.substr(0, i));
    return prefixes;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: comptoir-bench-search CATALOGUE.json [WORK_DIR]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = parseCatalogue(ss.str());
    if (!parsed.ok) {
        std::fprintf(stderr, "comptoir-bench-search: %s: %s\n", argv[1], parsed.error.c_str());
        return 1;
    }
    const Catalogue& catalogue = parsed.catalogue;

    std::vector<double> builds;
    for (int i = 0; i < 7; ++i) {
        auto t0 = bench::Clock::now();
        SearchIndex built(catalogue);
        builds.push_back(bench::msSince(t0));
        if (built.size() == 0) return 1;
    }
    const SearchIndex index(catalogue);
    const std::string today = "2026-11-24";

    SearchFilters weekend;
    weekend.moment = MomentFilter::Weekend;
    weekend.themes = {"environnement", "solidarite"};
    SearchFilters evening;
    evening.moment = MomentFilter::Evening;
    evening.duration = DurationFilter::Short;
    evening.stepFree = true;
    SearchSort relevance;
    SearchSort nearest{SortOrder::Nearest, "monplaisir"};
    SearchSort soonest{SortOrder::Soonest, {}};
    const std::vector<Typed> session = {
        {"jardin", {}, relevance},
        {"bénévoles", {}, relevance},
        {"jradin partagé", {}, relevance},
        {"soldiarite", {}, relevance},
        {"accueil des personnes", {}, relevance},
        {"aider", weekend, relevance},
        {"lire", evening, soonest},
        {"repas", {}, nearest},
        {"numerique", weekend, nearest},
    };

    std::vector<SearchHit> hits;
    index.search("", {}, relevance, today, hits); // the once-a-day date cache is not a keystroke
    std::vector<double> samples;
    std::size_t found = 0;
    for (int round = 0; round < 60; ++round) {
        for (const auto& typed : session) {
            for (const auto& q : keystrokes(typed.text)) {
                auto t0 = bench::Clock::now();
                index.search(q, typed.filters, typed.sort, today, hits);
                samples.push_back(bench::msSince(t0));
                found += hits.size();
            }
        }
    }
    if (found == 0) {
        std::fprintf(stderr, "comptoir-bench-search: no query found anything\n");
        return 1;
    }
    bench::report("search_10k_p50_ms", bench::percentile(samples, 50), "ms");
    bench::report("search_10k_p99_ms", bench::percentile(samples, 99), "ms");
    bench::report("search_index_build_10k_ms", bench::percentile(builds, 50), "ms");
    return 0;
}
