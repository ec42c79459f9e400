// The central server's transport. Debian 12's cpp-httplib 0.11.4 reads a whole body before
// routing, lets a request line or header grow without bound, counts no headers, serves with 8
// threads and a backlog of 5, and after an answer that left a body unread parses that body as
// the next request. Its parser and router are kept; the connection loop is ours (httplib lets a
// subclass replace process_and_close_socket), so that every wait has a deadline, every header
// byte is counted, and a connection whose body was left unread is closed (docs/sync.md).
//
// [SECTION] Connection: one socket (TLS or not) as an httplib stream, bounded by phase
// [SECTION] WorkerPool: a fixed pool with a bounded queue of accepted connections
// [SECTION] GuardedServer: framing checks, the gate before any body byte, the loop
#include "server_transport.hpp"

#include "comptoir/sync/protocol.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace comptoir::sync::central {

namespace {

using Clock = std::chrono::steady_clock;

// [SECTION] Connection

class Connection final : public httplib::Stream {
  public:
    enum class Phase { Idle, Headers, Body };

    Connection(int fd, int wakeFd, const ServerLimits& limits)
        : m_fd(fd), m_wakeFd(wakeFd), m_limits(limits), m_buffer(16 * 1024) {}
    ~Connection() override {
        if (m_ssl) SSL_free(m_ssl);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// The TLS handshake, bounded in time: a peer that never sends its ClientHello gives up its
    /// worker after tlsHandshakeTimeout.
    [[nodiscard]] bool acceptTls(SSL_CTX* ctx) {
        m_ssl = SSL_new(ctx);
        if (!m_ssl || SSL_set_fd(m_ssl, m_fd) != 1) return false;
        const auto deadline = Clock::now() + m_limits.tlsHandshakeTimeout;
        for (;;) {
            ERR_clear_error();
            const int r = SSL_accept(m_ssl);
            if (r == 1) return true;
            if (!waitTls(r, deadline)) return false;
        }
    }

    /// Waits (bounded) for the first byte of the next request.
    [[nodiscard]] bool waitForRequest(std::chrono::milliseconds limit) {
        if (m_pos < m_end || (m_ssl && SSL_pending(m_ssl) > 0)) return true;
        return waitFor(POLLIN, Clock::now() + limit);
    }

    void beginRequest() {
        m_phase = Phase::Headers;
        m_deadline = Clock::now() + m_limits.headerTimeout;
        m_headerBytes = 0;
        m_headerLines = 0;
        m_headersTooLarge = false;
        m_bodyLength = 0;
        m_bodyRead = 0;
        m_screened = false;
        m_closeAfter = false;
    }

    /// httplib has read the headers: what follows is the body, if any.
    void beginBody(const httplib::Request& req) {
        m_phase = Phase::Body;
        m_deadline = Clock::now() + m_limits.bodyTimeout;
        m_bodyLength = 0;
        if (req.get_header_value_count("Content-Length") == 1)
            m_bodyLength = parseContentLength(req.get_header_value("Content-Length")).value_or(0);
        if (req.has_header("Transfer-Encoding")) m_bodyLength = ~std::uint64_t{0};
    }

    void closeAfterAnswer() { m_closeAfter = true; }
    void markScreened() { m_screened = true; }
    [[nodiscard]] bool screened() const { return m_screened; }
    [[nodiscard]] bool headersTooLarge() const { return m_headersTooLarge; }
    [[nodiscard]] bool mustClose() const { return m_mustClose; }

    /// Called as an answer is written. A body left unread (or headers never finished) closes
    /// the connection: its bytes would otherwise be parsed as the next request.
    void finishAnswer(httplib::Response& res) {
        const bool unread = m_phase != Phase::Body || m_bodyRead < m_bodyLength;
        if (!unread && !m_closeAfter) return;
        m_mustClose = true;
        res.headers.erase("Connection");
        res.headers.erase("Keep-Alive");
        res.set_header("Connection", "close");
    }

    bool is_readable() const override {
        return m_pos < m_end || (m_ssl && SSL_pending(m_ssl) > 0) || pollNow(POLLIN);
    }
    bool is_writable() const override { return pollNow(POLLOUT); }

    ssize_t read(char* ptr, std::size_t size) override {
        if (size == 0) return 0;
        if (m_phase == Phase::Headers) {
            if (m_headerBytes >= m_limits.maxHeaderBytes) return refuseHeaders();
            size = std::min(size, m_limits.maxHeaderBytes - m_headerBytes);
        }
        if (m_pos == m_end) {
            const auto n = fill();
            if (n <= 0) return n;
        }
        const std::size_t n = std::min(size, m_end - m_pos);
        const char* data = m_buffer.data() + m_pos;
        if (m_phase == Phase::Headers) {
            for (std::size_t i = 0; i < n; ++i)
                if (data[i] == '\n' && ++m_headerLines > m_limits.maxHeaderLines) return refuseHeaders();
            m_headerBytes += n;
        } else if (m_phase == Phase::Body) {
            m_bodyRead += n;
        }
        std::memcpy(ptr, data, n);
        m_pos += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, std::size_t size) override {
        const auto deadline = Clock::now() + m_limits.writeTimeout;
        for (;;) {
            if (m_ssl) {
                ERR_clear_error();
                const int r = SSL_write(m_ssl, ptr, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
                if (r > 0) return r;
                if (!waitTls(r, deadline)) return -1;
                continue;
            }
            const auto r = ::send(m_fd, ptr, size, MSG_NOSIGNAL);
            if (r >= 0) return r;
            if (errno == EINTR) continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || !waitFor(POLLOUT, deadline)) return -1;
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
    socket_t socket() const override { return m_fd; }

    /// Ends the TLS session without waiting for the peer, then closes the socket. `linger`: bytes
    /// may still be coming (an unread body, pipelined requests); closing over them would reset
    /// the connection and could destroy the answer before the client reads it, so the server
    /// stops writing, then discards what comes for a bounded time (RFC 9112, 9.6).
    void close(bool linger) {
        if (m_ssl) {
            ERR_clear_error();
            (void)SSL_shutdown(m_ssl);
        }
        if (linger) {
            ::shutdown(m_fd, SHUT_WR);
            const auto deadline = Clock::now() + m_limits.lingerTimeout;
            std::size_t discarded = 0;
            while (discarded < m_limits.lingerMaxBytes) {
                const auto r = ::recv(m_fd, m_buffer.data(), m_buffer.size(), 0);
                if (r > 0) {
                    discarded += static_cast<std::size_t>(r);
                    continue;
                }
                if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
                if (errno != EINTR && !waitFor(POLLIN, deadline)) break;
            }
        }
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
    }

  private:
    ssize_t refuseHeaders() {
        m_headersTooLarge = true;
        return -1;
    }

    /// Refills the buffer, waiting no later than the phase allows.
    ssize_t fill() {
        const auto now = Clock::now();
        const auto deadline = m_phase == Phase::Headers ? m_deadline
                              : m_phase == Phase::Body  ? std::min(m_deadline, now + m_limits.bodyIdleTimeout)
                                                        : now + m_limits.idleTimeout;
        m_pos = m_end = 0;
        for (;;) {
            if (m_ssl) {
                ERR_clear_error();
                const int r = SSL_read(m_ssl, m_buffer.data(), static_cast<int>(m_buffer.size()));
                if (r > 0) {
                    m_end = static_cast<std::size_t>(r);
                    return r;
                }
                if (SSL_get_error(m_ssl, r) == SSL_ERROR_ZERO_RETURN) return 0;
                if (!waitTls(r, deadline)) return -1;
                continue;
            }
            const auto r = ::recv(m_fd, m_buffer.data(), m_buffer.size(), 0);
            if (r >= 0) {
                m_end = static_cast<std::size_t>(r);
                return r;
            }
            if (errno == EINTR) continue;
            if ((errno != EAGAIN && errno != EWOULDBLOCK) || !waitFor(POLLIN, deadline)) return -1;
        }
    }

    bool waitTls(int result, Clock::time_point deadline) {
        switch (SSL_get_error(m_ssl, result)) {
        case SSL_ERROR_WANT_READ:
            return waitFor(POLLIN, deadline);
        case SSL_ERROR_WANT_WRITE:
            return waitFor(POLLOUT, deadline);
        default:
            return false;
        }
    }

    /// Waits for the socket until `deadline`; false on timeout or when the server stops.
    bool waitFor(short events, Clock::time_point deadline) const {
        for (;;) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return false;
            pollfd fds[2] = {{m_fd, events, 0}, {m_wakeFd, POLLIN, 0}};
            const int r = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, INT_MAX)));
            if (r < 0 && errno == EINTR) continue;
            if (r < 0 || (fds[1].revents & POLLIN)) return false;
            if (r > 0) return true; // readiness or an error the next call reports
        }
    }

