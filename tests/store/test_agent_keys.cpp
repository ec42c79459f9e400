// Key custody: per-agent wraps of the kiosk's key, the PIN policy, the pad's lock across a
// restart, disabling, and the move from the previous version's single shared PIN.
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sodium.h>

using namespace comptoir;
using namespace comptoir::store;

namespace {

constexpr const char* kPin = "73910462";
constexpr const char* kOtherPin = "58203917";

int auditCount(const Database& db, const std::string& action, const std::string& outcome) {
    auto s = db.prepare("SELECT COUNT(*) FROM audit WHERE action = ?1 AND outcome = ?2");
    s.bind(1, action).bind(2, outcome);
    REQUIRE(s.step());
    return s.integer(0);
}

std::string firstSealed(const Database& db, const SecretKey& sk) {
    auto s = db.prepare("SELECT sealed FROM personal ORDER BY id LIMIT 1");
    REQUIRE(s.step());
    auto opened = unseal(Keyring::publicKey(db), sk, s.blob(0));
    REQUIRE(opened);
    return *opened;
}

} // namespace

TEST_CASE("an agent's PIN has 8 digits or more and is not guessable at first sight") {
    for (const char* bad : {"00000000", "12345678", "87654321", "90123456", "13579135", "12121212",
                            "12341234", "11112222", "99999999999"})
        CHECK(checkAgentPin(bad) == PinProblem::Trivial);
    CHECK(checkAgentPin("1357924") == PinProblem::TooShort);
    CHECK(checkAgentPin("7391046a") == PinProblem::NotDigits);
    CHECK(checkAgentPin(std::string(33, '7')) == PinProblem::TooLong);
    for (const char* good : {"73910462", "24681357", "58203917", "120419853"})
        CHECK(checkAgentPin(good) == PinProblem::None);
    CHECK(checkAgentPin(kDemoAgentPin) == PinProblem::None);
}

TEST_CASE(
    "each agent opens the sealed contact details with their own PIN; the files hold them in clear nowhere") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    {
        auto db = Database::open(path);
        migrate(db);
        auto marie = createFirstAgent(db, "Marie", kPin, PinCost::minimum());
        CHECK_THROWS_AS(createFirstAgent(db, "Paul", kOtherPin, PinCost::minimum()), AgentError);
        VisitorStore v{db, Keyring::publicKey(db), "k"};
        InterestDraft d;
        d.offerId = "off-1";
        d.offerTitle = "Trier les dons";
        d.contact = {"Séraphine", "0639981234", "seraphine.fictive@exemple.fr", ""};
        (void)v.recordInterest(d);
        auto in = login(db, marie.id, kPin, 1'000'000);
        REQUIRE(in.outcome == LoginResult::Outcome::Ok);
        auto paul = addAgent(db, *in.key, marie.id, "Paul", kOtherPin, PinCost::minimum());
        CHECK_THROWS_AS(addAgent(db, *in.key, marie.id, "paul", "62930148", PinCost::minimum()), AgentError);
        CHECK_THROWS_AS(addAgent(db, *in.key, marie.id, "Zoé", "12345678", PinCost::minimum()), AgentError);
        (void)backupDatabase(db, dir.file("backups"), "comptoir", "20261203-080000", 3);
    }
    // A thief with the database, its WAL and its backups finds no name, phone, e-mail or PIN.
    std::string raw = test::readFile(path) + test::readFile(path + "-wal");
    for (const auto& e : std::filesystem::directory_iterator(dir.file("backups")))
        raw += test::readFile(e.path().string());
    for (const char* secret : {"Séraphine", "0639981234", "seraphine.fictive", kPin, kOtherPin}) {
        INFO(secret);
        CHECK(raw.find(secret) == std::string::npos);
    }

    auto db = Database::open(path); // a restart
    auto paul = findAgentByName(db, "PAUL");
    REQUIRE(paul);
    CHECK(login(db, paul->id, kPin, 1'000'100).outcome == LoginResult::Outcome::WrongPin);
    auto in = login(db, paul->id, kOtherPin, 1'000'101);
    REQUIRE(in.outcome == LoginResult::Outcome::Ok);
    CHECK(in.lock.failures == 0);
    auto j = nlohmann::json::parse(firstSealed(db, *in.key));
    CHECK(j["first_name"] == "Séraphine");
    CHECK(j["phone"] == "0639981234");
    // the trail names agents by id only, never a PIN or a name
    for (const auto& l : recentAudit(db, 50)) {
        CHECK(l.subject.find("Paul") == std::string::npos);
        CHECK(l.subject.find(kPin) == std::string::npos);
    }
    CHECK(auditCount(db, "login", "ok") == 2);
    CHECK(auditCount(db, "login", "refused") == 1);
    CHECK(auditCount(db, "agent.add", "ok") == 2);
}

