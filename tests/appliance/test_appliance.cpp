// The kiosk as an appliance, on this machine, as root: the .deb packages built from this tree
// are installed with dpkg, the installed programs run from their installed paths (no
// environment variable), the installed kiosk runs in a real cage session on wlroots' headless
// backend and grim photographs its screen; then an upgrade keeps configuration and data, a
// removal keeps data, a purge removes it. Fictional people only.
#include "comptoir/platform/platform.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <thread>

using namespace comptoir;
using namespace comptoir::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string q(const std::string& s) {
    return "'" + s + "'";
}

int run(const std::string& command, std::string& out) {
    int rc = runCommand(command, out);
    UNSCOPED_INFO("$ " << command << "\n" << out);
    return rc;
}

/// Purges both packages when the test ends, whatever happened: the machine is left as found.
struct PurgeOnExit {
    ~PurgeOnExit() {
        std::string out;
        (void)runCommand("dpkg --purge comptoir-kiosk comptoir-central", out);
    }
};

/// Welcome-screen colours in an RGBA picture: the warm cream background and the terracotta header.
struct Colours {
    std::size_t cream = 0, terracotta = 0, total = 0;
};
Colours welcomeColours(const std::string& png) {
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgba;
    std::string err;
    Colours c;
    if (!platform::readPng(png, w, h, rgba, err)) return c;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
        auto near = [&](int r, int g, int b) {
            return std::abs(rgba[i] - r) <= 3 && std::abs(rgba[i + 1] - g) <= 3 &&
                   std::abs(rgba[i + 2] - b) <= 3;
        };
        if (near(253, 246, 236)) ++c.cream;
        if (near(170, 66, 46)) ++c.terracotta; // the header band (ui::warmPalette().header)
        ++c.total;
    }
    return c;
}

std::string packageFile(const fs::path& dir, const std::string& name) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(name + "_", 0) == 0 && e.path().extension() == ".deb")
            return e.path().string();
    return {};
}

} // namespace

