#pragma once
/// @brief What an agent has to do next: new interests, call-backs that are due, introductions
/// whose next step is due — one compact list sorted by urgency, built without opening any
/// sealed contact detail (names and phones are unsealed by agent mode, only while logged in).

#include "comptoir/store/db.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace comptoir::store {

enum class InboxItemKind : std::uint8_t { Callback, Introduction, Interest };

/// One row, small and flat: 100,000 of them sort in a few milliseconds.
struct InboxItem {
    InboxItemKind kind = InboxItemKind::Interest;
    bool atCounter = false;           ///< registered with no phone nor e-mail: "passera au Comptoir"
    std::int32_t due = 0;             ///< YYYYMMDD: when it became something to do
    std::int32_t asked = 0;           ///< YYYYMMDD: when the visitor asked
    std::int64_t personalId = 0;      ///< the sealed contact row (0: none, or purged)
    std::int64_t rowId = 0;           ///< SQLite rowid of the interest, call-back or introduction
    std::uint32_t detail = 0;         ///< index into Inbox::details (offer title, introduction status)
    std::array<char, 16> reference{}; ///< NUL-terminated
};

struct Inbox {
    std::vector<InboxItem>
        items; ///< most urgent first: oldest due date, then call-backs, introductions, interests
    std::vector<std::string> details;
};

/// Builds the inbox for `todayYmd` (YYYYMMDD): new interests, call-backs whose date has come,
/// open introductions whose next-action date has come (one without a date waits for nothing).
[[nodiscard]] Inbox loadInbox(const Database& db, std::int32_t todayYmd);

/// The id of the record an inbox row stands for (interest, call-back or introduction); "" when
/// it is gone meanwhile.
[[nodiscard]] std::string inboxRecordId(const Database& db, const InboxItem& item);

/// The sealed contact blobs of these personal rows, in order (empty when purged).
[[nodiscard]] std::vector<std::vector<unsigned char>>
sealedContacts(const Database& db, const std::vector<std::int64_t>& personalIds);

} // namespace comptoir::store
