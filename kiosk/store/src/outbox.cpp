#include "comptoir/store/outbox.hpp"

#include "comptoir/domain/ids.hpp"

namespace comptoir::store {

void appendEventAs(Database& db, const std::string& eventId, const std::string& occurredAt,
                   const std::string& type, int schemaVersion, const std::string& kioskId,
                   const nlohmann::json& payload) {
    db.prepare("INSERT INTO outbox(event_id, type, schema_version, occurred_at, kiosk_id, payload) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, eventId)
        .bind(2, type)
        .bind(3, schemaVersion)
        .bind(4, occurredAt)
        .bind(5, kioskId)
        .bind(6, payload.dump())
        .run();
}

std::string appendEvent(Database& db, const std::string& type, int schemaVersion, const std::string& kioskId,
                        const nlohmann::json& payload) {
    std::string id = newUuidV7();
    appendEventAs(db, id, nowUtcIso8601(), type, schemaVersion, kioskId, payload);
    return id;
}

std::string appendAgentEvent(Database& db, const std::string& type, int schemaVersion,
                             const std::string& kioskId, const std::string& agentId, nlohmann::json payload) {
    if (!agentId.empty()) payload["agent_id"] = agentId;
    return appendEvent(db, type, schemaVersion, kioskId, payload);
}

} // namespace comptoir::store
