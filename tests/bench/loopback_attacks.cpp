// Loopback attacks on comptoir-central, shared by tests/sync and comptoir-bench-central.
#include "loopback_attacks.hpp"

#include "comptoir/sync/protocol.hpp"

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace comptoir::attack {

namespace {

using Clock = std::chrono::steady_clock;

int connectTo(const Endpoint& to) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    // Bounded sends and receives: a server that stops reading must not hang the attacker.
    timeval tv{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (::inet_pton(AF_INET, to.source.c_str(), &from.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0) {
        ::close(fd);
        return -1;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(to.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

SSL_CTX* clientContext() {
    // Attackers do not check certificates; one context for the whole process.
    static SSL_CTX* ctx = [] {
        SSL_CTX* c = SSL_CTX_new(TLS_client_method());
        if (c) SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
        return c;
    }();
    return ctx;
}

} // namespace

Socket::Socket(const Endpoint& to) : m_fd(connectTo(to)) {
    if (m_fd < 0 || !to.tls) return;
    m_ssl = clientContext() ? SSL_new(clientContext()) : nullptr;
    if (!m_ssl || SSL_set_fd(m_ssl, m_fd) != 1 || SSL_connect(m_ssl) != 1) close();
}

Socket::~Socket() {
    close();
}

void Socket::close() {
    if (m_ssl) SSL_free(m_ssl);
    if (m_fd >= 0) ::close(m_fd);
    m_ssl = nullptr;
    m_fd = -1;
}

Socket& Socket::operator=(Socket&& o) noexcept {
    if (this != &o) {
        close();
        m_fd = o.m_fd;
        m_ssl = o.m_ssl;
        o.m_fd = -1;
        o.m_ssl = nullptr;
    }
    return *this;
}

bool Socket::closedByPeer() {
    if (m_fd < 0) return true;
    pollfd p{m_fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    if (p.revents & (POLLHUP | POLLERR)) return true;
    char b[4096];
    const auto n = ::recv(m_fd, b, sizeof(b), MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

bool Socket::send(std::string_view data) {
    while (m_fd >= 0 && !data.empty()) {
        const auto n = m_ssl ? SSL_write(m_ssl, data.data(),
                                         static_cast<int>(std::min<std::size_t>(data.size(), 1 << 20)))
                             : ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return m_fd >= 0;
}

bool Socket::readUntilClosed(std::string& out, std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    char buf[16384];
    while (m_fd >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        const auto n = m_ssl ? SSL_read(m_ssl, buf, sizeof(buf)) : ::recv(m_fd, buf, sizeof(buf), 0);
        if (n < 0 && !m_ssl && errno == EINTR) continue;
        if (n <= 0) return true; // closed (0) or reset: either way the server ended it
        out.append(buf, static_cast<std::size_t>(n));
    }
    return false;
}

int countAnswers(const std::string& answers) {
    int n = 0;
    // Answers follow each other directly (a body has no line end): count every status line.
    for (std::size_t at = answers.find("HTTP/1.1 "); at != std::string::npos;
         at = answers.find("HTTP/1.1 ", at + 1))
        if (at + 9 < answers.size() && std::isdigit(static_cast<unsigned char>(answers[at + 9]))) ++n;
    return n;
}

int firstStatus(const std::string& answers) {
    if (answers.rfind("HTTP/1.", 0) != 0 || answers.size() < 12) return 0;
    return std::atoi(answers.substr(9, 3).c_str());
}

std::string gzipBomb(std::size_t inflated) {
    return sync::gzipCompress(std::string(inflated, '\0'));
}

std::optional<double> peakRssMiB(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return std::nullopt;
}

// Crowd ----------------------------------------------------------------------------------------

Crowd::Crowd(Endpoint to, Plan plan) : m_to(std::move(to)), m_plan(plan) {
    if (m_plan.bombers > 0) m_bomb = gzipBomb(m_plan.bombInflated);
    if (m_plan.slowLoris > 0) m_threads.emplace_back([this] { slowLoris(); });
    if (m_plan.idle > 0) m_threads.emplace_back([this] { idle(); });
    for (int i = 0; i < m_plan.bombers; ++i)
        m_threads.emplace_back([this] { bomb(); });
    for (int i = 0; i < m_plan.headerFlooders; ++i)
        m_threads.emplace_back([this] { flood(); });
}

Crowd::~Crowd() {
    stop();
}

void Crowd::stop() {
    m_stop = true;
    for (auto& t : m_threads)
        if (t.joinable()) t.join();
}

Socket Crowd::connect(const Endpoint& to) {
    Socket s(to);
    if (s.connected()) ++m_opened;
    return s;
}

bool Crowd::pause(std::chrono::milliseconds d) const {
    const auto until = Clock::now() + d;
    while (!m_stop && Clock::now() < until)
        std::this_thread::sleep_for(std::min(d, std::chrono::milliseconds(20)));
    return !m_stop;
}

void Crowd::slowLoris() {
    std::vector<Socket> sockets;
    auto open = [&] {
        Socket s = connect(m_to);
        (void)s.send("POST /api/v1/events:batch HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        return s;
    };
    for (int i = 0; i < m_plan.slowLoris; ++i)
        sockets.push_back(open());
    while (pause(m_plan.slowEvery)) {
        for (auto& s : sockets)
            if (!s.send("X")) {
                ++m_closed;
                s = open();
            }
    }
}

void Crowd::idle() {
    // Plain TCP even in front of TLS: a connection that never sends its ClientHello.
    const Endpoint raw{m_to.port, false, m_to.source};
    std::vector<Socket> sockets;
    for (int i = 0; i < m_plan.idle && !m_stop; ++i)
        sockets.push_back(connect(raw));
    while (pause(std::chrono::milliseconds(200))) {
        for (auto& s : sockets) {
            if (s.closedByPeer()) {
                ++m_closed;
                s = connect(raw);
            }
        }
    }
}

void Crowd::bomb() {
    // No token: what any stranger on the network could send. Unknown path, then the events
    // route, then a body where none is taken.
    static const char* const heads[] = {"POST /nowhere HTTP/1.1\r\n",
                                        "POST /api/v1/events:batch HTTP/1.1\r\n",
                                        "PUT /api/v1/health HTTP/1.1\r\n"};
    for (std::size_t turn = 0; !m_stop; ++turn) {
        Socket s = connect(m_to);
        std::string request = heads[turn % 3];
        request += "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                   "Content-Length: " +
                   std::to_string(m_bomb.size()) + "\r\n\r\n";
        std::string answer;
        if (!s.send(request) || !s.send(m_bomb) || s.readUntilClosed(answer, std::chrono::milliseconds(5000)))
            ++m_closed;
        if (!pause(std::chrono::milliseconds(10))) break;
    }
}

void Crowd::flood() {
    const std::string line = "X-Flood: " + std::string(1000, 'a') + "\r\n";
    while (!m_stop) {
        Socket s = connect(m_to);
        bool open = s.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (std::size_t sent = 0; open && sent < m_plan.floodBytes && !m_stop; sent += line.size())
            open = s.send(line);
        if (!open) ++m_closed;
        if (!pause(std::chrono::milliseconds(10))) break;
    }
}

// Child processes ------------------------------------------------------------------------------

namespace {

pid_t spawn(const std::string& binary, const std::vector<std::string>& args, int outFd, bool withStderr) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (outFd >= 0) {
            ::dup2(outFd, STDOUT_FILENO);
            if (withStderr) ::dup2(outFd, STDERR_FILENO);
        }
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

} // namespace

ChildProcess::ChildProcess(const std::string& binary, const std::vector<std::string>& args,
                           const std::string& logFile) {
    const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    m_pid = spawn(binary, args, log, true);
    if (log >= 0) ::close(log);
}

ChildProcess::~ChildProcess() {
    (void)stop();
}

bool ChildProcess::running() {
    int status = 0;
    if (m_pid > 0 && ::waitpid(m_pid, &status, WNOHANG) == m_pid) m_pid = -1;
    return m_pid > 0;
}

int ChildProcess::stop() {
    if (m_pid <= 0) return -1;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 3000; ++i) {
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return -1;
}

namespace {

std::vector<std::string> serveArguments(const std::string& db, const std::string& workDir,
                                        const std::vector<std::string>& extraArgs) {
    const std::string portFile = workDir + "/central-port";
    ::unlink(portFile.c_str());
    std::vector<std::string> args = {"serve", "--db", db, "--listen", "127.0.0.1:0", "--port-file", portFile};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    return args;
}

} // namespace

CentralProcess::CentralProcess(const std::string& binary, const std::string& db, const std::string& workDir,
                               std::vector<std::string> extraArgs)
    : m_child(binary, serveArguments(db, workDir, extraArgs), workDir + "/central.log") {
    for (int i = 0; i < 3000 && m_child.running(); ++i) {
        std::ifstream in(workDir + "/central-port");
        if (in >> m_port && m_port > 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    m_port = 0;
}

int freeLoopbackPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0) ::close(fd);
    return port;
}

bool waitUntilListening(int port, std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    while (Clock::now() < until) {
        if (Socket(port).connected()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::string runForOutput(const std::string& binary, const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return {};
    const pid_t pid = spawn(binary, args, fds[1], false);
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof(buf))) > 0;)
        out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    if (pid > 0) ::waitpid(pid, &status, 0);
    return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : std::string();
}

} // namespace comptoir::attack
