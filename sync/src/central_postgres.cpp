// The central server's PostgreSQL storage (libpqxx): several `comptoir-central serve` processes
// on one database. What it shares with the SQLite storage (validation, delta document, import
// plan…) is in central_rules; this file holds the SQL and the concurrency.
//
// [SECTION] Schema and migrations
// [SECTION] Connection pool
// [SECTION] Storage
//
// Concurrency under READ COMMITTED (docs/operations.md, "PostgreSQL"):
// - every event is inserted first with ON CONFLICT DO NOTHING: a second process inserting the
//   same event id waits for the first one's transaction, then sees it as a duplicate;
// - records folded from events are inserted with ON CONFLICT on their own id (never two);
//   introductions are locked (FOR UPDATE) before they are checked and updated;
// - the catalogue version counter is locked (FOR UPDATE) by imports and media additions, and a
//   delta is read in one REPEATABLE READ snapshot;
// - a transaction that loses a deadlock or a serialisation check is run again from the start.
#include "central_rules.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/store/db.hpp"
#include "comptoir/sync/central.hpp"

#include <array>
#include <condition_variable>
#include <map>
#include <pqxx/pqxx>
#include <thread>
#include <type_traits>

namespace comptoir::sync::central {

using nlohmann::json;
using namespace rules;

bool isPostgresUrl(const std::string& db) {
    return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

namespace {

// [SECTION] Schema and migrations

// One step per schema version, like the kiosk's own migrations. Never edit a shipped step. The
// columns are those of the SQLite schema (times as ISO 8601 text), so both backends export the
// same bytes and migrate-storage copies rows as they are.
constexpr std::array<const char*, 3> kPostgresMigrations = {
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE kiosk (
  kiosk_id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE event (
  event_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  occurred_at TEXT NOT NULL, received_at TEXT NOT NULL, payload TEXT NOT NULL);
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
  hours_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, introduction_id TEXT NOT NULL, hours DOUBLE PRECISION NOT NULL,
  done_on TEXT NOT NULL);
CREATE TABLE cat_entity (
  kind TEXT NOT NULL, id TEXT NOT NULL, version BIGINT NOT NULL, position BIGINT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX cat_entity_version ON cat_entity(version);
CREATE TABLE media (
  sha256 TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BYTEA NOT NULL, version BIGINT NOT NULL);
)sql",
    // 2: indicators across kiosks (SQLite's step 3). An introduction keeps its offer and when it
    // was created (its first event's occurred_at); the latest on-site state of each offer; the
    // indicators page's accounts. Earlier introductions are filled from the stored events.
    R"sql(
ALTER TABLE introduction ADD COLUMN offer_id TEXT NOT NULL DEFAULT '';
ALTER TABLE introduction ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
UPDATE introduction SET created_at = x.first_at, offer_id = x.offer_id FROM (
  SELECT payload::jsonb ->> 'introduction_id' AS id, MIN(occurred_at COLLATE "C") AS first_at,
         COALESCE(MAX((payload::jsonb ->> 'offer_id') COLLATE "C"), '') AS offer_id
  FROM event WHERE type IN ('introduction.created', 'introduction.updated') GROUP BY 1) AS x
WHERE x.id = introduction.introduction_id;
UPDATE introduction SET offer_id = COALESCE(
  (SELECT r.offer_id FROM registration r WHERE r.interest_id = introduction.interest_id), '')
WHERE offer_id = '';
UPDATE introduction SET created_at = updated_at WHERE created_at = '';
CREATE TABLE offer_state (
  offer_id TEXT PRIMARY KEY, state TEXT NOT NULL, changed_at TEXT NOT NULL, kiosk_id TEXT NOT NULL);
INSERT INTO offer_state(offer_id, state, changed_at, kiosk_id)
  SELECT DISTINCT ON (payload::jsonb ->> 'offer_id') payload::jsonb ->> 'offer_id', payload::jsonb ->> 'state',
         payload::jsonb ->> 'changed_at', kiosk_id
  FROM event WHERE type = 'offer.state_changed'
  ORDER BY payload::jsonb ->> 'offer_id', (payload::jsonb ->> 'changed_at') COLLATE "C" DESC;
CREATE TABLE admin_user (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
)sql",
    // 3: what came of a call-back (SQLite's step 4).
    R"sql(
ALTER TABLE callback ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE callback ADD COLUMN next_call_on TEXT NOT NULL DEFAULT '';
ALTER TABLE callback ADD COLUMN followed_up_at TEXT NOT NULL DEFAULT '';
)sql",
};

/// Taken while migrating, so two processes starting at once do not both run a step.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(72011)";

void migrate(pqxx::connection& c) {
    pqxx::work w(c);
    w.exec(kMigrationLock);
    w.exec("CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT "
           "NULL)");
    auto v = w.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migration")[0][0].as<int>();
    if (v > static_cast<int>(kPostgresMigrations.size()))
        throw std::runtime_error("the central database's schema is newer than this build");
    for (; v < static_cast<int>(kPostgresMigrations.size()); ++v) {
        w.exec(kPostgresMigrations[static_cast<std::size_t>(v)]);
        w.exec_params("INSERT INTO schema_migration(version, applied_at) VALUES($1, $2)", v + 1,
                      nowUtcIso8601());
        if (v == 0)
            w.exec_params(
                "INSERT INTO meta(key, value) VALUES('catalogue_version', '0'), ('catalogue_id', $1)",
                newUuidV7());
    }
    w.commit();
}

/// Statements prepared on every connection of the pool.
const std::pair<const char*, const char*> kStatements[] = {
    {"token", "SELECT kiosk_id FROM kiosk WHERE token_sha256 = $1 AND revoked_at IS NULL"},
    {"find_event", "SELECT kiosk_id, type, payload FROM event WHERE event_id = $1"},
    {"drop_event", "DELETE FROM event WHERE event_id = $1"},
    {"add_event",
     "INSERT INTO event(event_id, kiosk_id, type, schema_version, occurred_at, received_at, payload) "
     "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING"},
    // The event and its record in one round trip; the record only when the event is new. The
    // answer says which of the two were inserted.
    {"add_registration", "WITH ev AS (INSERT INTO event(event_id, kiosk_id, type, schema_version, "
                         "occurred_at, received_at, payload) "
                         "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING RETURNING 1), "
                         "rec AS (INSERT INTO registration(interest_id, kiosk_id, reference, offer_id, "
                         "offer_title, preferred_moment, "
                         "consent_version, created_at, personal_sealed, event_id) SELECT $8, $2, $9, $10, "
                         "$11, $12, $13, $14, $15, $1 "
                         "WHERE EXISTS (SELECT 1 FROM ev) ON CONFLICT (interest_id) DO NOTHING RETURNING 1) "
                         "SELECT (SELECT COUNT(*) FROM ev), (SELECT COUNT(*) FROM rec)"},
    {"add_callback", "WITH ev AS (INSERT INTO event(event_id, kiosk_id, type, schema_version, occurred_at, "
                     "received_at, payload) "
                     "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING RETURNING 1), "
                     "rec AS (INSERT INTO callback(callback_id, kiosk_id, reference, recontact_after, "
                     "consent_version, created_at, "
                     "personal_sealed, event_id) SELECT $8, $2, $9, $10, $11, $12, $13, $1 "
                     "WHERE EXISTS (SELECT 1 FROM ev) ON CONFLICT (callback_id) DO NOTHING RETURNING 1) "
                     "SELECT (SELECT COUNT(*) FROM ev), (SELECT COUNT(*) FROM rec)"},
    {"add_feedback", "WITH ev AS (INSERT INTO event(event_id, kiosk_id, type, schema_version, occurred_at, "
                     "received_at, payload) "
                     "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING RETURNING 1), "
                     "rec AS (INSERT INTO feedback(feedback_id, kiosk_id, context, score, created_at) SELECT "
                     "$8, $2, $9, $10, $11 "
                     "WHERE EXISTS (SELECT 1 FROM ev) ON CONFLICT (feedback_id) DO NOTHING RETURNING 1) "
                     "SELECT (SELECT COUNT(*) FROM ev), (SELECT COUNT(*) FROM rec)"},
    {"lock_introduction",
     "SELECT kiosk_id, interest_id FROM introduction WHERE introduction_id = $1 FOR UPDATE"},
    {"registration_of_kiosk", "SELECT 1 FROM registration WHERE interest_id = $1 AND kiosk_id = $2"},
    // Latest update wins, whatever order the events arrive in; an older one stays in the event
    // log without changing the introduction.
    {"upsert_introduction",
     "INSERT INTO introduction(introduction_id, kiosk_id, interest_id, organisation_id, status, reason, "
     "updated_at, offer_id, created_at) "
     "VALUES($1, $2, $3, $4, $5, $6, $7, COALESCE(NULLIF($8, ''), (SELECT offer_id FROM registration WHERE "
     "interest_id = $3), ''), $9) ON CONFLICT (introduction_id) DO UPDATE SET status = excluded.status, "
     "reason = excluded.reason, updated_at = excluded.updated_at, organisation_id = "
     "excluded.organisation_id, "
     "offer_id = excluded.offer_id "
     "WHERE excluded.updated_at >= introduction.updated_at AND introduction.kiosk_id = excluded.kiosk_id "
     "AND introduction.interest_id = excluded.interest_id"},
    // Created when its first event was written, whatever order the events arrive in.
    {"introduction_created",
     "UPDATE introduction SET created_at = $2 WHERE introduction_id = $1 AND created_at COLLATE \"C\" > $2"},
    // The latest change any kiosk made, for the indicators' open offers.
    {"upsert_offer_state",
     "INSERT INTO offer_state(offer_id, state, changed_at, kiosk_id) VALUES($1, $2, $3, $4) "
     "ON CONFLICT (offer_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at, "
     "kiosk_id = excluded.kiosk_id WHERE excluded.changed_at COLLATE \"C\" >= offer_state.changed_at"},
    // The latest follow-up of a call-back wins; only its own kiosk's. Empty when not that kiosk's.
    {"follow_up_callback",
     "UPDATE callback SET outcome = CASE WHEN followed_up_at <= $5 COLLATE \"C\" THEN $3 ELSE outcome END, "
     "next_call_on = CASE WHEN followed_up_at <= $5 COLLATE \"C\" THEN $4 ELSE next_call_on END, "
     "followed_up_at = CASE WHEN followed_up_at <= $5 COLLATE \"C\" THEN $5 ELSE followed_up_at END "
     "WHERE callback_id = $1 AND kiosk_id = $2 RETURNING 1"},
    {"introduction_of_kiosk", "SELECT 1 FROM introduction WHERE introduction_id = $1 AND kiosk_id = $2"},
    {"add_hours",
     "INSERT INTO hours(hours_id, kiosk_id, introduction_id, hours, done_on) VALUES($1, $2, $3, $4, $5) "
     "ON CONFLICT (hours_id) DO NOTHING"},
    // Erasure: the sealed blob goes from the record and from the event it was folded from.
    {"erase_registration", "UPDATE registration SET personal_sealed = '' WHERE kiosk_id = $1 AND interest_id "
                           "= $2 RETURNING event_id"},
    {"erase_callback", "UPDATE callback SET personal_sealed = '' WHERE kiosk_id = $1 AND callback_id = $2 "
                       "RETURNING event_id"},
    {"erase_event_blob",
     "UPDATE event SET payload = jsonb_set(payload::jsonb, '{personal_sealed}', '\"\"')::text "
     "WHERE event_id = $1 AND kiosk_id = $2"},
    {"meta", "SELECT value FROM meta WHERE key = $1"},
    {"lock_version", "SELECT value FROM meta WHERE key = 'catalogue_version' FOR UPDATE"},
    {"set_meta",
     "INSERT INTO meta(key, value) VALUES($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"},
};

// [SECTION] Connection pool

/// At most `size` connections, opened when first needed; a thread that finds them all in use
/// waits (bounded), so the database sees a steady number of sessions whatever the HTTP load.
class Pool {
  public:
    Pool(std::string url, std::size_t size) : m_url(std::move(url)), m_size(std::max<std::size_t>(size, 1)) {}

    class Lease {
      public:
        Lease(Pool& pool, std::unique_ptr<pqxx::connection> c) : m_pool(pool), m_c(std::move(c)) {}
        ~Lease() { m_pool.giveBack(std::move(m_c), m_broken); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        pqxx::connection& operator*() { return *m_c; }
        /// The connection is not put back (it failed); the next lease opens a new one.
        void discard() { m_broken = true; }

      private:
        Pool& m_pool;
        std::unique_ptr<pqxx::connection> m_c;
        bool m_broken = false;
    };

    Lease acquire() {
        std::unique_lock lock(m_mutex);
        if (!m_cv.wait_for(lock, std::chrono::seconds(30),
                           [&] { return !m_idle.empty() || m_open < m_size; }))
            throw StorageUnavailable("every database connection stayed busy for 30 s");
        if (!m_idle.empty()) {
            auto c = std::move(m_idle.back());
            m_idle.pop_back();
            return Lease(*this, std::move(c));
        }
        ++m_open;
        lock.unlock();
        try {
            return Lease(*this, connect());
        } catch (...) {
            lock.lock();
            --m_open;
            m_cv.notify_one();
            throw;
        }
    }

    std::unique_ptr<pqxx::connection> connect() const {
        std::unique_ptr<pqxx::connection> c;
        try {
            c = std::make_unique<pqxx::connection>(m_url);
        } catch (const pqxx::broken_connection& e) {
            throw StorageUnavailable(std::string("cannot connect to PostgreSQL: ") + e.what());
        }
        for (const auto& [name, sql] : kStatements)
            c->prepare(name, sql);
        return c;
    }

  private:
    void giveBack(std::unique_ptr<pqxx::connection> c, bool broken) {
        std::lock_guard lock(m_mutex);
        if (broken || !c || !c->is_open())
            --m_open;
        else
            m_idle.push_back(std::move(c));
        m_cv.notify_one();
    }

    std::string m_url;
    std::size_t m_size;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::unique_ptr<pqxx::connection>> m_idle;
    std::size_t m_open = 0;
};

// [SECTION] Storage

std::string metaValue(pqxx::transaction_base& w, const std::string& key) {
    auto r = w.exec_params("SELECT value FROM meta WHERE key = $1", key);
    if (r.empty()) throw std::runtime_error("the central database has no meta key " + key);
    return r[0][0].as<std::string>();
}

class PostgresStorage final : public CentralStorage {
  public:
    PostgresStorage(const std::string& url, const PostgresOptions& options)
        : m_pool(url, options.connections) {
        auto lease = m_pool.acquire();
        migrate(*lease);
    }

    std::optional<std::string> kioskForToken(const std::string& token) override {
        return run<pqxx::read_transaction>([&](auto& w) -> std::optional<std::string> {
            auto r = w.exec_prepared("token", sha256Hex(token));
            if (r.empty()) return std::nullopt;
            return r[0][0].template as<std::string>();
        });
    }

    std::vector<EventResult> ingest(const std::string& kioskId,
                                    const std::vector<WireEvent>& events) override {
        const std::string now = nowUtcIso8601();
        return run<pqxx::work>([&](pqxx::work& w) {
            std::vector<EventResult> out;
            out.reserve(events.size());
            for (const auto& e : events)
                out.push_back(ingestOne(w, kioskId, e, now));
            w.commit();
            return out;
        });
    }

    std::string catalogueDelta(std::int64_t since) override {
        // One snapshot: an import committing meanwhile is either wholly in the delta or not at all.
        using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
        return run<Snapshot>([&](Snapshot& w) {
            DeltaRows d;
            d.since = since;
            d.current = std::stoll(metaValue(w, "catalogue_version"));
            const bool full = fullDelta(since, d.current);
            d.catalogueId = metaValue(w, "catalogue_id");
            d.withdrawAll = !w.exec_prepared("meta", std::string(kMetaWithdrawnAt)).empty();
            for (const char* kind : kKinds) {
                auto& bodies = d.bodies.emplace_back();
                auto rows = w.exec_params(
                    "SELECT body FROM cat_entity WHERE kind = $1 AND deleted = 0 AND version > $2 "
                    "ORDER BY position",
                    kind, full ? std::int64_t{0} : since);
                for (const auto& row : rows)
                    bodies.push_back(row[0].as<std::string>());
                auto& ids = d.deleted.emplace_back();
                if (full) continue;
                for (const auto& row : w.exec_params(
                         "SELECT id FROM cat_entity WHERE kind = $1 AND deleted = 1 AND version > $2", kind,
                         since))
                    ids.push_back(row[0].as<std::string>());
            }
            for (const auto& row :
                 w.exec_params("SELECT sha256, length(data), content_type FROM media WHERE version > "
                               "$1 ORDER BY sha256",
                               full ? std::int64_t{0} : since))
                d.media.push_back(
                    {row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<std::string>()});
            return deltaDocument(d);
        });
    }

    std::int64_t catalogueVersion() override {
        return run<pqxx::read_transaction>(
            [&](auto& w) { return std::stoll(metaValue(w, "catalogue_version")); });
    }

    std::optional<Media> media(const std::string& sha256) override {
        return run<pqxx::read_transaction>([&](auto& w) -> std::optional<Media> {
            auto r = w.exec_params("SELECT content_type, data FROM media WHERE sha256 = $1", sha256);
            if (r.empty()) return std::nullopt;
            return Media{r[0][0].template as<std::string>(), pqxx::binarystring(r[0][1]).str()};
        });
    }

    std::string createKioskToken(const std::string& kioskId) override {
        std::string token = newKioskToken(kioskId);
        run<pqxx::work>([&](pqxx::work& w) {
            w.exec_params("INSERT INTO kiosk(kiosk_id, token_sha256, created_at) VALUES($1, $2, $3) "
                          "ON CONFLICT (kiosk_id) DO UPDATE SET token_sha256 = excluded.token_sha256, "
                          "created_at = excluded.created_at, revoked_at = NULL",
                          kioskId, sha256Hex(token), nowUtcIso8601());
            w.commit();
            return 0;
        });
        return token;
    }

    std::vector<KioskToken> listKioskTokens() override {
        return run<pqxx::read_transaction>([&](auto& w) {
            std::vector<KioskToken> out;
            for (const auto& row :
                 w.exec("SELECT kiosk_id, token_sha256, created_at, revoked_at FROM kiosk ORDER BY kiosk_id"))
                out.push_back(KioskToken{
                    row[0].template as<std::string>(), row[1].template as<std::string>().substr(0, 12),
                    row[2].template as<std::string>(),
                    row[3].is_null() ? std::string() : row[3].template as<std::string>()});
            return out;
        });
    }

    bool revokeKioskToken(const std::string& kioskId) override {
        return run<pqxx::work>([&](pqxx::work& w) {
            auto r =
                w.exec_params("UPDATE kiosk SET revoked_at = $2 WHERE kiosk_id = $1 AND revoked_at IS NULL",
                              kioskId, nowUtcIso8601());
            w.commit();
            return r.affected_rows() > 0;
        });
    }

    CatalogueImportSummary importCatalogue(const Catalogue& catalogue,
                                           const CatalogueImportOptions& options) override {
        checkImportAllowed(catalogue, options);
        const json doc = catalogueDocument(catalogue);
        return run<pqxx::work>([&](pqxx::work& w) {
            CatalogueImportSummary r;
            // The counter's row lock makes concurrent imports (and media additions) take turns.
            const std::int64_t next = std::stoll(w.exec_prepared("lock_version")[0][0].as<std::string>()) + 1;
            for (const char* kind : kKinds) {
                std::map<std::string, StoredEntity> before;
                for (const auto& row :
                     w.exec_params("SELECT id, body, deleted FROM cat_entity WHERE kind = $1", kind))
                    before[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<int>() != 0};
                auto step = planImport(doc[kind], before);
                for (const auto& [id, position] : step.moves)
                    w.exec_params("UPDATE cat_entity SET position = $3 WHERE kind = $1 AND id = $2", kind, id,
                                  position);
                for (const auto& u : step.upserts)
                    w.exec_params(
                        "INSERT INTO cat_entity(kind, id, version, position, deleted, body) "
                        "VALUES($1, $2, $3, $4, 0, $5) ON CONFLICT (kind, id) DO UPDATE SET version = "
                        "excluded.version, position = excluded.position, deleted = 0, body = excluded.body",
                        kind, u.id, next, u.position, u.body);
                for (const auto& id : step.removals)
                    w.exec_params(
                        "UPDATE cat_entity SET deleted = 1, version = $3 WHERE kind = $1 AND id = $2", kind,
                        id, next);
                r.unchanged += step.moves.size();
                r.changed += step.upserts.size();
                r.deleted += step.removals.size();
            }
            if (r.changed + r.deleted > 0)
                w.exec_prepared("set_meta", std::string("catalogue_version"), std::to_string(next));
            r.version = r.changed + r.deleted > 0 ? next : next - 1;
            if (options.withdrawAll)
                w.exec_prepared("set_meta", std::string(kMetaWithdrawnAt), std::to_string(r.version));
            else
                w.exec_params("DELETE FROM meta WHERE key = $1", std::string(kMetaWithdrawnAt));
            w.commit();
            return r;
        });
    }

    std::string addMedia(const std::string& contentType, const std::string& data) override {
        const std::string sha = sha256Hex(data);
        run<pqxx::work>([&](pqxx::work& w) {
            const std::int64_t next = std::stoll(w.exec_prepared("lock_version")[0][0].as<std::string>()) + 1;
            auto r =
                w.exec_params("INSERT INTO media(sha256, content_type, data, version) VALUES($1, $2, $3, $4) "
                              "ON CONFLICT (sha256) DO NOTHING",
                              sha, contentType, pqxx::binarystring(data.data(), data.size()), next);
            if (r.affected_rows() > 0)
                w.exec_prepared("set_meta", std::string("catalogue_version"), std::to_string(next));
            w.commit();
            return 0;
        });
        return sha;
    }

    void exportRegistrationsCsv(std::ostream& out) override {
        run<pqxx::read_transaction>([&](auto& w) {
            out << kRegistrationsCsvHeader;
            // COLLATE "C": the byte order SQLite uses, so both backends export the same file.
            for (const auto& row :
                 w.exec("SELECT kiosk_id, reference, interest_id, offer_id, offer_title, "
                        "preferred_moment, consent_version, created_at, personal_sealed FROM "
                        "registration ORDER BY created_at COLLATE \"C\", interest_id COLLATE \"C\"")) {
                for (int c = 0; c < kRegistrationsCsvColumns; ++c) {
                    if (c) out << ',';
                    out << csvCell(row[c].template as<std::string>());
                }
                out << "\r\n";
            }
            return 0;
        });
    }

    std::int64_t eventCount() override {
        return run<pqxx::read_transaction>(
            [&](auto& w) { return w.exec("SELECT COUNT(*) FROM event")[0][0].template as<std::int64_t>(); });
    }
    std::int64_t distinctEventCount() override {
        return run<pqxx::read_transaction>([&](auto& w) {
            return w.exec("SELECT COUNT(DISTINCT event_id) FROM event")[0][0].template as<std::int64_t>();
        });
    }

    void forEachSealedRecord(const std::function<void(const SealedRecord&)>& visit) override {
        // COLLATE "C": the byte order SQLite uses, so both backends export in the same order.
        run<pqxx::read_transaction>([&](auto& w) {
            readSealedRecords(query(w), " COLLATE \"C\"", visit);
            return 0;
        });
    }

    IndicatorInput indicatorInput() override {
        // One snapshot, so every table is seen at the same moment.
        using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
        return run<Snapshot>([&](Snapshot& w) { return readIndicatorInput(query(w)); });
    }

    CatalogueNames catalogueNames() override {
        return run<pqxx::read_transaction>([&](auto& w) { return readCatalogueNames(query(w)); });
    }

    void setAdminUser(const std::string& name, const std::string& passwordHash) override {
        run<pqxx::work>([&](pqxx::work& w) {
            w.exec_params(
                "INSERT INTO admin_user(name, password_hash, created_at) VALUES($1, $2, $3) ON CONFLICT "
                "(name) DO UPDATE SET password_hash = excluded.password_hash",
                name, passwordHash, nowUtcIso8601());
            w.commit();
            return 0;
        });
    }
    std::optional<std::string> adminPasswordHash(const std::string& name) override {
        return run<pqxx::read_transaction>([&](auto& w) -> std::optional<std::string> {
            auto r = w.exec_params("SELECT password_hash FROM admin_user WHERE name = $1", name);
            if (r.empty()) return std::nullopt;
            return r[0][0].template as<std::string>();
        });
    }
    std::vector<AdminUser> listAdminUsers() override {
        return run<pqxx::read_transaction>([&](auto& w) {
            std::vector<AdminUser> out;
            for (const auto& row :
                 w.exec("SELECT name, created_at FROM admin_user ORDER BY name COLLATE \"C\""))
                out.push_back({row[0].template as<std::string>(), row[1].template as<std::string>()});
            return out;
        });
    }
    bool removeAdminUser(const std::string& name) override {
        return run<pqxx::work>([&](pqxx::work& w) {
            bool removed = w.exec_params("DELETE FROM admin_user WHERE name = $1", name).affected_rows() > 0;
            w.commit();
            return removed;
        });
    }

  private:
    /// The shared readers' view of transaction `w`.
    static Query query(pqxx::transaction_base& w) {
        return [&w](const std::string& sql, const std::function<void(const Row&)>& visit) {
            struct ResultRow final : Row {
                explicit ResultRow(const pqxx::row& r) : m_r(r) {}
                std::string text(int col) const override { return m_r[col].as<std::string>(); }
                std::int64_t int64(int col) const override { return m_r[col].as<std::int64_t>(); }
                double real(int col) const override { return m_r[col].as<double>(); }
                const pqxx::row& m_r;
            };
            for (const auto& r : w.exec(sql)) {
                ResultRow row(r);
                visit(row);
            }
        };
    }

    /// Runs `body` in a transaction of type Tx on a pooled connection. A transaction that lost a
    /// deadlock or a serialisation check runs again from the start; a broken connection is
    /// dropped and the body tried once more on a new one (every body here is idempotent).
    template <class Tx, class Body> std::invoke_result_t<Body, Tx&> run(Body&& body) {
        constexpr int kAttempts = 8;
        for (int attempt = 1;; ++attempt) {
            auto lease = m_pool.acquire();
            try {
                Tx w(*lease);
                return body(w);
            } catch (const pqxx::transaction_rollback&) {
                if (attempt >= kAttempts) throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(attempt * 5));
            } catch (const pqxx::broken_connection& e) {
                lease.discard();
                if (attempt >= 2)
                    throw StorageUnavailable(std::string("PostgreSQL connection lost: ") + e.what());
            } catch (const pqxx::in_doubt_error& e) {
                lease.discard();
                if (attempt >= 2)
                    throw StorageUnavailable(std::string("PostgreSQL connection lost: ") + e.what());
            }
        }
    }

    /// Compares a stored event with a resent one: the same is a duplicate, another is refused.
    static EventResult existing(pqxx::work& w, const WireEvent& e, const std::string& kioskId) {
        auto r = w.exec_prepared("find_event", e.eventId);
        if (r.empty()) return {e.eventId, EventStatus::Accepted, {}};
        bool same = r[0][0].as<std::string>() == kioskId && r[0][1].as<std::string>() == e.type &&
                    r[0][2].as<std::string>() == e.payload;
        if (!same)
            return {e.eventId, EventStatus::Rejected, "this event id is already used by another event"};
        return {e.eventId, EventStatus::Duplicate, {}};
    }

    EventResult ingestOne(pqxx::work& w, const std::string& kioskId, const WireEvent& e,
                          const std::string& now) {
        // Ownership first: nothing below may tell one kiosk about another's events.
        if (e.kioskId != kioskId)
            return {e.eventId, EventStatus::Rejected, "kiosk_id does not match the kiosk of the token"};
        Folded f;
        try {
            f = parseEvent(e);
        } catch (const Invalid& why) {
            // As on SQLite: an id already stored answers first, whatever the payload.
            auto r = existing(w, e, kioskId);
            if (r.status == EventStatus::Accepted) return {e.eventId, EventStatus::Rejected, why.reason};
            return r;
        }
        try {
            bool fresh = std::visit([&](const auto& v) { return store(w, e, now, v); }, f);
            if (!fresh) return existing(w, e, kioskId);
        } catch (const Invalid& why) {
            // The event row went in first (to hold its id against a concurrent batch): take it out.
            w.exec_prepared("drop_event", e.eventId);
            return {e.eventId, EventStatus::Rejected, why.reason};
        }
        return {e.eventId, EventStatus::Accepted, {}};
    }

    /// Inserts the event; false when its id is already stored (or being stored by a concurrent
    /// transaction, which this waits for).
    static bool addEvent(pqxx::work& w, const WireEvent& e, const std::string& now) {
        return w.exec_prepared("add_event", e.eventId, e.kioskId, e.type, e.schemaVersion, e.occurredAt, now,
                               e.payload)
                   .affected_rows() > 0;
    }
    /// The answer of an add_registration-like statement: false for a stored event id; throws
    /// Invalid when the record's id is held by another record.
    static bool eventAndRecord(const pqxx::result& r, const char* key) {
        if (r[0][0].as<int>() == 0) return false;
        if (r[0][1].as<int>() == 0) throw alreadyUsed(key);
        return true;
    }

    // Each store inserts the event, checks the ids against what is stored and writes the record;
    // false when the event id was already there. Throws Invalid to have the event taken out.
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const EventOnly&) {
        return addEvent(w, e, now);
    }
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const Registration& r) {
        return eventAndRecord(w.exec_prepared("add_registration", e.eventId, e.kioskId, e.type,
                                              e.schemaVersion, e.occurredAt, now, e.payload, r.id,
                                              r.reference, r.offerId, r.offerTitle, r.preferredMoment,
                                              r.consentVersion, r.createdAt, r.sealed),
                              "interest_id");
    }
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const Callback& c) {
        return eventAndRecord(w.exec_prepared("add_callback", e.eventId, e.kioskId, e.type, e.schemaVersion,
                                              e.occurredAt, now, e.payload, c.id, c.reference,
                                              c.recontactAfter, c.consentVersion, c.createdAt, c.sealed),
                              "callback_id");
    }
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const Feedback& f) {
        return eventAndRecord(w.exec_prepared("add_feedback", e.eventId, e.kioskId, e.type, e.schemaVersion,
                                              e.occurredAt, now, e.payload, f.id, f.context, f.score,
                                              f.createdAt),
                              "feedback_id");
    }
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const Introduction& i) {
        if (!addEvent(w, e, now)) return false;
        // Locked, so two updates of one introduction take turns (latest updated_at wins).
        auto held = w.exec_prepared("lock_introduction", i.id);
        if (!held.empty() && held[0][0].as<std::string>() != e.kioskId) throw alreadyUsed("introduction_id");
        if (!held.empty() && held[0][1].as<std::string>() != i.interestId)
            throw Invalid{"field 'interest_id' differs from the one this introduction was created with"};
        if (held.empty() && w.exec_prepared("registration_of_kiosk", i.interestId, e.kioskId).empty())
            throw Invalid{"field 'interest_id' is not a registration received from this kiosk"};
        auto r = w.exec_prepared("upsert_introduction", i.id, e.kioskId, i.interestId, i.organisationId,
                                 i.status, i.reason, i.updatedAt, i.offerId, e.occurredAt);
        if (r.affected_rows() == 0 && held.empty()) {
            // Created meanwhile by a concurrent transaction: checked as if it had been there.
            auto now_held = w.exec_prepared("lock_introduction", i.id);
            if (!now_held.empty() && now_held[0][0].as<std::string>() != e.kioskId)
                throw alreadyUsed("introduction_id");
            if (!now_held.empty() && now_held[0][1].as<std::string>() != i.interestId)
                throw Invalid{"field 'interest_id' differs from the one this introduction was created with"};
        }
        w.exec_prepared("introduction_created", i.id, e.occurredAt);
        return true;
    }
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const OfferState& o) {
        if (!addEvent(w, e, now)) return false;
        w.exec_prepared("upsert_offer_state", o.offerId, o.state, o.changedAt, e.kioskId);
        return true;
    }
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const Hours& h) {
        if (!addEvent(w, e, now)) return false;
        if (w.exec_prepared("introduction_of_kiosk", h.introductionId, e.kioskId).empty())
            throw Invalid{"field 'introduction_id' is not an introduction received from this kiosk"};
        if (w.exec_prepared("add_hours", h.id, e.kioskId, h.introductionId, h.hours, h.doneOn)
                .affected_rows() == 0)
            throw alreadyUsed("hours_id");
        return true;
    }
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const CallbackFollowUp& c) {
        if (!addEvent(w, e, now)) return false;
        if (w.exec_prepared("follow_up_callback", c.callbackId, e.kioskId, c.outcome, c.nextCallOn,
                            c.followedUpAt)
                .empty())
            throw Invalid{"field 'callback_id' is not a call-back request received from this kiosk"};
        return true;
    }
    /// The sealed copies of that record's personal data go, in the folded table and in the
    /// stored event; the rest (reference, offer, dates) stays. PostgreSQL keeps the old row
    /// versions until VACUUM: docs/operations.md says to run it.
    static bool store(pqxx::work& w, const WireEvent& e, const std::string& now, const Erasure& x) {
        if (!addEvent(w, e, now)) return false;
        auto r = w.exec_prepared(x.interest ? "erase_registration" : "erase_callback", e.kioskId, x.recordId);
        for (const auto& row : r)
            w.exec_prepared("erase_event_blob", row[0].as<std::string>(), e.kioskId);
        return true;
    }

    Pool m_pool;
};

