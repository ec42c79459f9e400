// The CCAS's office key as the kiosk's screens meet it: a registration sealed to it, sync health.
#include "comptoir/store/sealing.hpp"
#include "kiosk_harness.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sodium.h>

using namespace comptoir;
using test::KioskHarness;

namespace {

const std::string kLogin = R"(gesture
expect "Code de Démo"
type 24681357
tap "Valider"
expect "Connecté·e : Démo"
)";

/// The CCAS's key pair, and a harness whose configuration names its public key.
struct OfficeKiosk {
    store::PublicKey office{};
    store::SecretKey secret;
    std::unique_ptr<KioskHarness> k;
    OfficeKiosk() {
        REQUIRE(crypto_box_keypair(office.data(), secret.data()) == 0);
        k = std::make_unique<KioskHarness>(platform::Size{1280, 800}, 90, [&](KioskConfig& c) {
            c.officePublicKey = store::toBase64({office.begin(), office.end()});
        });
    }
};

} // namespace

TEST_CASE("with an office key configured, a visitor's contact details are sealed to it as well") {
    OfficeKiosk o;
    REQUIRE(o.k->run(test::kToConsent + "tap \"J'ai compris et je suis d'accord\"\ntap \"Valider\"\n"
                                        "expect \"Merci, Camille !\"") == "");
    auto s = o.k->opened->db.prepare("SELECT sealed FROM personal");
    REQUIRE(s.step());
    auto blob = s.blob(0);
    auto ids = store::sealedKeyIds(blob);
    REQUIRE(ids.size() == 2);
    CHECK(ids[0] == store::keyIdOf(store::Keyring::publicKey(o.k->opened->db)));
    CHECK(ids[1] == store::keyIdOf(o.office));
    auto opened = store::unseal(o.office, o.secret, blob);
    REQUIRE(opened);
    CHECK(nlohmann::json::parse(*opened)["first_name"] == "Camille");
}

TEST_CASE("sync health says whether the CCAS's office key is set") {
    {
        OfficeKiosk o;
        REQUIRE(o.k->run(kLogin + "tap \"Synchronisation\"\n"
                                  "expect \"Clé du bureau configurée : le CCAS peut aussi lire les coordonnées.\"") ==
                "");
    } // one harness (and one Dear ImGui context) at a time
    KioskHarness plain;
    REQUIRE(plain.run(kLogin + "tap \"Synchronisation\"\n"
                               "expect \"Sans clé du bureau : seuls les agents d'ici lisent les coordonnées.\"") == "");
}