    bool pollNow(short events) const {
        pollfd fd{m_fd, events, 0};
        return ::poll(&fd, 1, 0) > 0 && (fd.revents & events);
    }

    void address(bool remote, std::string& ip, int& port) const {
        sockaddr_storage addr{};
        socklen_t len = sizeof(addr);
        auto* sa = reinterpret_cast<sockaddr*>(&addr);
        if ((remote ? ::getpeername(m_fd, sa, &len) : ::getsockname(m_fd, sa, &len)) != 0) return;
        char text[INET6_ADDRSTRLEN] = {};
        if (addr.ss_family == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
            ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
            port = ntohs(in->sin_port);
        } else if (addr.ss_family == AF_INET6) {
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
            ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
            port = ntohs(in6->sin6_port);
        }
        ip = text;
    }

    int m_fd;
    int m_wakeFd;
    const ServerLimits& m_limits;
    SSL* m_ssl = nullptr;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    Phase m_phase = Phase::Idle;
    Clock::time_point m_deadline;
    std::size_t m_headerBytes = 0;
    std::size_t m_headerLines = 0;
    bool m_headersTooLarge = false;
    std::uint64_t m_bodyLength = 0;
    std::uint64_t m_bodyRead = 0;
    bool m_screened = false;
    bool m_closeAfter = false;
    bool m_mustClose = false;
};

