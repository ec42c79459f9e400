#include "comptoir/store/migrations.hpp"

#include <array>
#include <string>

namespace comptoir::store {

namespace {

// Each entry takes the schema from version N to N+1. Never edit a shipped entry: add a new one.
constexpr std::array<const char*, 14> kMigrations = {
    // 1: the offer catalogue (authoritative on the central server, replaced by pulls).
    R"sql(
CREATE TABLE catalogue_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE theme (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, pictogram TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE activity (
  id TEXT PRIMARY KEY, theme_id TEXT NOT NULL REFERENCES theme(id) ON DELETE CASCADE,
  name TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE neighbourhood (id TEXT PRIMARY KEY, name TEXT NOT NULL, x REAL NOT NULL, y REAL NOT NULL);
CREATE TABLE organisation (
  id TEXT PRIMARY KEY, name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('association','city_service','public_body','collective')),
  neighbourhood_id TEXT NOT NULL REFERENCES neighbourhood(id),
  address TEXT NOT NULL DEFAULT '', contact TEXT NOT NULL DEFAULT '',
  charter_signed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE offer (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisation(id),
  title TEXT NOT NULL, description TEXT NOT NULL,
  theme_id TEXT NOT NULL REFERENCES theme(id),
  activity_id TEXT NOT NULL REFERENCES activity(id),
  rhythm TEXT NOT NULL CHECK (rhythm IN ('one_off','regular')),
  frequency TEXT NOT NULL DEFAULT '',
  to_be_agreed INTEGER NOT NULL DEFAULT 0,
  duration_hours REAL NOT NULL CHECK (duration_hours > 0),
  place TEXT NOT NULL DEFAULT '',
  neighbourhood_id TEXT NOT NULL REFERENCES neighbourhood(id),
  step_free INTEGER NOT NULL DEFAULT 0,
  min_age INTEGER NOT NULL DEFAULT 0,
  parental_agreement INTEGER NOT NULL DEFAULT 0,
  group_friendly INTEGER NOT NULL DEFAULT 0,
  prerequisites TEXT NOT NULL DEFAULT '[]',
  skills TEXT NOT NULL DEFAULT '[]',
  what_to_bring TEXT NOT NULL DEFAULT '',
  places_wanted INTEGER NOT NULL DEFAULT 0,
  places_left INTEGER NOT NULL DEFAULT 0 CHECK (places_left >= 0),
  registration_open INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL CHECK (status IN ('published','paused','archived')),
  catalogue_version INTEGER NOT NULL,
  first_date TEXT);
CREATE INDEX offer_theme ON offer(theme_id);
CREATE INDEX offer_neighbourhood ON offer(neighbourhood_id);
CREATE TABLE offer_date (
  offer_id TEXT NOT NULL REFERENCES offer(id) ON DELETE CASCADE,
  start TEXT NOT NULL, "end" TEXT NOT NULL);
CREATE INDEX offer_date_offer ON offer_date(offer_id);
CREATE TABLE offer_slot (
  offer_id TEXT NOT NULL REFERENCES offer(id) ON DELETE CASCADE,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start TEXT NOT NULL, "end" TEXT NOT NULL);
CREATE INDEX offer_slot_offer ON offer_slot(offer_id);
)sql",
    // 2: what visitors leave, personal fields sealed apart, and the outbox of events.
    R"sql(
CREATE TABLE personal (
  id INTEGER PRIMARY KEY,
  sealed BLOB,               -- libsodium sealed box of a JSON object; NULL once purged
  created_at TEXT NOT NULL,
  purged_at TEXT);
CREATE TABLE interest (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  offer_id TEXT NOT NULL,    -- no foreign key: the catalogue may drop the offer later
  offer_title TEXT NOT NULL,
  personal_id INTEGER NOT NULL REFERENCES personal(id),
  preferred_moment TEXT NOT NULL DEFAULT '',
  consent_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','contacted','introduced','closed')));
CREATE TABLE callback_request (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  personal_id INTEGER NOT NULL REFERENCES personal(id),
  recontact_after TEXT NOT NULL,
  consent_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','done','cancelled')));
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  occurred_at TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  sent_at TEXT);
CREATE INDEX outbox_waiting ON outbox(seq) WHERE sent_at IS NULL;
CREATE TRIGGER outbox_immutable BEFORE UPDATE OF event_id, type, schema_version, occurred_at, kiosk_id, payload
  ON outbox BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END;
CREATE TRIGGER outbox_no_delete_unsent BEFORE DELETE ON outbox WHEN OLD.sent_at IS NULL
  BEGIN SELECT RAISE(ABORT, 'an unsent event cannot be deleted'); END;
CREATE TABLE keyring (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  public_key BLOB NOT NULL,
  wrapped_secret BLOB NOT NULL,
  salt BLOB NOT NULL,
  ops_limit INTEGER NOT NULL,
  mem_limit INTEGER NOT NULL,
  created_at TEXT NOT NULL);
)sql",
    // 3: the agents' follow-up: introductions to host organisations, hours, feedback.
    R"sql(
CREATE TABLE agent (
  id TEXT PRIMARY KEY, display_name TEXT NOT NULL, pin_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL);
CREATE TABLE introduction (
  id TEXT PRIMARY KEY,
  interest_id TEXT NOT NULL REFERENCES interest(id),
  organisation_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('proposed','sent','accepted','started','completed','declined','cancelled')),
  reason TEXT NOT NULL DEFAULT '',
  agent_id TEXT REFERENCES agent(id),
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE introduction_history (
  id INTEGER PRIMARY KEY,
  introduction_id TEXT NOT NULL REFERENCES introduction(id),
  status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', agent_id TEXT, at TEXT NOT NULL);
CREATE TABLE hours_log (
  id TEXT PRIMARY KEY,
  introduction_id TEXT NOT NULL REFERENCES introduction(id),
  hours REAL NOT NULL CHECK (hours > 0 AND hours <= 24),
  done_on TEXT NOT NULL, agent_id TEXT REFERENCES agent(id), created_at TEXT NOT NULL);
CREATE TABLE feedback (
  id TEXT PRIMARY KEY,
  context TEXT NOT NULL CHECK (context IN ('after_registration','leaving')),
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
  created_at TEXT NOT NULL);
)sql",
    // 4: sync bookkeeping: events the server refused for good, and the sync's own small state.
    R"sql(
CREATE TABLE dead_letter (
  event_id TEXT PRIMARY KEY REFERENCES outbox(event_id),
  reason TEXT NOT NULL,
  http_status INTEGER NOT NULL DEFAULT 0,
  failed_at TEXT NOT NULL);
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX outbox_sent_at ON outbox(sent_at) WHERE sent_at IS NOT NULL;
)sql",
    // 5: the agents' audit trail: who did what, when, on which record id; never personal data.
    // Append-only: a trail that can be edited proves nothing.
    R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  agent_id TEXT,
  action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  subject TEXT NOT NULL DEFAULT '' CHECK (length(subject) <= 64),
  outcome TEXT NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok','refused','failed')));
CREATE INDEX audit_agent ON audit(agent_id, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql",
    // 6: agent mode. The kiosk's secret key wrapped once per agent (the PIN check is that wrap's
    // authentication: no PIN hash to guess against); the PIN pad's lock, which outlives restarts;
    // a keyring made for the offline demo (public PIN) is marked so a connected kiosk refuses it;
    // registrations made by an agent for a visitor, and those reached only at the counter.
    R"sql(
CREATE TABLE agent_key (
  agent_id TEXT PRIMARY KEY REFERENCES agent(id),
  wrapped_secret BLOB NOT NULL,
  salt BLOB NOT NULL,
  ops_limit INTEGER NOT NULL,
  mem_limit INTEGER NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE pin_guard (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_until INTEGER NOT NULL DEFAULT 0);
INSERT INTO pin_guard(id) VALUES(1);
ALTER TABLE agent ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX agent_name ON agent(display_name COLLATE NOCASE);
CREATE TRIGGER agent_no_delete BEFORE DELETE ON agent
  BEGIN SELECT RAISE(ABORT, 'agents are never deleted: disable them'); END;
ALTER TABLE keyring ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE interest ADD COLUMN assisted_by TEXT REFERENCES agent(id);
ALTER TABLE interest ADD COLUMN reach TEXT NOT NULL DEFAULT 'contact' CHECK (reach IN ('contact','at_counter'));
ALTER TABLE callback_request ADD COLUMN assisted_by TEXT REFERENCES agent(id);
)sql",
    // 7: the agents' follow-up. Introductions gain the waiting list and no-shows (a CHECK can only
    // change by rebuilding the table, and its children with it: children are dropped first so no
    // foreign key is ever broken), the offer, sealed notes and a next-action date; the Permis
    // Citoyen flag of offers; offer changes made on site; erasures (GDPR art. 17), the only
    // reason an outbox payload may change: an erased record's `personal_sealed` may be blanked.
    R"sql(
CREATE TABLE introduction_v6 (
  id TEXT PRIMARY KEY,
  interest_id TEXT NOT NULL REFERENCES interest(id),
  offer_id TEXT NOT NULL DEFAULT '',
  organisation_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('waiting','proposed','accepted','started','completed','declined','cancelled','no_show')),
  reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 40),
  agent_id TEXT REFERENCES agent(id),
  notes_sealed BLOB,          -- libsodium sealed box (kiosk key): may name people
  next_action_on TEXT,        -- YYYY-MM-DD
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO introduction_v6(id, interest_id, organisation_id, status, reason, agent_id, created_at, updated_at)
  SELECT id, interest_id, organisation_id, CASE status WHEN 'sent' THEN 'proposed' ELSE status END, reason,
         agent_id, created_at, updated_at FROM introduction;
CREATE TABLE introduction_history_v6 (
  id INTEGER PRIMARY KEY,
  introduction_id TEXT NOT NULL REFERENCES introduction_v6(id),
  status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', agent_id TEXT, at TEXT NOT NULL);
INSERT INTO introduction_history_v6 SELECT id, introduction_id, status, reason, agent_id, at FROM introduction_history;
CREATE TABLE hours_log_v6 (
  id TEXT PRIMARY KEY,
  introduction_id TEXT NOT NULL REFERENCES introduction_v6(id),
  hours REAL NOT NULL CHECK (hours > 0 AND hours <= 24),
  done_on TEXT NOT NULL, agent_id TEXT REFERENCES agent(id), created_at TEXT NOT NULL);
INSERT INTO hours_log_v6 SELECT id, introduction_id, hours, done_on, agent_id, created_at FROM hours_log;
DROP TABLE hours_log;
DROP TABLE introduction_history;
DROP TABLE introduction;
ALTER TABLE introduction_v6 RENAME TO introduction;
ALTER TABLE introduction_history_v6 RENAME TO introduction_history;
ALTER TABLE hours_log_v6 RENAME TO hours_log;
CREATE INDEX introduction_interest ON introduction(interest_id);
CREATE INDEX introduction_offer ON introduction(offer_id, status);
CREATE INDEX introduction_history_intro ON introduction_history(introduction_id, id);
CREATE INDEX hours_log_intro ON hours_log(introduction_id);
ALTER TABLE offer ADD COLUMN permis_citoyen INTEGER NOT NULL DEFAULT 0;
CREATE TABLE offer_local_state (
  offer_id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('full','closed','open')),
  base_version INTEGER NOT NULL, -- catalogue version of the offer when the change was made
  event_id TEXT NOT NULL,
  agent_id TEXT, changed_at TEXT NOT NULL);
-- A pull while the change still waits in the outbox was made without it: the base moves up, so
-- only a catalogue published after the server acknowledged the change replaces it.
CREATE TRIGGER offer_local_state_rebase_update AFTER UPDATE OF catalogue_version ON offer BEGIN
  UPDATE offer_local_state SET base_version = NEW.catalogue_version WHERE offer_id = NEW.id
    AND EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = offer_local_state.event_id AND o.sent_at IS NULL); END;
CREATE TRIGGER offer_local_state_rebase_insert AFTER INSERT ON offer BEGIN
  UPDATE offer_local_state SET base_version = NEW.catalogue_version WHERE offer_id = NEW.id
    AND EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = offer_local_state.event_id AND o.sent_at IS NULL); END;
CREATE TABLE local_offer (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL CHECK (json_valid(body)), -- one offer in the catalogue format
  event_id TEXT NOT NULL,
  agent_id TEXT, created_at TEXT NOT NULL);
CREATE TABLE erasure (
  reference TEXT PRIMARY KEY,
  record_kind TEXT NOT NULL CHECK (record_kind IN ('interest','callback')),
  record_id TEXT NOT NULL,
  agent_id TEXT, erased_at TEXT NOT NULL);
DROP TRIGGER outbox_immutable;
CREATE TRIGGER outbox_immutable BEFORE UPDATE OF event_id, type, schema_version, occurred_at, kiosk_id, payload
  ON outbox WHEN NOT (
    NEW.event_id IS OLD.event_id AND NEW.type IS OLD.type AND NEW.schema_version IS OLD.schema_version
    AND NEW.occurred_at IS OLD.occurred_at AND NEW.kiosk_id IS OLD.kiosk_id
    AND json_type(OLD.payload, '$.personal_sealed') = 'text'
    AND NEW.payload IS json_set(OLD.payload, '$.personal_sealed', '')
    AND EXISTS (SELECT 1 FROM erasure WHERE reference = json_extract(OLD.payload, '$.reference')))
  BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END;
)sql",
    // 8: retention keeps the consent's promise ("N mois au plus") whatever the sync state: an
    // event's sealed copy may also be blanked once its record's personal data is purged (a
    // kiosk that never synced must not keep it for ever in the outbox).
    R"sql(
