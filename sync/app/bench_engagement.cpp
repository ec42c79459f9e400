// comptoir-bench-engagement: importing 10,000 API Engagement missions into the central catalogue.
//   comptoir-bench-engagement CATALOGUE_10K.json WORK_DIR   (the catalogue argument is not used)
#include "bench_util.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/sync/catalogue_import.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace comptoir;
using namespace comptoir::bench;
using namespace comptoir::sync::central;

namespace {

/// 10,000 fictional missions in the shape of `GET /v0/mission`: HTML, several addresses, remote ones.
std::string missions(std::size_t n) {
    static const char* domains[] = {"solidarite-insertion",
                                    "environnement",
                                    "sport",
                                    "culture-loisirs",
                                    "sante",
                                    "education",
                                    "numerique",
                                    "vivre-ensemble"};
    static const char* streets[] = {"rue Beaurepaire",   "avenue Patton",          "rue des Justices",
                                    "avenue Jean XXIII", "boulevard Saint-Michel", "place du Ralliement"};
    nlohmann::json data = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i) {
        nlohmann::json m = {
            {"id", "bench" + std::to_string(100000 + i)},
            {"statusCode", "ACCEPTED"},
            {"title", "Mission fictive n&deg;" + std::to_string(i) + " &amp; compagnie"},
            {"description",
             "<p><strong>EN QUELQUES MOTS</strong></p><p>Une mission fictive pour mesurer l&#39;import, "
             "avec des entit&eacute;s.</p><ul><li>Accueillir</li><li>Ranger</li><li>Trier</li></ul>"},
            {"applicationUrl", "https://www.example.org/missions/" + std::to_string(i)},
            {"domain", domains[i % 8]},
            {"activities", {"animation"}},
            {"remote", i % 20 == 0 ? "full" : "no"},
            {"schedule", "2 heures par semaine"},
            {"places", static_cast<int>(i % 7)},
            {"openToMinors", i % 2 ? "yes" : "no"},
            {"reducedMobilityAccessible", i % 3 ? "yes" : "no"},
            {"addresses",
             {{{"street", "12 rue de la Paix"}, {"postalCode", "75001"}, {"city", "Paris"}},
              {{"street", std::to_string(i % 90 + 1) + " " + streets[i % 6]},
               {"postalCode", i % 2 ? "49100" : "49000"},
               {"city", "Angers"}}}},
            {"organizationName", "Association fictive " + std::to_string(i % 400)},
            {"organizationRNA", "W49" + std::to_string(1000000 + i % 400)}};
        data.push_back(std::move(m));
    }
    return nlohmann::json{{"ok", true}, {"total", n}, {"limit", n}, {"skip", 0}, {"data", data}}.dump();
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-engagement CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    const char* env = std::getenv("COMPTOIR_ASSETS");
    std::string assets = env && *env ? env : COMPTOIR_ASSET_DIR;
    std::string work = argv[2];
    std::filesystem::create_directories(work);
    std::filesystem::remove(work + "/central.db");
    auto storage = openSqliteStorage(work + "/central.db");
    std::string demo;
    if (!readWholeFile(assets + "/catalogue/demo.json", demo)) return 1;
    (void)storage->importCatalogue(parseCatalogue(demo).catalogue);
    std::string error;
    auto tables = loadEngagementMappings(assets + "/engagement/domains.csv",
                                         assets + "/engagement/neighbourhoods.csv", error);
    if (!tables) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    {
        std::ofstream out(work + "/missions.json", std::ios::binary);
        out << missions(10'000);
    }
    // What `catalogue import-engagement` does: read the file, map, merge, store one version.
    auto t0 = Clock::now();
    double cpu0 = cpuMs();
    std::string text;
    if (!readWholeFile(work + "/missions.json", text)) return 1;
    auto fresh = mapEngagementDocuments({text}, currentCatalogue(*storage), *tables);
    auto summary = importSourceOffers(*storage, fresh);
    double ms = msSince(t0);
    double cpu = cpuMs() - cpu0;
    if (summary.imported != 10'000) {
        std::fprintf(stderr, "only %zu missions imported\n", summary.imported);
        return 1;
    }
    report("engagement_import_10k_ms", ms, "ms");
    // On a shared machine the wall time mostly counts waiting for a core; the CPU time does not.
    report("engagement_import_10k_cpu_ms", cpu, "ms");
    return 0;
}
