// The central server's SQLite storage: schema, event ingestion and folding, catalogue versions.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/sync/central.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sodium.h>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace comptoir::sync::central {

using nlohmann::json;
using store::Database;
using store::Transaction;

namespace {

// One step per schema version, like the kiosk's own migrations. Never edit a shipped step.
constexpr std::array<const char*, 3> kCentralMigrations = {
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE kiosk (
  kiosk_id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE event (
  event_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, payload TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE registration (
  interest_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, reference TEXT NOT NULL, offer_id TEXT NOT NULL,
  offer_title TEXT NOT NULL, preferred_moment TEXT NOT NULL, consent_version INTEGER NOT NULL,
  created_at TEXT NOT NULL, personal_sealed TEXT NOT NULL, event_id TEXT NOT NULL);
CREATE TABLE callback (
  callback_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, reference TEXT NOT NULL, recontact_after TEXT NOT NULL,
  consent_version INTEGER NOT NULL, created_at TEXT NOT NULL, personal_sealed TEXT NOT NULL, event_id TEXT NOT NULL);
CREATE TABLE feedback (
  feedback_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, context TEXT NOT NULL, score INTEGER NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE introduction (
  introduction_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, interest_id TEXT NOT NULL, organisation_id TEXT NOT NULL,
  status TEXT NOT NULL, reason TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE hours (
  hours_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, introduction_id TEXT NOT NULL, hours REAL NOT NULL,
  done_on TEXT NOT NULL);
CREATE TABLE cat_entity (
  kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX cat_entity_version ON cat_entity(version);
CREATE TABLE media (
  sha256 TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BLOB NOT NULL, version INTEGER NOT NULL);
)sql",
    // 2: tokens can be revoked (refused at once, kept listed).
    R"sql(
ALTER TABLE kiosk ADD COLUMN revoked_at TEXT;
)sql",
    // 3: indicators across kiosks. An introduction keeps its offer and when it was created (its
    // first event's occurred_at); the latest on-site state of each offer; the indicators page's
    // accounts. Earlier introductions are filled from the stored events.
    R"sql(
ALTER TABLE introduction ADD COLUMN offer_id TEXT NOT NULL DEFAULT '';
ALTER TABLE introduction ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
UPDATE introduction SET created_at = x.first_at, offer_id = x.offer_id FROM (
  SELECT json_extract(payload, '$.introduction_id') AS id, MIN(occurred_at) AS first_at,
         COALESCE(MAX(json_extract(payload, '$.offer_id')), '') AS offer_id
  FROM event WHERE type IN ('introduction.created', 'introduction.updated') GROUP BY 1) AS x
WHERE x.id = introduction.introduction_id;
UPDATE introduction SET offer_id = COALESCE(
  (SELECT r.offer_id FROM registration r WHERE r.interest_id = introduction.interest_id), '')
WHERE offer_id = '';
UPDATE introduction SET created_at = updated_at WHERE created_at = '';
CREATE TABLE offer_state (
  offer_id TEXT PRIMARY KEY, state TEXT NOT NULL, changed_at TEXT NOT NULL, kiosk_id TEXT NOT NULL);
INSERT INTO offer_state(offer_id, state, changed_at, kiosk_id)
  SELECT json_extract(payload, '$.offer_id'), json_extract(payload, '$.state'),
         MAX(json_extract(payload, '$.changed_at')), kiosk_id
  FROM event WHERE type = 'offer.state_changed' GROUP BY 1;
CREATE TABLE admin_user (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
)sql",
};

const char* const kKinds[] = {"themes", "neighbourhoods", "organisations", "offers"};
/// Set (to the catalogue version) by an import with withdrawAll; removed by any other import.
const char* const kMetaWithdrawnAt = "withdrawn_at_version";

/// Thrown while validating one event's payload; becomes that event's "rejected" reason.
struct Invalid {
    std::string reason;
};

// Field rules (docs/sync-protocol.md, "Validation"). Every field a kiosk sends is checked for
// type, form and range before anything is written.
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kEarliestMs = 1'577'836'800'000; ///< 2020-01-01: no kiosk wrote anything before
constexpr std::int64_t kMaxAheadMs = kDayMs;            ///< a kiosk clock a day fast is tolerated, no more
constexpr std::size_t kMaxSealedBytes = 64 * 1024;

std::string named(const char* key) {
    return std::string("field '") + key + "'";
}

const json& field(const json& p, const char* key) {
    auto it = p.find(key);
    if (it == p.end()) throw Invalid{std::string("missing field '") + key + "'"};
    return *it;
}

enum class Lines { One, Several };

/// Bounded UTF-8 text without control characters (line breaks only where a person types
/// several lines); NUL and the like make no sense in any field.
std::string text(const json& p, const char* key, std::size_t maxChars, bool allowEmpty = false,
                 Lines lines = Lines::One) {
    const auto& v = field(p, key);
    if (!v.is_string()) throw Invalid{named(key) + " must be text"};
    auto s = v.get<std::string>();
    if (!allowEmpty && s.empty()) throw Invalid{named(key) + " is empty"};
    if (!isValidUtf8(s) || utf8Length(s) > maxChars)
        throw Invalid{named(key) + " is longer than " + std::to_string(maxChars) + " characters"};
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        bool lineBreak = lines == Lines::Several && (c == '\n' || c == '\r' || c == '\t');
        if ((u < 0x20 || u == 0x7F) && !lineBreak) throw Invalid{named(key) + " holds a control character"};
    }
    return s;
}
std::string uuid(const json& p, const char* key) {
    auto v = text(p, key, 36);
    if (!isUuid(v)) throw Invalid{named(key) + " must be a UUID in lower case"};
    return v;
}
std::string catalogueId(const json& p, const char* key) {
    auto v = text(p, key, 40);
    if (!isCatalogueId(v)) throw Invalid{named(key) + " must be a catalogue id (a-z, 0-9, '-')"};
    return v;
}
/// A catalogue offer id, or a kiosk's local one-off offer ("local-" + UUID).
std::string offerId(const json& p) {
    auto v = text(p, "offer_id", 64);
    for (char c : v)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            throw Invalid{"field 'offer_id' may only use a-z, 0-9 and '-'"};
    return v;
}
std::string reference(const json& p) {
    auto v = text(p, "reference", 16);
    for (char c : v)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            throw Invalid{"field 'reference' may only use A-Z, 0-9 and '-'"};
    return v;
}
void checkTimestamp(const std::string& v, const char* key) {
    auto ms = timestampMs(v);
    if (!ms) throw Invalid{named(key) + " must be a UTC time written YYYY-MM-DDTHH:MM:SS.mmmZ"};
    if (*ms < kEarliestMs || *ms > static_cast<std::int64_t>(nowUnixMs()) + kMaxAheadMs)
        throw Invalid{named(key) + " is before 2020 or more than a day ahead of the server's clock"};
}
std::string timestamp(const json& p, const char* key) {
    auto v = text(p, key, 24);
    checkTimestamp(v, key);
    return v;
}
/// A calendar date from 2020 up to `maxDaysAhead` days after today.
std::string date(const json& p, const char* key, std::int64_t maxDaysAhead) {
    auto v = text(p, key, 10);
    auto days = dateDays(v);
    if (!days) throw Invalid{named(key) + " must be a date written YYYY-MM-DD"};
    std::int64_t today = static_cast<std::int64_t>(nowUnixMs()) / kDayMs;
    if (*days < kEarliestMs / kDayMs || *days > today + maxDaysAhead)
        throw Invalid{named(key) + " is before 2020 or too far ahead"};
    return v;
}
std::int64_t integer(const json& p, const char* key, std::int64_t lo, std::int64_t hi) {
    const auto& v = field(p, key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
        throw Invalid{named(key) + " must be a whole number from " + std::to_string(lo) + " to " +
                      std::to_string(hi)};
    return v.get<std::int64_t>();
}
std::string oneOf(const json& p, const char* key, std::initializer_list<const char*> allowed,
                  bool allowEmpty = false) {
    auto v = text(p, key, 32, allowEmpty);
    if (allowEmpty && v.empty()) return v;
    for (const char* a : allowed)
        if (v == a) return v;
    throw Invalid{named(key) + " has an unknown value"};
}
std::string sealedBlob(const json& p) {
    // Empty when the visitor's data was erased on the kiosk before this event was sent.
    auto v = text(p, "personal_sealed", kMaxSealedBytes, true);
    // Stored as is (the server cannot open it); only its shape is checked.
    for (char c : v)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_'))
            throw Invalid{"field 'personal_sealed' is not base64"};
    return v;
}

/// The one answer for a record id that is already taken, whoever holds it: it says nothing of
/// the other record or of its kiosk.
Invalid alreadyUsed(const char* key) {
    return Invalid{named(key) + ": this id is already used by another record"};
}

/// A read transaction that only reads: BEGIN (deferred), rolled back at the end.
class ReadSnapshot {
  public:
    explicit ReadSnapshot(Database& db) : m_db(db) { m_db.exec("BEGIN", "begin a read"); }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;
    ~ReadSnapshot() {
        try {
            m_db.exec("ROLLBACK", "end a read");
        } catch (const std::exception&) {
            // Nothing was written: a failed end of a read loses nothing.
        }
    }

  private:
    Database& m_db;
};

class SqliteStorage final : public CentralStorage {
  public:
    explicit SqliteStorage(const std::string& path) : m_db(Database::open(path)) {
        // The indicators read whole tables: mapped pages spare a copy of each one (reads only;
        // writes still go through the WAL). 256 MiB of address space, not of memory.
        m_db.exec("PRAGMA mmap_size = 268435456", "map the database for reading");
        int v = m_db.userVersion();
        if (v > static_cast<int>(kCentralMigrations.size()))
            throw store::DbError("open central database", 0, "schema is newer than this build");
        for (; v < static_cast<int>(kCentralMigrations.size()); ++v) {
            Transaction tx(m_db);
            m_db.exec(kCentralMigrations[static_cast<std::size_t>(v)], "migrate the central database");
            m_db.exec("PRAGMA user_version = " + std::to_string(v + 1), "set user_version");
            if (v == 0) {
                setMeta("catalogue_version", "0");
                setMeta("catalogue_id", newUuidV7());
            }
            tx.commit();
        }
    }

    std::optional<std::string> kioskForToken(const std::string& token) override {
        std::lock_guard lock(m_mutex);
        auto s = m_db.prepare("SELECT kiosk_id FROM kiosk WHERE token_sha256 = ?1 AND revoked_at IS NULL");
        s.bind(1, sha256Hex(token));
        if (!s.step()) return std::nullopt;
        return s.text(0);
    }

    std::vector<EventResult> ingest(const std::string& kioskId, const std::vector<WireEvent>& events) override {
        std::lock_guard lock(m_mutex);
        std::vector<EventResult> out;
        out.reserve(events.size());
        std::string now = nowUtcIso8601();
        Transaction tx(m_db);
        auto find = m_db.prepare("SELECT kiosk_id, type, payload FROM event WHERE event_id = ?1");
        auto add = m_db.prepare("INSERT INTO event(event_id, kiosk_id, type, schema_version, occurred_at, received_at, "
                                "payload) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        for (const auto& e : events) {
            EventResult r{e.eventId, EventStatus::Accepted, {}};
            try {
                // Ownership first: nothing below may tell one kiosk about another's events.
                if (e.kioskId != kioskId) throw Invalid{"kiosk_id does not match the kiosk of the token"};
                find.bind(1, e.eventId);
                if (find.step()) {
                    bool same =
                        find.text(0) == kioskId && find.text(1) == e.type && find.text(2) == e.payload;
                    find.reset();
                    if (!same) throw Invalid{"this event id is already used by another event"};
                    r.status = EventStatus::Duplicate;
                    out.push_back(std::move(r));
                    continue;
                }
                find.reset();
                checkTimestamp(e.occurredAt, "occurred_at");
                // The fold validates before it writes, so a refused event leaves no row behind.
                fold(e, e.payloadJson);
                add.bind(1, e.eventId).bind(2, e.kioskId).bind(3, e.type).bind(4, e.schemaVersion);
                add.bind(5, e.occurredAt).bind(6, now).bind(7, e.payload).run();
            } catch (const Invalid& why) {
                find.reset();
                r.status = EventStatus::Rejected;
                r.reason = why.reason;
            }
            out.push_back(std::move(r));
        }
        tx.commit();
        return out;
    }

    std::string catalogueDelta(std::int64_t since) override {
        std::lock_guard lock(m_mutex);
        std::int64_t current = std::stoll(meta("catalogue_version"));
        // Unknown history (first pull, or a kiosk ahead of a rebuilt server): send everything.
        bool full = since <= 0 || since > current;
        std::string out = R"({"format":"comptoir-catalogue-delta","format_version":1,"since":)";
        out += std::to_string(full ? 0 : since);
        out += R"(,"catalogue_version":)" + std::to_string(current);
        out += R"(,"full":)";
        out += full ? "true" : "false";
        out += R"(,"catalogue_id":)" + json(meta("catalogue_id")).dump();
        // Only a deliberate `catalogue import --withdraw-all` lets kiosks accept an empty catalogue.
        if (hasMeta(kMetaWithdrawnAt)) out += R"(,"withdraw_all":true)";
        auto rows = m_db.prepare(full ? "SELECT body FROM cat_entity WHERE kind = ?1 AND deleted = 0 ORDER BY position"
                                      : "SELECT body FROM cat_entity WHERE kind = ?1 AND deleted = 0 AND version > ?2 "
                                        "ORDER BY position");
        for (const char* kind : kKinds) {
            out += ",\"" + std::string(kind) + "\":[";
            rows.bind(1, kind);
            if (!full) rows.bind(2, since);
            bool first = true;
            while (rows.step()) {
                if (!first) out += ',';
                first = false;
                out += rows.text(0);
            }
            rows.reset();
            out += ']';
        }
        json deleted = json::object();
        if (!full) {
            auto del = m_db.prepare("SELECT id FROM cat_entity WHERE kind = ?1 AND deleted = 1 AND version > ?2");
            for (const char* kind : kKinds) {
                json ids = json::array();
                del.bind(1, kind).bind(2, since);
                while (del.step()) ids.push_back(del.text(0));
                del.reset();
                deleted[kind] = std::move(ids);
            }
        }
        out += ",\"deleted\":" + deleted.dump();
        json media = json::array();
        auto m = m_db.prepare("SELECT sha256, length(data), content_type FROM media WHERE version > ?1 ORDER BY sha256");
        m.bind(1, full ? std::int64_t{0} : since);
        while (m.step()) media.push_back({{"sha256", m.text(0)}, {"size", m.int64(1)}, {"content_type", m.text(2)}});
        out += ",\"media\":" + media.dump() + "}";
        return out;
    }

    std::int64_t catalogueVersion() override {
        std::lock_guard lock(m_mutex);
        return std::stoll(meta("catalogue_version"));
    }

    std::optional<Media> media(const std::string& sha256) override {
        std::lock_guard lock(m_mutex);
        auto s = m_db.prepare("SELECT content_type, data FROM media WHERE sha256 = ?1");
        s.bind(1, sha256);
        if (!s.step()) return std::nullopt;
        auto blob = s.blob(1);
        return Media{s.text(0), std::string(blob.begin(), blob.end())};
    }

    std::string createKioskToken(const std::string& kioskId) override {
        if (!isKioskId(kioskId)) throw std::invalid_argument(std::string("the kiosk id ") + kKioskIdRule);
        std::array<unsigned char, 32> raw{};
        randombytes_buf(raw.data(), raw.size());
        std::array<char, 64> b64{};
        sodium_bin2base64(b64.data(), b64.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        std::string token = b64.data();
        std::lock_guard lock(m_mutex);
        Transaction tx(m_db);
        m_db.prepare("INSERT INTO kiosk(kiosk_id, token_sha256, created_at) VALUES(?1, ?2, ?3) "
                     "ON CONFLICT(kiosk_id) DO UPDATE SET token_sha256 = excluded.token_sha256, "
                     "created_at = excluded.created_at, revoked_at = NULL")
            .bind(1, kioskId)
            .bind(2, sha256Hex(token))
            .bind(3, nowUtcIso8601())
            .run();
        tx.commit();
        return token;
    }

    std::vector<KioskToken> listKioskTokens() override {
        std::lock_guard lock(m_mutex);
        std::vector<KioskToken> out;
        auto s = m_db.prepare(
            "SELECT kiosk_id, token_sha256, created_at, revoked_at FROM kiosk ORDER BY kiosk_id");
        while (s.step())
            out.push_back(KioskToken{s.text(0), s.text(1).substr(0, 12), s.text(2),
                                     s.isNull(3) ? std::string() : s.text(3)});
        return out;
    }

    bool revokeKioskToken(const std::string& kioskId) override {
        std::lock_guard lock(m_mutex);
        Transaction tx(m_db);
        m_db.prepare("UPDATE kiosk SET revoked_at = ?2 WHERE kiosk_id = ?1 AND revoked_at IS NULL")
            .bind(1, kioskId)
            .bind(2, nowUtcIso8601())
            .run();
        bool changed = m_db.changes() > 0;
        tx.commit();
        return changed;
    }

    CatalogueImportSummary importCatalogue(const Catalogue& catalogue, const CatalogueImportOptions& options) override {
        // Emptying every kiosk must be a decision, never the side effect of a wrong file.
        if (catalogue.offers.empty() && !options.withdrawAll)
            throw CatalogueImportRefused("the catalogue has no offers: importing it would withdraw every offer from "
                                         "every kiosk; give --withdraw-all if that is the intent");
        if (!catalogue.offers.empty() && options.withdrawAll)
            throw CatalogueImportRefused("--withdraw-all is for an empty catalogue, and this one has offers");
        json doc = json::parse(serialiseCatalogue(catalogue));
        std::lock_guard lock(m_mutex);
        CatalogueImportSummary r;
        Transaction tx(m_db);
        std::int64_t next = std::stoll(meta("catalogue_version")) + 1;
        auto existing = m_db.prepare("SELECT id, body, deleted FROM cat_entity WHERE kind = ?1");
        auto upsert = m_db.prepare(
            "INSERT INTO cat_entity(kind, id, version, position, deleted, body) VALUES(?1, ?2, ?3, ?4, 0, ?5) "
            "ON CONFLICT(kind, id) DO UPDATE SET version = excluded.version, position = excluded.position, "
            "deleted = 0, body = excluded.body");
        auto move = m_db.prepare("UPDATE cat_entity SET position = ?3 WHERE kind = ?1 AND id = ?2");
        auto remove = m_db.prepare("UPDATE cat_entity SET deleted = 1, version = ?3 WHERE kind = ?1 AND id = ?2");
        for (const char* kind : kKinds) {
            std::unordered_map<std::string, std::pair<std::string, bool>> before;
            existing.bind(1, kind);
            while (existing.step()) before[existing.text(0)] = {existing.text(1), existing.integer(2) != 0};
            existing.reset();
            std::set<std::string> present;
            std::int64_t position = 0;
            for (const auto& entry : doc[kind]) {
                std::string id = entry["id"].get<std::string>();
                std::string body = entry.dump();
                present.insert(id);
                auto it = before.find(id);
                if (it != before.end() && !it->second.second && it->second.first == body) {
                    move.bind(1, kind).bind(2, id).bind(3, position++).run();
                    ++r.unchanged;
                    continue;
                }
                upsert.bind(1, kind).bind(2, id).bind(3, next).bind(4, position++).bind(5, body).run();
                ++r.changed;
            }
            for (const auto& [id, state] : before)
                if (!state.second && !present.count(id)) {
                    remove.bind(1, kind).bind(2, id).bind(3, next).run();
                    ++r.deleted;
                }
        }
        if (r.changed + r.deleted > 0) setMeta("catalogue_version", std::to_string(next));
        r.version = std::stoll(meta("catalogue_version"));
        if (options.withdrawAll) setMeta(kMetaWithdrawnAt, std::to_string(r.version));
        else m_db.prepare("DELETE FROM meta WHERE key = ?1").bind(1, kMetaWithdrawnAt).run();
        tx.commit();
        return r;
    }

    std::string addMedia(const std::string& contentType, const std::string& data) override {
        std::string sha = sha256Hex(data);
        std::lock_guard lock(m_mutex);
        Transaction tx(m_db);
        auto exists = m_db.prepare("SELECT 1 FROM media WHERE sha256 = ?1");
        exists.bind(1, sha);
        if (!exists.step()) {
            std::int64_t next = std::stoll(meta("catalogue_version")) + 1;
            m_db.prepare("INSERT INTO media(sha256, content_type, data, version) VALUES(?1, ?2, ?3, ?4)")
                .bind(1, sha)
                .bind(2, contentType)
                .bindBlob(3, std::vector<unsigned char>(data.begin(), data.end()))
                .bind(4, next)
                .run();
            setMeta("catalogue_version", std::to_string(next));
        }
        tx.commit();
        return sha;
    }

    void exportRegistrationsCsv(std::ostream& out) override {
        std::lock_guard lock(m_mutex);
        out << "kiosk_id,reference,interest_id,offer_id,offer_title,preferred_moment,consent_version,created_at,"
               "personal_sealed\r\n";
        auto s = m_db.prepare("SELECT kiosk_id, reference, interest_id, offer_id, offer_title, preferred_moment, "
                              "consent_version, created_at, personal_sealed FROM registration ORDER BY created_at, "
                              "interest_id");
        while (s.step()) {
            for (int c = 0; c < 9; ++c) {
                if (c) out << ',';
                out << csvCell(s.text(c));
            }
            out << "\r\n";
        }
    }

    void forEachSealedRecord(const std::function<void(const SealedRecord&)>& visit) override {
        std::lock_guard lock(m_mutex);
        auto r = m_db.prepare("SELECT interest_id, kiosk_id, reference, created_at, offer_id, offer_title, "
                              "preferred_moment, consent_version, personal_sealed FROM registration "
                              "ORDER BY created_at, interest_id");
        SealedRecord rec;
        rec.kind = "interest";
        while (r.step()) {
            rec.recordId = r.text(0);
            rec.kioskId = r.text(1);
            rec.reference = r.text(2);
            rec.createdAt = r.text(3);
            rec.offerId = r.text(4);
            rec.offerTitle = r.text(5);
            rec.preferredMoment = r.text(6);
            rec.consentVersion = r.int64(7);
            rec.personalSealed = r.text(8);
            visit(rec);
        }
        auto c = m_db.prepare(
            "SELECT callback_id, kiosk_id, reference, created_at, recontact_after, consent_version, "
            "personal_sealed FROM callback ORDER BY created_at, callback_id");
        rec = SealedRecord{};
        rec.kind = "callback";
        while (c.step()) {
            rec.recordId = c.text(0);
            rec.kioskId = c.text(1);
            rec.reference = c.text(2);
            rec.createdAt = c.text(3);
            rec.recontactAfter = c.text(4);
            rec.consentVersion = c.int64(5);
            rec.personalSealed = c.text(6);
            visit(rec);
        }
    }

    std::int64_t eventCount() override {
        std::lock_guard lock(m_mutex);
        return store::queryInt(m_db, "SELECT COUNT(*) FROM event");
    }
    std::int64_t distinctEventCount() override {
        std::lock_guard lock(m_mutex);
        return store::queryInt(m_db, "SELECT COUNT(DISTINCT event_id) FROM event");
    }

    IndicatorInput indicatorInput() override {
        std::lock_guard lock(m_mutex);
        // One read transaction (a deferred one: writers in other processes are not held up),
        // so every table is seen at the same moment.
        ReadSnapshot snapshot(m_db);
        IndicatorInput in;
        std::unordered_map<std::string, int> taken;
        {
            auto s = m_db.prepare("SELECT offer_id, COUNT(*) FROM introduction WHERE status IN ('accepted', "
                                  "'started') GROUP BY offer_id");
            while (s.step()) taken[s.text(0)] = static_cast<int>(s.int64(1));
        }
        std::unordered_map<std::string, std::string> onSite;
        {
            auto s = m_db.prepare("SELECT offer_id, state FROM offer_state");
            while (s.step()) onSite[s.text(0)] = s.text(1);
        }
        {
            auto s = m_db.prepare("SELECT body FROM cat_entity WHERE kind = 'offers' AND deleted = 0");
            while (s.step()) {
                // Bodies were validated at import; a field that is missing counts as "not open".
                auto o = json::parse(s.text(0), nullptr, false);
                if (!o.is_object()) continue;
                auto str = [&](const char* k) { return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : ""; };
                auto num = [&](const char* k) { return o.contains(k) && o[k].is_number_integer() ? o[k].get<int>() : 0; };
                OfferStatus status = OfferStatus::Paused;
                bool known = parseOfferStatus(str("status"), status);
                std::string id = str("id");
                auto t = taken.find(id);
                auto st = onSite.find(id);
                bool markedShut = st != onSite.end() && (st->second == "full" || st->second == "closed");
                bool open = known && isOpenOffer(status, o.value("registration_open", false), num("places_wanted"),
                                                 num("places_left"), t == taken.end() ? 0 : t->second, markedShut);
                in.offers.push_back({id, str("organisation"), str("theme"), str("neighbourhood"), open});
            }
        }
        {
            // Dates cut to the day (all the indicators use): short strings need no allocation.
            auto s = m_db.prepare("SELECT interest_id, offer_id, substr(created_at, 1, 10), CASE WHEN personal_sealed = "
                                  "'' THEN 1 ELSE 0 END, kiosk_id FROM registration");
            while (s.step()) in.interests.push_back({s.text(0), s.text(1), s.text(2), s.int64(3) != 0, s.text(4)});
        }
        {
            auto s = m_db.prepare("SELECT introduction_id, interest_id, offer_id, organisation_id, "
                                  "substr(created_at, 1, 10), status, kiosk_id FROM introduction");
            while (s.step()) {
                IndicatorIntroduction n{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), IntroStatus::Proposed,
                                        s.text(6)};
                // "sent" from older kiosks stays "proposed", the default.
                (void)parseIntroStatus(s.text(5), n.status);
                in.introductions.push_back(std::move(n));
            }
        }
        {
            auto s = m_db.prepare("SELECT introduction_id, done_on, hours, kiosk_id FROM hours");
            while (s.step()) in.hours.push_back({s.text(0), s.text(1), s.real(2), s.text(3)});
        }
        {
            auto s = m_db.prepare("SELECT substr(created_at, 1, 10), score, kiosk_id FROM feedback");
            while (s.step()) in.feedback.push_back({s.text(0), static_cast<int>(s.int64(1)), s.text(2)});
        }
        return in;
    }

    CatalogueNames catalogueNames() override {
        std::lock_guard lock(m_mutex);
        CatalogueNames names;
        auto s = m_db.prepare("SELECT kind, body FROM cat_entity WHERE kind IN ('themes', 'neighbourhoods') AND "
                              "deleted = 0");
        while (s.step()) {
            auto o = json::parse(s.text(1), nullptr, false);
            if (!o.is_object() || !o.contains("id") || !o["id"].is_string() || !o.contains("name") ||
                !o["name"].is_string())
                continue;
            (s.text(0) == "themes" ? names.themes : names.neighbourhoods)[o["id"].get<std::string>()] =
                o["name"].get<std::string>();
        }
        return names;
    }

    void setAdminUser(const std::string& name, const std::string& passwordHash) override {
        std::lock_guard lock(m_mutex);
        m_db.prepare("INSERT INTO admin_user(name, password_hash, created_at) VALUES(?1, ?2, ?3) ON CONFLICT(name) "
                     "DO UPDATE SET password_hash = excluded.password_hash")
            .bind(1, name)
            .bind(2, passwordHash)
            .bind(3, nowUtcIso8601())
            .run();
    }
    std::optional<std::string> adminPasswordHash(const std::string& name) override {
        std::lock_guard lock(m_mutex);
        auto s = m_db.prepare("SELECT password_hash FROM admin_user WHERE name = ?1");
        s.bind(1, name);
        if (!s.step()) return std::nullopt;
        return s.text(0);
    }
    std::vector<AdminUser> listAdminUsers() override {
        std::lock_guard lock(m_mutex);
        std::vector<AdminUser> out;
        auto s = m_db.prepare("SELECT name, created_at FROM admin_user ORDER BY name");
        while (s.step()) out.push_back({s.text(0), s.text(1)});
        return out;
    }
    bool removeAdminUser(const std::string& name) override {
        std::lock_guard lock(m_mutex);
        m_db.prepare("DELETE FROM admin_user WHERE name = ?1").bind(1, name).run();
        return m_db.changes() > 0;
    }

  private:
    bool hasMeta(const std::string& key) const {
        auto s = m_db.prepare("SELECT 1 FROM meta WHERE key = ?1");
        s.bind(1, key);
        return s.step();
    }
    std::string meta(const std::string& key) const {
        auto s = m_db.prepare("SELECT value FROM meta WHERE key = ?1");
        s.bind(1, key);
        if (!s.step()) throw store::DbError("read central meta", 0, "missing key " + key);
        return s.text(0);
    }
    void setMeta(const std::string& key, const std::string& value) {
        m_db.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(1, key)
            .bind(2, value)
            .run();
    }

    /// A statement prepared once per connection; bindings cleared if validation stops half-way.
    store::Statement& cached(const char* sql) {
        auto it = m_statements.find(sql);
        if (it == m_statements.end()) it = m_statements.emplace(sql, m_db.prepare(sql)).first;
        return it->second;
    }

    /// Validates one event by type and version and writes what it means. Throws Invalid
    /// before writing anything when the payload is not acceptable.
    void fold(const WireEvent& e, const json& p) {
        try {
            foldChecked(e, p);
        } catch (const Invalid&) {
            for (auto& [sql, st] : m_statements) st.reset();
            throw;
        }
    }

    /// True when `select` finds a row for `a` (and `b`, for a second parameter).
    bool found(const char* select, const std::string& a, const std::string& b = {}) {
        auto& s = cached(select);
        s.bind(1, a);
        if (!b.empty()) s.bind(2, b);
        bool any = s.step();
        s.reset();
        return any;
    }
    void requireUnused(const char* select, const std::string& id, const char* key) {
        if (found(select, id)) throw alreadyUsed(key);
    }

    void foldChecked(const WireEvent& e, const json& p) {
        auto onlyVersion1 = [&] {
            if (e.schemaVersion != 1)
                throw Invalid{"schema_version " + std::to_string(e.schemaVersion) + " of " + e.type +
                              " is not known to this server"};
        };
        // Each branch reads and checks every field first, then checks the ids against what is
        // stored, then writes: a record is never created twice, nor changed by another kiosk.
        if (e.type == "interest.registered") {
            onlyVersion1();
            auto id = uuid(p, "interest_id");
            auto ref = reference(p);
            // A kiosk's local one-off offer ("local-" + UUID) is registered for too.
            auto offer = offerId(p);
            auto title = text(p, "offer_title", 200);
            auto moment = p.contains("preferred_moment")
                              ? oneOf(p, "preferred_moment", {"morning", "afternoon", "evening", "any"}, true)
                              : std::string();
            auto consent = integer(p, "consent_version", 1, 1000);
            auto created = timestamp(p, "created_at");
            auto sealed = sealedBlob(p);
            requireUnused("SELECT 1 FROM registration WHERE interest_id = ?1", id, "interest_id");
            cached("INSERT INTO registration(interest_id, kiosk_id, reference, offer_id, offer_title, "
                   "preferred_moment, consent_version, created_at, personal_sealed, event_id) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                .bind(1, id)
                .bind(2, e.kioskId)
                .bind(3, ref)
                .bind(4, offer)
                .bind(5, title)
                .bind(6, moment)
                .bind(7, consent)
                .bind(8, created)
                .bind(9, sealed)
                .bind(10, e.eventId)
                .run();
        } else if (e.type == "callback.requested") {
            onlyVersion1();
            auto id = uuid(p, "callback_id");
            auto ref = reference(p);
            auto after = date(p, "recontact_after", 3 * 366);
            // Optional (kiosks before it do not send them): the full offer the call-back was asked
            // from. Checked like an interest's; kept in the stored event.
            if (p.contains("offer_id")) {
                (void)offerId(p);
                (void)text(p, "offer_title", 200);
            }
            auto consent = integer(p, "consent_version", 1, 1000);
            auto created = timestamp(p, "created_at");
            auto sealed = sealedBlob(p);
            requireUnused("SELECT 1 FROM callback WHERE callback_id = ?1", id, "callback_id");
            cached("INSERT INTO callback(callback_id, kiosk_id, reference, recontact_after, consent_version, "
                   "created_at, personal_sealed, event_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .bind(1, id)
                .bind(2, e.kioskId)
                .bind(3, ref)
                .bind(4, after)
                .bind(5, consent)
                .bind(6, created)
                .bind(7, sealed)
                .bind(8, e.eventId)
                .run();
        } else if (e.type == "feedback.given") {
            onlyVersion1();
            auto id = uuid(p, "feedback_id");
            auto context = oneOf(p, "context", {"after_registration", "leaving"});
            auto score = integer(p, "score", 1, 4);
            auto created = timestamp(p, "created_at");
            requireUnused("SELECT 1 FROM feedback WHERE feedback_id = ?1", id, "feedback_id");
            cached("INSERT INTO feedback(feedback_id, kiosk_id, context, score, created_at) VALUES(?1, ?2, "
                   "?3, ?4, ?5)")
                .bind(1, id)
                .bind(2, e.kioskId)
                .bind(3, context)
                .bind(4, score)
                .bind(5, created)
                .run();
        } else if (e.type == "introduction.updated" || e.type == "introduction.created") {
            onlyVersion1();
            auto id = uuid(p, "introduction_id");
            auto interest = uuid(p, "interest_id");
            auto organisation = catalogueId(p, "organisation_id");
            auto status =
                oneOf(p, "status",
                      {"waiting", "proposed", "sent", "accepted", "started", "completed", "declined", "cancelled",
                       "no_show"});
            auto reason =
                p.contains("reason") ? text(p, "reason", 1000, true, Lines::Several) : std::string();
            auto updated = timestamp(p, "updated_at");
            // Older kiosks do not send the offer: the registration's is taken.
            auto offer = p.contains("offer_id") ? offerId(p) : std::string();
            auto& held = cached("SELECT kiosk_id, interest_id FROM introduction WHERE introduction_id = ?1");
            held.bind(1, id);
            std::optional<std::pair<std::string, std::string>> existing;
            if (held.step()) existing.emplace(held.text(0), held.text(1));
            held.reset();
            if (existing && existing->first != e.kioskId) throw alreadyUsed("introduction_id");
            if (existing && existing->second != interest)
                throw Invalid{"field 'interest_id' differs from the one this introduction was created with"};
            if (!existing &&
                !found("SELECT 1 FROM registration WHERE interest_id = ?1 AND kiosk_id = ?2", interest, e.kioskId))
                throw Invalid{"field 'interest_id' is not a registration received from this kiosk"};
            // Latest update wins, whatever order the events arrive in; an older one stays in
            // the event log without changing the introduction.
            cached(
                "INSERT INTO introduction(introduction_id, kiosk_id, interest_id, organisation_id, status, "
                "reason, updated_at, offer_id, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, COALESCE(NULLIF(?8, ''), "
                "(SELECT offer_id FROM registration WHERE interest_id = ?3), ''), ?9) ON CONFLICT(introduction_id) DO "
                "UPDATE SET status = excluded.status, reason = excluded.reason, updated_at = "
                "excluded.updated_at, organisation_id = excluded.organisation_id, offer_id = excluded.offer_id "
                "WHERE excluded.updated_at >= introduction.updated_at AND introduction.kiosk_id = "
                "excluded.kiosk_id")
                .bind(1, id)
                .bind(2, e.kioskId)
                .bind(3, interest)
                .bind(4, organisation)
                .bind(5, status)
                .bind(6, reason)
                .bind(7, updated)
                .bind(8, offer)
                .bind(9, e.occurredAt)
                .run();
            // Created when its first event was written, whatever order the events arrive in.
            cached("UPDATE introduction SET created_at = ?2 WHERE introduction_id = ?1 AND created_at > ?2")
                .bind(1, id)
                .bind(2, e.occurredAt)
                .run();
        } else if (e.type == "hours.logged") {
            onlyVersion1();
            auto id = uuid(p, "hours_id");
            auto introduction = uuid(p, "introduction_id");
            const auto& h = field(p, "hours");
            if (!h.is_number() || !(h.get<double>() > 0 && h.get<double>() <= 24))
                throw Invalid{"field 'hours' must be a number above 0 and at most 24"};
            auto doneOn = date(p, "done_on", 1);
            if (!found("SELECT 1 FROM introduction WHERE introduction_id = ?1 AND kiosk_id = ?2", introduction,
                       e.kioskId))
                throw Invalid{"field 'introduction_id' is not an introduction received from this kiosk"};
            requireUnused("SELECT 1 FROM hours WHERE hours_id = ?1", id, "hours_id");
            cached("INSERT INTO hours(hours_id, kiosk_id, introduction_id, hours, done_on) VALUES(?1, ?2, "
                   "?3, ?4, ?5)")
                .bind(1, id)
                .bind(2, e.kioskId)
                .bind(3, introduction)
                .bind(4, h.get<double>())
                .bind(5, doneOn)
                .run();
        } else if (e.type == "offer.state_changed") {
            onlyVersion1();
            // Kept in the event table for the CCAS; the catalogue it publishes stays its own call.
            auto offer = offerId(p);
            auto state = oneOf(p, "state", {"full", "closed", "open"});
            auto changed = timestamp(p, "changed_at");
            // The latest change any kiosk made, for the indicators' open offers.
            cached("INSERT INTO offer_state(offer_id, state, changed_at, kiosk_id) VALUES(?1, ?2, ?3, ?4) "
                   "ON CONFLICT(offer_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at, "
                   "kiosk_id = excluded.kiosk_id WHERE excluded.changed_at >= offer_state.changed_at")
                .bind(1, offer)
                .bind(2, state)
                .bind(3, changed)
                .bind(4, e.kioskId)
                .run();
        } else if (e.type == "offer.added_locally") {
            onlyVersion1();
            (void)offerId(p);
            (void)timestamp(p, "created_at");
            if (!field(p, "offer").is_object()) throw Invalid{"field 'offer' must be an object"};
        } else if (e.type == "visitor.erased") {
            onlyVersion1();
            foldErasure(e, p);
        } else {
            throw Invalid{"unknown event type '" + e.type + "'"};
        }
    }

    /// GDPR art. 17 asked at the kiosk: the sealed copies of that record's personal data go, in
    /// the folded table and in the stored events; the rest (reference, offer, dates) stays.
    void foldErasure(const WireEvent& e, const json& p) {
        std::string kind = oneOf(p, "record_kind", {"interest", "callback"});
        std::string id = uuid(p, "record_id");
        (void)reference(p);
        (void)timestamp(p, "erased_at");
        bool interest = kind == "interest";
        // Freed pages are overwritten, so the erased bytes do not linger in the file.
        m_db.exec("PRAGMA secure_delete = ON", "erase securely");
        cached(interest ? "UPDATE registration SET personal_sealed = '' WHERE kiosk_id = ?1 AND interest_id = ?2"
                        : "UPDATE callback SET personal_sealed = '' WHERE kiosk_id = ?1 AND callback_id = ?2")
            .bind(1, e.kioskId)
            .bind(2, id)
            .run();
        cached(interest ? "UPDATE event SET payload = json_set(payload, '$.personal_sealed', '') WHERE kiosk_id = ?1 "
                          "AND type = 'interest.registered' AND json_extract(payload, '$.interest_id') = ?2"
                        : "UPDATE event SET payload = json_set(payload, '$.personal_sealed', '') WHERE kiosk_id = ?1 "
                          "AND type = 'callback.requested' AND json_extract(payload, '$.callback_id') = ?2")
            .bind(1, e.kioskId)
            .bind(2, id)
            .run();
    }

    std::mutex m_mutex;
    Database m_db;
    std::unordered_map<const char*, store::Statement> m_statements; ///< keyed by the literal's address
};

} // namespace

std::string csvCell(const std::string& v, char separator) {
    std::string cell = v;
    // A spreadsheet would run a cell starting with these as a formula (OWASP "CSV injection"),
    // including the full-width forms that some spreadsheets fold to ASCII.
    static constexpr std::string_view kFormulaStarts[] = {"=",  "+",      "-",      "@",      "\t",    "\r",
                                                          "\n", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"};
    for (auto start : kFormulaStarts)
        if (cell.compare(0, start.size(), start) == 0) {
            cell.insert(cell.begin(), '\'');
            break;
        }
    const char special[] = {separator, '"', '\r', '\n', '\0'};
    if (cell.find_first_of(special) == std::string::npos) return cell;
    std::string q = "\"";
    for (char c : cell) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

std::unique_ptr<CentralStorage> openSqliteStorage(const std::string& path) {
    return std::make_unique<SqliteStorage>(path);
}

} // namespace comptoir::sync::central
