#include "comptoir/app/kiosk_app.hpp"

#include "comptoir/store/offers_onsite.hpp"

#include "comptoir/app/fallback.hpp"
#include "comptoir/app/restart_request.hpp"
#include "comptoir/app/script.hpp"
#include "comptoir/app/session.hpp"
#include "comptoir/app/startup.hpp"
#include "comptoir/domain/i18n.hpp"
#include "comptoir/platform/platform.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/sync/job.hpp"
#include "comptoir/sync/worker.hpp"
#include "comptoir/system/notify.hpp"

#include <cstdio>
#include <fstream>
#include <imgui.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

namespace comptoir::app {

namespace {

double peakRssMb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

/// Owns the Dear ImGui context for the lifetime of a run.
struct ImGuiContextGuard {
    ImGuiContextGuard() {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr; // nothing written behind the agents' back
    }
    ~ImGuiContextGuard() { ImGui::DestroyContext(); }
};

int runHeadless(const Options& options, KioskSession& session,
                std::chrono::steady_clock::time_point started) {
    if (!options.script.empty()) {
        std::ifstream in(options.script);
        if (!in) {
            std::fprintf(stderr, "comptoir-kiosk: cannot read the script %s\n", options.script.c_str());
            return 2;
        }
        auto r = runScript(session, in);
        if (!r.ok) {
            std::fprintf(stderr, "%s:%d: %s\n  %s\n", options.script.c_str(), r.line, r.message.c_str(),
                         r.text.c_str());
            return 1;
        }
        std::printf("script %s: every line passed\n", options.script.c_str());
    }
    if (!options.screenshot.empty()) {
        session.frame(1.0 / 60.0);
        // What a visitor waits for ends here; encoding the PNG is the test harness's cost.
        auto firstFrameMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        double rssMb = peakRssMb(); // the kiosk's own peak, before the PNG encoder's buffers
        session.frame(1.0 / 60.0);  // a second frame, with sizes settled, for the picture
        std::string error;
        if (!session.surface().savePng(options.screenshot, error)) {
            spdlog::error("cannot write the screenshot: {}", error);
            return 1;
        }
        if (options.timing)
            std::printf("startup_to_first_frame_ms %.1f ms\npeak_rss_mb %.1f MB\n", firstFrameMs, rssMb);
    }
    return 0;
}

/// The surface the options ask for: offscreen (headless) or a window; nullptr after saying why.
std::unique_ptr<platform::Surface> openSurface(const Options& options, const KioskConfig& config) {
    platform::Size size{config.width, config.height};
    std::string error;
    if (options.headless) {
        auto surface = platform::openOffscreen(size, error);
        if (!surface) spdlog::critical("cannot create the offscreen surface: {}", error);
        return surface;
    }
    auto surface = platform::openWindow(config.siteName, size, config.fullscreen, error);
    if (!surface)
        std::fprintf(stderr,
                     "Aucun écran n'est disponible (%s).\n"
                     "No display is available. To render the kiosk without a display, run:\n"
                     "  comptoir-kiosk --headless --screenshot kiosk.png [--size 1280x800]\n",
                     error.c_str());
    return surface;
}

bool loadStrings(Strings& strings) {
    std::string error;
    const std::string assets = assetDir();
    spdlog::info("assets: {}", assets);
    // French is the source catalogue; the other languages come from their .mo files later.
    if (strings.load(assets + "/i18n", "fr", error)) return true;
    spdlog::critical("{}", error);
    return false;
}

int runFallbackSession(const Options& options, const KioskConfig& config) {
    Strings strings;
    if (!loadStrings(strings)) return 1;
    ImGuiContextGuard imgui;
    auto surface = openSurface(options, config);
    if (!surface) return 1;
    return runFallback(options, config, strings, *surface);
}

} // namespace

std::unique_ptr<sync::SyncWorker> startSync(const KioskConfig& config) {
    if (config.serverUrl.empty()) {
        spdlog::info("no server configured: the kiosk works offline, events wait in the outbox");
        return nullptr;
    }
    std::string error;
    auto http = sync::httpOptionsFromConfig(config, error);
    if (!http) {
        spdlog::warn("sync disabled: {}", error);
        return nullptr;
    }
    sync::WorkerOptions wo;
    wo.databasePath = config.databasePath;
    wo.lockPath = sync::lockPath(config);
    wo.mediaDir = sync::mediaDir(config);
    wo.kioskId = config.kioskId;
    wo.http = *http;
    return std::make_unique<sync::SyncWorker>(std::move(wo));
}

bool keepOpenOnClose(bool fullscreen) {
    if (fullscreen) spdlog::info("window close ignored: a fullscreen kiosk is closed from agent mode");
    return fullscreen;
}

namespace {

/// The main loop's exit code when an update asked for a restart (0: systemd starts it again).
constexpr int kExitRestartForUpdate = 0;

int runWindow(const Options& options, KioskSession& session, platform::Surface& surface,
              std::chrono::steady_clock::time_point started, store::Database& db, sync::SyncWorker* worker,
              RestartRequest& restart) {
    std::uint64_t swapsSeen = worker ? worker->status().catalogueSwaps : 0;
    // systemd's watchdog is fed after frames only: a frozen loop stops the pings and is restarted.
    // An untouched kiosk still draws one frame per half interval (a few ms every 15 s).
    system::Notifier notifier;
    const auto heartbeat = notifier.maxSleep();
    auto lastFrameAt = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::time_point> lastInput;
    // Event-driven: draw a few frames after any input (Dear ImGui settles a press over frames),
    // keep drawing while something moves, otherwise sleep in SDL_WaitEventTimeout until the next
    // input or timer: an untouched kiosk uses no CPU.
    int pendingFrames = 2;
    auto last = std::chrono::steady_clock::now();
    bool firstFrame = true;
    for (;;) {
        int waitMs = 0;
        if (pendingFrames <= 0 && !session.animating())
            waitMs = static_cast<int>(
                std::clamp(session.secondsUntilTimer() * 1000.0, 1.0, worker ? 5000.0 : 60000.0));
        // Wake at least every 5 s to look for an update's restart request (no frame drawn).
        waitMs = std::min(waitMs, 5000);
        if (heartbeat.count() > 0) waitMs = std::min<int>(waitMs, static_cast<int>(heartbeat.count()));
        auto pump = surface.pump(waitMs);
        if (pump.quit) break;
        if (pump.closeRequested && !keepOpenOnClose(surface.fullscreen())) break;
        if (worker) {
            // The worker swapped a newer catalogue into the database: read it on this thread and
            // let the session show it when nobody is in the middle of a journey.
            auto status = worker->status();
            if (status.catalogueSwaps != swapsSeen) {
                swapsSeen = status.catalogueSwaps;
                session.offerCatalogue(store::shownCatalogue(db));
                pendingFrames = std::max(pendingFrames, 1);
            }
        }
        auto now = std::chrono::steady_clock::now();
        bool timerDue =
            session.secondsUntilTimer() <= 0.001 + std::chrono::duration<double>(now - last).count();
        if (pump.hadInput) pendingFrames = 3;
        if (restart.due(session.atRest(), lastInput, now)) {
            notifier.stopping();
            return kExitRestartForUpdate;
        }
        bool heartbeatDue = heartbeat.count() > 0 && now - lastFrameAt >= heartbeat;
        if (pendingFrames <= 0 && !session.animating() && !timerDue && !heartbeatDue) continue;
        session.frame(std::chrono::duration<double>(now - last).count());
        last = now;
        lastFrameAt = std::chrono::steady_clock::now();
        if (firstFrame) notifier.ready("welcome screen shown");
        notifier.framed(lastFrameAt);
        if (pendingFrames > 0) --pendingFrames;
        if (ImGui::IsAnyMouseDown()) {
            pendingFrames = std::max(pendingFrames, 1); // dragging: keep drawing
            lastInput = now; // a finger (not a window event): an update waits a minute more
        }
        // Leaving the kiosk or its fullscreen is an agent's action, asked from agent mode.
        if (session.agent().takeQuitRequest()) {
            spdlog::info("kiosk closed by an agent");
            break;
        }
        if (session.agent().takeFullscreenToggle()) {
            surface.setFullscreen(!surface.fullscreen());
            pendingFrames = std::max(pendingFrames, 2);
        }
        session.agent().setFullscreen(surface.fullscreen());
        if (firstFrame && options.timing) {
            std::printf("startup_to_first_frame_ms %.1f ms\n",
                        std::chrono::duration<double, std::milli>(now - started).count());
            std::fflush(stdout);
        }
        firstFrame = false;
    }
    notifier.stopping();
    return 0;
}

} // namespace

int runKiosk(const Options& options, std::chrono::steady_clock::time_point started) {
    const auto processStart =
        std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                               std::chrono::steady_clock::now() - started);
    setupLogging();
    // The kiosk lives within 64 MB for months: blocks of 128 KiB and more (catalogue vectors,
    // an inbox, the frame's pixels) are mapped apart and handed back when freed, and the threads
    // share two arenas. glibc's defaults raise that threshold after each such free, so big blocks
    // later land in the heap, which never shrinks past what is still in use above them.
    if (mallopt(M_MMAP_THRESHOLD, 128 * 1024) != 1 || mallopt(M_TRIM_THRESHOLD, 128 * 1024) != 1 ||
        mallopt(M_ARENA_MAX, 2) != 1)
        spdlog::warn("memory: the allocator's settings were refused; the kiosk may use more memory");
    auto config = loadConfiguration(options);
    if (!config) return kExitConfig;
    if (options.width > 0) {
        config->width = options.width;
        config->height = options.height;
    }
    if (options.fallback) return runFallbackSession(options, *config);