/// Lower-case hex, as decode(..., 'hex') reads it.
std::string hex(const std::vector<unsigned char>& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

/// Copies one table's rows in multi-row INSERTs (the values as text, PostgreSQL converts them).
std::int64_t copyTable(const store::Database& from, pqxx::work& to, const Table& t) {
    constexpr std::size_t kRowsPerInsert = 200;
    std::string columns;
    for (const char* c : t.columns)
        columns += (columns.empty() ? "" : ", ") + std::string(c);
    auto read = from.prepare("SELECT " + columns + " FROM " + t.name);
    const std::size_t width = t.columns.size();
    std::vector<std::string> values;
    std::vector<bool> nulls;
    std::int64_t copied = 0;
    auto flush = [&] {
        const std::size_t rows = values.size() / width;
        if (rows == 0) return;
        std::string sql = "INSERT INTO " + std::string(t.name) + "(" + columns + ") VALUES ";
        std::vector<const char*> params;
        for (std::size_t r = 0; r < rows; ++r) {
            sql += r ? ", (" : "(";
            for (std::size_t c = 0; c < width; ++c) {
                const std::size_t i = r * width + c;
                const std::string p = "$" + std::to_string(i + 1);
                const bool bytes = t.bytes && std::string_view(t.bytes) == t.columns[c];
                sql += (c ? ", " : "") + (bytes ? "decode(" + p + ", 'hex')" : p);
                params.push_back(nulls[i] ? nullptr : values[i].c_str());
            }
            sql += ")";
        }
        to.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
        copied += static_cast<std::int64_t>(rows);
        values.clear();
        nulls.clear();
    };
    while (read.step()) {
        for (std::size_t c = 0; c < width; ++c) {
            const int col = static_cast<int>(c);
            const bool bytes = t.bytes && std::string_view(t.bytes) == t.columns[c];
            nulls.push_back(read.isNull(col));
            values.push_back(nulls.back() ? std::string() : bytes ? hex(read.blob(col)) : read.text(col));
        }
        if (values.size() >= kRowsPerInsert * width) flush();
    }
    flush();
    return copied;
}

} // namespace