DROP TRIGGER outbox_immutable;
CREATE TRIGGER outbox_immutable BEFORE UPDATE OF event_id, type, schema_version, occurred_at, kiosk_id, payload
  ON outbox WHEN NOT (
    NEW.event_id IS OLD.event_id AND NEW.type IS OLD.type AND NEW.schema_version IS OLD.schema_version
    AND NEW.occurred_at IS OLD.occurred_at AND NEW.kiosk_id IS OLD.kiosk_id
    AND json_type(OLD.payload, '$.personal_sealed') = 'text'
    AND NEW.payload IS json_set(OLD.payload, '$.personal_sealed', '')
    AND (EXISTS (SELECT 1 FROM erasure WHERE reference = json_extract(OLD.payload, '$.reference'))
         OR EXISTS (SELECT 1 FROM personal p WHERE p.sealed IS NULL AND p.id IN (
              SELECT personal_id FROM interest WHERE id = json_extract(OLD.payload, '$.interest_id')
              UNION ALL
              SELECT personal_id FROM callback_request WHERE id = json_extract(OLD.payload, '$.callback_id')))))
  BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END;
)sql",
    // 9: anonymous feedback that cannot be linked to the visitor (docs/privacy.md): a random id,
    // the day only, no context, and no rowid (WITHOUT ROWID keeps rows in id order, not in the
    // order they were written). `held` rows wait for the day to end before their events are
    // written, all of a day at once, in id order. Older rows lose their time of day and context;
    // their events were written when they were given.
    R"sql(
