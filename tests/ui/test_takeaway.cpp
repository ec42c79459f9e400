// The take-away QR code: the detail and confirmation screens rendered headless, their screenshots
// read back by libzbar as a phone would, and the text checked — offer facts and code, no
// personal data.
#include "kiosk_harness.hpp"
#include "qr_decode.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using test::KioskHarness;

namespace {
std::string onlyQr(KioskHarness& k, const std::string& name) {
    std::string png = k.dir.file(name);
    REQUIRE(k.run("screenshot " + png) == "");
    auto codes = test::decodeQrPng(png);
    REQUIRE(codes.size() == 1);
    return codes[0];
}
} // namespace

TEST_CASE("the offer detail shows a QR code a phone reads: offer, when, where, public contact") {
    for (auto size : {platform::Size{1280, 800}, platform::Size{1920, 1080}}) {
        DYNAMIC_SECTION(size.width << "x" << size.height) {
            KioskHarness k(size);
            REQUIRE(k.run(test::kOpenCollecte) == "");
            std::string text = onlyQr(k, "detail.png");
            INFO(text);
            CHECK(text == "Comptoir Citoyen d'Angers\n"
                          "Grande collecte de Noël au supermarché\n"
                          "Quand : vendredi 4 décembre, 14 h – 18 h (et 1 autre date)\n"
                          "Où : Supermarché, place de l'Europe · Monplaisir\n"
                          "Contact : La Table Ouverte, 02 41 00 11 02");
        }
    }
}

TEST_CASE("the confirmation's QR code holds the reference code and nothing personal") {
    KioskHarness k;
    REQUIRE(k.run(test::kToConsent + R"(tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
)") == "");
    std::string text = onlyQr(k, "confirmation.png");
    INFO(text);
    const std::string reference = k.session->state().reference;
    REQUIRE(reference.size() >= 5);
    CHECK(text.find("Votre code : " + reference) != std::string::npos);
    CHECK(text.find("Grande collecte de Noël au supermarché") != std::string::npos);
    // what the visitor typed stays on the kiosk, sealed: not a letter of it in the code
    for (const char* personal :
         {"Camille", "06 12 34 56 78", "0612345678", "612345678", "libre le samedi", "matin"})
        CHECK(text.find(personal) == std::string::npos);
}

TEST_CASE("a call-back's confirmation QR code says from when, with the code, nothing personal") {
    KioskHarness k;
    REQUIRE(k.run(R"(tap "Me faire recontacter plus tard"
type Noé
tap "Continuer"
tap "Je préfère donner un e-mail"
type noe@exemple.fr
tap "Continuer"
tap "Dans une semaine"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Noé !"
)") == "");
    std::string text = onlyQr(k, "callback.png");
    INFO(text);
    CHECK(text.rfind("Comptoir Citoyen d'Angers\nLe Comptoir vous recontacte à partir du ", 0) == 0);
    CHECK(text.find("Votre code : " + k.session->state().reference) != std::string::npos);
    for (const char* personal : {"Noé", "noe@", "exemple.fr"})
        CHECK(text.find(personal) == std::string::npos);
}
