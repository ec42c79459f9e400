#include "fault_proxy.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace comptoir::test {

const char* toString(Fault f) {
    switch (f) {
    case Fault::None: return "none";
    case Fault::Refuse: return "refuse";
    case Fault::Reset: return "reset";
    case Fault::Status500: return "500";
    case Fault::Status503: return "503";
    case Fault::Stall: return "stall";
    case Fault::Truncate: return "truncate";
    case Fault::LoseAnswer: return "lose-answer";
    }
    return "?";
}

namespace {

constexpr Fault kKinds[] = {Fault::Refuse,  Fault::Reset,    Fault::Status500, Fault::Status503,
                            Fault::Stall,   Fault::Truncate, Fault::LoseAnswer};

/// Closes with RST instead of FIN: the peer sees "connection reset".
void resetClose(int fd) {
    linger l{1, 0};
    (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

bool writeAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

/// Reads more bytes into buf, waiting at most 200 ms at a time while `stop` is false and the
/// overall 30 s bound holds. False on close, error or stop.
bool readMore(int fd, std::string& buf, const std::atomic<bool>& stop) {
    for (int waited = 0; waited < 150 && !stop; ++waited) {
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, 200);
        if (r < 0) return false;
        if (r == 0) continue;
        char tmp[65536];
        auto n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf.append(tmp, static_cast<std::size_t>(n));
        return true;
    }
    return false;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// One HTTP/1.1 message (headers + Content-Length body) out of `buf`; false when the peer went away.
bool readMessage(int fd, std::string& buf, std::string& head, std::string& body, const std::atomic<bool>& stop) {
    std::size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos)
        if (!readMore(fd, buf, stop)) return false;
    head = buf.substr(0, end + 4);
    std::size_t length = 0;
    auto lh = lower(head);
    if (auto at = lh.find("\r\ncontent-length:"); at != std::string::npos)
        length = std::stoul(head.substr(at + 17, head.find("\r\n", at + 2) - at - 17));
    while (buf.size() < end + 4 + length)
        if (!readMore(fd, buf, stop)) return false;
    body = buf.substr(end + 4, length);
    buf.erase(0, end + 4 + length);
    return true;
}

/// Removes one header line (case-insensitive name) from a message head.
std::string withoutHeader(const std::string& head, const std::string& name) {
    auto lh = lower(head);
    auto at = lh.find("\r\n" + lower(name) + ":");
    if (at == std::string::npos) return head;
    auto eol = head.find("\r\n", at + 2);
    return head.substr(0, at) + head.substr(eol);
}

std::string replaceContentLength(const std::string& head, std::size_t length) {
    return withoutHeader(head, "Content-Length").insert(head.find("\r\n"), "\r\nContent-Length: " + std::to_string(length));
}

std::string canned(int status, const char* reason, const std::string& extra) {
    std::string body = R"({"error":{"code":"injected","message":"fault injected by the test proxy"}})";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: application/json\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

int connectUpstream(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

} // namespace

FaultProxy::FaultProxy(int upstreamPort, double rate, std::uint64_t seed, std::chrono::milliseconds stall)
    : m_upstreamPort(upstreamPort), m_rate(rate), m_stall(stall), m_rng(seed) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listen < 0) throw std::runtime_error("proxy: socket");
    int one = 1;
    (void)setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = 0;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); // loopback only, ever
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(m_listen, 64) != 0)
        throw std::runtime_error("proxy: bind/listen");
    socklen_t len = sizeof a;
    if (::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len) != 0) throw std::runtime_error("proxy: name");
    m_port = ntohs(a.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    if (m_acceptor.joinable()) m_acceptor.join();
    for (auto& t : m_connections)
        if (t.joinable()) t.join();
    ::close(m_listen);
}

std::map<Fault, int> FaultProxy::counts() const {
    std::lock_guard lock(m_mutex);
    return m_counts;
}
int FaultProxy::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}
std::vector<double> FaultProxy::gapsAfter503() const {
    std::lock_guard lock(m_mutex);
    return m_gaps;
}

Fault FaultProxy::draw(bool firstOnConnection) {
    std::lock_guard lock(m_mutex);
    std::uniform_real_distribution<double> u(0, 1);
    Fault f = Fault::None;
    if (u(m_rng) < m_rate) {
        f = kKinds[m_turn++ % std::size(kKinds)];
        // A refusal only makes sense for a new connection: on a kept-alive one, take the next kind.
        if (f == Fault::Refuse && !firstOnConnection) f = kKinds[m_turn++ % std::size(kKinds)];
    }
    ++m_counts[f];
    return f;
}

void FaultProxy::noteRequest() {
    std::lock_guard lock(m_mutex);
    ++m_requests;
    if (m_after503) {
        m_gaps.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - m_last503).count());
        m_after503 = false;
    }
}

void FaultProxy::acceptLoop() {
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        int one = 1;
        (void)setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        m_connections.emplace_back([this, client] { serve(client); });
    }
}

void FaultProxy::serve(int client) {
    bool first = true;
    Fault pending = draw(true);
    if (pending == Fault::Refuse) {
        noteRequest();
        resetClose(client);
        return;
    }
    int upstream = connectUpstream(m_upstreamPort);
    if (upstream < 0) {
        resetClose(client);
        return;
    }
    std::string fromClient, fromServer;
    while (!m_stop) {
        std::string head, body;
        if (!readMessage(client, fromClient, head, body, m_stop)) break;
        noteRequest();
        Fault f = first ? pending : draw(false);
        first = false;
        if (f == Fault::Status500) {
            if (!writeAll(client, canned(500, "Internal Server Error", ""))) break;
            continue;
        }
        if (f == Fault::Status503) {
            {
                std::lock_guard lock(m_mutex);
                m_after503 = true;
                m_last503 = std::chrono::steady_clock::now();
            }
            if (!writeAll(client, canned(503, "Service Unavailable", "Retry-After: 1\r\n"))) break;
            continue;
        }
        // Plain answers, so that a truncated one is cut JSON rather than cut gzip.
        if (!writeAll(upstream, withoutHeader(head, "Accept-Encoding") + body)) break;
        std::string rhead, rbody;
        if (!readMessage(upstream, fromServer, rhead, rbody, m_stop)) break;
        std::string answer = rhead + rbody;
        if (f == Fault::None) {
            if (!writeAll(client, answer)) break;
            continue;
        }
        if (f == Fault::Reset) {
            (void)writeAll(client, answer.substr(0, answer.size() / 2));
        } else if (f == Fault::Truncate) {
            std::string cut = rbody.substr(0, rbody.size() / 2);
            (void)writeAll(client, replaceContentLength(rhead, cut.size()) + cut);
            continue;
        } else if (f == Fault::Stall) {
            // Hold the answer until the client gives up (its timeout) or the bound passes.
            auto until = std::chrono::steady_clock::now() + m_stall;
            while (!m_stop && std::chrono::steady_clock::now() < until) {
                pollfd p{client, POLLIN, 0};
                if (::poll(&p, 1, 50) > 0) {
                    char tmp[256];
                    if (::recv(client, tmp, sizeof tmp, MSG_PEEK) <= 0) break;
                }
            }
        }
        // Reset, Stall, LoseAnswer: the server committed, the client never gets the answer.
        break;
    }
    resetClose(client);
    ::close(upstream);
}

} // namespace comptoir::test
