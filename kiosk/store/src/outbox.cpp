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

std::vector<OutboxEvent> waitingEvents(const Database& db, std::size_t limit) {
    auto s = db.prepare("SELECT seq, event_id, type, schema_version, occurred_at, kiosk_id, payload FROM outbox "
                        "WHERE sent_at IS NULL ORDER BY seq LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<OutboxEvent> out;
    while (s.step())
        out.push_back(OutboxEvent{s.int64(0), s.text(1), s.text(2), s.integer(3), s.text(4), s.text(5), s.text(6)});
    return out;
}

std::int64_t waitingCount(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");
}

} // namespace comptoir::store
