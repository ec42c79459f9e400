// The visitor journey driven headless through the real screens (touches and on-screen key
// presses injected into Dear ImGui frames), asserting on the real SQLite store.
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/sync_state.hpp"
#include "kiosk_harness.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include <catch2/catch.hpp>
#include <chrono>
#include <imgui.h>
#include <nlohmann/json.hpp>
#include <thread>

using namespace comptoir;
using test::KioskHarness;

using test::kOpenCollecte;
using test::kToConsent;

TEST_CASE("a full registration creates exactly one interest and one outbox event") {
    KioskHarness k;
    REQUIRE(k.run(kToConsent) == "");
    // Valider does nothing until the box is ticked
    REQUIRE(k.run("tap \"Valider\"\nexpect \"J'ai compris et je suis d'accord\"") == "");
    CHECK(k.count("interest") == 0);
    REQUIRE(k.run("tap \"J'ai compris et je suis d'accord\"\ntap \"Valider\"\nexpect \"Merci, Camille !\"") ==
            "");
    CHECK(k.count("interest") == 1);
    CHECK(k.count("outbox") == 1);
    auto events = store::pendingEvents(k.opened->db, 10);
    REQUIRE(events.size() == 1);
    auto payload = nlohmann::json::parse(events[0].payload);
    CHECK(payload["offer_id"] == "off-0003");
    CHECK(payload["preferred_moment"] == "morning");
    // the reference on screen is the one stored
    std::string ref = payload["reference"];
    CHECK(k.session->registry().find(ref));
    CHECK(k.run("expect \"Le Comptoir vous contacte sous 3 jours.\"") == "");
    // feedback after registration is anonymous: held, its event written once the day is over
    REQUIRE(k.run("tap \"Terminer\"\ntap \"Très bien\"\nexpect \"Merci et à bientôt !\"") == "");
    CHECK(k.count("feedback") == 1);
    CHECK(k.count("outbox") == 1);
    REQUIRE(k.run("tap \"Retour à l'accueil\"\nexpect \"Découvrir les offres\"") == "");
    CHECK(k.session->state().reference.empty());
}

TEST_CASE("declining consent stores nothing and says so") {
    KioskHarness k;
    REQUIRE(k.run(kToConsent) == "");
    REQUIRE(k.run("tap \"Non merci\"\nexpect \"Nous n'avons rien gardé.\"") == "");
    CHECK(k.count("interest") == 0);
    CHECK(k.count("personal") == 0);
    CHECK(k.count("outbox") == 0);
    CHECK(k.session->state().form.firstName.empty());
    CHECK(k.session->state().form.phone.empty());
    CHECK(k.session->state().form.message.empty());
}

TEST_CASE("an incomplete phone number shows the kind message and stores nothing") {
    KioskHarness k;
    REQUIRE(k.run(kOpenCollecte + R"(tap "Ça m'intéresse"
type Zoé
tap "Continuer"
type 06 12 34
tap "Continuer"
expect "Ce numéro semble incomplet : 10 chiffres, comme 06 12 34 56 78"
)") == "");
    CHECK(k.session->state().screen == ui::Screen::Contact);
    CHECK(k.count("interest") == 0);
    // typing fixes it: the message goes away and the journey goes on
    REQUIRE(k.run("type 5678\ntap \"Continuer\"\nexpect \"Le matin\"") == "");
}

TEST_CASE("an e-mail instead of a phone is accepted, and a bad one explained") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Noé
tap "Continuer"
tap "Je préfère donner un e-mail"
type noe.fictif@exemple
tap "Continuer"
expect "Cette adresse semble incomplète : elle ressemble à prenom@exemple.fr"
type .fr
tap "Continuer"
tap "Dans un mois"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Noé !"
)") == "");
    CHECK(k.count("callback_request") == 1);
    CHECK(k.count("interest") == 0);
    auto events = store::pendingEvents(k.opened->db, 10);
    REQUIRE(events.size() == 1);
    CHECK(events[0].type == "callback.requested");
    CHECK(events[0].payload.find("noe.fictif") == std::string::npos);
}

