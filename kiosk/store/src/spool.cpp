#include "comptoir/store/spool.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/private_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace comptoir::store {

namespace {

constexpr const char* kSuffix = ".spool.json";
constexpr const char* kFormat = "comptoir-save-spool";

[[noreturn]] void fail(const std::string& what, int err) {
    throw std::runtime_error("save spool: " + what + ": " + std::strerror(err));
}

/// Closes a POSIX descriptor when leaving scope.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

void fsyncPath(const std::string& path, int flags) {
    Fd f{::open(path.c_str(), flags | O_CLOEXEC)};
    if (f.fd < 0) fail("open " + path, errno);
    if (::fsync(f.fd) != 0) fail("fsync " + path, errno);
}

/// Event ids are UUIDs: only hex digits and dashes may become a file name.
bool safeName(const std::string& id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '-';
    });
}

bool isSpoolFile(const fs::directory_entry& e) {
    const std::string name = e.path().filename().string();
    return e.is_regular_file() && name.size() > std::strlen(kSuffix) &&
           name.compare(name.size() - std::strlen(kSuffix), std::string::npos, kSuffix) == 0 &&
           name[0] != '.';
}

/// Spool files sorted by name: UUIDv7 event ids sort by time, so the oldest comes first.
std::vector<fs::path> spoolFiles(const std::string& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (isSpoolFile(*it)) out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

/// Reads one file, bounded; nullopt (with the reason) when it is not a spooled record.
std::optional<SpoolEntry> readEntry(const fs::path& path, std::string& error) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec || size > SaveSpool::kMaxFileBytes) {
        error = ec ? ec.message() : "larger than " + std::to_string(SaveSpool::kMaxFileBytes) + " bytes";
        return std::nullopt;
    }
    std::string text;
    if (!readWholeFile(path.string(), text)) {
        error = "cannot be read";
        return std::nullopt;
    }
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", std::string()) != kFormat ||
        !j.contains("record")) {
        error = "not a save-spool file";
        return std::nullopt;
    }
    auto rec = preparedFromJson(j["record"], error);
    if (!rec) return std::nullopt;
    SpoolEntry e;
    e.file = path.string();
    e.record = std::move(*rec);
    if (auto f = j.find("failure"); f != j.end() && f->is_string())
        e.failure = f->get<std::string>().substr(0, 500);
    if (auto t = j.find("spooled_at"); t != j.end() && t->is_string())
        e.spooledAt = t->get<std::string>().substr(0, 40);
    return e;
}

void setAside(const fs::path& path, const std::string& why) {
    std::error_code ec;
    fs::rename(path, fs::path(path.string() + ".unreadable"), ec);
    spdlog::error("save spool: {} set aside as unreadable ({})", path.filename().string(), why);
}

} // namespace

std::string spoolDirIn(const std::string& dataDir) {
    return dataDir + "/spool";
}

void SaveSpool::put(const PreparedRecord& record, const std::string& failure) const {
    if (!safeName(record.eventId)) throw std::invalid_argument("save spool: the event id cannot name a file");
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec) fail("create " + m_dir, ec.value());
    nlohmann::json j{{"format", kFormat},
                     {"version", 1},
                     {"spooled_at", nowUtcIso8601()},
                     {"failure", failure.substr(0, 500)},
                     {"record", toJson(record)}};
    const std::string text = j.dump();
    try {
        writePrivateFileDurably(m_dir + "/" + record.eventId + kSuffix, text);
    } catch (const std::system_error& e) {
        throw std::runtime_error(std::string("save spool: ") + e.what());
    }
}

std::vector<SpoolEntry> SaveSpool::list(std::size_t limit) const {
    std::vector<SpoolEntry> out;
    for (const auto& p : spoolFiles(m_dir)) {
        if (out.size() >= limit) break;
        std::string error;
        if (auto e = readEntry(p, error)) out.push_back(std::move(*e));
    }
    return out;
}

bool SaveSpool::remove(const std::string& eventId) const {
    if (!safeName(eventId)) return false;
    std::error_code ec;
    return fs::remove(m_dir + "/" + eventId + kSuffix, ec);
}

std::size_t SaveSpool::count() const {
    return spoolFiles(m_dir).size();
}

std::size_t SaveSpool::unreadableCount() const {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::directory_iterator it(m_dir, ec), end; !ec && it != end; it.increment(ec))
        n += it->path().extension() == ".unreadable";
    return n;
}

SpoolImport SaveSpool::importInto(Database& db) const {
    SpoolImport r;
    auto files = spoolFiles(m_dir);
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::string error;
        std::error_code ec;
        if (!fs::exists(files[i], ec)) continue; // imported meanwhile by another process
        auto entry = readEntry(files[i], error);
        if (!entry && !fs::exists(files[i], ec)) continue; // imported meanwhile, while being read
        if (!entry) {
            setAside(files[i], error);
            ++r.unreadable;
            continue;
        }
        try {
            auto outcome = commitRecord(db, entry->record);
            ++(outcome.alreadyThere ? r.alreadyThere : r.imported);
        } catch (const DbError& e) {
            if ((e.code() & 0xff) == SQLITE_CONSTRAINT) {
                // Refused for what it is, not for the database's state: it would block every
                // later record for ever. Set it aside for an agent instead.
                setAside(files[i], e.what());
                ++r.unreadable;
                continue;
            }
            r.lastError = e.what();
            r.left = files.size() - i;
            return r; // the database still refuses: every later file waits for the next attempt
        }
        // Committed (now or before): only then may the file go. A crash right here leaves a file
        // whose record is already stored; the next import recognises it and removes it.
        fs::remove(files[i], ec);
        if (ec)
            spdlog::warn("save spool: {} imported but not removed: {}", files[i].filename().string(),
                         ec.message());
    }
    if (r.imported + r.alreadyThere > 0) {
        try {
            fsyncPath(m_dir, O_RDONLY | O_DIRECTORY);
        } catch (const std::exception& e) {
            spdlog::warn("{}", e.what()); // a file coming back after a power cut is recognised anyway
        }
    }
    return r;
}

} // namespace comptoir::store
