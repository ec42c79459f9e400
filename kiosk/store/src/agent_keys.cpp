// Agents and key custody.
//
// [SECTION] PIN policy
// [SECTION] agents
// [SECTION] logging in

#include "comptoir/store/agent_keys.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/store/audit.hpp"

#include <set>
#include <sodium.h>

namespace comptoir::store {

// [SECTION] PIN policy -------------------------------------------------------

PinProblem checkAgentPin(std::string_view pin) {
    for (char ch : pin)
        if (ch < '0' || ch > '9') return PinProblem::NotDigits;
    if (pin.size() < kMinPinDigits) return PinProblem::TooShort;
    if (pin.size() > kMaxPinDigits) return PinProblem::TooLong;
    if (std::set<char>(pin.begin(), pin.end()).size() < 3) return PinProblem::Trivial;
    // A short pattern repeated: 12121212, 12341234.
    for (std::size_t period = 1; period <= 4; ++period) {
        bool repeats = true;
        for (std::size_t i = period; i < pin.size() && repeats; ++i)
            repeats = pin[i] == pin[i - period];
        if (repeats) return PinProblem::Trivial;
    }
    // One step all along, wrapping round: 12345678, 87654321, 90123456, 13579135.
    int step = (pin[1] - pin[0] + 10) % 10;
    bool constant = true;
    for (std::size_t i = 2; i < pin.size() && constant; ++i)
        constant = (pin[i] - pin[i - 1] + 10) % 10 == step;
    return constant ? PinProblem::Trivial : PinProblem::None;
}

// [SECTION] agents ----------------------------------------------------------

namespace {

AgentInfo readAgent(const Statement& s) {
    return {s.text(0), s.text(1), s.int64(2) != 0, s.int64(3) != 0, s.text(4)};
}
constexpr const char* kAgentColumns = "SELECT id, display_name, active, demo, created_at FROM agent ";

void requireName(std::string_view name) {
    std::size_t codePoints = 0;
    for (unsigned char ch : name)
        codePoints += (ch & 0xC0) != 0x80;
    if (codePoints == 0 || codePoints > 40) throw AgentError("an agent's name has 1 to 40 characters");
    for (unsigned char ch : name)
        if (ch < 0x20 || ch == 0x7F) throw AgentError("an agent's name has no control characters");
}

void requirePin(std::string_view pin) {
    switch (checkAgentPin(pin)) {
    case PinProblem::None:
        return;
    case PinProblem::TooShort:
        throw AgentError("the PIN needs at least 8 digits");
    case PinProblem::TooLong:
        throw AgentError("the PIN has at most 32 digits");
    case PinProblem::NotDigits:
        throw AgentError("the PIN has digits only");
    case PinProblem::Trivial:
        throw AgentError("this PIN is too easy to guess (repeated or sequential digits)");
    }
}

void insertWrap(Database& db, const std::string& agentId, const WrappedKey& w) {
    db.prepare("INSERT INTO agent_key(agent_id, wrapped_secret, salt, ops_limit, mem_limit, created_at) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, agentId)
        .bindBlob(2, w.wrapped)
        .bindBlob(3, w.salt)
        .bind(4, static_cast<std::int64_t>(w.opsLimit))
        .bind(5, static_cast<std::int64_t>(w.memLimit))
        .bind(6, nowUtcIso8601())
        .run();
}

/// Inserts the agent row and its wrap of `sk`; inside the caller's transaction.
AgentInfo insertAgent(Database& db, const SecretKey& sk, const std::optional<std::string>& by,
                      std::string_view name, std::string_view pin, PinCost cost, bool demo) {
    if (findAgentByName(db, name)) throw AgentError("an agent with this name already exists");
    AgentInfo a{newUuidV7(), std::string(name), true, demo, nowUtcIso8601()};
    // pin_hash stays empty: the wrap below is the only thing a PIN is checked against.
    db.prepare("INSERT INTO agent(id, display_name, pin_hash, active, created_at, demo) VALUES(?1, ?2, '', "
               "1, ?3, ?4)")
        .bind(1, a.id)
        .bind(2, a.name)
        .bind(3, a.createdAt)
        .bind(4, demo)
        .run();
    insertWrap(db, a.id, wrapSecret(sk, pin, cost));
    appendAudit(db, by, "agent.add", a.id);
    return a;
}

void initSodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
}

} // namespace

std::vector<AgentInfo> listAgents(const Database& db) {
    auto s = db.prepare(std::string(kAgentColumns) + "ORDER BY active DESC, display_name COLLATE NOCASE");
    std::vector<AgentInfo> out;
    while (s.step())
        out.push_back(readAgent(s));
    return out;
}

std::optional<AgentInfo> findAgentByName(const Database& db, std::string_view name) {
    auto s = db.prepare(std::string(kAgentColumns) + "WHERE display_name = ?1 COLLATE NOCASE");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return readAgent(s);
}

std::optional<AgentInfo> findAgent(const Database& db, std::string_view id) {
    auto s = db.prepare(std::string(kAgentColumns) + "WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readAgent(s);
}

std::int64_t activeAgentCount(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM agent WHERE active = 1");
}

namespace {
/// The key pair and the first agent, inside the caller's transaction.
AgentInfo insertFirstAgent(Database& db, std::string_view name, std::string_view pin, PinCost cost,
                           bool demo) {
    initSodium();
    if (Keyring::exists(db))
        throw AgentError("this kiosk already has its key: add agents with an existing agent's PIN");
    PublicKey pk{};
    SecretKey sk;
    crypto_box_keypair(pk.data(), sk.data());
    // The keyring row keeps the public key only; its old wrap columns stay empty.
    db.prepare(
          "INSERT INTO keyring(id, public_key, wrapped_secret, salt, ops_limit, mem_limit, created_at, demo) "
          "VALUES(1, ?1, X'', X'', 0, 0, ?2, ?3)")
        .bindBlob(1, std::vector<unsigned char>(pk.begin(), pk.end()))
        .bind(2, nowUtcIso8601())
        .bind(3, demo)
        .run();
    return insertAgent(db, sk, std::nullopt, name, pin, cost, demo);
}
} // namespace

AgentInfo createFirstAgent(Database& db, std::string_view name, std::string_view pin, PinCost cost, bool demo,
                           bool checkPolicy) {
    requireName(name);
    if (checkPolicy) requirePin(pin);
    Transaction tx(db);
    AgentInfo a = insertFirstAgent(db, name, pin, cost, demo);
    tx.commit();
    return a;
}

void Keyring::create(Database& db, std::string_view pin, PinCost cost) {
    (void)insertFirstAgent(db, "Agent", pin, cost, false);
}

AgentInfo addAgent(Database& db, const SecretKey& sk, const std::optional<std::string>& by,
                   std::string_view name, std::string_view pin, PinCost cost) {
    requireName(name);
    requirePin(pin);
    Transaction tx(db);
    AgentInfo a = insertAgent(db, sk, by, name, pin, cost, false);
    tx.commit();
    return a;
}

AgentInfo migrateLegacyKeyring(Database& db, std::string_view oldPin, std::string_view name,
                               std::string_view pin, PinCost cost) {
    requireName(name);
    requirePin(pin);
    if (!Keyring::hasLegacyWrap(db)) throw AgentError("this database has no shared PIN to move");
    auto sk = Keyring::unlockLegacy(db, oldPin);
    if (!sk) throw AgentError("the previous PIN is not right");
    Transaction tx(db);
    bool demo = oldPin == kLegacyDemoPin;
    AgentInfo a = insertAgent(db, *sk, std::nullopt, name, pin, cost, false);
    // The shared PIN opens nothing any more: the old wrap is gone in the same transaction.
    db.prepare("UPDATE keyring SET wrapped_secret = X'', salt = X'', ops_limit = 0, mem_limit = 0, "
               "demo = MAX(demo, ?1) WHERE id = 1")
        .bind(1, demo)
        .run();
    appendAudit(db, a.id, "keyring.migrate", a.id);
    tx.commit();
    return a;
}

void disableAgent(Database& db, const std::optional<std::string>& by, std::string_view agentId) {
    Transaction tx(db);
    auto a = findAgent(db, agentId);
    if (!a) throw AgentError("no such agent");
    if (!a->active) throw AgentError("this agent is already disabled");
    if (activeAgentCount(db) <= 1)
        throw AgentError("the last active agent cannot be disabled: nobody could open the data any more");
    db.prepare("UPDATE agent SET active = 0 WHERE id = ?1").bind(1, agentId).run();
    db.prepare("DELETE FROM agent_key WHERE agent_id = ?1").bind(1, agentId).run();
    appendAudit(db, by, "agent.disable", agentId);
    tx.commit();
}

void enableAgent(Database& db, const SecretKey& sk, const std::optional<std::string>& by,
                 std::string_view agentId, std::string_view pin, PinCost cost) {
    requirePin(pin);
    auto a = findAgent(db, agentId);
    if (!a) throw AgentError("no such agent");
    if (a->active) throw AgentError("this agent is already active");
    WrappedKey w = wrapSecret(sk, pin, cost); // before the transaction: the derivation is slow
    Transaction tx(db);
    db.prepare("UPDATE agent SET active = 1 WHERE id = ?1").bind(1, agentId).run();
    insertWrap(db, std::string(agentId), w);
    appendAudit(db, by, "agent.enable", agentId);
    tx.commit();
}

bool keyringIsDemo(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM keyring WHERE demo = 1") > 0;
}

// [SECTION] logging in -----------------------------------------------------

PadLock padLock(const Database& db) {
    auto s = db.prepare("SELECT failures, locked_until FROM pin_guard WHERE id = 1");
    if (!s.step()) return {};
    return {s.integer(0), s.int64(1)};
}

namespace {
void savePadLock(Database& db, const PadLock& l) {
    db.prepare("UPDATE pin_guard SET failures = ?1, locked_until = ?2 WHERE id = 1")
        .bind(1, l.failures)
        .bind(2, l.lockedUntil)
        .run();
}
std::optional<WrappedKey> agentWrap(const Database& db, std::string_view agentId) {
    auto s =
        db.prepare("SELECT wrapped_secret, salt, ops_limit, mem_limit FROM agent_key WHERE agent_id = ?1");
    s.bind(1, agentId);
    if (!s.step()) return std::nullopt;
    return WrappedKey{s.blob(0), s.blob(1), static_cast<std::uint64_t>(s.int64(2)),
                      static_cast<std::size_t>(s.int64(3))};
}
} // namespace

PinAttempt beginLogin(Database& db, std::string_view agentId, std::int64_t nowUnix) {
    PinAttempt a;
    a.agentId = std::string(agentId);
    a.nowUnix = nowUnix;
    PadLock lock = padLock(db);
    auto refuse = [&](LoginResult::Outcome outcome, std::string_view action) {
        Transaction tx(db);
        appendAudit(db, std::nullopt, action, agentId, AuditOutcome::Refused);
        tx.commit();
        a.refused.emplace();
        a.refused->outcome = outcome;
        a.refused->lock = lock;
        return std::move(a);
    };
    if (nowUnix < lock.lockedUntil) return refuse(LoginResult::Outcome::Locked, "login.locked");
    auto agent = findAgent(db, agentId);
    if (!agent) return refuse(LoginResult::Outcome::Unknown, "login");
    if (!agent->active) return refuse(LoginResult::Outcome::Disabled, "login.disabled");

    // Count the attempt as wrong first; only a PIN that opens the wrap takes it back.
    a.failed = lock;
    if (++a.failed.failures >= kMaxPinFailures) {
        a.failed.failures = 0;
        a.failed.lockedUntil = nowUnix + kPinLockSeconds;
    }
    Transaction tx(db);
    savePadLock(db, a.failed);
    tx.commit();
    // No wrap (an agent half made by hand): the derivation has nothing to open, a wrong PIN.
    a.wrap = agentWrap(db, agentId);
    if (!a.wrap) a.wrap.emplace();
    return a;
}

LoginResult finishLogin(Database& db, const PinAttempt& attempt, std::optional<SecretKey> key) {
    if (attempt.refused) {
        LoginResult r;
        r.outcome = attempt.refused->outcome;
        r.lock = attempt.refused->lock;
        return r;
    }
    LoginResult r;
    Transaction tx(db);
    if (key) {
        r.lock = PadLock{0, 0};
        savePadLock(db, r.lock);
        appendAudit(db, attempt.agentId, "login", attempt.agentId);
        r.outcome = LoginResult::Outcome::Ok;
        r.key.emplace(std::move(*key));
    } else {
        r.lock = attempt.failed;
        appendAudit(db, std::nullopt, "login", attempt.agentId, AuditOutcome::Refused);
        if (attempt.failed.lockedUntil > attempt.nowUnix)
            appendAudit(db, std::nullopt, "pad.lock", attempt.agentId);
        r.outcome = LoginResult::Outcome::WrongPin;
    }
    tx.commit();
    return r;
}

LoginResult login(Database& db, std::string_view agentId, std::string_view pin, std::int64_t nowUnix) {
    PinAttempt a = beginLogin(db, agentId, nowUnix);
    if (a.refused) return finishLogin(db, a, std::nullopt);
    return finishLogin(db, a, unwrapSecret(*a.wrap, pin));
}

void recordLogout(Database& db, const std::string& agentId, std::string_view why) {
    Transaction tx(db);
    appendAudit(db, agentId, why.empty() ? std::string_view("logout") : why, agentId);
    tx.commit();
}

} // namespace comptoir::store
