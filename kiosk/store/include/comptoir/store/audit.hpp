#pragma once
/// @brief The agents' audit trail: one append-only line per agent action or access attempt.
///
/// A line says who (agent id, or none for a failed PIN), when, what (a short action code such as
/// "login", "introduction.status") and on which record (its id or reference code) — never a
/// name, phone, e-mail or PIN. Write it inside the caller's Transaction, beside the change and
/// its outbox event, so the three commit or vanish together.

#include "comptoir/store/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::store {

enum class AuditOutcome { Ok, Refused, Failed };

struct AuditLine {
    std::int64_t seq = 0;
    std::string at; ///< UTC, ISO 8601
    std::optional<std::string> agentId;
    std::string action;
    std::string subject;
    AuditOutcome outcome = AuditOutcome::Ok;
};

/// Appends one line. `action` is 1..64 characters, `subject` at most 64 (a record id or code);
/// anything longer is refused by the schema (DbError), so free text cannot slip in.
void appendAudit(Database& db, const std::optional<std::string>& agentId, std::string_view action,
                 std::string_view subject = {}, AuditOutcome outcome = AuditOutcome::Ok);

/// The newest `limit` lines, newest first; `agentId` narrows to one agent when set.
[[nodiscard]] std::vector<AuditLine> recentAudit(const Database& db, int limit,
                                                 const std::optional<std::string>& agentId = std::nullopt);

[[nodiscard]] std::string_view toString(AuditOutcome outcome);

} // namespace comptoir::store
