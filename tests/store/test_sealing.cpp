#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
