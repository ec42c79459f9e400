#pragma once
/// @brief A throwaway PostgreSQL cluster (Debian's postgresql 15) for tests and benchmarks:
/// initdb + pg_ctl in a temporary folder of its own, a free port on 127.0.0.1 only, its unix
/// socket in that folder, no fsync (throwaway data). Run as `nobody` when the caller is root
/// (PostgreSQL refuses root).

#include <atomic>
#include <string>

namespace comptoir::pg {

class Cluster {
  public:
    /// Starts the cluster in a new folder under the temporary directory (one `nobody` can
    /// reach, unlike a caller's private work folder). Throws std::runtime_error with initdb's or
    /// pg_ctl's output when it cannot start.
    Cluster();
    /// Stops it at once (pg_ctl -m immediate) and removes its folder.
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    /// A libpq URI for `database` over the unix socket.
    [[nodiscard]] std::string uri(const std::string& database) const;
    /// Creates a new, empty database and returns its URI.
    [[nodiscard]] std::string newDatabase();

  private:
    std::string m_dir, m_as, m_data, m_socket;
    int m_port = 0;
    bool m_started = false;
    std::atomic<int> m_databases{0};
};

} // namespace comptoir::pg
