#pragma once
/// @brief The outbox: immutable events written in the same transaction as each local change.

#include "comptoir/store/db.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace comptoir::store {

struct OutboxEvent {
    std::int64_t seq = 0;
    std::string eventId; ///< UUIDv7
    std::string type;    ///< e.g. "interest.registered"
    int schemaVersion = 1;
    std::string occurredAt;
    std::string kioskId;
    std::string payload; ///< JSON text
};

/// Appends one event. Must be called inside the caller's Transaction so the event and the
/// change it describes commit (or vanish) together. Returns the event id.
std::string appendEvent(Database& db, const std::string& type, int schemaVersion, const std::string& kioskId,
                        const nlohmann::json& payload);

/// Same, for a change an agent made: the payload also carries `agent_id`, the agent's
/// pseudonymous id (never their name; docs/sync-protocol.md), when there is one.
std::string appendAgentEvent(Database& db, const std::string& type, int schemaVersion,
                             const std::string& kioskId, const std::string& agentId, nlohmann::json payload);

/// Same, with the event id and time fixed by the caller (a record prepared before it could be
/// written keeps the id it was given, so a second attempt is recognised).
void appendEventAs(Database& db, const std::string& eventId, const std::string& occurredAt,
                   const std::string& type, int schemaVersion, const std::string& kioskId,
                   const nlohmann::json& payload);

// Reading the events waiting to be sent (and not refused for good): pendingEvents() and
// pendingCount() in sync_state.hpp.

} // namespace comptoir::store
