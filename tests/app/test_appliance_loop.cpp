// The kiosk as a supervised program: readiness and watchdog pings to systemd's notify socket,
// restart requests from a package upgrade honoured only at rest, the fallback pause screen.
// A real kiosk process with SDL's offscreen video driver stands in for the cage session.
#include "comptoir/app/restart_request.hpp"
#include "comptoir/platform/platform.hpp"
#include "comptoir/system/journal.hpp"
#include "comptoir/system/notify.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace comptoir;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

extern char** environ;

namespace {

/// A datagram socket bound where $NOTIFY_SOCKET will point, as systemd's.
class NotifySocket {
  public:
    explicit NotifySocket(const std::string& path) : m_path(path) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        REQUIRE(path.size() < sizeof addr.sun_path);
        std::copy(path.begin(), path.end(), addr.sun_path);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~NotifySocket() { ::close(m_fd); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;
    /// The next message, or empty when none came within `timeout`.
    std::string receive(std::chrono::milliseconds timeout) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
        char buf[512];
        auto n = ::recv(m_fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    }

  private:
    std::string m_path;
    int m_fd = -1;
};

/// Sets environment variables for this scope (the Notifier reads them when constructed).
struct ScopedEnv {
    std::vector<std::string> names;
    ScopedEnv(std::initializer_list<std::pair<const char*, std::string>> vars) {
        for (const auto& [n, v] : vars) {
            ::setenv(n, v.c_str(), 1);
            names.emplace_back(n);
        }
    }
    ~ScopedEnv() {
        for (const auto& n : names)
            ::unsetenv(n.c_str());
    }
};

/// A running comptoir-kiosk (windowed, SDL's offscreen driver); killed if still running at the end.
struct KioskProcess {
    pid_t pid = -1;
    KioskProcess(const std::vector<std::string>& args, const std::vector<std::string>& env) {
        std::vector<char*> argv, envp;
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        for (const auto& e : env)
            envp.push_back(const_cast<char*>(e.c_str()));
        envp.push_back(nullptr);
        REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) == 0);
    }
    /// The exit code once it ended within `timeout`; nullopt while it runs.
    std::optional<int> waitExit(std::chrono::milliseconds timeout) {
        auto until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            if (std::chrono::steady_clock::now() >= until) return std::nullopt;
            std::this_thread::sleep_for(50ms);
        }
    }
    ~KioskProcess() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            int status = 0;
            ::waitpid(pid, &status, 0);
        }
    }
};

