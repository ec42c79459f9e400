#pragma once
/// @brief The central server's transport: cpp-httplib parses and routes requests, under a
/// connection loop of ours that bounds what one peer can make the server hold (time, bytes,
/// threads) and refuses a request before its body is read. Private to comptoir_central.

#include "comptoir/sync/central.hpp"

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace comptoir::sync::central {

/// A Content-Length value: digits only (no sign, no spaces), at most 18 of them.
[[nodiscard]] std::optional<std::uint64_t> parseContentLength(std::string_view value);

class GuardedServer final : public httplib::Server {
  public:
    /// Decides from the request line and headers alone, before any body byte is read.
    /// Handled: `res` holds the refusal and the connection is closed after it.
    using Gate = std::function<HandlerResponse(const httplib::Request&, httplib::Response&)>;

    GuardedServer(const ServerLimits& limits, std::size_t maxBodyBytes);
    ~GuardedServer() override;
    GuardedServer(const GuardedServer&) = delete;
    GuardedServer& operator=(const GuardedServer&) = delete;

    /// Serves TLS with this PEM certificate chain and key; false when they cannot be loaded.
    [[nodiscard]] bool useTls(const std::string& certFile, const std::string& keyFile);
    void setGate(Gate gate) { m_gate = std::move(gate); }
    /// Binds (port 0: any free port) and listens with our backlog; the bound port or -1.
    [[nodiscard]] int bindTo(const std::string& host, int port);
    /// Wakes every connection waiting on a peer, then stops accepting and joins the workers.
    void shutdown();

  private:
    bool process_and_close_socket(socket_t sock) override;
    HandlerResponse screen(const httplib::Request& req, httplib::Response& res);

    ServerLimits m_limits;
    std::size_t m_maxBodyBytes;
    Gate m_gate;
    SSL_CTX* m_tls = nullptr; ///< set: TLS only
    int m_wakeFd = -1;
    std::atomic<bool> m_stopping{false};
};

} // namespace comptoir::sync::central
