#pragma once
/// @brief A throwaway PostgreSQL cluster (Debian's postgresql 15) for tests and benchmarks:
/// initdb + pg_ctl in a folder, a free port on 127.0.0.1 only, its unix socket in that folder,
/// no fsync (throwaway data). Run as `nobody` when the caller is root (PostgreSQL refuses root).

#include <atomic>
#include <string>

namespace comptoir::pg {

class Cluster {
  public:
    /// Starts the cluster in `dir` (an existing, empty folder of the caller's). Throws
    /// std::runtime_error with initdb's or pg_ctl's output when it cannot start.
    explicit Cluster(const std::string& dir);
    /// Stops it at once (pg_ctl -m immediate): the data is thrown away with the folder.
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    /// A libpq URI for `database` over the unix socket.
    [[nodiscard]] std::string uri(const std::string& database) const;
    /// Creates a new, empty database and returns its URI.
    [[nodiscard]] std::string newDatabase();

  private:
    std::string m_as, m_data, m_socket;
    int m_port = 0;
    bool m_started = false;
    std::atomic<int> m_databases{0};
};

} // namespace comptoir::pg
