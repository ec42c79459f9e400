// A throwaway PostgreSQL cluster for tests and benchmarks (pg_cluster.hpp).
#include "pg_cluster.hpp"

#include "loopback_attacks.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace comptoir::pg {

namespace {

const std::string kBin = "/usr/lib/postgresql/15/bin/";

std::string shellQuoted(const std::string& s) {
    return "'" + s + "'";
}

/// Runs a shell command; its exit code, its output in `out`.
int run(const std::string& command, std::string& out) {
    out.clear();
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p) return -1;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    const int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

Cluster::Cluster() {
    namespace fs = std::filesystem;
    std::string tmpl = (fs::temp_directory_path() / "comptoir-pg-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        throw std::runtime_error("cannot create a folder for the PostgreSQL cluster");
    m_dir = tmpl;
    const std::string dir = m_dir;
    const bool root = ::geteuid() == 0;
    m_as = root ? "runuser -u nobody -- " : "";
    // `nobody` reaches its folders through ours.
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    m_data = dir + "/data";
    m_socket = dir + "/sock";
    fs::create_directories(m_data);
    fs::create_directories(m_socket);
    std::string out;
    if (root && run("chown nobody:nogroup " + shellQuoted(m_data) + " " + shellQuoted(m_socket), out) != 0)
        throw std::runtime_error("cannot give the cluster's folders to nobody: " + out);
    if (run(m_as + kBin + "initdb -D " + shellQuoted(m_data) +
                " -U comptoir -A trust -E UTF8 --locale=C.UTF-8 --no-sync",
            out) != 0)
        throw std::runtime_error("initdb failed: " + out);
    m_port = attack::freeLoopbackPort();
    const std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(m_port) +
                                " -c unix_socket_directories=" + m_socket +
                                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                                " -c max_connections=300 -c shared_buffers=64MB";
    if (run(m_as + kBin + "pg_ctl -D " + shellQuoted(m_data) + " -l " + shellQuoted(m_socket + "/log") +
                " -w -t 120 -o " + shellQuoted(options) + " start",
            out) != 0) {
        std::ifstream log(m_socket + "/log");
        std::stringstream text;
        text << log.rdbuf();
        throw std::runtime_error("pg_ctl start failed: " + out + text.str());
    }
    m_started = true;
}

Cluster::~Cluster() {
    std::string out;
    if (m_started) (void)run(m_as + kBin + "pg_ctl -D " + shellQuoted(m_data) + " -m immediate -w stop", out);
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

std::string Cluster::uri(const std::string& database) const {
    return "postgresql:///" + database + "?host=" + m_socket + "&port=" + std::to_string(m_port) +
           "&user=comptoir";
}

std::string Cluster::newDatabase() {
    const std::string name = "central_" + std::to_string(++m_databases);
    pqxx::connection c(uri("postgres"));
    pqxx::nontransaction w(c);
    w.exec("CREATE DATABASE " + name);
    return uri(name);
}

} // namespace comptoir::pg