TEST_CASE(
    "packages: build, lintian, install, run from installed paths, cage session, upgrade, remove, purge") {
    const char* cpackConfig = std::getenv("COMPTOIR_CPACK_CONFIG");
    REQUIRE(cpackConfig);
    TempDir dir;
    std::string out;
    fs::permissions(dir.path(), fs::perms::all); // the kiosk's user writes its pictures here
    PurgeOnExit purge;

    // ---- build (from this tree: nothing is compiled again) and lint ----
    const auto pkgDir = dir.path() / "packages";
    REQUIRE(run("cpack -G DEB --config " + q(cpackConfig) + " -B " + q(pkgDir.string()), out) == 0);
    const std::string kiosk = packageFile(pkgDir, "comptoir-kiosk");
    const std::string central = packageFile(pkgDir, "comptoir-central");
    REQUIRE_FALSE(kiosk.empty());
    REQUIRE_FALSE(central.empty());
    REQUIRE(run("dpkg-deb -f " + q(kiosk) + " Depends", out) == 0);
    // Debian package names, so that apt install ./comptoir-kiosk_*.deb pulls them.
    for (const char* dep : {"cage", "xwayland", "fonts-noto-core", "adduser", "libsdl2-2.0-0", "libsqlite3-0",
                            "libsodium23", "libsystemd0", "libcurl4"})
        CHECK_THAT(out, Catch::Contains(dep));
    REQUIRE(run("dpkg-deb -I " + q(kiosk) + " conffiles", out) == 0);
    CHECK_THAT(out, Catch::Contains("/etc/comptoir/kiosk.toml"));
    CHECK(run("lintian --fail-on error " + q(kiosk) + " " + q(central), out) == 0);

    // ---- install ----
    REQUIRE(run("dpkg -i " + q(kiosk) + " " + q(central), out) == 0);
    for (const char* f :
         {"/usr/bin/comptoir-kiosk", "/usr/bin/comptoir-sync", "/usr/bin/comptoir-central",
          "/usr/share/comptoir/i18n/fr.json", "/usr/share/comptoir/catalogue/demo.json",
          "/etc/comptoir/kiosk.toml", "/lib/systemd/system/comptoir-kiosk.service",
          "/lib/systemd/system/comptoir-kiosk-fallback.service", "/lib/systemd/system/comptoir-sync.timer",
          "/usr/lib/comptoir/kiosk-session", "/lib/systemd/system/comptoir-central.service",
          "/usr/share/doc/comptoir-central/examples/comptoir-central.conf"})
        CHECK(fs::exists(f));
    REQUIRE(run("id -u comptoir && id -u comptoir-central", out) == 0);
    struct stat st {};
    REQUIRE(::stat("/var/lib/comptoir", &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(::stat("/var/lib/comptoir-central", &st) == 0);

    // ---- the installed programs, from their installed paths, with no environment variable ----
    const std::string asKiosk = "runuser -u comptoir -- env -i PATH=/usr/bin:/bin ";
    // The packaged configuration names a server: the kiosk needs its first agent before it starts.
    REQUIRE(
        run("printf '%s\\n%s\\n' 73910462 73910462 | " + asKiosk + "comptoir-kiosk agent add 'Camille Test'",
            out) == 0);
    CHECK(fs::exists("/var/lib/comptoir/comptoir.db"));
    const std::string shot = dir.file("installed.png");
    REQUIRE(run(asKiosk + "comptoir-kiosk --headless --screenshot " + q(shot) + " --size 800x500 2>&1",
                out) == 0);
    CHECK_THAT(out, Catch::Contains("assets: /usr/share/comptoir"));
    auto rendered = welcomeColours(shot);
    CHECK(rendered.cream > rendered.total / 2);
    CHECK(rendered.terracotta > 1000);
    REQUIRE(run(asKiosk + "comptoir-sync status --json", out) == 0);
    auto status = nlohmann::json::parse(out.substr(out.find('{')));
    CHECK(status["kiosk_id"] == "angers-centre-01");
    CHECK(status["events_waiting"] == 0);
    REQUIRE(run("comptoir-central --help", out) == 0);
    CHECK_THAT(out, Catch::Contains("comptoir-central serve"));

    // ---- the real session: cage on wlroots' headless backend runs the installed kiosk ----
    {
        const std::string runtime = dir.file("xdg");
        fs::create_directories(runtime);
        REQUIRE(run("chown comptoir:comptoir " + q(runtime) + " && chmod 0700 " + q(runtime), out) == 0);
        const std::string env = "env -i PATH=/usr/bin:/bin XDG_RUNTIME_DIR=" + q(runtime) +
                                " WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman"
                                " WLR_HEADLESS_OUTPUTS=1 SDL_VIDEODRIVER=wayland SDL_AUDIODRIVER=dummy ";
        const std::string session = dir.file("session.log");
        // cage starts Xwayland, whose sockets go in /tmp/.X11-unix: a private tmpfs there (its own
        // mount namespace) keeps this machine's X displays out of reach and unchanged.
        REQUIRE(run("mkdir -p -m 1777 /tmp/.X11-unix", out) == 0);
        REQUIRE(run("setsid unshare --mount --propagation private sh -c \"mount -t tmpfs -o mode=1777 tmpfs "
                    "/tmp/.X11-unix && runuser -u comptoir -- " +
                        env + "/usr/lib/comptoir/kiosk-session; echo session-exit=\\$?\" > " + q(session) +
                        " 2>&1 & echo $! > " + q(dir.file("cage.pid")),
                    out) == 0);
        const std::string grimShot = dir.file("session.png");
        Colours seen;
        auto until = std::chrono::steady_clock::now() + 60s;
        while (std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(1s);
            std::string socket;
            for (const auto& e : fs::directory_iterator(runtime))
                if (e.path().filename().string().rfind("wayland-", 0) == 0 && e.path().extension() != ".lock")
                    socket = e.path().filename().string();
            if (socket.empty()) continue;
            std::string grimOut;
            if (runCommand("runuser -u comptoir -- env -i XDG_RUNTIME_DIR=" + q(runtime) +
                               " WAYLAND_DISPLAY=" + socket + " grim " + q(grimShot),
                           grimOut) != 0)
                continue;
            seen = welcomeColours(grimShot);
            if (seen.terracotta > 1000 && seen.cream > seen.total / 2) break;
        }
        // The whole session (unshare, runuser, cage, the kiosk) is one process group. A crash of the
        // kiosk must end the session with the kiosk's status (cage alone exits 0: systemd would
        // read "Deactivated successfully" and never say the kiosk failed).
        const std::string group = std::to_string(std::stol(readFile(dir.file("cage.pid"))));
        (void)runCommand("pkill -SEGV -g " + group + " -x comptoir-kiosk", out);
        for (int i = 0; i < 30 && readFile(session).find("session-exit=") == std::string::npos; ++i)
            std::this_thread::sleep_for(500ms);
        (void)runCommand(
            "/bin/kill -TERM -- -" + group + "; sleep 1; /bin/kill -KILL -- -" + group + " 2>/dev/null", out);
        const std::string sessionLog = readFile(session);
        INFO(sessionLog);
        CHECK(seen.total > 0);
        CHECK(seen.cream > seen.total / 2);
        CHECK(seen.terracotta > 1000);
        CHECK_THAT(sessionLog, Catch::Contains("the kiosk was ended by signal 11 (SEGV)"));
        CHECK_THAT(sessionLog, Catch::Contains("session-exit=139"));
    }

    // ---- upgrade (the same version again): configuration and data kept, a restart requested ----
    test::writeFile("/etc/comptoir/kiosk.toml", readFile("/etc/comptoir/kiosk.toml") + "# changed on site\n");
    REQUIRE(run("dpkg -i " + q(kiosk), out) == 0);
    CHECK_THAT(readFile("/etc/comptoir/kiosk.toml"), Catch::Contains("# changed on site"));
    REQUIRE(run(asKiosk + "comptoir-kiosk agent list", out) == 0);
    CHECK_THAT(out, Catch::Contains("Camille Test"));
    CHECK(fs::exists("/var/lib/comptoir/restart-requested"));

    // ---- remove keeps the data; purge removes it ----
    REQUIRE(run("dpkg --remove comptoir-kiosk", out) == 0);
    CHECK_FALSE(fs::exists("/usr/bin/comptoir-kiosk"));
    CHECK(fs::exists("/var/lib/comptoir/comptoir.db"));
    REQUIRE(run("dpkg --purge comptoir-kiosk comptoir-central", out) == 0);
    CHECK_FALSE(fs::exists("/var/lib/comptoir"));
    CHECK_FALSE(fs::exists("/var/lib/comptoir-central"));
    CHECK_FALSE(fs::exists("/etc/comptoir"));
}
