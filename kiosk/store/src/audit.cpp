#include "comptoir/store/audit.hpp"

#include "comptoir/domain/ids.hpp"

namespace comptoir::store {

std::string_view toString(AuditOutcome outcome) {
    switch (outcome) {
    case AuditOutcome::Ok: return "ok";
    case AuditOutcome::Refused: return "refused";
    case AuditOutcome::Failed: return "failed";
    }
    return "failed";
}

namespace {
AuditOutcome outcomeFrom(std::string_view text) {
    if (text == "ok") return AuditOutcome::Ok;
    if (text == "refused") return AuditOutcome::Refused;
    return AuditOutcome::Failed;
}
} // namespace

void appendAudit(Database& db, const std::optional<std::string>& agentId, std::string_view action,
                 std::string_view subject, AuditOutcome outcome) {
    db.prepare("INSERT INTO audit(at, agent_id, action, subject, outcome) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, nowUtcIso8601())
        .bindOptional(2, agentId)
        .bind(3, action)
        .bind(4, subject)
        .bind(5, toString(outcome))
        .run();
}

std::vector<AuditLine> recentAudit(const Database& db, int limit, const std::optional<std::string>& agentId) {
    auto s = db.prepare(agentId ? "SELECT seq, at, agent_id, action, subject, outcome FROM audit WHERE agent_id = ?2 "
                                  "ORDER BY seq DESC LIMIT ?1"
                                : "SELECT seq, at, agent_id, action, subject, outcome FROM audit "
                                  "ORDER BY seq DESC LIMIT ?1");
    s.bind(1, limit);
    if (agentId) s.bind(2, *agentId);
    std::vector<AuditLine> lines;
    while (s.step()) {
        AuditLine l;
        l.seq = s.int64(0);
        l.at = s.text(1);
        if (!s.isNull(2)) l.agentId = s.text(2);
        l.action = s.text(3);
        l.subject = s.text(4);
        l.outcome = outcomeFrom(s.text(5));
        lines.push_back(std::move(l));
    }
    return lines;
}

} // namespace comptoir::store
