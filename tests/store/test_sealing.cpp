#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sodium.h>

using namespace comptoir;
using namespace comptoir::store;

TEST_CASE("personal fields are unreadable on disk and readable with the agents' PIN") {
    test::TempDir dir;
    std::string path = dir.file("kiosk.db");
    {
        auto db = Database::open(path);
        migrate(db);
        (void)createFirstAgent(db, "Marie", "73910462", PinCost::minimum());
        VisitorStore v{db, Keyring::publicKey(db), "k"};
        InterestDraft d;
        d.offerId = "off-1";
        d.offerTitle = "Trier les dons";
        d.contact = {"Séraphine", "0611223344", "seraphine.fictive@exemple.fr", "Je préfère le samedi"};
        v.recordInterest(d);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint");
    }
    // A thief with the files sees no name, phone, e-mail or message: not in the database,
    // not in the WAL.
    std::string raw = test::readFile(path) + test::readFile(path + "-wal");
    CHECK(raw.find("Séraphine") == std::string::npos);
    CHECK(raw.find("0611223344") == std::string::npos);
    CHECK(raw.find("seraphine.fictive") == std::string::npos);
    CHECK(raw.find("samedi") == std::string::npos);
    CHECK(raw.find("Trier les dons") != std::string::npos); // the offer itself is not personal

    auto db = Database::open(path);
    auto marie = findAgentByName(db, "Marie");
    REQUIRE(marie);
    CHECK_FALSE(login(db, marie->id, "00000000", 1).key);
    auto in = login(db, marie->id, "73910462", 2);
    REQUIRE(in.key);
    const auto& sk = in.key;
    auto s = db.prepare("SELECT sealed FROM personal");
    REQUIRE(s.step());
    auto opened = unseal(Keyring::publicKey(db), *sk, s.blob(0));
    REQUIRE(opened);
    auto j = nlohmann::json::parse(*opened);
    CHECK(j["first_name"] == "Séraphine");
    CHECK(j["phone"] == "0611223344");
}

TEST_CASE("a sealed blob that was altered does not open") {
    test::TempDir dir;
    auto db = Database::open(dir.file("k.db"));
    migrate(db);
    Keyring::create(db, "2468", PinCost::minimum());
    auto pk = Keyring::publicKey(db);
    auto sealed = seal(pk, "secret");
    auto in = login(db, findAgentByName(db, "Agent")->id, "2468", 1);
    REQUIRE(in.key);
    const auto& sk = in.key;
    CHECK(unseal(pk, *sk, sealed) == std::optional<std::string>("secret"));
    sealed[sealed.size() / 2] ^= 0x01;
    CHECK_FALSE(unseal(pk, *sk, sealed));
    CHECK_THROWS(Keyring::create(db, "9999", PinCost::minimum())); // only one keyring
}

TEST_CASE("base64 round trip") {
    std::vector<unsigned char> bytes{0, 1, 2, 250, 255};
    CHECK(fromBase64(toBase64(bytes)) == bytes);
    CHECK_FALSE(fromBase64("***"));
}

namespace {
/// A key pair of our own, as the CCAS's office key would be.
struct TestKeyPair {
    PublicKey pk{};
    SecretKey sk;
    TestKeyPair() { REQUIRE(crypto_box_keypair(pk.data(), sk.data()) == 0); }
};
} // namespace

TEST_CASE("a blob sealed to the kiosk and the office key opens with either, and names both keys") {
    TestKeyPair kiosk, office, stranger;
    auto blob = seal(SealingKeys{kiosk.pk, office.pk}, R"({"first_name":"Aurèle"})");
    CHECK(unseal(kiosk.pk, kiosk.sk, blob) == R"({"first_name":"Aurèle"})");
    CHECK(unseal(office.pk, office.sk, blob) == R"({"first_name":"Aurèle"})");
    CHECK_FALSE(unseal(stranger.pk, stranger.sk, blob));
    auto ids = sealedKeyIds(blob);
    REQUIRE(ids.size() == 2);
    CHECK(ids[0] == keyIdOf(kiosk.pk));
    CHECK(ids[1] == keyIdOf(office.pk));
    CHECK(keyIdHex(ids[1]).size() == 16);

    // Kiosk alone: still version 2, naming one key; the office cannot open it.
    auto kioskOnly = seal(kiosk.pk, "x");
    CHECK(sealedKeyIds(kioskOnly).size() == 1);
    CHECK(unseal(kiosk.pk, kiosk.sk, kioskOnly) == "x");
    CHECK_FALSE(unseal(office.pk, office.sk, kioskOnly));
}

