// Read-aloud on every visitor screen (EN 301 549 §5.1) and the guided choice, through scripted
// sessions on the real kiosk: what is handed to the synthesiser is captured by Speech::heard().
#include "kiosk_harness.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <thread>

using namespace comptoir;
using test::KioskHarness;
using test::kOpenCollecte;

namespace {

/// A display language espeak-ng has no voice for: a compiled catalogue (.mo) whose header names
/// it, with no message of its own (every sentence falls back to French).
Strings languageWithoutVoice() {
    const std::string header = "Language: zz-no-such-voice\nContent-Type: text/plain; charset=UTF-8\n"
                               "Plural-Forms: nplurals=2; plural=(n != 1);\n";
    std::string mo(28 + 16, '\0');
    auto put = [&](std::size_t at, std::uint32_t v) { std::memcpy(&mo[at], &v, 4); };
    put(0, 0x950412de);
    put(8, 1);       // one message: the header
    put(12, 28);     // original strings' table
    put(16, 28 + 8); // translations' table
    put(28, 0);
    put(32, static_cast<std::uint32_t>(mo.size()));
    mo.push_back('\0');
    put(36, static_cast<std::uint32_t>(header.size()));
    put(40, static_cast<std::uint32_t>(mo.size()));
    mo += header;
    mo.push_back('\0');
    Strings s;
    std::string error;
    REQUIRE(s.loadMo(test::readFile(test::sourcePath("assets/i18n/fr.json")), mo, error));
    REQUIRE(s.language() == "zz-no-such-voice");
    return s;
}

/// Waits (in real time: synthesis runs on its own thread) until the kiosk is silent again.
void waitSilent(KioskHarness& k) {
    for (int i = 0; i < 600 && k.session->speech().speaking(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE_FALSE(k.session->speech().speaking());
}

bool heardContaining(const KioskHarness& k, const std::string& words) {
    const auto heard = k.session->speech().heard();
    return std::any_of(heard.begin(), heard.end(),
                       [&](const std::string& h) { return h.find(words) != std::string::npos; });
}

} // namespace

TEST_CASE("read-aloud stays on across screens, says field names and kind messages, never what was typed") {
    KioskHarness k;
    REQUIRE(k.run(kOpenCollecte + "tap \"Écouter\"\nexpect \"Répéter\"") == "");
    waitSilent(k);
    CHECK(heardContaining(k, "Grande collecte de Noël au supermarché"));
    CHECK(k.session->speechChoice().on);

    // A new screen is read as it appears, without tapping "Écouter" again.
    REQUIRE(k.run("tap \"Ça m'intéresse\"\nwait 0.5") == "");
    waitSilent(k);
    CHECK(heardContaining(k, "Quel est votre prénom ?"));
    CHECK(heardContaining(k, "Votre prénom"));
    REQUIRE(k.run("type Yannick\ntap \"Répéter\"\nwait 0.5") == "");
    waitSilent(k); // the whole screen again, with "Yannick" in the field
    REQUIRE(k.run("tap \"Continuer\"\nwait 0.5") == "");
    waitSilent(k);
    CHECK(heardContaining(k, "Votre numéro"));
    REQUIRE(k.run("type 07 91 83\ntap \"Continuer\"\nwait 0.5") == "");
    waitSilent(k);
    CHECK(heardContaining(k, "Ce numéro semble incomplet")); // the kind message, read when it appears
    REQUIRE(k.run("type 4455\ntap \"Répéter\"\nwait 0.5") == "");
    waitSilent(k);
    REQUIRE(
        k.run(
            "tap \"Continuer\"\ntap \"Le matin\"\ntype Je cultive des tomates\ntap \"Répéter\"\nwait 0.5") ==
        "");
    waitSilent(k);
    CHECK(heardContaining(k, "Votre message"));
    REQUIRE(k.run("tap \"Continuer\"\ntap \"J'ai compris et je suis d'accord\"\ntap \"Valider\"\nexpect "
                  "\"Merci, Yannick !\"\nwait 0.5") == "");
    waitSilent(k);
    CHECK(heardContaining(k, "Merci !")); // the confirmation is read, without the first name
    for (const char* typed : {"Yannick", "tomates", "07, 91", "07 91", "0791", "91, 83", "44, 55", "4455"}) {
        INFO(typed);
        CHECK_FALSE(heardContaining(k, typed));
    }
    CHECK(heardContaining(k, "Votre code est"));
}

TEST_CASE("any touch stops the speech; the next visitor starts silent at normal volume") {
    KioskHarness k;
    // A long offer read aloud, then a touch elsewhere at once: that reading never ends.
    REQUIRE(k.run(kOpenCollecte + "tap \"Écouter\"\ntap \"A+\"") == "");
    waitSilent(k);
    CHECK(k.session->speech().spoken() == 0);
    CHECK(k.session->speechChoice().on); // stopped, not switched off
    REQUIRE(k.run("tap \"Son : moyen\"\nexpect \"Son : fort\"") == "");
    CHECK(k.session->speechChoice().volume == 2);
    REQUIRE(k.run("tap \"Recommencer\"\nexpect \"Écouter\"\nabsent \"Répéter\"") == "");
    CHECK(k.session->speechChoice() == ui::SpeechChoice{});
    // Left on at the welcome screen, read-aloud is a visit under way: the idle reset ends it.
    REQUIRE(k.run("tap \"Écouter\"\nwait 120\nwait 30") == "");
    CHECK_FALSE(k.session->speechChoice().on);
}

TEST_CASE("the idle question is read aloud when read-aloud is on") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Découvrir les offres\"\ntap \"Écouter\"\nwait 95") == "");
    waitSilent(k);
    CHECK(heardContaining(k, "Vous êtes toujours là ?"));
}

