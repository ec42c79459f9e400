#include "comptoir/app/kiosk_app.hpp"

#include "comptoir/app/startup.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/platform/platform.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/ui/offer_list.hpp"
#include "comptoir/ui/theme.hpp"
#include "comptoir/ui/widgets.hpp"

#include <cstdio>
#include <imgui.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

namespace comptoir::app {

namespace {

double peakRssMb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

/// Everything one frame needs, built once at start.
struct Screen {
    ui::Look look;
    ui::WidgetRegistry registry;
    ui::OfferListVm offerList;
    ui::OfferListState offerListState;
};

void drawFrame(Screen& screen, platform::Surface& surface, double dt) {
    surface.beginFrame(dt);
    screen.registry.beginFrame();
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    auto intent = ui::drawOfferList(screen.offerList, screen.offerListState, screen.look, screen.registry);
    if (intent.restart) screen.offerListState.scrollToTop = true;
    ImGui::End();
    surface.endFrame();
}

} // namespace

int runKiosk(const Options& options, std::chrono::steady_clock::time_point started) {
    setupLogging();
    auto config = loadConfiguration(options);
    if (!config) return kExitConfig;
    if (options.width > 0) {
        config->width = options.width;
        config->height = options.height;
    }

    store::OpenedDatabase opened = [&] {
        try {
            return prepareDatabase(*config);
        } catch (const std::exception& e) {
            spdlog::critical("cannot prepare the database {}: {}", config->databasePath, e.what());
            throw;
        }
    }();
    if (!options.importFile.empty()) return importCatalogueFile(opened.db, options.importFile) ? 0 : 1;

    Strings strings;
    std::string error;
    if (!strings.load(assetDir() + "/i18n", config->languages.front(), error)) {
        spdlog::critical("{}", error);
        return 1;
    }

    Catalogue catalogue = store::loadCatalogue(opened.db);
    spdlog::info("kiosk {} ready: {} offers in catalogue version {}", config->kioskId, catalogue.offers.size(),
                 catalogue.version);

    std::unique_ptr<platform::Surface> surface;
    platform::Size size{config->width, config->height};
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr; // nothing written behind the agents' back
    if (options.headless) {
        surface = platform::openOffscreen(size, error);
    } else {
        surface = platform::openWindow(config->siteName, size, config->fullscreen, error);
        if (!surface) {
            std::fprintf(stderr,
                         "Aucun écran n'est disponible (%s).\n"
                         "No display is available. To render the kiosk without a display, run:\n"
                         "  comptoir-kiosk --headless --screenshot kiosk.png [--size 1280x800]\n",
                         error.c_str());
            ImGui::DestroyContext();
            return 1;
        }
    }
    if (!surface) {
        spdlog::critical("cannot create the offscreen surface: {}", error);
        ImGui::DestroyContext();
        return 1;
    }

    Screen screen;
    screen.look.palette = ui::warmPalette();
    screen.look.scale = static_cast<float>(surface->size().height) / 800.0f * static_cast<float>(config->scale);
    if (!ui::loadFonts(screen.look, error)) {
        spdlog::critical("{}", error);
        return 1;
    }
    surface->reloadFonts();
    ui::applyStyle(screen.look);
    screen.offerList = ui::buildOfferListVm(catalogue, strings, config->siteName);
    catalogue = Catalogue{}; // the view-model holds what the screen needs

    int exitCode = 0;
    if (options.headless) {
        // Two frames: the first lays out, the second draws with settled sizes.
        drawFrame(screen, *surface, 1.0 / 60.0);
        drawFrame(screen, *surface, 1.0 / 60.0);
        if (!surface->savePng(options.screenshot, error)) {
            spdlog::error("cannot write the screenshot: {}", error);
            exitCode = 1;
        }
        if (options.timing) {
            auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            std::printf("startup_to_first_frame_ms %.1f ms\npeak_rss_mb %.1f MB\n", ms, peakRssMb());
        }
    } else {
        // Event-driven: draw a few frames after any input (Dear ImGui settles press/release over
        // frames), then sleep in SDL_WaitEventTimeout so an untouched kiosk uses no CPU.
        int pendingFrames = 2;
        auto last = std::chrono::steady_clock::now();
        bool firstFrame = true;
        for (;;) {
            auto pump = surface->pump(pendingFrames > 0 ? 0 : 1000);
            if (pump.quit) break;
            if (pump.hadInput) pendingFrames = 3;
            if (pendingFrames <= 0) continue;
            auto now = std::chrono::steady_clock::now();
            drawFrame(screen, *surface, std::chrono::duration<double>(now - last).count());
            last = now;
            --pendingFrames;
            if (ImGui::IsAnyMouseDown()) pendingFrames = std::max(pendingFrames, 1); // dragging: keep drawing
            if (firstFrame && options.timing) {
                auto ms = std::chrono::duration<double, std::milli>(now - started).count();
                std::printf("startup_to_first_frame_ms %.1f ms\n", ms);
                std::fflush(stdout);
            }
            firstFrame = false;
        }
    }
    surface.reset();
    ImGui::DestroyContext();
    return exitCode;
}

} // namespace comptoir::app
