// Words and numbers on the real screens: counts in their French plural form, a "see the offers"
// button that cannot promise 0 offers, durations the French way; "Mots difficiles" explained
// wherever such a word shows.
#include "comptoir/domain/contact.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/domain/when.hpp"
#include "kiosk_harness.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace comptoir;
using test::KioskHarness;

TEST_CASE("one result is counted in the singular, and no result cannot be 'seen'") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Découvrir les offres"
tap "Chercher une offre"
type collecte noel
expect "1 offre trouvée"
tap "Voir la liste"
expect "1 offre pour donner un coup de main"
tap "Filtres"
expect "Voir l'offre"
tap "Le soir"
expect "Aucune offre : enlevez un filtre"
tap "Aucune offre : enlevez un filtre"
expect "Tout effacer"
)") == "");
    CHECK(k.session->state().filtersOpen); // the disabled button did nothing
    CHECK_FALSE(k.session->registry().find("Voir les 0 offres"));
}

TEST_CASE("the idle countdown says 'dans 1 seconde'") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Découvrir les offres\"\nwait 109.2\nexpect \"Retour à l'accueil dans 1 seconde\"") ==
            "");
}

TEST_CASE("'Valider' before the box is ticked says why instead of doing nothing") {
    KioskHarness k;
    REQUIRE(k.run(test::kToConsent + R"(tap "Valider"
expect "Pour valider, touchez d'abord la case « J'ai compris et je suis d'accord »."
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
)") == "");
    CHECK(k.count("interest") == 1);
}

TEST_CASE("the words fit what the visitor chose: e-mail or phone, an offer or a call-back") {
    KioskHarness k;
    // a call-back by e-mail: written to, from the date chosen, and no structure to be introduced to
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Noé
tap "Continuer"
tap "Je préfère donner un e-mail"
type noe@exemple.fr
tap "Continuer"
tap "Dans un mois"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Noé !"
expect "1. À partir de cette date, une personne du Comptoir vous écrit."
expect "2. Elle vous propose des offres qui vous ressemblent."
)") == "");
    CHECK_FALSE(k.session->registry().find("2. Elle vous présente à la structure."));
    CHECK_FALSE(k.session->registry().find("1. Une personne du Comptoir vous appelle."));
    std::string after = k.session->state().confirmedRecontactAfter;
    REQUIRE(after.size() == 10);
    std::string restated = "Le Comptoir vous recontacte à partir du " + frenchDate(after, k.strings) + ".";
    CHECK(k.session->registry().find(restated));

    // an interest by e-mail: not asked when to be called, told they will be written to
    REQUIRE(k.run("tap \"Terminer\"\ntap \"Passer\"\ntap \"Retour à l'accueil\"\n" + test::kOpenCollecte + R"(
tap "Ça m'intéresse"
type Inès
tap "Continuer"
tap "Je préfère donner un e-mail"
type ines@exemple.fr
tap "Continuer"
expect "À quel moment de la journée êtes-vous le plus libre ?"
tap "Le matin"
tap "Passer"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "1. Une personne du Comptoir vous écrit."
expect "2. Elle vous présente à la structure."
)") == "");
    CHECK_FALSE(k.session->registry().find("Quand préférez-vous qu'on vous appelle ?"));
}

TEST_CASE("the consent says how long data is kept without rounding it down") {
    for (auto [days, text] : {std::pair{45, "45 jours au plus. Ensuite, tout est effacé."},
                              std::pair{365, "12 mois au plus. Ensuite, tout est effacé."},
                              std::pair{90, "3 mois au plus. Ensuite, tout est effacé."}}) {
        KioskHarness k({1280, 800}, 90, [d = days](KioskConfig& c) { c.retentionDays = d; });
        REQUIRE(k.run(test::kToConsent + "expect \"" + text + "\"") == "");
    }
}

TEST_CASE("a first name with no letter is refused with the kind message") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type '
tap "Continuer"
expect "Écrivez votre prénom pour qu'on sache comment vous appeler."
)") == "");
    CHECK(k.session->state().screen == ui::Screen::FirstName);
}

TEST_CASE("a letter past 40 is refused with the '40 lettres au plus' message") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Me faire recontacter plus tard\"\ntype Maximiliennebartholomeamarieantoinettezoe") ==
            "");
    CHECK(utf8Length(k.session->state().form.firstName) == 40);
    REQUIRE(k.run("expect \"Ce prénom est un peu long : 40 lettres au plus.\"") == "");
    REQUIRE(k.run("tap \"Effacer\"") == ""); // one letter less: the message goes
    CHECK_FALSE(k.session->registry().find("Ce prénom est un peu long : 40 lettres au plus."));
}

