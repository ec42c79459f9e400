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

struct ssl_st; // OpenSSL's SSL, kept out of this header

namespace comptoir::attack {

using namespace std::chrono_literals;

/// Where attacks go: 127.0.0.1:port, over TLS or not (certificates are not checked), from a
/// loopback source address of their own so that per-client limits can tell them apart.
struct Endpoint {
    int port = 0;
    bool tls = false;
    std::string source = "127.0.0.1";
};

/// A TCP connection (TLS when the endpoint says so; then the handshake is done on connecting).
class Socket {
  public:
    explicit Socket(int port) : Socket(Endpoint{port}) {}
    explicit Socket(const Endpoint& to);
    ~Socket();
    Socket(Socket&& o) noexcept : m_fd(o.m_fd), m_ssl(o.m_ssl) {
        o.m_fd = -1;
        o.m_ssl = nullptr;
    }
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
    void close();
    int m_fd = -1;
    ::ssl_st* m_ssl = nullptr;
};

/// A loopback port nothing listens on right now.
[[nodiscard]] int freeLoopbackPort();

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
    Crowd(Endpoint to, Plan plan);
    ~Crowd();
    Crowd(const Crowd&) = delete;
    Crowd& operator=(const Crowd&) = delete;
    void stop();
    /// Connections the server closed on an attacker (each kind counts).
    [[nodiscard]] int closedByServer() const { return m_closed.load(); }
    /// Attacking connections established so far.
    [[nodiscard]] int connectionsOpened() const { return m_opened.load(); }

  private:
    void slowLoris();
    void idle();
    void bomb();
    void flood();
    bool pause(std::chrono::milliseconds d) const;
    Socket connect(const Endpoint& to);

    Endpoint m_to;
    Plan m_plan;
    std::string m_bomb;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_closed{0};
    std::atomic<int> m_opened{0};
    std::vector<std::thread> m_threads;
};

/// A child process, its output appended to `logFile`, stopped with SIGTERM (then SIGKILL after
/// 30 s) on destruction.
class ChildProcess {
  public:
    ChildProcess(const std::string& binary, const std::vector<std::string>& args, const std::string& logFile);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    [[nodiscard]] pid_t pid() const { return m_pid; }
    [[nodiscard]] bool running();
    /// SIGTERM and wait; the exit status (or -1).
    int stop();

  private:
    pid_t m_pid = -1;
};

/// `comptoir-central serve` as a child process on 127.0.0.1 (any free port), its log in
/// workDir/central.log.
class CentralProcess {
  public:
    /// `binary`: the comptoir-central executable; `db` must hold the tokens already.
    CentralProcess(const std::string& binary, const std::string& db, const std::string& workDir,
                   std::vector<std::string> extraArgs = {});
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] pid_t pid() const { return m_child.pid(); }
    int stop() { return m_child.stop(); }

  private:
    ChildProcess m_child;
    int m_port = 0;
};

/// Waits (bounded) until something accepts connections on 127.0.0.1:port.
[[nodiscard]] bool waitUntilListening(int port, std::chrono::milliseconds limit);

/// Runs `binary args…` to the end and returns its standard output (empty on failure).
[[nodiscard]] std::string runForOutput(const std::string& binary, const std::vector<std::string>& args);

} // namespace comptoir::attack