TEST_CASE("a version 1 blob (sealed before blobs named their keys) still opens") {
    TestKeyPair kiosk;
    const std::string text = R"({"first_name":"Ysaline","phone":"0639981234"})";
    std::vector<unsigned char> v1(text.size() + crypto_box_SEALBYTES);
    REQUIRE(crypto_box_seal(v1.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                            kiosk.pk.data()) == 0);
    CHECK(unseal(kiosk.pk, kiosk.sk, v1) == text);
    CHECK(sealedKeyIds(v1).empty());
    // A version 2 look-alike header makes a v1 blob try both readings without harm.
    std::vector<unsigned char> lookalike = v1;
    lookalike[0] = 'C';
    lookalike[1] = 'S';
    lookalike[2] = 0x02;
    CHECK_FALSE(unseal(kiosk.pk, kiosk.sk, lookalike)); // altered, so it must not open either way
}

TEST_CASE("an altered or malformed version 2 blob opens for nobody and never reads out of bounds") {
    TestKeyPair kiosk, office;
    auto blob = seal(SealingKeys{kiosk.pk, office.pk}, "Hélène");
    // Header, then one slot per recipient (key id, sealed data key), then nonce and text shared by all:
    // a flipped bit in a recipient's slot shuts that recipient out, anywhere else everyone.
    const std::size_t slot = 8 + crypto_box_SEALBYTES + crypto_secretbox_KEYBYTES;
    for (std::size_t i = 0; i < blob.size(); ++i) {
        auto altered = blob;
        altered[i] ^= 0x01;
        INFO("byte " << i);
        bool kioskSlot = i >= 4 && i < 4 + slot, officeSlot = i >= 4 + slot && i < 4 + 2 * slot;
        if (!officeSlot) CHECK_FALSE(unseal(kiosk.pk, kiosk.sk, altered));
        if (!kioskSlot) CHECK_FALSE(unseal(office.pk, office.sk, altered));
    }
    auto tooMany = blob;
    tooMany[3] = static_cast<unsigned char>(kMaxSealRecipients + 1);
    CHECK(sealedKeyIds(tooMany).empty());
    CHECK_FALSE(unseal(kiosk.pk, kiosk.sk, tooMany));
    for (std::size_t cut = 0; cut < blob.size(); cut += 7) {
        std::vector<unsigned char> truncated(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(cut));
        CHECK_FALSE(unseal(kiosk.pk, kiosk.sk, truncated));
        (void)sealedKeyIds(truncated);
    }
}

TEST_CASE("with an office key configured, the kiosk seals each visitor's contact to both keys") {
    test::TempDir dir;
    auto db = Database::open(dir.file("kiosk.db"));
    migrate(db);
    (void)createFirstAgent(db, "Marie", "73910462", PinCost::minimum());
    TestKeyPair office;
    KioskConfig config;
    config.officePublicKey = toBase64({office.pk.begin(), office.pk.end()});
    VisitorStore v{db, kioskSealingKeys(db, config), "k"};
    InterestDraft d;
    d.offerId = "off-1";
    d.offerTitle = "Trier les dons";
    d.contact = {"Séraphine", "0639985511", "", ""};
    (void)v.recordInterest(d);
    auto s = db.prepare("SELECT sealed FROM personal");
    REQUIRE(s.step());
    auto blob = s.blob(0);
    auto ids = sealedKeyIds(blob);
    REQUIRE(ids.size() == 2);
    CHECK(ids[0] == keyIdOf(Keyring::publicKey(db)));
    CHECK(ids[1] == keyIdOf(office.pk));
    auto opened = unseal(office.pk, office.sk, blob);
    REQUIRE(opened);
    CHECK(nlohmann::json::parse(*opened)["first_name"] == "Séraphine");
    // The outbox event carries the same blob: that is what reaches the server.
    auto e = db.prepare("SELECT payload FROM outbox");
    REQUIRE(e.step());
    CHECK(nlohmann::json::parse(e.text(0))["personal_sealed"] == toBase64(blob));

    // Without one, the kiosk's key alone, as before.
    CHECK_FALSE(kioskSealingKeys(db, KioskConfig{}).office);
    config.officePublicKey = "not a key";
    CHECK_THROWS_AS(kioskSealingKeys(db, config), std::invalid_argument);
}