CREATE TABLE feedback_v9 (
  id TEXT PRIMARY KEY,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
  given_on TEXT NOT NULL,
  held INTEGER NOT NULL DEFAULT 1 CHECK (held IN (0, 1))) WITHOUT ROWID;
INSERT INTO feedback_v9(id, score, given_on, held) SELECT id, score, substr(created_at, 1, 10), 0 FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_v9 RENAME TO feedback;
CREATE INDEX feedback_held ON feedback(given_on) WHERE held = 1;
)sql",
    // 10: a call-back asked from a full offer ("C'est complet : me recontacter") keeps the offer.
    R"sql(
ALTER TABLE callback_request ADD COLUMN offer_id TEXT;
ALTER TABLE callback_request ADD COLUMN offer_title TEXT;
)sql",
    // 11: what came of each call back (the agent's follow-up of a call-back request): the coded
    // outcome, the next date when nobody answered, and a note sealed to the kiosk's key (it may
    // name people; erased with the visitor).
    R"sql(
CREATE TABLE callback_followup (
  id INTEGER PRIMARY KEY,
  callback_id TEXT NOT NULL REFERENCES callback_request(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('introduction_proposed','no_longer_wishes','no_answer','wrong_number')),
  next_call_on TEXT,         -- YYYY-MM-DD, for no_answer only
  note_sealed BLOB,          -- libsodium sealed box (kiosk key)
  agent_id TEXT REFERENCES agent(id),
  at TEXT NOT NULL);
