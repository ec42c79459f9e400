// The CCAS's office key: the key file, kiosks sealing to it, the export through the real server.
#include "central_backends.hpp"
#include "sync_fixture.hpp"

#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/privacy_repo.hpp"
#include "comptoir/sync/office_export.hpp"
#include "comptoir/sync/office_key.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <sstream>
#include <sys/stat.h>

using namespace comptoir;
using namespace comptoir::test;
using namespace comptoir::sync::central;

namespace {

const std::string kPassphrase = "trois mots bien choisis";

/// A kiosk sealing to its own key and, when `officeKeyBase64` is set, to the office key.
store::Recorded registerWith(KioskDb& kiosk, const std::string& officeKeyBase64, const ContactDetails& who) {
    KioskConfig config;
    config.officePublicKey = officeKeyBase64;
    store::VisitorStore visitors{kiosk.db, store::kioskSealingKeys(kiosk.db, config), kiosk.id};
    store::InterestDraft d;
    d.offerId = "off-0001";
    d.offerTitle = "Accueillir à l'épicerie";
    d.contact = who;
    d.preferredMoment = "morning";
    return visitors.recordInterest(d);
}

std::string exported(CentralStorage& storage, ExportFormat format, const OfficeKeys* keys,
                     ExportCounts* counts = nullptr) {
    std::ostringstream out;
    auto c = exportRecords(storage, out, format, keys);
    if (counts) *counts = c;
    return out.str();
}

std::string q(const std::string& s) {
    return "'" + s + "'";
}

} // namespace

TEST_CASE("the office key file: secrets wrapped under the passphrase, 0600, rotation keeps old keys") {
    TempDir dir;
    const std::string file = dir.file("office.key");
    auto first = createOfficeKeyFile(file, kPassphrase, store::PinCost::minimum());
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(decodePublicKey(first.publicKey));
    CHECK_THROWS_AS(createOfficeKeyFile(file, kPassphrase, store::PinCost::minimum()), OfficeKeyError);
    CHECK_THROWS_WITH(createOfficeKeyFile(dir.file("short.key"), "court", store::PinCost::minimum()),
                      Catch::Contains("at least 12"));
    CHECK_FALSE(std::filesystem::exists(dir.file("short.key")));

    // The secret is in the file only wrapped: opening needs the passphrase.
    CHECK_THROWS_WITH(openOfficeKeys(file, "pas la bonne phrase"), Catch::Contains("wrong passphrase"));
    CHECK_THROWS_AS(addOfficeKey(file, "pas la bonne phrase", store::PinCost::minimum()), OfficeKeyError);
    auto keys = openOfficeKeys(file, kPassphrase);
    REQUIRE(keys.keys().size() == 1);
    std::string text = readFile(file);
    std::vector<unsigned char> secret(keys.keys()[0].secretKey.data(), keys.keys()[0].secretKey.data() + 32);
    CHECK(text.find(store::toBase64(secret)) == std::string::npos);

    // Rotation: a blob sealed to the old key still opens once a new key is added.
    auto oldBlob = store::seal(store::SealingKeys{keys.keys()[0].publicKey}, "ancienne");
    auto second = addOfficeKey(file, kPassphrase, store::PinCost::minimum());
    CHECK(second.keyId != first.keyId);
    auto listed = listOfficeKeys(file);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].keyId == first.keyId);
    CHECK(listed[1].keyId == second.keyId);
    auto both = openOfficeKeys(file, kPassphrase);
    auto newBlob = store::seal(store::SealingKeys{both.keys()[1].publicKey}, "nouvelle");
    CHECK(both.open(oldBlob) == "ancienne");
    CHECK(both.open(newBlob) == "nouvelle");
    ::stat(file.c_str(), &st);
    CHECK((st.st_mode & 0777) == 0600);

    // Hostile files are refused with a message, never a crash.
    for (const std::string& bad :
         {std::string("{}"), std::string("[[[[[[[[[["), std::string(300'000, ' '),
          std::string(R"({"format":"comptoir-office-key","version":1,"keys":[{}]})"),
          std::string(R"({"format":7,"version":"1","keys":{}})"),
          std::string(R"({"format":"comptoir-office-key","version":1,"keys":[)"
                      R"({"key_id":1,"public_key":[],"created_at":null}]})")}) {
        writeFile(dir.file("bad.key"), bad);
        CHECK_THROWS_AS(openOfficeKeys(dir.file("bad.key"), kPassphrase), OfficeKeyError);
        CHECK_THROWS_AS(listOfficeKeys(dir.file("bad.key")), OfficeKeyError);
    }
    // A key entry whose id does not match its public key was edited by hand.
    auto edited = nlohmann::json::parse(text);
    edited["keys"][0]["key_id"] = "0000000000000000";
    writeFile(dir.file("edited.key"), edited.dump());
    CHECK_THROWS_AS(openOfficeKeys(dir.file("edited.key"), kPassphrase), OfficeKeyError);
}