StorageCopyReport copySqliteToPostgres(const std::string& sqlitePath, const std::string& url) {
    // Opening each side through its storage brings both schemas to their current version.
    (void)openSqliteStorage(sqlitePath);
    (void)openPostgresStorage(url, PostgresOptions{1});
    auto from = store::Database::open(sqlitePath, store::Database::Options{true, 5000});
    pqxx::connection c(url);
    pqxx::work w(c);
    // Nothing may be mixed with an existing network's data: only a freshly created schema.
    for (const auto& t : centralTables()) {
        if (std::string_view(t.name) == "meta") continue;
        if (w.exec(std::string("SELECT 1 FROM ") + t.name + " LIMIT 1").size() > 0)
            throw std::runtime_error(std::string("the target database is not empty (table ") + t.name +
                                     " has rows): migrate-storage only fills a new database");
    }
    if (metaValue(w, "catalogue_version") != "0")
        throw std::runtime_error("the target database is not empty (catalogue version is not 0)");
    w.exec("DELETE FROM meta");
    StorageCopyReport report;
    for (const auto& t : centralTables()) {
        const std::int64_t copied = copyTable(from, w, t);
        const std::int64_t source = store::queryInt(from, std::string("SELECT COUNT(*) FROM ") + t.name);
        const auto target = w.exec(std::string("SELECT COUNT(*) FROM ") + t.name)[0][0].as<std::int64_t>();
        if (copied != source || target != source)
            throw std::runtime_error(std::string("table ") + t.name + ": " + std::to_string(source) +
                                     " rows in " + "the source, " + std::to_string(target) +
                                     " in the target; nothing copied");
        report.rows.emplace_back(t.name, target);
    }
    w.commit();
    return report;
}

std::unique_ptr<CentralStorage> openPostgresStorage(const std::string& url, const PostgresOptions& options) {
    return std::make_unique<PostgresStorage>(url, options);
}

std::unique_ptr<CentralStorage> openStorage(const std::string& db, const PostgresOptions& options) {
    if (isPostgresUrl(db)) return openPostgresStorage(db, options);
    return openSqliteStorage(db);
}

} // namespace comptoir::sync::central