TEST_CASE("a missing voice shows a visible note and never crashes") {
    // 1920x1080: at 1280x800 this test language's long name leaves the header no room for the
    // note, and only text really drawn is found by `expect`.
    KioskHarness k({1920, 1080});
    k.session->addLanguage(languageWithoutVoice());
    k.session->setLanguage("zz-no-such-voice");
    REQUIRE(k.run("absent \"La lecture à voix haute ne marche pas sur cette borne pour le moment.\"\ntap "
                  "\"Écouter\"") == "");
    for (int i = 0; i < 400 && k.session->speech().status() != platform::SpeechStatus::NoVoice; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE(
        k.run("wait 0.5\nexpect \"La lecture à voix haute ne marche pas sur cette borne pour le moment.\"\n"
              "tap \"Découvrir les offres\"\nexpect \"Répéter\"") == "");
}

TEST_CASE("guided choice: four questions, a suggestion with why it fits, then a registration") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Je ne sais pas quoi choisir"
expect "Étape 1 sur 4"
tap "Sport"
tap "Continuer"
tap "Le week-end"
tap "Le matin"
tap "Continuer"
expect "Comment aimez-vous aider ?"
tap "Peu importe"
expect "Combien de fois ?"
tap "Peu importe"
expect "Des idées pour vous"
absent "Aucune offre ne correspondait"
expect "le samedi matin, à Belle-Beille"
tap "Accompagner la marche du samedi"
tap "Ça m'intéresse"
type Camille
tap "Continuer"
type 06 12 34 56 78
tap "Continuer"
tap "Le matin"
tap "Passer"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
)") == "");
    CHECK(store::queryInt(k.opened->db, "SELECT COUNT(*) FROM interest WHERE offer_id = 'off-0029'") == 1);
}

TEST_CASE("guided choice: answers nothing fits are widened, and the screen says which") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Je ne sais pas quoi choisir"
tap "Seniors"
tap "Continuer"
tap "Peu importe"
tap "Avec des enfants"
tap "Continuer"
tap "Peu importe"
expect "Des idées pour vous"
expect "Aucune offre ne correspondait à toutes vos réponses. Voici les plus proches : nous avons mis de côté la façon d'aider."
)") == "");
    const auto& r = k.session->state().guidedResult;
    REQUIRE(r);
    CHECK(r->widened == kCriterionHow);
    for (const auto& s : r->suggestions)
        CHECK(k.session->data().catalogue->offers[s.offerIndex].themeId == "seniors");
}