TEST_CASE("an idle timeout mid-form returns to the welcome screen with every field empty") {
    KioskHarness k;
    REQUIRE(k.run(kOpenCollecte + R"(tap "Ça m'intéresse"
type Camille
tap "Continuer"
type 0612
wait 95
expect "Vous êtes toujours là ?"
)") == "");
    CHECK(k.session->state().form.firstName == "Camille"); // not yet: the visitor may answer
    REQUIRE(k.run("wait 20\nexpect \"Découvrir les offres\"") == "");
    const auto& st = k.session->state();
    CHECK(st.screen == ui::Screen::Welcome);
    CHECK(st.form.firstName.empty());
    CHECK(st.form.phone.empty());
    CHECK(st.offerId.empty());
    CHECK(st.history.empty());
    CHECK_FALSE(k.session->registry().find("Vous êtes toujours là ?"));
    CHECK(k.count("interest") == 0);
}

TEST_CASE("answering the idle question keeps everything typed") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Inès
wait 100
tap "Oui, je suis là"
expect "Continuer"
)") == "");
    CHECK(k.session->state().form.firstName == "Inès");
    CHECK(k.session->state().screen == ui::Screen::FirstName);
}

TEST_CASE("a script names the line that failed") {
    KioskHarness k;
    auto err = k.run("tap \"Découvrir les offres\"\nexpect \"Un bouton qui n'existe pas\"\n");
    CHECK(err.rfind("line 2: expected \"Un bouton qui n'existe pas\" on screen", 0) == 0);
    CHECK(k.run("frobnicate").rfind("line 1: unknown command 'frobnicate'", 0) == 0);
}

TEST_CASE("text size and contrast are reachable from every screen and reset for the next visitor") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Découvrir les offres\"\ntap \"A++\"\ntap \"Contraste\"\nexpect \"Recommencer\"") ==
            "");
    auto* restart = k.session->registry().find("Recommencer");
    REQUIRE(restart);
    CHECK(restart->max.y - restart->min.y >= 48.0f * 1.5f - 1.0f); // grows with the text
    // built again from the font files: the atlas keeps no copy of them (3.5 MB; docs/operations.md)
    CHECK(ImGui::GetIO().Fonts->ConfigData.empty());
    CHECK(ImGui::GetIO().Fonts->Fonts.Size == 5);
    REQUIRE(k.run("tap \"Recommencer\"\nexpect \"Découvrir les offres\"") == "");
    auto* discover = k.session->registry().find("Découvrir les offres");
    REQUIRE(discover);
    CHECK(discover->max.y - discover->min.y < 84.0f * 1.25f);
}

TEST_CASE("odd or pasted Unicode never breaks a field") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Me faire recontacter plus tard\"") == "");
    auto& st = k.session->state();
    ui::applyKey(st.form.firstName, ui::KeyPress{std::string("\xF0\x9F\x98\x80\xC3\x28\n\tA"), false}, 40);
    CHECK(isValidUtf8(st.form.firstName));
    for (int i = 0; i < 100; ++i)
        ui::applyKey(st.form.firstName, ui::KeyPress{"é", false}, 40);
    CHECK(utf8Length(st.form.firstName) == 40);
    for (int i = 0; i < 50; ++i)
        ui::applyKey(st.form.firstName, ui::KeyPress{"", true}, 40);
    CHECK(st.form.firstName.empty());
    REQUIRE(k.run("screenshot " + k.dir.file("x.png")) == "");
}

TEST_CASE("a call-back can be asked from a given month") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Lina
tap "Continuer"
type 0612345678
tap "Continuer"
)") == "");
    // the second month choice is the first day of the month after next
    std::string today = localTime("%Y-%m-%d");
    int month = std::atoi(today.substr(5, 2).c_str());
    int m = (month + 1) % 12 + 1;
    std::string label = "À partir de " + k.strings.get("month." + std::to_string(m));
    REQUIRE(k.run("tap \"" + label + "\"\nexpect \"J'ai compris et je suis d'accord\"") == "");
    const auto& after = k.session->state().form.recontactAfter;
    CHECK(after.substr(5) == (m < 10 ? "0" : "") + std::to_string(m) + "-01");
    CHECK(after > today);
}

