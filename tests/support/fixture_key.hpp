#pragma once
// Test fixtures create the kiosk's keyring with Keyring::create(db, pin, …), which gives it to
// one agent; this opens it again as that agent would log in.
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/sealing.hpp"

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace comptoir::test {

inline std::optional<store::SecretKey> unlockFixtureKey(store::Database& db, std::string_view pin) {
    std::string agentId;
    {
        auto s = db.prepare("SELECT id FROM agent ORDER BY created_at LIMIT 1");
        if (!s.step()) return std::nullopt;
        agentId = s.text(0);
    }
    auto r = store::login(db, agentId, pin, static_cast<std::int64_t>(std::time(nullptr)));
    return std::move(r.key);
}

} // namespace comptoir::test
