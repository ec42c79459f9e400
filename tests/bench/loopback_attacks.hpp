#pragma once
/// @brief What testing threw at comptoir-central, as code the tests and the benchmarks share:
/// raw loopback sockets, slow-loris and idle connections, gzip bombs, header floods, and a
/// comptoir-central child process whose peak memory can be read. Every loop is bounded in
/// count and time; everything stays on 127.0.0.1.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace comptoir::attack {

using namespace std::chrono_literals;

/// A TCP connection to 127.0.0.1:port (plain bytes, no TLS).
class Socket {
  public:
    explicit Socket(int port);
    ~Socket();
    Socket(Socket&& o) noexcept : m_fd(o.m_fd) { o.m_fd = -1; }
    Socket& operator=(Socket&& o) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    [[nodiscard]] bool connected() const { return m_fd >= 0; }
    /// Sends all of `data`; false as soon as the peer has closed or reset the connection.
    bool send(std::string_view data);
    /// Reads until the peer closes (true) or `limit` passes (false); what came is in `out`.
    bool readUntilClosed(std::string& out, std::chrono::milliseconds limit);
    /// True when the peer has closed or reset the connection (checked without waiting).
    [[nodiscard]] bool closedByPeer();

  private:
    int m_fd = -1;
};

/// How many "HTTP/1.x nnn" status lines `answers` holds, and the first status (0 if none).
[[nodiscard]] int countAnswers(const std::string& answers);
[[nodiscard]] int firstStatus(const std::string& answers);

/// A gzip body that inflates to `inflated` zero bytes (~1,000 times smaller on the wire).
[[nodiscard]] std::string gzipBomb(std::size_t inflated);

/// Peak resident memory (VmHWM) of a process in MiB, nullopt when unreadable.
[[nodiscard]] std::optional<double> peakRssMiB(pid_t pid);

/// Attacks running on their own threads until stop() or destruction. Each kind is optional.
class Crowd {
  public:
    struct Plan {
        int slowLoris = 0; ///< sockets sending one header byte every `slowEvery`
        std::chrono::milliseconds slowEvery = 1000ms;
        int idle = 0;    ///< sockets that connect and send nothing (reconnect when closed)
        int bombers = 0; ///< threads sending gzip bombs (unknown path and events route)
        std::size_t bombInflated = std::size_t{256} << 20;
        int headerFlooders = 0;                         ///< threads sending endless header lines
        std::size_t floodBytes = std::size_t{64} << 20; ///< per connection, at most
    };
    Crowd(int port, Plan plan);
    ~Crowd();
    Crowd(const Crowd&) = delete;
    Crowd& operator=(const Crowd&) = delete;
    void stop();
    /// Connections the server closed on an attacker (each kind counts).
    [[nodiscard]] int closedByServer() const { return m_closed.load(); }

  private:
    void slowLoris();
    void idle();
    void bomb();
    void flood();
    bool pause(std::chrono::milliseconds d) const;

    int m_port;
    Plan m_plan;
    std::string m_bomb;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_closed{0};
    std::vector<std::thread> m_threads;
};

/// `comptoir-central serve` as a child process on 127.0.0.1 (any free port), stopped with
/// SIGTERM on destruction.
class CentralProcess {
  public:
    /// `binary`: the comptoir-central executable; `db` must hold the tokens already.
    CentralProcess(const std::string& binary, const std::string& db, const std::string& workDir,
                   std::vector<std::string> extraArgs = {});
    ~CentralProcess();
    CentralProcess(const CentralProcess&) = delete;
    CentralProcess& operator=(const CentralProcess&) = delete;
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] pid_t pid() const { return m_pid; }
    /// SIGTERM and wait; the exit status (or -1).
    int stop();

  private:
    pid_t m_pid = -1;
    int m_port = 0;
};

/// Runs `binary args…` to the end and returns its standard output (empty on failure).
[[nodiscard]] std::string runForOutput(const std::string& binary, const std::vector<std::string>& args);

} // namespace comptoir::attack