TEST_CASE("registrations pushed to the real server open with the office key only; erasure leaves nothing") {
    TempDir dir;
    const Backend backend = CENTRAL_BACKEND();
    INFO(backendName(backend));
    auto central = std::make_unique<Central>(dir, backend);
    const std::string file = dir.file("office.key");
    auto info = createOfficeKeyFile(file, kPassphrase, store::PinCost::minimum());
    KioskDb kiosk(dir.file("kiosk.db"));
    auto sealedToBoth =
        registerWith(kiosk, info.publicKey, {"Aurèle", "0639981201", "", "=HYPERLINK(\"x\";\"y\")"});
    auto kioskOnly = registerWith(kiosk, "", {"Ysaline", "0639981202", "", ""});
    auto erased = registerWith(kiosk, info.publicKey, {"Barnabé", "0639981203", "", ""});
    sync::HttpClient http(httpFor(central->server.baseUrl(), central->token));
    REQUIRE(sync::pushPending(kiosk.db, http, pushOptions()).accepted == 3);
    REQUIRE(store::eraseVisitor(kiosk.db, kiosk.id, store::findAgentByName(kiosk.db, "Agent")->id,
                                erased.reference)
                .ok);
    REQUIRE(sync::pushPending(kiosk.db, http, pushOptions()).accepted == 1);

    auto keys = openOfficeKeys(file, kPassphrase);
    ExportCounts counts;
    std::string csv = exported(*central->storage, ExportFormat::Csv, &keys, &counts);
    CHECK(counts.records == 3);
    CHECK(counts.opened == 1);
    CHECK(counts.kioskOnly == 1);
    CHECK(counts.erased == 1);
    CHECK(csv.rfind("\xEF\xBB\xBFkind;record_id;", 0) == 0);
    auto line = [&](const std::string& id) {
        auto at = csv.find(id);
        REQUIRE(at != std::string::npos);
        auto start = csv.rfind("\r\n", at) + 2;
        return csv.substr(start, csv.find("\r\n", at) - start);
    };
    std::string opened = line(sealedToBoth.id);
    CHECK_THAT(opened, Catch::Contains(";Aurèle;0639981201;;") && Catch::Contains(";opened;"));
    // The free text would have been a formula: neutralised, and quoted for its ';' and quotes.
    CHECK_THAT(opened, Catch::Contains(R"csv(;"'=HYPERLINK(""x"";""y"")";)csv"));
    CHECK_THAT(opened, Catch::Contains(store::keyIdHex(keys.keys()[0].id)));
    CHECK_THAT(line(kioskOnly.id), Catch::Contains(";kiosk_only;"));
    CHECK(csv.find("Ysaline") == std::string::npos);
    CHECK_THAT(line(erased.id), Catch::Contains(";erased;"));
    CHECK(csv.find("Barnabé") == std::string::npos);

    auto json = nlohmann::json::parse(exported(*central->storage, ExportFormat::Json, &keys));
    REQUIRE(json["records"].size() == 3);
    CHECK(json["records"][0]["first_name"] == "Aurèle");
    CHECK(json["records"][0]["contact_status"] == "opened");
    CHECK(json["records"][0]["consent_version"].is_number());

    // The server's files alone (a stolen database): sealed blobs, no name, no phone.
    std::string withoutKey = exported(*central->storage, ExportFormat::Csv, nullptr, &counts);
    CHECK(counts.sealed == 2);
    CHECK(counts.opened == 0);
    central.reset();
    // PostgreSQL's files are its cluster's: the sealed columns are the same rows on both backends.
    std::string bytes = backend == Backend::Sqlite ? readFile(dir.file("central.db")) : std::string();
    if (std::filesystem::exists(dir.file("central.db-wal"))) bytes += readFile(dir.file("central.db-wal"));
    for (const char* personal : {"Aurèle", "0639981201", "Ysaline", "0639981202", "Barnabé", "0639981203"}) {
        CHECK(bytes.find(personal) == std::string::npos);
        CHECK(withoutKey.find(personal) == std::string::npos);
    }
}

TEST_CASE("comptoir-central office-key and export, as the CCAS runs them (passphrase on a descriptor)") {
    TempDir dir;
    const std::string bin = binaryPath("sync/comptoir-central");
    const std::string key = dir.file("office.key");
    writeFile(dir.file("pass"), kPassphrase + "\n");
    writeFile(dir.file("wrong"), "une autre phrase secrète\n");
    std::string out;
    REQUIRE(runCommand(bin + " office-key init " + q(key) + " --passphrase-fd 3 3<" + q(dir.file("pass")),
                       out) == 0);
    auto at = out.find("office_public_key = \"");
    REQUIRE(at != std::string::npos);
    std::string publicKey = out.substr(at + 21, 44);
    CHECK(decodePublicKey(publicKey));

    {
        Central central(dir);
        KioskDb kiosk(dir.file("kiosk.db"));
        (void)registerWith(kiosk, publicKey, {"Aurèle", "0639981201", "", ""});
        sync::HttpClient http(httpFor(central.server.baseUrl(), central.token));
        REQUIRE(sync::pushPending(kiosk.db, http, pushOptions()).accepted == 1);
    }
    const std::string db = " --db " + q(dir.file("central.db"));
    const std::string csv = dir.file("inscriptions.csv");
    // A wrong passphrase: a clear error and no file.
    CHECK(runCommand(bin + " export registrations" + db + " --office-key " + q(key) + " --out " + q(csv) +
                         " --passphrase-fd 3 3<" + q(dir.file("wrong")),
                     out) == 1);
    CHECK_THAT(out, Catch::Contains("wrong passphrase"));
    CHECK_FALSE(std::filesystem::exists(csv));
    // No terminal and no descriptor: refused, not hung.
    CHECK(runCommand("setsid " + bin + " export registrations" + db + " --office-key " + q(key) + " --out " +
                         q(csv) + " < /dev/null",
                     out) == 1);
    CHECK_THAT(out, Catch::Contains("--passphrase-fd"));

    REQUIRE(runCommand(bin + " export registrations" + db + " --office-key " + q(key) + " --out " + q(csv) +
                           " --passphrase-fd 3 3<" + q(dir.file("pass")),
                       out) == 0);
    CHECK_THAT(out, Catch::Contains("1 records: 1 opened"));
    CHECK_THAT(readFile(csv), Catch::Contains("Aurèle;0639981201"));
    struct stat st {};
    REQUIRE(::stat(csv.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // Without the key: the export works, contact details stay sealed.
    REQUIRE(runCommand(bin + " export registrations" + db + " --format json", out) == 0);
    CHECK_THAT(out, Catch::Contains("\"contact_status\":\"sealed\""));
    CHECK(out.find("Aurèle") == std::string::npos);
    CHECK(runCommand(bin + " export registrations" + db + " --format xml", out) == 2);

    REQUIRE(runCommand(bin + " office-key list " + q(key), out) == 0);
    CHECK_THAT(out, Catch::Contains(publicKey));
}

TEST_CASE(
    "comptoir-sync status says whether the CCAS can read this kiosk's registrations; a bad key stops it") {
    TempDir dir;
    const std::string dataDir = dir.file("data");
    std::filesystem::create_directories(dataDir);
    KioskDb kiosk(dataDir + "/comptoir.db");
    const std::string job =
        binaryPath("sync/comptoir-sync") + " --config " + q(dir.file("kiosk.toml")) + " status";
    auto configure = [&](const std::string& officeKey) {
        writeFile(dir.file("kiosk.toml"), "kiosk_id = \"kiosk-test\"\ndata_dir = \"" + dataDir +
                                              "\"\n[privacy]\noffice_public_key = \"" + officeKey + "\"\n");
    };
    std::string out;
    configure("");
    REQUIRE(runCommand(job, out) == 0);
    CHECK_THAT(out, Catch::Contains("office key: none"));

    store::PublicKey office{};
    store::SecretKey secret;
    REQUIRE(crypto_box_keypair(office.data(), secret.data()) == 0);
    configure(store::toBase64({office.begin(), office.end()}));
    REQUIRE(runCommand(job, out) == 0);
    CHECK_THAT(out, Catch::Contains("office key: " + store::keyIdHex(store::keyIdOf(office))));

    configure("bm90IGEga2V5");
    CHECK(runCommand(job, out) == 2);
    CHECK_THAT(out, Catch::Contains("privacy.office_public_key") && Catch::Contains("office-key init"));
}