TEST_CASE("an offer and the consent text can be listened to") {
    KioskHarness k;
    REQUIRE(k.run(kOpenCollecte + R"(tap "Écouter"
)") == "");
    for (int i = 0; i < 200 && k.session->speech().spoken() < 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    CHECK(k.session->speech().spoken() == 1);
    CHECK(k.session->state().screen == ui::Screen::Detail); // listening changes nothing else
}

TEST_CASE("a name starting with A is typed on the keyboard, not on the text-size button") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Me faire recontacter plus tard\"\ntype Anne-Aël") == "");
    CHECK(k.session->state().form.firstName == "Anne-Aël");
}

TEST_CASE("a half-typed phone number does not block someone who chose an e-mail") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Yanis
tap "Continuer"
type 06 12
tap "Je préfère donner un e-mail"
type yanis@exemple.fr
tap "Continuer"
expect "Dans un mois"
)") == "");
    CHECK(k.session->state().form.phone.empty());
    CHECK(k.session->state().form.email == "yanis@exemple.fr");
}

TEST_CASE("a foreign mobile number is accepted, and the expected forms are said") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Amal
tap "Continuer"
expect "Par exemple 06 12 34 56 78 ou +32 470 12 34 56"
type +32 47
tap "Continuer"
expect "Ce numéro semble incomplet : le +, l'indicatif du pays, puis le numéro, comme +32 470 12 34 56"
type 0 12 34 56
tap "Continuer"
expect "Dans un mois"
tap "Retour"
)") == "");
    CHECK(k.session->state().form.phone == "+32470123456");
    // 0033… is a French number written the international way; the keypad refuses past 20 signs, and says so
    auto& st = k.session->state();
    st.form.phone.clear();
    REQUIRE(k.run("type 0033612345678\ntap \"Continuer\"\nexpect \"Dans un mois\"\ntap \"Retour\"") == "");
    st.form.phone = "+324701234567890123"; // 19 signs
    REQUIRE(k.run("type 5\nexpect \"Par exemple 06 12 34 56 78 ou +32 470 12 34 56\"\ntype 6\nexpect \"Ce "
                  "numéro ne "
                  "ressemble pas à un numéro de téléphone. Écrivez-le comme 06 12 34 56 78, ou avec + et "
                  "l'indicatif du pays : +32 470 12 34 56\"") == "");
    CHECK(st.form.phone == "+3247012345678901235");
}

TEST_CASE("a call-back asked from a full offer keeps the offer: stored, confirmed, carried in its event") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Découvrir les offres"
tap "Chercher une offre"
type boccia
tap "Aider au tournoi de boccia"
tap "C'est complet : me recontacter"
type Lina
tap "Continuer"
type 0612345678
tap "Continuer"
tap "Dans un mois"
expect "Votre prénom, votre numéro ou votre e-mail, la date où vous voulez être recontacté et l'offre choisie."
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Lina !"
expect "Pour l'offre : Aider au tournoi de boccia"
expect "2. Elle vous dit si une place s'est libérée, ou vous propose des offres proches."
)") == "");
    CHECK(store::queryInt(k.opened->db,
                          "SELECT COUNT(*) FROM callback_request WHERE offer_id = 'off-0034' AND "
                          "offer_title = 'Aider au tournoi de boccia'") == 1);
    auto events = store::pendingEvents(k.opened->db, 10);
    REQUIRE(events.size() == 1);
    auto payload = nlohmann::json::parse(events[0].payload);
    CHECK(events[0].type == "callback.requested");
    CHECK(payload["offer_id"] == "off-0034");
    CHECK(payload["offer_title"] == "Aider au tournoi de boccia");
    // asked from the welcome screen afterwards: no offer
    REQUIRE(k.run(R"(
tap "Terminer"
tap "Passer"
tap "Retour à l'accueil"
tap "Me faire recontacter plus tard"
type Noé
tap "Continuer"
type 0612345678
tap "Continuer"
tap "Dans un mois"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Noé !"
absent "Pour l'offre : Aider au tournoi de boccia"
)") == "");
    CHECK(store::queryInt(k.opened->db, "SELECT COUNT(*) FROM callback_request WHERE offer_id IS NULL") == 1);
}
