#pragma once
/// @brief The save spool: visitor records the database could not take (read-only, full, locked),
/// kept on disk in `<data_dir>/spool/` — one fsync'd file each, the contact sealed to the kiosk's
/// public key — until they are imported into the database exactly once (by their event id).

#include "comptoir/store/db.hpp"
#include "comptoir/store/visitor_repo.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace comptoir::store {

/// One record waiting in the spool (what an agent screen lists: no personal field in clear).
struct SpoolEntry {
    std::string file;
    PreparedRecord record;
    std::string failure;   ///< why the database refused it (SQLite's message, never personal data)
    std::string spooledAt; ///< ISO 8601 UTC
};

struct SpoolImport {
    std::size_t imported = 0;     ///< newly committed
    std::size_t alreadyThere = 0; ///< committed before (a crash between commit and removal): file removed
    std::size_t unreadable = 0;   ///< files set aside as "*.unreadable" (damaged or not ours)
    std::size_t left = 0;         ///< still waiting (the database still refuses them)
    std::string lastError;        ///< the database's last refusal, empty when none
};

/// The kiosk's spool folder inside its data folder: `<data_dir>/spool`.
[[nodiscard]] std::string spoolDirIn(const std::string& dataDir);

class SaveSpool {
  public:
    /// Largest spool file read back: a record is a few hundred bytes; anything bigger is not ours.
    static constexpr std::size_t kMaxFileBytes = 64 * 1024;

    explicit SaveSpool(std::string dir) : m_dir(std::move(dir)) {}
    [[nodiscard]] const std::string& dir() const { return m_dir; }

    /// Writes the record durably (temporary file, fsync, rename, fsync of the folder), so that
    /// once put() returns it survives a power cut. Throws std::runtime_error when it cannot.
    void put(const PreparedRecord& record, const std::string& failure) const;
    /// Records waiting, oldest first, at most `limit`.
    [[nodiscard]] std::vector<SpoolEntry> list(std::size_t limit = 1000) const;
    /// Removes the file of a record committed by another way (a "Réessayer" that worked).
    /// True when there was one.
    bool remove(const std::string& eventId) const;
    /// Records waiting (files named like spooled records; unreadable ones are not counted).
    [[nodiscard]] std::size_t count() const;
    /// Files set aside as unreadable, for an agent to look at.
    [[nodiscard]] std::size_t unreadableCount() const;
    /// Commits every waiting record (each in its own transaction, idempotent by id and event id)
    /// and removes its file once committed. Stops at the first database refusal: the rest wait.
    SpoolImport importInto(Database& db) const;

  private:
    std::string m_dir;
};

} // namespace comptoir::store