TEST_CASE("five wrong PINs in a row lock the pad for five minutes, across a restart") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    std::string id;
    const std::int64_t t0 = 1'800'000'000;
    {
        auto db = Database::open(path);
        migrate(db);
        id = createFirstAgent(db, "Marie", kPin, PinCost::minimum()).id;
        for (int i = 0; i < 4; ++i)
            CHECK(login(db, id, "11223344", t0 + i).outcome == LoginResult::Outcome::WrongPin);
        CHECK(padLock(db).failures == 4);
        auto fifth = login(db, id, "11223344", t0 + 10);
        CHECK(fifth.outcome == LoginResult::Outcome::WrongPin);
        CHECK(fifth.lock.lockedUntil == t0 + 10 + kPinLockSeconds);
    }
    {
        auto db = Database::open(path); // the kiosk restarted: still locked, even for the right PIN
        CHECK(login(db, id, kPin, t0 + 10 + kPinLockSeconds - 1).outcome == LoginResult::Outcome::Locked);
        CHECK(auditCount(db, "login.locked", "refused") == 1);
        CHECK(auditCount(db, "pad.lock", "ok") == 1);
    }
    auto db = Database::open(path);
    auto in = login(db, id, kPin, t0 + 10 + kPinLockSeconds);
    CHECK(in.outcome == LoginResult::Outcome::Ok);
    CHECK(padLock(db).failures == 0);
    CHECK(auditCount(db, "login", "refused") == 5);
    // a success in between starts the count again
    for (int i = 0; i < 4; ++i)
        (void)login(db, id, "11223344", t0 + 400 + i);
    CHECK(login(db, id, kPin, t0 + 405).outcome == LoginResult::Outcome::Ok);
    CHECK(login(db, id, "11223344", t0 + 406).lock.failures == 1);
}

TEST_CASE("a disabled agent's PIN opens nothing; re-enabling gives a new PIN; agents are never deleted") {
    test::TempDir dir;
    auto db = Database::open(dir.file("kiosk.db"));
    migrate(db);
    auto marie = createFirstAgent(db, "Marie", kPin, PinCost::minimum());
    CHECK_THROWS_AS(disableAgent(db, std::nullopt, marie.id), AgentError); // the last one
    auto in = login(db, marie.id, kPin, 100);
    REQUIRE(in.key);
    auto paul = addAgent(db, *in.key, marie.id, "Paul", kOtherPin, PinCost::minimum());
    disableAgent(db, marie.id, paul.id);
    CHECK(queryInt(db, "SELECT COUNT(*) FROM agent_key") == 1); // Paul's wrap is gone
    CHECK(login(db, paul.id, kOtherPin, 101).outcome == LoginResult::Outcome::Disabled);
    CHECK(padLock(db).failures == 0); // a refused agent is not a guess at a wrap
    CHECK_THROWS(db.exec("DELETE FROM agent", "delete agents"));
    enableAgent(db, *in.key, marie.id, paul.id, "62930148", PinCost::minimum());
    CHECK(login(db, paul.id, kOtherPin, 102).outcome == LoginResult::Outcome::WrongPin);
    CHECK(login(db, paul.id, "62930148", 103).outcome == LoginResult::Outcome::Ok);
    CHECK(auditCount(db, "agent.disable", "ok") == 1);
    CHECK(auditCount(db, "agent.enable", "ok") == 1);
}

namespace {
/// The previous version's keyring: one key pair, the secret wrapped by one shared PIN.
void makeLegacyKeyring(Database& db, const char* sharedPin) {
    REQUIRE(sodium_init() >= 0);
    PublicKey pk{};
    SecretKey sk;
    crypto_box_keypair(pk.data(), sk.data());
    auto w = wrapSecret(sk, sharedPin, PinCost::minimum());
    db.prepare("INSERT INTO keyring(id, public_key, wrapped_secret, salt, ops_limit, mem_limit, created_at) "
               "VALUES(1, ?1, ?2, ?3, ?4, ?5, 'then')")
        .bindBlob(1, std::vector<unsigned char>(pk.begin(), pk.end()))
        .bindBlob(2, w.wrapped)
        .bindBlob(3, w.salt)
        .bind(4, static_cast<std::int64_t>(w.opsLimit))
        .bind(5, static_cast<std::int64_t>(w.memLimit))
        .run();
}
} // namespace

TEST_CASE("a database of the previous version moves its shared PIN to a first agent") {
    test::TempDir dir;
    auto db = Database::open(dir.file("old.db"));
    migrate(db, 5);
    makeLegacyKeyring(db, "135790");
    // a contact sealed by the previous version
    db.prepare("INSERT INTO personal(sealed, created_at) VALUES(?1, 'then')")
        .bindBlob(1, seal(Keyring::publicKey(db), R"({"first_name":"Aurèle","phone":"0639985678"})"))
        .run();
    migrate(db);
    REQUIRE(Keyring::hasLegacyWrap(db));
    CHECK_FALSE(keyringIsDemo(db));
    CHECK_THROWS_AS(migrateLegacyKeyring(db, "999999", "Marie", kPin, PinCost::minimum()), AgentError);
    auto marie = migrateLegacyKeyring(db, "135790", "Marie", kPin, PinCost::minimum());
    CHECK_FALSE(Keyring::hasLegacyWrap(db));
    CHECK_FALSE(Keyring::unlockLegacy(db, "135790")); // the shared PIN opens nothing any more
    CHECK_FALSE(keyringIsDemo(db));
    auto in = login(db, marie.id, kPin, 100);
    REQUIRE(in.key);
    CHECK(nlohmann::json::parse(firstSealed(db, *in.key))["first_name"] == "Aurèle");
    CHECK(auditCount(db, "keyring.migrate", "ok") == 1);
}

TEST_CASE("a previous version's keyring made with its demo PIN stays marked demo once moved") {
    test::TempDir dir;
    auto db = Database::open(dir.file("old.db"));
    migrate(db, 5);
    makeLegacyKeyring(db, "246810");
    migrate(db);
    auto marie = migrateLegacyKeyring(db, kLegacyDemoPin, "Marie", kPin, PinCost::minimum());
    CHECK(keyringIsDemo(db));
    CHECK(login(db, marie.id, kPin, 100).outcome == LoginResult::Outcome::Ok);
}
