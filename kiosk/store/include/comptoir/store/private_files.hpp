#pragma once
/// @brief Files and folders that only the kiosk's user may read (the database holds the wrapped
/// sealing key): folders 0700 and files 0600 whatever the umask.

#include <string>
#include <string_view>

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

/// Writes `content` to `path` (0600) durably and whole or not at all: a temporary file `.NAME.tmp`
/// beside it, fsync, rename over `path`, fsync of the folder. With `replace` false an existing
/// `path` is refused (EEXIST). Throws std::system_error naming the step that failed.
void writePrivateFileDurably(const std::string& path, std::string_view content, bool replace = true);

} // namespace comptoir::store
