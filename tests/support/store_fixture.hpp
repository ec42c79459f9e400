#pragma once
/// @brief Test support: a fresh, migrated kiosk database with its sealing key, in a temp folder.

#include "comptoir/store/db.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "temp_dir.hpp"

namespace comptoir::test {

struct StoreFixture {
    TempDir dir;
    store::Database db = store::Database::open(dir.file("kiosk.db"));
    StoreFixture() {
        store::migrate(db);
        store::Keyring::create(db, "135790", store::PinCost::minimum());
    }
};

} // namespace comptoir::test