    std::optional<store::OpenedDatabase> prepared;
    try {
        prepared.emplace(prepareDatabase(*config));
    } catch (const StartupError& e) {
        std::fprintf(stderr, "comptoir-kiosk: %s\n", e.what());
        return kExitConfig;
    } catch (const std::exception& e) {
        spdlog::critical("cannot prepare the database {}: {}", config->databasePath, e.what());
        throw;
    }
    store::OpenedDatabase& opened = *prepared;
    if (!options.importFile.empty())
        return importCatalogueFile(opened.db, options.importFile, options.withdrawAll) ? 0 : 1;

    Strings strings;
    if (!loadStrings(strings)) return 1;
    auto stage = [&](const char* what) {
        spdlog::debug(
            "start-up: {} after {:.1f} ms", what,
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    };
    stage("database ready");
    // Its pages stay in the system's file cache anyway: SQLite's own cache (2 MB by default) is
    // kept to 512 KiB on the kiosk's connection, read by start-up and the agent's screens.
    opened.db.exec("PRAGMA cache_size = -512", "bound the page cache");
    Catalogue catalogue = store::shownCatalogue(opened.db);
    stage("catalogue loaded");
    spdlog::info("kiosk {} ready: {} offers in catalogue version {}", config->kioskId,
                 catalogue.offers.size(), catalogue.version);

    ImGuiContextGuard imgui;
    auto surface = openSurface(options, *config);
    if (!surface) return 1;
    int rc = 0;
    {
        // The sync worker (windowed only) outlives the session: the record writer nudges it.
        auto worker = options.headless ? nullptr : startSync(*config);
        auto writerOptions = recordWriterOptions(*config);
        writerOptions.onImported = [w = worker.get()] {
            if (w) w->nudge(); // records that waited in the save spool are in the outbox now
        };
        KioskSession session(*config, opened.db, strings, *surface, std::move(catalogue), !options.headless,
                             std::make_unique<RecordWriter>(std::move(writerOptions)));
        // The other languages offered, in the configured order; one that cannot be read is
        // left off the language button (French always works).
        for (const auto& lang : config->languages) {
            if (lang == "fr") continue;
            Strings other;
            std::string error;
            if (other.load(assetDir() + "/i18n", localeDir(), lang, error))
                session.addLanguage(std::move(other));
            else
                spdlog::warn("language {} not offered: {}", lang, error);
        }
        stage("languages loaded");
        stage("session ready");
        if (options.headless) {
            rc = runHeadless(options, session, started);
        } else {
            session.onRecorded = [w = worker.get()] {
                if (w) w->nudge(); // push soon after a registration when the server is reachable
            };
            session.agent().setWorker(worker.get());
            // Lowered at night when the kiosk's user may write it ([display] night).
            if (config->night.set()) session.setBacklight(std::make_unique<system::Backlight>());
            RestartRequest restart(config->dataDir + "/" + kRestartFlag, processStart);
            rc = runWindow(options, session, *surface, started, opened.db, worker.get(), restart);
        }
    }
    surface.reset();
    return rc;
}

} // namespace comptoir::app