// The connection a worker thread is serving: httplib's handlers do not see the stream.
thread_local Connection* t_connection = nullptr;
// Set while WorkerPool refuses a connection on the accepting thread.
thread_local bool t_overloaded = false;

// [SECTION] WorkerPool

class WorkerPool final : public httplib::TaskQueue {
  public:
    WorkerPool(std::size_t threads, std::size_t maxQueued) : m_maxQueued(maxQueued) {
        for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
            m_threads.emplace_back([this] { work(); });
    }
    ~WorkerPool() override = default;
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void enqueue(std::function<void()> fn) override {
        {
            std::lock_guard lock(m_mutex);
            if (!m_shutdown && m_jobs.size() < m_maxQueued) {
                m_jobs.push_back(std::move(fn));
                m_wake.notify_one();
                return;
            }
        }
        // Too many connections waiting already: refuse this one at once rather than hold its
        // socket (and a file descriptor) for a worker that will not come soon.
        t_overloaded = true;
        fn();
        t_overloaded = false;
    }

    void shutdown() override {
        {
            std::lock_guard lock(m_mutex);
            m_shutdown = true;
        }
        m_wake.notify_all();
        for (auto& t : m_threads)
            t.join();
    }

  private:
    void work() {
        // A TLS write to a peer that has gone raises SIGPIPE; blocked here, it becomes EPIPE.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_shutdown || !m_jobs.empty(); });
                if (m_jobs.empty()) return;
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            job();
        }
    }

    std::size_t m_maxQueued;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_shutdown = false;
    std::vector<std::thread> m_threads;
};

// [SECTION] GuardedServer

void refuse(httplib::Response& res, int status, std::string_view code, std::string_view message) {
    res.status = status;
    res.set_content(encodeError(code, message), "application/json");
}

bool mayCarryBody(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

} // namespace

std::optional<std::uint64_t> parseContentLength(std::string_view value) {
    if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    std::uint64_t n = 0;
    for (char c : value)
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    return n;
}

GuardedServer::GuardedServer(const ServerLimits& limits, std::size_t maxBodyBytes)
    : m_limits(limits), m_maxBodyBytes(maxBodyBytes), m_wakeFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    new_task_queue = [this] { return new WorkerPool(m_limits.workers, m_limits.maxQueuedConnections); };
    // httplib writes these in its Keep-Alive header; the loop below enforces them.
    set_keep_alive_max_count(std::max<std::size_t>(m_limits.keepAliveMaxRequests, 1));
    set_keep_alive_timeout(std::max<time_t>(
        1,
        static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(m_limits.idleTimeout).count())));
    set_payload_max_length(maxBodyBytes);
    set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return screen(req, res); });
    // A client that waits for "100 Continue" gets the refusal instead, before sending its body.
    set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
        return screen(req, res) == HandlerResponse::Handled ? res.status : 100;
    });
    set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
        if (t_connection) t_connection->finishAnswer(res);
    });
    // Answers httplib makes itself (unparsable request line, oversized headers) get the same
    // JSON error document as ours.
    set_error_handler(HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return HandlerResponse::Unhandled;
        if (t_connection && t_connection->headersTooLarge())
            refuse(res, 431, "headers_too_large", "the request line or headers are too large");
        else if (res.status == 404)
            refuse(res, 404, "not_found", "no such route");
        else
            refuse(res, res.status, "bad_request", "the request could not be read");
        return HandlerResponse::Handled;
    }));
}

