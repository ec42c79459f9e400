#include "comptoir/store/outbox.hpp"

#include "comptoir/domain/ids.hpp"

namespace comptoir::store {

std::string appendEvent(Database& db, const std::string& type, int schemaVersion, const std::string& kioskId,
                        const nlohmann::json& payload) {
    std::string id = newUuidV7();
    db.prepare("INSERT INTO outbox(event_id, type, schema_version, occurred_at, kiosk_id, payload) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, id)
        .bind(2, type)
        .bind(3, schemaVersion)
        .bind(4, nowUtcIso8601())
        .bind(5, kioskId)
        .bind(6, payload.dump())
        .run();
    return id;
}

} // namespace comptoir::store
