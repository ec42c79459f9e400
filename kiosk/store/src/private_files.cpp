#include "comptoir/store/private_files.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace comptoir::store {

namespace {
[[noreturn]] void fail(int err, const std::string& what) { throw std::system_error(err, std::generic_category(), what); }
} // namespace

void createPrivateDirectories(const std::string& dir) {
    if (dir.empty()) return;
    fs::path target = fs::path(dir).lexically_normal();
    fs::path current;
    for (const auto& part : target) {
        current /= part;
        if (part.empty() || part == "/" || part == "." || part == "..") continue;
        if (::mkdir(current.c_str(), 0700) == 0) {
            // mkdir's mode passes through the umask, which may only remove bits; chmod pins 0700.
            if (::chmod(current.c_str(), 0700) != 0) fail(errno, "make folder " + current.string() + " private");
            continue;
        }
        int err = errno;
        struct stat st {};
        if (err == EEXIST && ::stat(current.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) fail(ENOTDIR, "create folder " + current.string());
            continue;
        }
        fail(err, "create folder " + current.string());
    }
}

void makePrivateFile(const std::string& path) {
    // Never open and close an existing file here: closing any descriptor of a file drops every
    // POSIX lock this process holds on it, SQLite's included, and another process could then
    // reset the WAL index under a live connection (corruption, or SIGBUS on its mapping).
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) fail(errno, "stat " + path);
        // A file that did not exist holds no lock of ours: creating it with 0600 is safe.
        int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
            return;
        }
        if (errno != EEXIST) fail(errno, "create " + path);
        if (::stat(path.c_str(), &st) != 0) fail(errno, "stat " + path);
    }
    if ((st.st_mode & 077) != 0 && st.st_uid == ::geteuid() && ::chmod(path.c_str(), st.st_mode & 0700) != 0)
        fail(errno, "make " + path + " private");
}

void tightenExistingDatabaseFiles(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::string p = path + suffix;
        std::error_code ec;
        if (fs::exists(p, ec)) makePrivateFile(p);
    }
}

} // namespace comptoir::store
