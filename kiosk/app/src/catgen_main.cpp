// comptoir-catgen: writes large fictional catalogues (10,000, 100,000 offers) for tests and
// benchmarks, reusing the themes, neighbourhoods and organisations of a base catalogue.
//
//   comptoir-catgen --base assets/catalogue/demo.json --offers 10000 --out /tmp/cat10k.json [--seed 42]
#include "comptoir/domain/catalogue.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

using namespace comptoir;

int main(int argc, char** argv) {
    std::string base, out;
    long offers = 10000;
    unsigned seed = 42;
    long version = 1;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--base") base = next();
        else if (a == "--out") out = next();
        else if (a == "--offers") offers = std::strtol(next().c_str(), nullptr, 10);
        else if (a == "--seed") seed = static_cast<unsigned>(std::strtoul(next().c_str(), nullptr, 10));
        else if (a == "--version") version = std::strtol(next().c_str(), nullptr, 10);
        else {
            std::fprintf(stderr, "usage: comptoir-catgen --base CATALOGUE.json --offers N --out FILE [--seed S] [--version V]\n");
            return 2;
        }
    }
    if (base.empty() || out.empty() || offers < 1 || offers > 1000000) {
        std::fprintf(stderr, "comptoir-catgen: --base, --out and --offers (1..1000000) are required\n");
        return 2;
    }
    std::ifstream in(base, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = parseCatalogue(ss.str());
    if (!parsed.ok || parsed.catalogue.offers.empty()) {
        std::fprintf(stderr, "comptoir-catgen: cannot use %s as a base: %s\n", base.c_str(), parsed.error.c_str());
        return 1;
    }
    const Catalogue& src = parsed.catalogue;
    Catalogue c;
    c.version = version;
    c.themes = src.themes;
    c.neighbourhoods = src.neighbourhoods;
    c.organisations = src.organisations;
    std::mt19937 rng(seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(std::uniform_int_distribution<size_t>(0, n - 1)(rng)); };
    static const char* verbs[] = {"Aider à", "Participer à", "Donner un coup de main pour", "Accompagner",
                                  "Préparer", "Animer", "Découvrir"};
    c.offers.reserve(static_cast<size_t>(offers));
    for (long i = 0; i < offers; ++i) {
        // Start from a real demo offer so every field stays realistic, then vary it.
        Offer o = src.offers[pick(src.offers.size())];
        char id[32];
        std::snprintf(id, sizeof id, "gen-%07ld", i + 1);
        o.id = id;
        const Organisation& org = c.organisations[pick(c.organisations.size())];
        o.organisationId = org.id;
        o.neighbourhoodId = c.neighbourhoods[pick(c.neighbourhoods.size())].id;
        const Theme& th = c.themes[pick(c.themes.size())];
        o.themeId = th.id;
        const Activity& act = th.activities[pick(th.activities.size())];
        o.activityId = act.id;
        o.title = std::string(verbs[pick(std::size(verbs))]) + " : " + act.name + " n°" + std::to_string(i + 1);
        if (o.rhythm == Rhythm::OneOff && !o.dates.empty()) {
            int month = 1 + static_cast<int>(pick(6));
            int day = 1 + static_cast<int>(pick(28));
            char d[32];
            std::snprintf(d, sizeof d, "2027-%02d-%02dT", month, day);
            for (auto& r : o.dates) {
                r.start = d + r.start.substr(11);
                r.end = d + r.end.substr(11);
            }
        }
        o.placesWanted = 1 + static_cast<int>(pick(20));
        o.placesLeft = static_cast<int>(pick(static_cast<size_t>(o.placesWanted) + 1));
        o.registrationOpen = o.placesLeft > 0;
        c.offers.push_back(std::move(o));
    }
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    f << serialiseCatalogue(c);
    if (!f) {
        std::fprintf(stderr, "comptoir-catgen: cannot write %s\n", out.c_str());
        return 1;
    }
    std::printf("wrote %ld offers to %s\n", offers, out.c_str());
    return 0;
}
