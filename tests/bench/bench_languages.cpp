// comptoir-bench-languages: language_switch_ms — from the finger leaving a language in the
// language list to the next frame drawn in that language, on the offer list with 10,000 offers
// at 1920x1080 (the cards are prepared again in the new language); and font_atlas_mb, what the
// Latin + Cyrillic + Arabic font atlas costs in memory.
//   comptoir-bench-languages CATALOGUE_10K.json WORK_DIR
#include "bench_kiosk.hpp"
#include "bench_util.hpp"
#include "comptoir/app/script.hpp"
#include "comptoir/app/session.hpp"
#include "comptoir/app/startup.hpp"
#include "comptoir/store/catalogue_repo.hpp"

#include <ctime>
#include <filesystem>
#include <imgui.h>

using namespace comptoir;
using namespace comptoir::bench;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-languages CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    app::setupLogging(); // stderr: stdout carries the figures only
    KioskBench bench;
    if (!openKioskBench(argv, bench)) return 1;
    const KioskConfig& config = bench.config;
    auto& opened = *bench.opened;
    const Strings& french = bench.french;
    std::string error;
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    {
        auto surface = platform::openOffscreen({1920, 1080}, error);
        if (!surface) return 1;
        app::KioskSession session(config, opened.db, french, *surface, store::loadCatalogue(opened.db));
        const char* langs[] = {"en", "es", "ar", "uk", "fr"};
        for (const char* l : {"en", "es", "ar", "uk"}) {
            Strings s;
            if (!s.load(app::assetDir() + "/i18n", app::localeDir(), l, error)) {
                std::fprintf(stderr, "%s\n", error.c_str());
                return 1;
            }
            session.addLanguage(std::move(s));
        }
        session.state().go(ui::Screen::Offers);
        ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < 5; ++i)
            session.frame(1.0 / 60.0);
        std::vector<double> samples, cpu;
        for (int round = 0; round < 4; ++round)
            for (const char* target : langs) {
                // Open the list with the language button (named in the current language).
                if (!app::tapLabel(session, french.get("language.name." + session.language()))) return 1;
                const auto* w = session.registry().find(french.get("language.name." + std::string(target)));
                if (!w) return 1;
                io.MousePos = ImVec2((w->min.x + w->max.x) * 0.5f, (w->min.y + w->max.y) * 0.5f);
                io.MouseDown[0] = true;
                session.frame(1.0 / 60.0);
                auto t0 = Clock::now();
                double c0 = cpuMs();
                io.MouseDown[0] = false;
                session.frame(1.0 / 60.0); // the tap is taken, the language switched after this frame
                session.frame(1.0 / 60.0); // the next frame, drawn in the new language
                samples.push_back(msSince(t0));
                cpu.push_back(cpuMs() - c0);
                io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
                if (session.language() != target) {
                    std::fprintf(stderr, "the tap did not switch to %s\n", target);
                    return 1;
                }
            }
        report("language_switch_ms", percentile(samples, 50), "ms");
        report("language_switch_p99_ms", percentile(samples, 99), "ms");
        // The same switches in CPU time of all the process's threads: the work, whatever the load.
        report("language_switch_cpu_ms", percentile(cpu, 50), "ms");
        ImFontAtlas* atlas = io.Fonts;
        // One byte a texel in our rasteriser (alpha); a GPU renderer uploads four.
        report("font_atlas_mb",
               static_cast<double>(atlas->TexWidth) * static_cast<double>(atlas->TexHeight) / 1e6, "MB");
    }
    ImGui::DestroyContext();
    return 0;
}
