#include "comptoir/store/kiosk_db.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/migrations.hpp"

#include <ctime>
#include <filesystem>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace fs = std::filesystem;

namespace comptoir::store {

namespace {

/// Throws DbError when the file is not a healthy database.
Database openAndCheck(const std::string& path) {
    auto db = Database::open(path);
    std::string first;
    {
        // Finished before migrating: a statement still reading would forbid DROP TABLE.
        auto check = db.prepare("PRAGMA quick_check");
        if (check.step()) first = check.text(0);
    }
    if (first != "ok") {
        // quick_check can list hundreds of damaged pages: one line is enough for the journal.
        auto eol = first.find('\n');
        if (eol != std::string::npos) first = first.substr(0, eol) + " …";
        throw DbError("quick_check", SQLITE_CORRUPT, first.empty() ? "no answer" : first);
    }
    migrate(db);
    return db;
}

} // namespace

OpenedDatabase openKioskDatabase(const std::string& path) {
    std::error_code ec;
    auto parent = fs::path(path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    try {
        return OpenedDatabase{openAndCheck(path), std::nullopt, {}};
    } catch (const DbError& e) {
        // A newer schema is not damage: moving it aside would hide a downgrade mistake.
        if (std::string(e.what()).find("newer than this build") != std::string::npos) throw;
        std::string aside = path + ".damaged-" + localTime("%Y%m%d-%H%M%S");
        for (int n = 2; fs::exists(aside, ec); ++n)
            aside = path + ".damaged-" + localTime("%Y%m%d-%H%M%S") + "-" + std::to_string(n);
        spdlog::error(
            "database {} cannot be used ({}); moving it aside to {} and starting on a fresh database", path,
            e.what(), aside);
        fs::rename(path, aside, ec);
        if (ec) throw DbError("move damaged database aside", 0, ec.message());
        for (const char* suffix : {"-wal", "-shm"}) {
            if (fs::exists(path + suffix, ec)) fs::rename(path + suffix, aside + suffix, ec);
        }
        return OpenedDatabase{openAndCheck(path), aside, e.what()};
    }
}

} // namespace comptoir::store
