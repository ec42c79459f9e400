#pragma once
/// @brief A TCP proxy on 127.0.0.1 that breaks a share of the HTTP/1.1 requests going through
/// it, each in a real way: refused connection, reset mid-answer, 500, 503 with Retry-After,
/// stall past the client's timeout, truncated JSON, and "committed but the answer is lost".

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace comptoir::test {

enum class Fault { None, Refuse, Reset, Status500, Status503, Stall, Truncate, LoseAnswer };
[[nodiscard]] const char* toString(Fault f);

class FaultProxy {
  public:
    /// `rate` of requests get a fault, the kinds taken in turn so that each one happens.
    FaultProxy(int upstreamPort, double rate, std::uint64_t seed, std::chrono::milliseconds stall);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::map<Fault, int> counts() const;
    [[nodiscard]] int requests() const;
    /// Seconds between each 503 and the next request that arrived.
    [[nodiscard]] std::vector<double> gapsAfter503() const;

  private:
    void acceptLoop();
    void serve(int client);
    Fault draw(bool firstOnConnection);
    void noteRequest();

    int m_upstreamPort;
    double m_rate;
    std::chrono::milliseconds m_stall;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::mt19937_64 m_rng;
    std::size_t m_turn = 0;
    std::map<Fault, int> m_counts;
    int m_requests = 0;
    bool m_after503 = false;
    std::chrono::steady_clock::time_point m_last503;
    std::vector<double> m_gaps;
    std::thread m_acceptor;
    std::vector<std::thread> m_connections;
};

} // namespace comptoir::test