TEST_CASE("'Retour' on the consent screen goes back one step and keeps everything typed") {
    KioskHarness k;
    REQUIRE(k.run(test::kToConsent + "tap \"Retour\"\nexpect \"Continuer\"") == "");
    CHECK(k.session->state().screen == ui::Screen::Message);
    CHECK(k.session->state().form.firstName == "Camille");
    CHECK(k.session->state().form.message == "Je suis libre le samedi");
}

TEST_CASE(
    "Mots difficiles: offered where such a word shows, explained and read aloud, back with the form intact") {
    KioskHarness k;
    // The first-name question shows no difficult word: no button.
    REQUIRE(k.run(test::kOpenCollecte +
                  "tap \"Ça m'intéresse\"\nexpect \"Votre prénom\"\nabsent \"Mots difficiles\"") == "");
    REQUIRE(k.run("tap \"Recommencer\"\n") == "");
    // The consent says "la structure de l'offre": the header offers the explanation.
    REQUIRE(k.run(test::kToConsent + R"(tap "J'ai compris et je suis d'accord"
tap "Mots difficiles"
expect "Mots difficiles : ce qu'ils veulent dire"
expect "La structure qui accueille"
expect "C'est l'association ou le service de la Ville qui propose l'offre. C'est là que vous aidez."
expect "Le Permis Citoyen"
absent "Valider"
tap "Écouter"
)") == "");
    for (int i = 0; i < 600 && k.session->speech().speaking(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    const auto heard = k.session->speech().heard();
    CHECK(std::any_of(heard.begin(), heard.end(), [](const std::string& h) {
        return h.find("Un groupe de personnes qui agissent ensemble pour une cause.") != std::string::npos;
    }));
    // "Retour" is the consent again, ticked, with everything typed kept.
    REQUIRE(k.run(R"(tap "Retour"
expect "Vos informations : ce que nous en faisons"
tap "Valider"
expect "Merci, Camille !"
)") == "");
    CHECK(k.count("interest") == 1);
}

TEST_CASE("Mots difficiles from an offer: its badge and its words lead to their explanation, and back") {
    KioskHarness k;
    // The card of a Permis Citoyen mission says so in a badge...
    REQUIRE(k.run("tap \"Découvrir les offres\"") == "");
    const auto& cards = k.session->data().cards;
    const auto permis =
        std::find_if(cards.begin(), cards.end(), [](const auto& c) { return c.id == "off-0018"; });
    REQUIRE(permis != cards.end());
    CHECK(std::find(permis->badges.begin(), permis->badges.end(), "Permis Citoyen") != permis->badges.end());
    // ... and its detail has a button for each word it uses, which opens that word's explanation.
    REQUIRE(k.run("tap \"Chercher une offre\"\ntype entretenir espaces verts\n"
                  "tap \"Permis Citoyen\u00A0: entretenir les espaces verts\"\n" // the catalogue's French space
                  R"(expect "Ça m'intéresse"
tap "Le Permis Citoyen"
expect "Mots difficiles : ce qu'ils veulent dire"
expect "Pour les jeunes de 18 à 25 ans. Vous donnez 20 à 40 heures de votre temps. En échange, on vous aide à payer le permis de conduire."
)") == "");
    CHECK(k.session->state().screen == ui::Screen::Words);
    CHECK(k.session->state().wordsFocus == "permis");
    // "Retour": the same offer again.
    REQUIRE(k.run("tap \"Retour\"\nexpect \"Ça m'intéresse\"") == "");
    CHECK(k.session->state().screen == ui::Screen::Detail);
    CHECK(k.session->state().offerId == "off-0018");
    // The header's button opens on the first such word the screen shows.
    REQUIRE(k.run("tap \"Mots difficiles\"\nexpect \"Le Permis Citoyen\"") == "");
    CHECK(k.session->state().wordsFocus == "permis");
    // An offer with none of these words has no such button.
    REQUIRE(k.run("tap \"Retour\"\ntap \"Recommencer\"\n" + test::kOpenCollecte +
                  "expect \"Ça m'intéresse\"\nabsent \"Le Permis Citoyen\"") == "");
}

TEST_CASE("'Recommencer' asks before wiping a half-filled form, and stands apart from the look choices") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Lina
tap "Recommencer"
expect "Tout effacer et recommencer ?"
tap "Non, je continue"
absent "Tout effacer et recommencer ?"
)") == "");
    CHECK(k.session->state().form.firstName == "Lina");
    CHECK(k.session->state().screen == ui::Screen::FirstName);
    // far enough from every other button of the header that a slip of the finger does not reach it
    const auto* restart = k.session->registry().find("Recommencer");
    REQUIRE(restart);
    for (const char* other : {"A", "A+", "A++", "Contraste", "Écouter"}) {
        const auto* o = k.session->registry().find(other);
        REQUIRE(o);
        const float apart = std::max(o->min.x - restart->max.x, restart->min.x - o->max.x);
        CHECK(apart >= 40.0f);
    }
    REQUIRE(k.run("tap \"Recommencer\"\ntap \"Oui, tout effacer\"\nexpect \"Découvrir les offres\"") == "");
    CHECK(k.session->state().form.firstName.empty());
}

namespace {
/// From the welcome screen to the message step of an interest (Lina, 06 12 34 56 78, morning).
const std::string kToMessage = test::kOpenCollecte + R"(
tap "Ça m'intéresse"
type Lina
tap "Continuer"
type 0612345678
tap "Continuer"
tap "Le matin"
)";
} // namespace

TEST_CASE("every bounded field says its limit instead of dropping letters silently") {
    KioskHarness k;
    REQUIRE(k.run(R"(
tap "Me faire recontacter plus tard"
type Lina
tap "Continuer"
tap "Je préfère donner un e-mail"
)") == "");
    auto& st = k.session->state();
    st.form.email = std::string(kMaxEmail, 'a');
    REQUIRE(k.run("type b\nexpect \"Cette adresse est un peu longue : 120 caractères au plus.\"") == "");
    CHECK(st.form.email.size() == kMaxEmail);
    REQUIRE(k.run("tap \"Effacer\"\nabsent \"Cette adresse est un peu longue : 120 caractères au plus.\"") ==
            "");
    // the message: a call-back has none, so an interest's journey
    REQUIRE(k.run("tap \"Recommencer\"\ntap \"Oui, tout effacer\"\n" + kToMessage) == "");
    st.form.message = std::string(kMaxMessage, 'a');
    REQUIRE(k.run("type b\nexpect \"Ce message est un peu long : 300 caractères au plus.\"") == "");
    CHECK(st.form.message.size() == kMaxMessage);
}

namespace {
/// The lines of the message the visitor can see in the field, top to bottom, joined by spaces.
/// The message box: the tallest record labelled with the field's name (its label above is one too).
const ui::WidgetRecord* messageBox(const KioskHarness& k) {
    const ui::WidgetRecord* box = nullptr;
    for (const auto& w : k.session->registry().widgets())
        if (w.label == "Votre message" && (!box || w.max.y - w.min.y > box->max.y - box->min.y)) box = &w;
    return box;
}

std::string visibleMessage(const KioskHarness& k) {
    const auto* box = messageBox(k);
    REQUIRE(box);
    std::vector<const ui::WidgetRecord*> lines;
    for (const auto& w : k.session->registry().widgets())
        if (!w.tappable && w.label != "Votre message" && w.min.y >= box->min.y && w.max.y <= box->max.y &&
            w.min.x >= box->min.x && w.max.x <= box->max.x)
            lines.push_back(&w);
    std::sort(lines.begin(), lines.end(), [](auto* a, auto* b) { return a->min.y < b->min.y; });
    std::string out;
    for (auto* l : lines)
        out += (out.empty() ? "" : " ") + l->label;
    return out;
}
} // namespace

TEST_CASE("a 300-character message wraps and can be read back whole before going on") {
    KioskHarness k;
    REQUIRE(k.run(kToMessage) == "");
    std::string message;
    for (int i = 1; message.size() < kMaxMessage - 1; ++i)
        message += (message.empty() ? "mot" : " mot") + std::to_string(i);
    message.resize(kMaxMessage - 1);
    if (message.back() == ' ') message.back() = 'x';
    auto& st = k.session->state();
    st.form.message = message;
    REQUIRE(k.run("type z") == "");
    REQUIRE(st.form.message.size() == kMaxMessage);
    CHECK(visibleMessage(k) == st.form.message);
    // the whole field stays above the keyboard
    const auto* box = messageBox(k);
    const auto* key = k.session->registry().findKey("a");
    REQUIRE(key);
    CHECK(box->max.y <= key->min.y);
}