GuardedServer::~GuardedServer() {
    shutdown();
    if (m_tls) SSL_CTX_free(m_tls);
    if (m_wakeFd >= 0) ::close(m_wakeFd);
}

bool GuardedServer::useTls(const std::string& certFile, const std::string& keyFile) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) return false;
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_chain_file(ctx, certFile.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        SSL_CTX_free(ctx);
        return false;
    }
    if (m_tls) SSL_CTX_free(m_tls);
    m_tls = ctx;
    return true;
}

int GuardedServer::bindTo(const std::string& host, int port) {
    if (m_wakeFd < 0 || port < 0 || port > 65535) return -1;
    const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
    if (bound <= 0) return -1;
    // httplib listens with a backlog of 5: a burst of kiosks would find the door shut. Linux
    // takes a second listen() on a listening socket as a new backlog.
    if (::listen(svr_sock_.load(), m_limits.listenBacklog) != 0) return -1;
    return bound;
}

void GuardedServer::shutdown() {
    if (m_stopping.exchange(true)) return;
    if (m_wakeFd >= 0) {
        const std::uint64_t one = 1;
        (void)!::write(m_wakeFd, &one, sizeof(one));
    }
    stop();
}

httplib::Server::HandlerResponse GuardedServer::screen(const httplib::Request& req, httplib::Response& res) {
    Connection* connection = t_connection;
    if (connection && connection->screened()) return HandlerResponse::Unhandled;
    auto refused = [&](int status, std::string_view code, std::string_view message) {
        if (status != 0) refuse(res, status, code, message);
        if (connection) connection->closeAfterAnswer();
        return HandlerResponse::Handled;
    };
    // Framing first: a length two parsers could read differently is how requests get smuggled.
    const auto lengths = req.get_header_value_count("Content-Length");
    const bool chunked = req.has_header("Transfer-Encoding");
    if (chunked && lengths > 0)
        return refused(400, "ambiguous_length", "Content-Length and Transfer-Encoding together");
    if (chunked)
        return refused(411, "length_required", "a body needs a Content-Length (no chunked transfer)");
    if (lengths > 1) return refused(400, "ambiguous_length", "more than one Content-Length");
    std::uint64_t length = 0;
    if (lengths == 1) {
        auto parsed = parseContentLength(req.get_header_value("Content-Length"));
        if (!parsed) return refused(400, "invalid_length", "Content-Length is not a number");
        length = *parsed;
    }
    if (mayCarryBody(req.method) && lengths == 0)
        return refused(411, "length_required", "a body needs a Content-Length");
    // httplib never reads the body of a GET: it would be parsed as the next request.
    if (!mayCarryBody(req.method) && length > 0)
        return refused(400, "unexpected_body", "this method takes no body");
    if (m_gate && m_gate(req, res) == HandlerResponse::Handled) return refused(0, {}, {});
    if (length > m_maxBodyBytes)
        return refused(413, "too_large", "the body is larger than the server accepts");
    if (connection) connection->markScreened();
    return HandlerResponse::Unhandled;
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
    if (t_overloaded || m_stopping) {
        if (!m_tls) {
            static constexpr std::string_view busy = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\n"
                                                     "Content-Length: 0\r\nConnection: close\r\n\r\n";
            (void)::send(sock, busy.data(), busy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        }
        ::close(sock);
        return false;
    }
    // Non-blocking: every wait below is a poll with a deadline, also woken by shutdown().
    const int flags = ::fcntl(sock, F_GETFL);
    if (flags < 0 || ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) != 0) {
        ::close(sock);
        return false;
    }
    Connection connection(sock, m_wakeFd, m_limits);
    bool ok = !m_tls || connection.acceptTls(m_tls);
    t_connection = &connection;
    const std::size_t maxRequests = std::max<std::size_t>(m_limits.keepAliveMaxRequests, 1);
    bool linger = false;
    try {
        for (std::size_t served = 0; ok && served < maxRequests && !m_stopping; ++served) {
            if (!connection.waitForRequest(m_limits.idleTimeout)) break;
            connection.beginRequest();
            bool closedByPeer = false;
            const bool last = served + 1 == maxRequests;
            ok = process_request(connection, last, closedByPeer,
                                 [&](httplib::Request& req) { connection.beginBody(req); });
            linger = ok && (last || connection.mustClose());
            if (closedByPeer || connection.mustClose()) break;
        }
    } catch (...) {
        // Out of memory in httplib's parser, say: this connection ends, the server goes on.
        ok = false;
    }
    t_connection = nullptr;
    connection.close(linger);
    return ok;
}

} // namespace comptoir::sync::central
