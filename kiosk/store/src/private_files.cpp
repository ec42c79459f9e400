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

namespace {
/// Closes a POSIX descriptor when leaving scope.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};
void fsyncPath(const std::string& path, int flags) {
    Fd f{::open(path.c_str(), flags | O_CLOEXEC)};
    if (f.fd < 0) fail(errno, "open " + path);
    if (::fsync(f.fd) != 0) fail(errno, "fsync " + path);
}
} // namespace

void writePrivateFileDurably(const std::string& path, std::string_view content, bool replace) {
    fs::path target(path);
    const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    const std::string tmp = dir + "/." + target.filename().string() + ".tmp";
    std::error_code ec;
    if (!replace && fs::exists(target, ec)) fail(EEXIST, "create " + path);
    {
        Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)};
        if (f.fd < 0) fail(errno, "create " + tmp);
        // A temporary file left by an earlier crash keeps its mode: pin 0600 before any byte goes in.
        if (::fchmod(f.fd, 0600) != 0) {
            int err = errno;
            ::unlink(tmp.c_str());
            fail(err, "make " + tmp + " private");
        }
        std::size_t done = 0;
        while (done < content.size()) {
            ssize_t n = ::write(f.fd, content.data() + done, content.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                int err = n < 0 ? errno : ENOSPC;
                ::unlink(tmp.c_str());
                fail(err, "write " + tmp);
            }
            done += static_cast<std::size_t>(n);
        }
        if (::fsync(f.fd) != 0) {
            int err = errno;
            ::unlink(tmp.c_str());
            fail(err, "fsync " + tmp);
        }
    }
    // link() refuses an existing name where rename() would replace it.
    if (!replace ? ::link(tmp.c_str(), path.c_str()) != 0 : ::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        fail(err, (replace ? "rename " : "create ") + path);
    }
    if (!replace) ::unlink(tmp.c_str());
    fsyncPath(dir, O_RDONLY | O_DIRECTORY); // the new name itself survives a power cut
}

void tightenExistingDatabaseFiles(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::string p = path + suffix;
        std::error_code ec;
        if (fs::exists(p, ec)) makePrivateFile(p);
    }
}

} // namespace comptoir::store
