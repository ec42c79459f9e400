#include "comptoir/store/agent_inbox.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace comptoir::store {

namespace {

/// "2026-12-03T09:14:00Z" → 20261203; 0 when the text does not start with a date.
std::int32_t ymd(std::string_view t) {
    if (t.size() < 10) return 0;
    std::int32_t v = 0;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (t[i] < '0' || t[i] > '9') return 0;
        v = v * 10 + (t[i] - '0');
    }
    return v;
}

/// Offer titles and statuses repeat over thousands of rows: stored once, looked up without a copy.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

} // namespace

Inbox loadInbox(const Database& db, std::int32_t todayYmd) {
    Inbox inbox;
    // Looked up by view: a row whose title was seen already costs no allocation.
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> detailIndex;
    auto detailOf = [&](const Statement& s, int col) {
        std::string_view text = s.textView(col);
        if (auto it = detailIndex.find(text); it != detailIndex.end()) return it->second;
        auto index = static_cast<std::uint32_t>(inbox.details.size());
        inbox.details.emplace_back(text);
        detailIndex.emplace(std::string(text), index);
        return index;
    };
    auto setReference = [](InboxItem& item, std::string_view ref) {
        std::size_t n = std::min(ref.size(), item.reference.size() - 1);
        std::memcpy(item.reference.data(), ref.data(), n);
    };
    auto raw = [](const Statement& s, int col) { return s.textView(col); };
    auto dateAt = [](const Statement& s, int col) { return ymd(s.textView(col)); };
    char today[16];
    std::snprintf(today, sizeof today, "%04d-%02d-%02d", todayYmd / 10000, todayYmd / 100 % 100,
                  todayYmd % 100);
    // Exactly as many rows as there are (a growing vector would hold up to twice as many).
    {
        auto count = db.prepare(
            "SELECT (SELECT COUNT(*) FROM interest WHERE status = 'new') + (SELECT COUNT(*) FROM "
            "callback_request WHERE status = 'waiting' AND recontact_after <= ?1) + (SELECT COUNT(*) FROM "
            "introduction WHERE status IN ('waiting','proposed','accepted','started') AND next_action_on <= "
            "?1)");
        count.bind(1, std::string_view(today));
        if (count.step())
            inbox.items.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, count.int64(0))));
    }
    {
        auto s = db.prepare(
            "SELECT reference, created_at, personal_id, recontact_after, rowid FROM callback_request "
            "WHERE status = 'waiting' AND recontact_after <= ?1");
        s.bind(1, std::string_view(today));
        while (s.step()) {
            InboxItem item;
            item.kind = InboxItemKind::Callback;
            item.asked = dateAt(s, 1);
            item.due = dateAt(s, 3);
            item.personalId = s.int64(2);
            item.rowId = s.int64(4);
            setReference(item, raw(s, 0));
            inbox.items.push_back(item);
        }
    }
    {
        // Due on its next-action date (set at each move, changed or cleared by the agent): an
        // introduction without one has nothing to do today.
        auto s =
            db.prepare("SELECT i.reference, n.updated_at, i.personal_id, n.status, n.rowid, n.next_action_on "
                       "FROM introduction n JOIN interest i ON i.id = n.interest_id "
                       "WHERE n.status IN ('waiting','proposed','accepted','started') "
                       "AND n.next_action_on <= ?1");
        s.bind(1, std::string_view(today));
        while (s.step()) {
            InboxItem item;
            item.kind = InboxItemKind::Introduction;
            item.asked = dateAt(s, 1);
            item.due = dateAt(s, 5);
            item.personalId = s.int64(2);
            item.detail = detailOf(s, 3);
            item.rowId = s.int64(4);
            setReference(item, raw(s, 0));
            inbox.items.push_back(item);
        }
    }
    // Most urgent first: oldest due date, then call-backs, introductions, new interests; within
    // those, a total order (the same inbox every time).
    auto urgent = [](const InboxItem& a, const InboxItem& b) {
        if (a.due != b.due) return a.due < b.due;
        return a.kind < b.kind;
    };
    std::sort(inbox.items.begin(), inbox.items.end(), [&](const InboxItem& a, const InboxItem& b) {
        if (urgent(a, b) || urgent(b, a)) return urgent(a, b);
        return a.rowId < b.rowId;
    });
    const auto firstInterest = static_cast<std::ptrdiff_t>(inbox.items.size());
    {
        // The new interests come in due order from their index (the bulk of the inbox: no
        // sort), then are merged with the few call-backs and introductions.
        auto s =
            db.prepare("SELECT reference, created_at, personal_id, offer_title, reach = 'at_counter', rowid "
                       "FROM interest WHERE status = 'new' ORDER BY created_at, reference");
        while (s.step()) {
            InboxItem item;
            item.kind = InboxItemKind::Interest;
            item.asked = dateAt(s, 1);
            item.due = item.asked;
            item.personalId = s.int64(2);
            item.detail = detailOf(s, 3);
            item.atCounter = s.int64(4) != 0;
            item.rowId = s.int64(5);
            setReference(item, raw(s, 0));
            inbox.items.push_back(item);
        }
    }
    auto mid = inbox.items.begin() + firstInterest;
    // A creation time that is not a date (0) would break the order: sorted then, like the rest.
    if (!std::is_sorted(mid, inbox.items.end(), urgent)) std::stable_sort(mid, inbox.items.end(), urgent);
    std::inplace_merge(inbox.items.begin(), mid, inbox.items.end(), urgent);
    return inbox;
}

std::string inboxRecordId(const Database& db, const InboxItem& item) {
    const char* sql = item.kind == InboxItemKind::Interest ? "SELECT id FROM interest WHERE rowid = ?1"
                      : item.kind == InboxItemKind::Callback
                          ? "SELECT id FROM callback_request WHERE rowid = ?1"
                          : "SELECT id FROM introduction WHERE rowid = ?1";
    auto s = db.prepare(sql);
    s.bind(1, item.rowId);
    return s.step() ? s.text(0) : std::string();
}

std::vector<std::vector<unsigned char>> sealedContacts(const Database& db,
                                                       const std::vector<std::int64_t>& ids) {
    std::vector<std::vector<unsigned char>> out;
    out.reserve(ids.size());
    auto s = db.prepare("SELECT sealed FROM personal WHERE id = ?1");
    for (auto id : ids) {
        s.reset();
        s.bind(1, id);
        out.push_back(s.step() && !s.isNull(0) ? s.blob(0) : std::vector<unsigned char>{});
    }
    return out;
}

} // namespace comptoir::store
