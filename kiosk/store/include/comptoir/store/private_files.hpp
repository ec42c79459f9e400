#pragma once
/// @brief Files and folders that only the kiosk's user may read (the database holds the wrapped
/// sealing key): folders 0700 and files 0600 whatever the umask.

#include <string>

namespace comptoir::store {

/// Creates `dir` and every missing parent, each new folder 0700 whatever the umask; folders
/// that exist are left as they are. Throws std::system_error naming the folder that failed.
void createPrivateDirectories(const std::string& dir);

/// Creates `path` empty (0600) when missing; when it exists, removes the group and other
/// permission bits. Throws std::system_error naming the file that failed.
void makePrivateFile(const std::string& path);

/// makePrivateFile for each of `path`, `path-wal` and `path-shm` that exists (the WAL and shared
/// memory of a SQLite database take their permissions from the database file when created).
void tightenExistingDatabaseFiles(const std::string& path);

} // namespace comptoir::store
