// comptoir-bench-ui: time per frame of the offer list with 10,000 offers at 1920x1080, our
// software rasteriser, while a finger scrolls it: the CPU time of all the process's threads (the
// work, whichever core does it) and the wall-clock time (what the visitor waits for, with the
// rasteriser's bands drawn on every core).
//   comptoir-bench-ui CATALOGUE_10K.json WORK_DIR
#include "bench_kiosk.hpp"
#include "bench_util.hpp"
#include "comptoir/app/session.hpp"
#include "comptoir/app/startup.hpp"
#include "comptoir/store/catalogue_repo.hpp"

#include <ctime>
#include <filesystem>
#include <imgui.h>

using namespace comptoir;
using namespace comptoir::bench;

namespace {
double clockMs(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Samples {
    std::vector<double> cpu, wall;
    template <class F> void measure(F frame) {
        double cpu0 = clockMs(CLOCK_PROCESS_CPUTIME_ID), wall0 = clockMs(CLOCK_MONOTONIC);
        frame();
        cpu.push_back(clockMs(CLOCK_PROCESS_CPUTIME_ID) - cpu0);
        wall.push_back(clockMs(CLOCK_MONOTONIC) - wall0);
    }
};
} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: comptoir-bench-ui CATALOGUE.json WORK_DIR\n");
        return 2;
    }
    app::setupLogging(); // stderr: stdout carries the figures only
    KioskBench bench;
    if (!openKioskBench(argv, bench)) return 1;
    const KioskConfig& config = bench.config;
    auto& opened = *bench.opened;
    const Strings& strings = bench.french;
    std::string error;
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    {
        auto surface = platform::openOffscreen({1920, 1080}, error);
        if (!surface) return 1;
        app::KioskSession session(config, opened.db, strings, *surface, store::loadCatalogue(opened.db));
        session.state().go(ui::Screen::Offers);
        ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < 5; ++i)
            session.frame(1.0 / 60.0);
        Samples samples;
        auto frame = [&session] { session.frame(1.0 / 60.0); };
        // Fling the list up and down: press, drag 600 px over 20 frames, release, glide.
        for (int gesture = 0; gesture < 12; ++gesture) {
            float dir = gesture % 2 == 0 ? -1.0f : 1.0f;
            for (int f = 0; f <= 20; ++f) {
                io.MousePos = ImVec2(900, 600 + dir * (static_cast<float>(f) * 30.0f - 300.0f));
                io.MouseDown[0] = true;
                samples.measure(frame);
            }
            io.MouseDown[0] = false;
            for (int f = 0; f < 30; ++f)
                samples.measure(frame);
        }
        report("browse_frame_cpu_p50_ms", percentile(samples.cpu, 50), "ms");
        report("browse_frame_cpu_p99_ms", percentile(samples.cpu, 99), "ms");
        report("browse_frame_wall_p50_ms", percentile(samples.wall, 50), "ms");
        report("browse_frame_wall_p99_ms", percentile(samples.wall, 99), "ms");
    }
    ImGui::DestroyContext();
    return 0;
}
