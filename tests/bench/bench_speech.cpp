// comptoir-bench-speech: tts_first_audio_ms, from the frame in which a finger taps "Écouter" (or
// "Répéter") to the first samples handed to the sound card, on the real kiosk session at
// 1920x1080 with SDL's dummy audio driver (it consumes sound at a real card's pace). The median
// over several screens and repeats; synthesis runs on its own thread, the frame never waits.
//   comptoir-bench-speech CATALOGUE.json WORK_DIR
#include "bench_kiosk.hpp"
#include "bench_util.hpp"
#include "comptoir/app/script.hpp"
#include "comptoir/app/session.hpp"
#include "comptoir/app/startup.hpp"
#include "comptoir/store/catalogue_repo.hpp"

#include <cstdlib>
#include <filesystem>
#include <imgui.h>
#include <sstream>
#include <thread>

using namespace comptoir;
using namespace comptoir::bench;

namespace {
bool run(app::KioskSession& session, const std::string& script) {
    std::istringstream in(script);
    auto r = app::runScript(session, in);
    if (!r.ok) std::fprintf(stderr, "comptoir-bench-speech: line %d: %s\n", r.line, r.message.c_str());
    return r.ok;
}
} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-speech CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    app::setupLogging();
    setenv("SDL_AUDIODRIVER", "dummy", 0); // a real card is used when the caller names one
    KioskBench bench;
    if (!openKioskBench(argv, bench)) return 1;
    const KioskConfig& config = bench.config;
    auto& opened = *bench.opened;
    const Strings& strings = bench.french;
    std::string error;
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    std::vector<double> samples;
    {
        auto surface = platform::openOffscreen({1920, 1080}, error);
        if (!surface) return 1;
        app::KioskSession session(config, opened.db, strings, *surface, store::loadCatalogue(opened.db),
                                  true);
        // Three screens: the welcome, an offer's detail (long), the first question of the guided choice.
        const std::vector<std::string> toScreen = {
            "", "tap \"Découvrir les offres\"\ntap \"Chercher une offre\"\ntype jardin\n",
            "tap \"Je ne sais pas quoi choisir\"\n"};
        for (const auto& go : toScreen) {
            if (session.state().screen != ui::Screen::Welcome && !run(session, "tap \"Recommencer\"\n"))
                return 1;
            if (!go.empty() && !run(session, go)) return 1;
            if (go.find("jardin") != std::string::npos) {
                const auto& results = session.state().results;
                if (results.empty()) return 1;
                if (!run(session, "tap \"" + session.data().cards[results.front()].title + "\"\n")) return 1;
            }
            for (int i = 0; i < 5; ++i) {
                const std::string button = session.speechChoice().on ? "Répéter" : "Écouter";
                auto t0 = Clock::now();
                if (!run(session, "tap \"" + button + "\"\n")) return 1;
                while (!session.speech().lastFirstAudioMs() && msSince(t0) < 10000)
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                if (!session.speech().lastFirstAudioMs()) {
                    std::fprintf(stderr, "comptoir-bench-speech: no audio (status %d)\n",
                                 static_cast<int>(session.speech().status()));
                    return 1;
                }
                samples.push_back(msSince(t0));
                std::this_thread::sleep_for(std::chrono::milliseconds(300)); // let it speak a little
            }
        }
    }
    ImGui::DestroyContext();
    report("tts_first_audio_ms", percentile(samples, 50), "ms");
    report("tts_first_audio_p95_ms", percentile(samples, 95), "ms");
    return 0;
}