std::vector<std::string> kioskEnv(const test::TempDir& dir, const std::string& socket) {
    std::vector<std::string> env{"SDL_VIDEODRIVER=offscreen", "SDL_AUDIODRIVER=dummy",
                                 "NOTIFY_SOCKET=" + socket, "WATCHDOG_USEC=2000000",
                                 "HOME=" + dir.file("home")};
    for (const char* keep : {"PATH", "COMPTOIR_ASSETS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
        if (const char* v = std::getenv(keep)) env.push_back(std::string(keep) + "=" + v);
    // As in test_kiosk_cli's windowed test: SDL's video stack keeps allocations of the drivers it
    // dlopens past exit; our own code is leak-checked by the other tests.
    const char* asan = std::getenv("ASAN_OPTIONS");
    env.push_back(std::string("ASAN_OPTIONS=") + (asan ? std::string(asan) + ":" : "") + "detect_leaks=0");
    return env;
}

} // namespace

TEST_CASE("systemd notify: READY once, then WATCHDOG only after frames, at most every quarter interval") {
    test::TempDir dir;
    NotifySocket sock(dir.file("notify"));
    ScopedEnv env({{"NOTIFY_SOCKET", dir.file("notify")}, {"WATCHDOG_USEC", "2000000"}});
    system::Notifier notifier;
    REQUIRE(notifier.active());
    CHECK(notifier.watchdogInterval() == 2s);
    CHECK(notifier.maxSleep() == 1s);
    notifier.ready("welcome screen shown");
    CHECK(sock.receive(2s) == "READY=1\nSTATUS=welcome screen shown");
    auto t0 = std::chrono::steady_clock::now();
    notifier.framed(t0);
    CHECK(sock.receive(2s) == "WATCHDOG=1");
    notifier.framed(t0 + 100ms); // too soon after the last ping: nothing
    CHECK(sock.receive(200ms).empty());
    notifier.framed(t0 + 600ms);
    CHECK(sock.receive(2s) == "WATCHDOG=1");
    // Frames stop: no ping comes from anywhere else.
    CHECK(sock.receive(1500ms).empty());
}

TEST_CASE("systemd notify: nothing without NOTIFY_SOCKET; an absurd WATCHDOG_USEC is ignored") {
    ::unsetenv("NOTIFY_SOCKET");
    system::Notifier off;
    CHECK_FALSE(off.active());
    off.ready("x"); // no socket: does nothing, no crash
    off.framed(std::chrono::steady_clock::now());
    test::TempDir dir;
    ScopedEnv env({{"NOTIFY_SOCKET", dir.file("n")}, {"WATCHDOG_USEC", "5"}});
    system::Notifier odd;
    CHECK(odd.active());
    CHECK(odd.watchdogInterval().count() == 0);
}

TEST_CASE("the running kiosk feeds the watchdog while untouched, and restarts for an update only at rest") {
    test::TempDir dir;
    const std::string socket = dir.file("notify");
    NotifySocket sock(socket);
    const std::string dataDir = dir.file("data");
    KioskProcess kiosk(
        {test::binaryPath("kiosk/app/comptoir-kiosk"), "--data-dir", dataDir, "--size", "640x400"},
        kioskEnv(dir, socket));
    // Start-up under ASan on a loaded machine can be slow: READY is waited for generously.
    std::string first = sock.receive(60s);
    REQUIRE(first.rfind("READY=1", 0) == 0);
    // Nobody touches it: frames still progress (one per half interval) and each feeds the watchdog.
    int pings = 0;
    auto until = std::chrono::steady_clock::now() + 20s;
    while (pings < 3 && std::chrono::steady_clock::now() < until)
        if (sock.receive(5s) == "WATCHDOG=1") ++pings;
    CHECK(pings == 3);
    CHECK_FALSE(kiosk.waitExit(0ms));

    // The package was upgraded: the kiosk, at rest on its welcome screen, ends by itself (exit 0,
    // systemd starts the new program) and removes the flag.
    test::writeFile(dataDir + "/" + app::kRestartFlag, "");
    auto code = kiosk.waitExit(60s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK_FALSE(fs::exists(dataDir + "/" + app::kRestartFlag));
}

TEST_CASE("restart request: a flag older than the program is dropped; a new one waits for rest and quiet") {
    test::TempDir dir;
    const std::string flag = dir.file(app::kRestartFlag);
    const auto now = std::chrono::steady_clock::now();
    SECTION("older than the program: removed, no restart") {
        test::writeFile(flag, "");
        app::RestartRequest r(flag, std::chrono::system_clock::now() + 10s);
        CHECK_FALSE(r.due(true, std::nullopt, now));
        CHECK_FALSE(fs::exists(flag));
    }
    SECTION("written while it runs: never during a visit, never under a finger") {
        app::RestartRequest r(flag, std::chrono::system_clock::now() - 10s, 60s);
        CHECK_FALSE(r.due(true, std::nullopt, now)); // no flag yet
        test::writeFile(flag, "");
        CHECK_FALSE(r.due(true, std::nullopt, now + 1s));  // looked at most every 2 s
        CHECK_FALSE(r.due(false, std::nullopt, now + 3s)); // a visitor is in the journey
        CHECK(fs::exists(flag));
        CHECK_FALSE(r.due(true, now + 2s, now + 4s)); // back on welcome, but touched 2 s ago
        CHECK(r.due(true, now + 2s, now + 63s));
        CHECK_FALSE(fs::exists(flag));
    }
}

TEST_CASE("fallback: the pause screen, without opening any database") {
    test::TempDir dir;
    std::string out;
    const std::string png = dir.file("pause.png");
    const std::string welcome = dir.file("welcome.png");
    int rc = test::runCommand(test::binaryPath("kiosk/app/comptoir-kiosk") +
                                  " --fallback 0 --headless --screenshot '" + png +
                                  "' --size 800x500 --data-dir '" + dir.file("data") + "'",
                              out);
    INFO(out);
    REQUIRE(rc == 0);
    CHECK_FALSE(fs::exists(dir.file("data/comptoir.db")));
    REQUIRE(test::runCommand(test::binaryPath("kiosk/app/comptoir-kiosk") + " --headless --screenshot '" +
                                 welcome + "' --size 800x500 --data-dir '" + dir.file("data2") + "'",
                             out) == 0);
    int w = 0, h = 0, w2 = 0, h2 = 0;
    std::vector<std::uint8_t> a, b;
    std::string err;
    REQUIRE(platform::readPng(png, w, h, a, err));
    REQUIRE(platform::readPng(welcome, w2, h2, b, err));
    REQUIRE(w == 800);
    REQUIRE(h == 500);
    // Warm cream background with dark text on it: a drawn screen, not the welcome screen.
    std::size_t cream = 0, ink = 0;
    for (std::size_t i = 0; i + 3 < a.size(); i += 4) {
        if (a[i] == 253 && a[i + 1] == 246 && a[i + 2] == 236) ++cream;
        if (a[i] < 100 && a[i + 1] < 100 && a[i + 2] < 100) ++ink;
    }
    CHECK(cream > a.size() / 4 * 8 / 10);
    CHECK(ink > 500);
    CHECK(a != b);
    CHECK(test::runCommand(test::binaryPath("kiosk/app/comptoir-kiosk") + " --fallback soon", out) == 2);
}

TEST_CASE("journal entries carry priorities, the kiosk id and scoped ids, never more") {
    system::setLogKioskId("angers-centre-01");
    auto plain = system::journalFields(spdlog::level::warn, "sync: server unreachable", "comptoir-kiosk");
    CHECK(plain == std::vector<std::string>{"MESSAGE=sync: server unreachable", "PRIORITY=4",
                                            "SYSLOG_IDENTIFIER=comptoir-kiosk",
                                            "COMPTOIR_KIOSK_ID=angers-centre-01"});
    {
        system::LogFields f({{"EVENT", "interest.registered"}, {"REFERENCE", "K7M-2Q4"}, {"bad name", "x"}});
        auto with = system::journalFields(spdlog::level::info, "interest recorded", "comptoir-kiosk");
        CHECK(with.size() == 6);
        CHECK(with[1] == "PRIORITY=6");
        CHECK(with[4] == "COMPTOIR_EVENT=interest.registered");
        CHECK(with[5] == "COMPTOIR_REFERENCE=K7M-2Q4");
    }
    // Out of scope: the fields are gone again.
    CHECK(system::journalFields(spdlog::level::critical, "x", "i").size() == 4);
    CHECK(system::journalFields(spdlog::level::critical, "x", "i")[1] == "PRIORITY=2");
    system::setLogKioskId("");
    // Outside a systemd unit (no JOURNAL_STREAM naming stderr), logs stay on stderr.
    ::unsetenv("JOURNAL_STREAM");
    CHECK_FALSE(system::stderrIsJournal());
    {
        ScopedEnv env({{"JOURNAL_STREAM", "1:2"}});
        CHECK_FALSE(system::stderrIsJournal());
    }
    // systemd names stderr's device and inode when it is the journal.
    struct stat st {};
    REQUIRE(::fstat(2, &st) == 0);
    ScopedEnv env({{"JOURNAL_STREAM", std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino)}});
    CHECK(system::stderrIsJournal());
}
