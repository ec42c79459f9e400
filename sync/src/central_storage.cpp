// The central server's SQLite storage: schema, event ingestion and folding, catalogue versions.
// What it shares with the PostgreSQL storage (validation, delta document…) is in central_rules.
#include "central_rules.hpp"
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/sync/central.hpp"

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <variant>

namespace comptoir::sync::central {

using nlohmann::json;
using store::Database;
using store::Transaction;
using namespace rules;

namespace {

// One step per schema version, like the kiosk's own migrations. Never edit a shipped step.
constexpr std::array<const char*, 4> kCentralMigrations = {
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
    // 4: what came of a call-back (callback.followed_up): the latest outcome, the day to call
    // again when nobody answered, when it was recorded.
    R"sql(
ALTER TABLE callback ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE callback ADD COLUMN next_call_on TEXT NOT NULL DEFAULT '';
ALTER TABLE callback ADD COLUMN followed_up_at TEXT NOT NULL DEFAULT '';
)sql",
};

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

    std::vector<EventResult> ingest(const std::string& kioskId,
                                    const std::vector<WireEvent>& events) override {
        std::lock_guard lock(m_mutex);
        std::vector<EventResult> out;
        out.reserve(events.size());
        std::string now = nowUtcIso8601();
        Transaction tx(m_db);
        auto find = m_db.prepare("SELECT kiosk_id, type, payload FROM event WHERE event_id = ?1");
        auto add = m_db.prepare(
            "INSERT INTO event(event_id, kiosk_id, type, schema_version, occurred_at, received_at, "
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
                // Validated before anything is written, so a refused event leaves no row behind.
                fold(e, parseEvent(e));
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
        DeltaRows d;
        d.since = since;
        d.current = std::stoll(meta("catalogue_version"));
        const bool full = fullDelta(since, d.current);
        d.catalogueId = meta("catalogue_id");
        d.withdrawAll = hasMeta(kMetaWithdrawnAt);
        auto rows = m_db.prepare(
            full ? "SELECT body FROM cat_entity WHERE kind = ?1 AND deleted = 0 ORDER BY position"
                 : "SELECT body FROM cat_entity WHERE kind = ?1 AND deleted = 0 AND version > ?2 "
                   "ORDER BY position");
        auto del = m_db.prepare("SELECT id FROM cat_entity WHERE kind = ?1 AND deleted = 1 AND version > ?2");
        for (const char* kind : kKinds) {
            auto& bodies = d.bodies.emplace_back();
            rows.bind(1, kind);
            if (!full) rows.bind(2, since);
            while (rows.step())
                bodies.push_back(rows.text(0));
            rows.reset();
            auto& ids = d.deleted.emplace_back();
            if (full) continue;
            del.bind(1, kind).bind(2, since);
            while (del.step())
                ids.push_back(del.text(0));
            del.reset();
        }
        auto m = m_db.prepare(
            "SELECT sha256, length(data), content_type FROM media WHERE version > ?1 ORDER BY sha256");
        m.bind(1, full ? std::int64_t{0} : since);
        while (m.step())
            d.media.push_back({m.text(0), m.int64(1), m.text(2)});
        return deltaDocument(d);
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
        std::string token = newKioskToken(kioskId);
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

    CatalogueImportSummary importCatalogue(const Catalogue& catalogue,
                                           const CatalogueImportOptions& options) override {
        checkImportAllowed(catalogue, options);
        json doc = catalogueDocument(catalogue);
        std::lock_guard lock(m_mutex);
        CatalogueImportSummary r;
        Transaction tx(m_db);
        std::int64_t next = std::stoll(meta("catalogue_version")) + 1;
        auto existing = m_db.prepare("SELECT id, body, deleted FROM cat_entity WHERE kind = ?1");
        auto upsert = m_db.prepare(
            "INSERT INTO cat_entity(kind, id, version, position, deleted, body) VALUES(?1, ?2, ?3, ?4, 0, "
            "?5) "
            "ON CONFLICT(kind, id) DO UPDATE SET version = excluded.version, position = excluded.position, "
            "deleted = 0, body = excluded.body");
        auto move = m_db.prepare("UPDATE cat_entity SET position = ?3 WHERE kind = ?1 AND id = ?2");
        auto remove =
            m_db.prepare("UPDATE cat_entity SET deleted = 1, version = ?3 WHERE kind = ?1 AND id = ?2");
        for (const char* kind : kKinds) {
            std::map<std::string, StoredEntity> before;
            existing.bind(1, kind);
            while (existing.step())
                before[existing.text(0)] = {existing.text(1), existing.integer(2) != 0};
            existing.reset();
            auto step = planImport(doc[kind], before);
            for (const auto& [id, position] : step.moves)
                move.bind(1, kind).bind(2, id).bind(3, position).run();
            for (const auto& u : step.upserts)
                upsert.bind(1, kind).bind(2, u.id).bind(3, next).bind(4, u.position).bind(5, u.body).run();
            for (const auto& id : step.removals)
                remove.bind(1, kind).bind(2, id).bind(3, next).run();
            r.unchanged += step.moves.size();
            r.changed += step.upserts.size();
            r.deleted += step.removals.size();
        }
        if (r.changed + r.deleted > 0) setMeta("catalogue_version", std::to_string(next));
        r.version = std::stoll(meta("catalogue_version"));
        if (options.withdrawAll)
            setMeta(kMetaWithdrawnAt, std::to_string(r.version));
        else
            m_db.prepare("DELETE FROM meta WHERE key = ?1").bind(1, kMetaWithdrawnAt).run();
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
        out << kRegistrationsCsvHeader;
        auto s = m_db.prepare(
            "SELECT kiosk_id, reference, interest_id, offer_id, offer_title, preferred_moment, "
            "consent_version, created_at, personal_sealed FROM registration ORDER BY created_at, "
            "interest_id");
        while (s.step()) {
            for (int c = 0; c < kRegistrationsCsvColumns; ++c) {
                if (c) out << ',';
                out << csvCell(s.text(c));
            }
            out << "\r\n";
        }
    }

    void forEachSealedRecord(const std::function<void(const SealedRecord&)>& visit) override {
        std::lock_guard lock(m_mutex);
        readSealedRecords(query(), "", visit);
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
        return readIndicatorInput(query());
    }

    CatalogueNames catalogueNames() override {
        std::lock_guard lock(m_mutex);
        return readCatalogueNames(query());
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
    /// The shared readers' view of this database (m_mutex held by the caller).
    Query query() {
        return [this](const std::string& sql, const std::function<void(const Row&)>& visit) {
            struct StatementRow final : Row {
                explicit StatementRow(store::Statement& s) : m_s(s) {}
                std::string text(int col) const override { return m_s.text(col); }
                std::int64_t int64(int col) const override { return m_s.int64(col); }
                double real(int col) const override { return m_s.real(col); }
                store::Statement& m_s;
            };
            auto s = m_db.prepare(sql);
            StatementRow row(s);
            while (s.step()) visit(row);
        };
    }

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
        m_db.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = "
                     "excluded.value")
            .bind(1, key)
            .bind(2, value)
            .run();
    }

    /// A statement prepared once per connection; bindings cleared if a check stops half-way.
    store::Statement& cached(const char* sql) {
        auto it = m_statements.find(sql);
        if (it == m_statements.end()) it = m_statements.emplace(sql, m_db.prepare(sql)).first;
        return it->second;
    }

    /// Checks the ids of a validated event against what is stored, then writes what it means.
    /// Throws Invalid before writing anything when the ids are not acceptable.
    void fold(const WireEvent& e, const Folded& f) {
        try {
            std::visit([&](const auto& v) { apply(e, v); }, f);
        } catch (const Invalid&) {
            for (auto& [sql, st] : m_statements)
                st.reset();
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

    // Each apply checks the ids against what is stored, then writes: a record is never created
    // twice, nor changed by another kiosk.
    void apply(const WireEvent&, const EventOnly&) {}

    void apply(const WireEvent& e, const Registration& r) {
        requireUnused("SELECT 1 FROM registration WHERE interest_id = ?1", r.id, "interest_id");
        cached("INSERT INTO registration(interest_id, kiosk_id, reference, offer_id, offer_title, "
               "preferred_moment, consent_version, created_at, personal_sealed, event_id) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
            .bind(1, r.id)
            .bind(2, e.kioskId)
            .bind(3, r.reference)
            .bind(4, r.offerId)
            .bind(5, r.offerTitle)
            .bind(6, r.preferredMoment)
            .bind(7, r.consentVersion)
            .bind(8, r.createdAt)
            .bind(9, r.sealed)
            .bind(10, e.eventId)
            .run();
    }

    void apply(const WireEvent& e, const Callback& c) {
        requireUnused("SELECT 1 FROM callback WHERE callback_id = ?1", c.id, "callback_id");
        cached("INSERT INTO callback(callback_id, kiosk_id, reference, recontact_after, consent_version, "
               "created_at, personal_sealed, event_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            .bind(1, c.id)
            .bind(2, e.kioskId)
            .bind(3, c.reference)
            .bind(4, c.recontactAfter)
            .bind(5, c.consentVersion)
            .bind(6, c.createdAt)
            .bind(7, c.sealed)
            .bind(8, e.eventId)
            .run();
    }

    void apply(const WireEvent& e, const Feedback& f) {
        requireUnused("SELECT 1 FROM feedback WHERE feedback_id = ?1", f.id, "feedback_id");
        cached("INSERT INTO feedback(feedback_id, kiosk_id, context, score, created_at) VALUES(?1, ?2, "
               "?3, ?4, ?5)")
            .bind(1, f.id)
            .bind(2, e.kioskId)
            .bind(3, f.context)
            .bind(4, f.score)
            .bind(5, f.createdAt)
            .run();
    }

    void apply(const WireEvent& e, const Introduction& i) {
        auto& held = cached("SELECT kiosk_id, interest_id FROM introduction WHERE introduction_id = ?1");
        held.bind(1, i.id);
        std::optional<std::pair<std::string, std::string>> existing;
        if (held.step()) existing.emplace(held.text(0), held.text(1));
        held.reset();
        if (existing && existing->first != e.kioskId) throw alreadyUsed("introduction_id");
        if (existing && existing->second != i.interestId)
            throw Invalid{"field 'interest_id' differs from the one this introduction was created with"};
        if (!existing && !found("SELECT 1 FROM registration WHERE interest_id = ?1 AND kiosk_id = ?2",
                                i.interestId, e.kioskId))
            throw Invalid{"field 'interest_id' is not a registration received from this kiosk"};
        // Latest update wins, whatever order the events arrive in; an older one stays in
        // the event log without changing the introduction.
        cached("INSERT INTO introduction(introduction_id, kiosk_id, interest_id, organisation_id, status, "
               "reason, updated_at, offer_id, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
               "COALESCE(NULLIF(?8, ''), (SELECT offer_id FROM registration WHERE interest_id = ?3), ''), ?9) "
               "ON CONFLICT(introduction_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, "
               "updated_at = excluded.updated_at, organisation_id = excluded.organisation_id, offer_id = "
               "excluded.offer_id WHERE excluded.updated_at >= introduction.updated_at AND "
               "introduction.kiosk_id = excluded.kiosk_id")
            .bind(1, i.id)
            .bind(2, e.kioskId)
            .bind(3, i.interestId)
            .bind(4, i.organisationId)
            .bind(5, i.status)
            .bind(6, i.reason)
            .bind(7, i.updatedAt)
            .bind(8, i.offerId)
            .bind(9, e.occurredAt)
            .run();
        // Created when its first event was written, whatever order the events arrive in.
        cached("UPDATE introduction SET created_at = ?2 WHERE introduction_id = ?1 AND created_at > ?2")
            .bind(1, i.id)
            .bind(2, e.occurredAt)
            .run();
    }

    /// The latest change any kiosk made, for the indicators' open offers.
    void apply(const WireEvent& e, const OfferState& o) {
        cached("INSERT INTO offer_state(offer_id, state, changed_at, kiosk_id) VALUES(?1, ?2, ?3, ?4) "
               "ON CONFLICT(offer_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at, "
               "kiosk_id = excluded.kiosk_id WHERE excluded.changed_at >= offer_state.changed_at")
            .bind(1, o.offerId)
            .bind(2, o.state)
            .bind(3, o.changedAt)
            .bind(4, e.kioskId)
            .run();
    }

    void apply(const WireEvent& e, const Hours& h) {
        if (!found("SELECT 1 FROM introduction WHERE introduction_id = ?1 AND kiosk_id = ?2",
                   h.introductionId, e.kioskId))
            throw Invalid{"field 'introduction_id' is not an introduction received from this kiosk"};
        requireUnused("SELECT 1 FROM hours WHERE hours_id = ?1", h.id, "hours_id");
        cached("INSERT INTO hours(hours_id, kiosk_id, introduction_id, hours, done_on) VALUES(?1, ?2, "
               "?3, ?4, ?5)")
            .bind(1, h.id)
            .bind(2, e.kioskId)
            .bind(3, h.introductionId)
            .bind(4, h.hours)
            .bind(5, h.doneOn)
            .run();
    }

    /// Only the kiosk that received the call-back request records what came of it; the latest
    /// follow-up wins, whatever order the events arrive in.
    void apply(const WireEvent& e, const CallbackFollowUp& c) {
        if (!found("SELECT 1 FROM callback WHERE callback_id = ?1 AND kiosk_id = ?2", c.callbackId, e.kioskId))
            throw Invalid{"field 'callback_id' is not a call-back request received from this kiosk"};
        cached("UPDATE callback SET outcome = ?3, next_call_on = ?4, followed_up_at = ?5 WHERE callback_id = ?1 "
               "AND kiosk_id = ?2 AND followed_up_at <= ?5")
            .bind(1, c.callbackId)
            .bind(2, e.kioskId)
            .bind(3, c.outcome)
            .bind(4, c.nextCallOn)
            .bind(5, c.followedUpAt)
            .run();
    }

    /// The sealed copies of that record's personal data go, in the folded table and in the
    /// stored events; the rest (reference, offer, dates) stays.
    void apply(const WireEvent& e, const Erasure& x) {
        // Freed pages are overwritten, so the erased bytes do not linger in the file.
        m_db.exec("PRAGMA secure_delete = ON", "erase securely");
        cached(x.interest
                   ? "UPDATE registration SET personal_sealed = '' WHERE kiosk_id = ?1 AND interest_id = ?2"
                   : "UPDATE callback SET personal_sealed = '' WHERE kiosk_id = ?1 AND callback_id = ?2")
            .bind(1, e.kioskId)
            .bind(2, x.recordId)
            .run();
        cached(
            x.interest
                ? "UPDATE event SET payload = json_set(payload, '$.personal_sealed', '') WHERE kiosk_id = ?1 "
                  "AND type = 'interest.registered' AND json_extract(payload, '$.interest_id') = ?2"
                : "UPDATE event SET payload = json_set(payload, '$.personal_sealed', '') WHERE kiosk_id = ?1 "
                  "AND type = 'callback.requested' AND json_extract(payload, '$.callback_id') = ?2")
            .bind(1, e.kioskId)
            .bind(2, x.recordId)
            .run();
    }

    std::mutex m_mutex;
    Database m_db;
    std::unordered_map<const char*, store::Statement> m_statements; ///< keyed by the literal's address
};

} // namespace

std::unique_ptr<CentralStorage> openSqliteStorage(const std::string& path) {
    return std::make_unique<SqliteStorage>(path);
}

} // namespace comptoir::sync::central