CREATE INDEX callback_followup_callback ON callback_followup(callback_id, id);
)sql",
    // 12: the agent's inbox reads only what is to do, in due order, without visiting the tables:
    // new registrations (covering: every column the inbox shows), call-backs waiting,
    // introductions still open, each by its date.
    R"sql(
CREATE INDEX interest_inbox ON interest(created_at, reference, personal_id, offer_title, reach, status)
  WHERE status = 'new';
CREATE INDEX callback_inbox ON callback_request(recontact_after) WHERE status = 'waiting';
CREATE INDEX introduction_inbox ON introduction(next_action_on)
  WHERE status IN ('waiting','proposed','accepted','started');
)sql",
    // 13: an offer's texts in other languages, the catalogue's `translations` object as it came
    // (validated again when read: docs/catalogue-format.md).
    R"sql(
ALTER TABLE offer ADD COLUMN translations TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(translations));
)sql",
    // 14: what the publishing platform says of an offer (API Engagement, the CCAS's spreadsheet):
    // where it came from, its page to apply on, and the moment in the platform's own words. Kept so
    // that a visitor sees "2 heures par semaine" and takes the page away on the ticket.
    R"sql(
ALTER TABLE offer ADD COLUMN source TEXT NOT NULL DEFAULT '' CHECK (length(source) <= 20);
ALTER TABLE offer ADD COLUMN application_url TEXT NOT NULL DEFAULT '' CHECK (length(application_url) <= 500);
ALTER TABLE offer ADD COLUMN schedule TEXT NOT NULL DEFAULT '' CHECK (length(schedule) <= 200);
)sql",
};

} // namespace

int latestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

void migrate(Database& db, int target) {
    if (target < 0) target = latestSchemaVersion();
    int current = db.userVersion();
    if (current > latestSchemaVersion())
        throw DbError("migrate", 0,
                      "database schema version " + std::to_string(current) + " is newer than this build (" +
                          std::to_string(latestSchemaVersion()) + ")");
    for (int v = current; v < target; ++v) {
        Transaction tx(db);
        db.exec(kMigrations[static_cast<size_t>(v)], "migrate schema to version " + std::to_string(v + 1));
        db.exec("PRAGMA user_version = " + std::to_string(v + 1), "set user_version");
        tx.commit();
    }
}

} // namespace comptoir::store
