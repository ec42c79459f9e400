// Agent mode driven headless through the real screens: the secret way in, the PIN pad and its
// lock, who is logged in, the auto-logout, the inbox with unsealed names, sync health, agents,
// and the rule that the next visitor never sees an agent screen or anything an agent typed.
#include "comptoir/app/kiosk_app.hpp"
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/followup_repo.hpp"
#include "comptoir/store/indicators_repo.hpp"
#include "comptoir/store/offers_onsite.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/privacy_repo.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "kiosk_harness.hpp"

#include "comptoir/domain/ids.hpp"
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

using namespace comptoir;
using test::KioskHarness;

namespace {

const std::string kLogin = R"(gesture
expect "Code de Démo"
type 24681357
tap "Valider"
expect "Connecté·e : Démo"
)";

int audits(KioskHarness& k, const char* action, const char* outcome = "ok") {
    auto s = k.opened->db.prepare("SELECT COUNT(*) FROM audit WHERE action = ?1 AND outcome = ?2");
    s.bind(1, action).bind(2, outcome);
    REQUIRE(s.step());
    return s.integer(0);
}

store::Recorded registerVisitor(KioskHarness& k, const char* name, const char* phone) {
    store::VisitorStore v{k.opened->db, store::Keyring::publicKey(k.opened->db), k.config.kioskId};
    store::InterestDraft d;
    d.offerId = "off-0003";
    d.offerTitle = "Grande collecte de Noël au supermarché";
    d.contact = {name, phone, "", ""};
    d.preferredMoment = "any";
    auto recorded = v.recordInterest(d);
    // The inbox lists registrations by their millisecond, then by their (random) code: two made in
    // the same millisecond would come in either order, and the tests that walk the rows by keyboard
    // count on the order they were made in.
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    return recorded;
}

std::int64_t countOf(KioskHarness& k, const std::string& sql) {
    auto s = k.opened->db.prepare(sql);
    REQUIRE(s.step());
    return s.integer(0);
}

/// A visitor proposed to off-0003 by the demo agent, as the follow-up would have recorded it.
std::string proposeIntroduction(KioskHarness& k, const store::Recorded& rec) {
    auto demo = store::findAgentByName(k.opened->db, "Démo");
    REQUIRE(demo);
    store::FollowUpStore fu{k.opened->db, store::Keyring::publicKey(k.opened->db), k.config.kioskId};
    auto r = fu.propose(demo->id, rec.id, "off-0003", false, localTime("%Y-%m-%d"));
    INFO(store::toString(r.problem));
    REQUIRE(r.ok());
    return r.id;
}

} // namespace

TEST_CASE("three taps in the top-left corner and the agent's PIN open agent mode; one tap never does") {
    KioskHarness k;
    // one or two taps, or three spread over more than 2 s: still the visitor's screen
    REQUIRE(k.run("tap 12 12\ntap 12 12\nabsent \"Espace agent\"\nexpect \"Découvrir les offres\"") == "");
    REQUIRE(k.run("wait 3\ntap 12 12\nwait 1.5\ntap 12 12\nwait 1.5\ntap 12 12\nabsent \"Espace agent\"") ==
            "");
    // from a visitor screen in the middle of a journey, the way in is the same gesture
    REQUIRE(k.run("tap \"Découvrir les offres\"\ngesture\nexpect \"Code de Démo\"") == "");
    CHECK(k.session->state().screen == ui::Screen::Welcome); // the visitor's journey is gone
    // a wrong PIN says how many tries are left; "Annuler" goes back to the visitors
    REQUIRE(k.run("type 11223344\ntap \"Valider\"\n"
                  "expect \"Ce code n'est pas le bon. Encore 4 essais avant une pause de 5 minutes.\"\n"
                  "tap \"Annuler\"\nexpect \"Découvrir les offres\"") == "");
    // the physical keyboard types the PIN too, Enter validates
    REQUIRE(k.run("gesture\nkeys 24681357\npress Enter\nexpect \"Connecté·e : Démo\"") == "");
    CHECK(audits(k, "login", "refused") == 1);
    CHECK(audits(k, "login") == 1);
    CHECK(store::padLock(k.opened->db).failures == 0);
}

TEST_CASE(
    "every agent screen says who is logged in; closing the session leaves nothing for the next visitor") {
    KioskHarness k;
    auto rec = registerVisitor(k, "Capucine", "0639981234");
    (void)registerVisitor(k, "Noa", "0639980002");
    REQUIRE(k.run(kLogin) == "");
    REQUIRE(k.run("expect \"Capucine  ·  " + rec.reference + "\"\nexpect \"06 39 98 12 34\"") == "");
    for (const char* section : {"Mises en relation", "Indicateurs", "Offres", "Vie privée", "Synchronisation",
                                "Agents", "À traiter"}) {
        INFO(section);
        REQUIRE(k.run(std::string("tap \"") + section +
                      "\"\nexpect \"Connecté·e : Démo\"\nexpect \"Fermer la session\"") == "");
    }
    REQUIRE(k.run("keys \"Capu\"\nexpect \"2 à traiter · 1 sur 2\"") == "");
    REQUIRE(k.run("tap \"Fermer la session\"\nexpect \"Découvrir les offres\"\nabsent \"Connecté·e : Démo\"\n"
                  "absent \"Capucine  ·  " +
                  rec.reference + "\"") == "");
    // The next visitor's own journey shows nothing of the agent's (their search, the names).
    REQUIRE(k.run("tap \"Découvrir les offres\"\nabsent \"Capu\"\nabsent \"Capucine\"") == "");
    // The next agent starts from an empty search.
    REQUIRE(k.run(kLogin + "absent \"Capu\"\nexpect \"2 à traiter\"") == "");
    CHECK(audits(k, "logout") == 1);
}

TEST_CASE("agent mode closes itself after [agent] idle_seconds untouched") {
    KioskHarness k({1280, 800}, 90, [](KioskConfig& c) { c.agentIdleSeconds = 60; });
    REQUIRE(k.run(kLogin) == "");
    REQUIRE(
        k.run(
            "wait 50\nexpect \"Connecté·e : Démo\"\ntap \"Agents\"\nwait 50\nexpect \"Connecté·e : Démo\"") ==
        "");
    REQUIRE(k.run("wait 15\nabsent \"Connecté·e : Démo\"\nexpect \"Découvrir les offres\"") == "");
    CHECK_FALSE(k.session->agent().loggedIn());
    CHECK(audits(k, "logout.idle") == 1);
    // the PIN pad left open also closes
    REQUIRE(k.run("gesture\nexpect \"Code de Démo\"\nwait 61\nexpect \"Découvrir les offres\"") == "");
}

TEST_CASE("five wrong PINs lock the pad for five minutes, also after the kiosk restarts") {
    KioskHarness k;
    std::int64_t now = 1'900'000'000;
    k.session->agent().setWallClock([&] { return now; });
    REQUIRE(k.run("gesture") == "");
    for (int i = 0; i < 5; ++i)
        REQUIRE(k.run("type 11223344\ntap \"Valider\"") == "");
    REQUIRE(k.run("expect \"Trop d'essais : le clavier fait une pause. Réessayez dans 5 min 0 s.\"") == "");
    k.startSession(); // a restart
    k.session->agent().setWallClock([&] { return now; });
    now += 299;
    REQUIRE(
        k.run("gesture\nexpect \"Trop d'essais : le clavier fait une pause. Réessayez dans 0 min 1 s.\"") ==
        "");
    REQUIRE(k.run("type 24681357\ntap \"Valider\"\nabsent \"Connecté·e : Démo\"") == "");
    now += 1;
    REQUIRE(k.run("wait 1\ntype 24681357\ntap \"Valider\"\nexpect \"Connecté·e : Démo\"") == "");
    CHECK(audits(k, "login", "refused") == 5);
    CHECK(audits(k, "pad.lock") == 1);
    CHECK(audits(k, "login") == 1);
}

TEST_CASE("the PIN is checked off the UI thread: the pad keeps drawing and takes no second Valider") {
    KioskHarness k;
    // An agent whose wrap has the real cost (Argon2id, 256 MiB): the check takes a while.
    auto demo = store::findAgentByName(k.opened->db, "Démo");
    REQUIRE(demo);
    {
        auto opened = store::login(k.opened->db, demo->id, "24681357", 1'900'000'000);
        REQUIRE(opened.key);
        (void)store::addAgent(k.opened->db, *opened.key, demo->id, "Lucie", "73910462",
                              store::PinCost::agent());
        store::disableAgent(k.opened->db, demo->id, demo->id);
    }
    REQUIRE(k.run("gesture\nexpect \"Code de Lucie\"\ntype 11223344") == "");
    // Tapped by hand (a script line would wait for the answer): the tap's frames come back while
    // the derivation runs, and the pad says so.
    REQUIRE(app::tapLabel(*k.session, "Valider"));
    REQUIRE(k.session->agent().checkingPin());
    CHECK(k.session->registry().find("Vérification…"));
    // Meanwhile the keys and Valider do nothing: one attempt, one check.
    std::string error;
    (void)app::typeText(*k.session, "5", error);
    (void)app::tapLabel(*k.session, "Valider");
    (void)app::pressKey(*k.session, "Enter");
    REQUIRE(k.run("expect \"Ce code n'est pas le bon. Encore 4 essais avant une pause de 5 minutes.\"") ==
            "");
    CHECK_FALSE(k.session->agent().checkingPin());
    CHECK(audits(k, "login", "refused") == 1);
    CHECK(store::padLock(k.opened->db).failures == 1);
    // (A right PIN through the same thread: every other test here logs in that way, at the
    // minimum cost.)
}

TEST_CASE("the inbox finds a visitor by reference code, first name or phone, and shows due call-backs") {
    KioskHarness k;
    auto camille = registerVisitor(k, "Camille", "0639980001");
    auto noa = registerVisitor(k, "Noa", "0639980002");
    store::VisitorStore v{k.opened->db, store::Keyring::publicKey(k.opened->db), k.config.kioskId};
    (void)v.recordCallback({{"Sacha", "0639980003", "", ""}, "2020-01-15"}); // long due
    (void)v.recordCallback({{"Lou", "0639980004", "", ""}, "2999-01-15"});   // not yet
    REQUIRE(k.run(kLogin + "expect \"3 à traiter\"\nexpect \"Rappel demandé\"\nabsent \"Lou  ·  \"") == "");
    // the most urgent first: the call-back asked for 2020 is above the new interests
    const auto& w = k.session->registry().widgets();
    auto top = [&](const std::string& prefix) {
        for (const auto& r : w)
            if (r.label.rfind(prefix, 0) == 0) return r.min.y;
        return -1.0f;
    };
    CHECK(top("Sacha") >= 0);
    CHECK(top("Sacha") < top("Camille"));
    // the rows are in the keyboard's focus ring, after the other controls: Shift+Tab from nothing
    // reaches the last row, Tab past it wraps to the first control, Enter opens the row focused
    REQUIRE(k.run("press Shift+Tab\npress Shift+Tab\npress Shift+Tab\npress Enter\n"
                  "expect \"À rappeler à partir du 2020-01-15\"\ntap \"Retour\"\nexpect \"3 à traiter\"") ==
            "");
    REQUIRE(k.run("press Shift+Tab\npress Shift+Tab\npress Tab\npress Tab\npress Shift+Tab\n"
                  "press Shift+Tab\npress Enter\nexpect \"Personne : " +
                  camille.reference + "\"\ntap \"Retour\"\nexpect \"3 à traiter\"") == "");
    REQUIRE(k.run("keys \"" + noa.reference + "\"\nexpect \"3 à traiter · 1 sur 3\"\nexpect \"Noa  ·  " +
                  noa.reference + "\"") == "");
    for (int i = 0; i < 10; ++i)
        REQUIRE(k.run("press Backspace") == "");
    REQUIRE(k.run("keys \"camil\"\nexpect \"Camille  ·  " + camille.reference +
                  "\"\nexpect \"3 à traiter · 1 sur 3\"") == "");
    for (int i = 0; i < 10; ++i)
        REQUIRE(k.run("press Backspace") == "");
    REQUIRE(k.run("keys \"06 39 98 00 02\"\nexpect \"Noa  ·  " + noa.reference +
                  "\"\nexpect \"3 à traiter · 1 sur 3\"") == "");
    // the on-screen keyboard types into the search as well
    for (int i = 0; i < 20; ++i)
        REQUIRE(k.run("press Backspace") == "");
    REQUIRE(k.run("tap \"Clavier\"\ntype sacha\nexpect \"3 à traiter · 1 sur 3\"") == "");
}

TEST_CASE("sync health lists refused events with the server's reason; Renvoyer puts one back in the queue") {
    KioskHarness k;
    auto rec = registerVisitor(k, "Camille", "0639980001");
    store::EventAnswer refused{rec.eventId, store::EventAnswer::Outcome::Rejected,
                               "offer_id inconnu du serveur", 422};
    (void)store::recordAnswers(k.opened->db, {refused}, nowUtcIso8601());
    REQUIRE(store::deadLetterCount(k.opened->db) == 1);
    REQUIRE(k.run(kLogin + "expect \"Tout est envoyé · 1 refusés par le serveur\"\ntap \"Synchronisation\"\n"
                           "expect \"Refusés par le serveur (1)\"\nexpect \"offer_id inconnu du serveur\"\n"
                           "expect \"Aucun serveur n'est configuré : tout attend ici, rien n'est perdu.\"") ==
            "");
    REQUIRE(k.run("tap \"Renvoyer\"\nexpect \"Aucun envoi refusé.\"\nexpect \"Renvoi demandé.\"\nexpect \"1 "
                  "en attente d'envoi\"") == "");
    CHECK(store::deadLetterCount(k.opened->db) == 0);
    CHECK(store::pendingCount(k.opened->db) == 1);
    CHECK(audits(k, "deadletter.retry") == 1);
}

TEST_CASE("an agent adds, disables and re-enables agents, by touch or with a physical keyboard") {
    KioskHarness k;
    REQUIRE(k.run(kLogin +
                  "tap \"Agents\"\ntap \"Ajouter un agent\"\nkeys \"Paul Martin\"\npress Tab\n"
                  "keys 12345678\npress Tab\nkeys 12345678\npress Enter\n"
                  "expect \"Ce code se devine trop facilement (chiffres répétés ou qui se suivent).\"") ==
            "");
    REQUIRE(k.run("keys 58203917\npress Tab\nkeys 58203917\npress Enter\n"
                  "expect \"Paul Martin peut maintenant ouvrir l'espace agent.\"") == "");
    auto paul = store::findAgentByName(k.opened->db, "Paul Martin");
    REQUIRE(paul);
    REQUIRE(k.run("tap \"Désactiver Paul Martin\"\nexpect \"Paul Martin n'a plus accès.\"") == "");
    CHECK_FALSE(store::findAgent(k.opened->db, paul->id)->active);
    // re-enabling gives a new PIN, typed on the on-screen keypad
    REQUIRE(k.run("tap \"Réactiver Paul Martin\"\nexpect \"Nouveau code pour Paul Martin\"\ntype 40718253\n"
                  "press Tab\ntype 40718253\ntap \"Enregistrer\"\n"
                  "expect \"Paul Martin a de nouveau accès, avec son nouveau code.\"") == "");
    // Paul logs in with his new PIN after Démo closes the session
    REQUIRE(k.run("tap \"Fermer la session\"\ngesture\ntap \"Paul Martin\"\ntype 40718253\ntap \"Valider\"\n"
                  "expect \"Connecté·e : Paul Martin\"") == "");
    CHECK(audits(k, "agent.add") == 2); // Démo at start, then Paul
    CHECK(audits(k, "agent.disable") == 1);
    CHECK(audits(k, "agent.enable") == 1);
}

TEST_CASE("a follow-up screen's buttons are in the Tab ring too: a call-back followed up by keyboard") {
    KioskHarness k;
    store::VisitorStore v{k.opened->db, store::Keyring::publicKey(k.opened->db), k.config.kioskId};
    (void)v.recordCallback({{"Sacha", "0639980003", "", ""}, "2020-01-15"});
    REQUIRE(k.run(kLogin + "expect \"Rappel demandé\"") == "");
    std::string row;
    for (const auto& r : k.session->registry().widgets())
        if (r.label.rfind("Sacha", 0) == 0) row = r.label;
    REQUIRE_FALSE(row.empty());
    // From nothing focused, Shift+Tab walks back from "Retour" over the note to the outcomes:
    // the fourth is "Pas de réponse" (then the day to call again can be moved)
    REQUIRE(k.run("tap \"" + row + "\"\nexpect \"À rappeler à partir du 2020-01-15\"\nabsent \"Jour d'après\"\n"
                  "press Shift+Tab\npress Shift+Tab\npress Shift+Tab\npress Shift+Tab\npress Enter\n"
                  "expect \"Jour d'après\"") == "");
    // Tab moves on past "Numéro erroné" and the two day buttons to "Enregistrer": the outcome is saved
    REQUIRE(k.run("press Tab\npress Tab\npress Tab\npress Tab\npress Enter\nwait 0.2") == "");
    CHECK(countOf(k, "SELECT COUNT(*) FROM callback_followup WHERE outcome = 'no_answer'") == 1);
}

TEST_CASE("Tab and Enter reach every section without touching the screen") {
    KioskHarness k;
    REQUIRE(k.run(kLogin) == "");
    // the focus ring runs: Fermer la session, À traiter, Mises en relation…
    REQUIRE(k.run("press Tab\npress Tab\npress Tab\npress Enter\n"
                  "expect \"Aucune mise en relation pour le moment.\"") == "");
    REQUIRE(k.run("press Shift+Tab\npress Shift+Tab\npress Enter\nabsent \"Connecté·e : Démo\"") == "");
}

TEST_CASE("a fullscreen kiosk ignores the window manager's close; a window closes") {
    CHECK(app::keepOpenOnClose(true));
    CHECK_FALSE(app::keepOpenOnClose(false));
}

TEST_CASE("an assisted registration is recorded as assisted, typed on a physical keyboard, reachable at the "
          "counter") {
    KioskHarness k;
    auto demo = store::findAgentByName(k.opened->db, store::kDemoAgentName);
    REQUIRE(demo);
    const std::size_t offers = k.session->data().cards.size();
    REQUIRE(offers > 0);
    // while the agent works, the visitors' catalogue is not held (64 MB for both sides); an
    // assisted registration reads it again, whole
    REQUIRE(k.run(kLogin) == "");
    CHECK(k.session->data().cards.empty());
    REQUIRE(k.run(R"(tap "Inscrire une personne"
expect "Inscription par Démo"
expect "Découvrir les offres"
tap "Découvrir les offres"
tap "Chercher une offre"
keys "collecte noel"
tap "Grande collecte de Noël au supermarché"
tap "Ça m'intéresse"
keys "Camille"
tap "Continuer"
expect "Passera au Comptoir"
tap "Passera au Comptoir"
tap "Le matin"
tap "Passer"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
expect "Inscription par Démo"
)") == "");
    CHECK(k.session->data().cards.size() == offers);
    auto s = k.opened->db.prepare("SELECT assisted_by, reach FROM interest");
    REQUIRE(s.step());
    CHECK(s.text(0) == demo->id);
    CHECK(s.text(1) == "at_counter");
    auto events = store::pendingEvents(k.opened->db, 10);
    REQUIRE(events.size() == 1);
    auto payload = nlohmann::json::parse(events[0].payload);
    CHECK(payload["assisted_by"] == demo->id);
    CHECK(payload["reach"] == "at_counter");
    // back in agent mode, the inbox says how to reach her
    REQUIRE(k.run("tap \"Retour à l'espace agent\"\nexpect \"Connecté·e : Démo\"\nexpect \"passera au "
                  "Comptoir\"") == "");
    CHECK(audits(k, "assist.start") == 1);
    CHECK(audits(k, "assist.end") == 1);
    CHECK(k.session->data().cards.empty());
    // the next visitor finds every offer again
    REQUIRE(k.run("tap \"Fermer la session\"\ntap \"Découvrir les offres\"\ntap \"Chercher une offre\"\n"
                  "type collecte noel\nexpect \"Grande collecte de Noël au supermarché\"") == "");
    CHECK(k.session->data().cards.size() == offers);
}

TEST_CASE("an assisted registration takes a long name typed in one go on a physical keyboard") {
    KioskHarness k;
    // A fast typist (or a barcode reader) can bring more than 16 characters in one frame.
    REQUIRE(k.run(kLogin + R"(tap "Inscrire une personne"
tap "Découvrir les offres"
tap "Chercher une offre"
keys "collecte noel"
tap "Grande collecte de Noël au supermarché"
tap "Ça m'intéresse"
keys "Marie-Éléonore Dupuis-Test"
tap "Continuer"
tap "Passera au Comptoir"
tap "Le matin"
tap "Passer"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Marie-Éléonore Dupuis-Test !"
)") == "");
}

TEST_CASE("a visitor's own registration is not assisted, and cannot skip the way to reach them") {
    KioskHarness k;
    REQUIRE(k.run(R"(tap "Découvrir les offres"
tap "Chercher une offre"
type collecte noel
tap "Grande collecte de Noël au supermarché"
tap "Ça m'intéresse"
type Camille
tap "Continuer"
absent "Passera au Comptoir"
type 06 12 34 56 78
tap "Continuer"
tap "Le matin"
tap "Passer"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
)") == "");
    auto s = k.opened->db.prepare("SELECT assisted_by IS NULL, reach FROM interest");
    REQUIRE(s.step());
    CHECK(s.integer(0) == 1);
    CHECK(s.text(1) == "contact");
    CHECK_FALSE(
        nlohmann::json::parse(store::pendingEvents(k.opened->db, 1)[0].payload).contains("assisted_by"));
}

TEST_CASE("Mises en relation: an agent opens an introduction, moves it, logs hours; each reaches the store") {
    KioskHarness k;
    auto rec = registerVisitor(k, "Capucine", "0639981234");
    std::string id = proposeIntroduction(k, rec);
    auto status = [&] { return store::loadIntroduction(k.opened->db, id)->status; };
    auto events = [&] { return countOf(k, "SELECT COUNT(*) FROM outbox WHERE type LIKE 'introduction.%'"); };
    std::int64_t before = events();
    std::string row = rec.reference + "  ·  Grande collecte de Noël au supermarché  ·  Proposée";
    REQUIRE(k.run(kLogin + "tap \"Mises en relation\"\ntap \"" + row +
                  "\"\nexpect \"Où en est-on : Proposée\"\nabsent \"Noter des heures\"\n"
                  "absent \"Passer à « Réalisée »\"\ntap \"Passer à « Acceptée »\"\n"
                  "expect \"Où en est-on : Acceptée\"") == "");
    CHECK(status() == IntroStatus::Accepted);
    CHECK(events() == before + 1);
    CHECK(audits(k, "introduction.status") == 1);
    // hours: one hour by default, a quarter more, saved on today's date
    REQUIRE(k.run("tap \"Noter des heures\"\nexpect \"Enregistrer les heures\"\ntap \"+ ¼ h\"\n"
                  "tap \"Enregistrer les heures\"\nexpect \"1,25 h faites\"") == "");
    CHECK(store::hoursTotal(k.opened->db, id) == Approx(1.25));
    CHECK(audits(k, "hours.log") == 1);
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE type LIKE 'hours.%'") == 1);
    // a cancellation asks for a coded reason; nothing is written until it is confirmed
    REQUIRE(k.run("tap \"Passer à « Annulée »\"\nexpect \"Raison de santé\"\nabsent \"Sans nouvelles\"") ==
            "");
    CHECK(status() == IntroStatus::Accepted);
    REQUIRE(k.run("tap \"Raison de santé\"\nexpect \"Valider\"") == "");
    REQUIRE(k.run("tap \"Valider\"\nexpect \"Où en est-on : Annulée — Raison de santé\"\n"
                  "expect \"Cette mise en relation est terminée.\"") == "");
    CHECK(status() == IntroStatus::Cancelled);
    CHECK(store::loadIntroduction(k.opened->db, id)->reason == "health");
    CHECK(audits(k, "introduction.status") == 2);
    CHECK(events() == before + 2);
    // back to the list: the row shows the new status
    REQUIRE(k.run("tap \"Retour\"\nexpect \"" + rec.reference +
                  "  ·  Grande collecte de Noël au supermarché  ·  Annulée\"") == "");
}

TEST_CASE("an inbox row opens its follow-up: a registration is proposed, a due introduction is followed") {
    KioskHarness k({1920, 1080});
    auto rec = registerVisitor(k, "Capucine", "0639981234");
    std::string row = "Capucine  ·  " + rec.reference;
    REQUIRE(k.run(kLogin + "expect \"" + row + "\"") == "");
    // a row is a big target (at least 48 px at 1080p)
    const auto* w = k.session->registry().find(row);
    REQUIRE(w);
    CHECK(w->tappable);
    CHECK(w->max.y - w->min.y >= 48.0f);
    // a new interest opens its registration, with the person to call (unsealed for the logged-in
    // agent), proposed from there to the offer's organisation
    REQUIRE(k.run("tap \"" + row + "\"\nexpect \"Inscription\"\nexpect \"Personne : " + rec.reference +
                  "\"\nexpect \"Capucine  ·  06 39 98 12 34\"\ntap \"Proposer à la structure\"\nexpect \"Où "
                  "en est-on : Proposée\"") == "");
    auto intros = store::introductionsOfInterest(k.opened->db, rec.id);
    REQUIRE(intros.size() == 1);
    CHECK(intros[0].status == IntroStatus::Proposed);
    CHECK(audits(k, "introduction.propose") == 1);
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE type LIKE 'introduction.%'") == 1);
    // back to the registration (a second proposal is not offered), then to the inbox
    REQUIRE(k.run("tap \"Retour\"\nexpect \"Une mise en relation pour cette offre est en cours.\"\n"
                  "absent \"Proposer à la structure\"\ntap \"Retour\"\nexpect \"Rien à traiter pour "
                  "l'instant.\"") == "");
    // the introduction comes back to the inbox on its next-action date, and opens from there
    auto demo = store::findAgentByName(k.opened->db, "Démo");
    store::FollowUpStore fu{k.opened->db, store::Keyring::publicKey(k.opened->db), k.config.kioskId};
    REQUIRE(fu.setNextAction(demo->id, intros[0].id, localTime("%Y-%m-%d")).ok());
    REQUIRE(
        k.run("tap \"Agents\"\ntap \"À traiter\"\nexpect \"Mise en relation à suivre : proposée\"\ntap \"" +
              row +
              "\"\nexpect \"Mise en relation\"\nexpect \"Où en est-on : Proposée\"\ntap \"Retour\"\n"
              "expect \"Mise en relation à suivre : proposée\"") == "");

    // A due call-back opens its follow-up: the request, the person to call, the offer it was
    // asked from; "pas de réponse" keeps it, due on the day chosen, with a sealed note.
    const std::string today = localTime("%Y-%m-%d"), tomorrow = addDays(today, 1);
    store::VisitorStore v{k.opened->db, store::Keyring::publicKey(k.opened->db), k.config.kioskId};
    store::CallbackDraft asked;
    asked.contact = {"Sacha", "0639980003", "", ""};
    asked.recontactAfter = "2020-01-15";
    asked.offerId = "off-0003";
    asked.offerTitle = "Grande collecte de Noël au supermarché";
    auto cb = v.recordCallback(asked);
    const std::string cbRow = "Sacha  ·  " + cb.reference;
    REQUIRE(
        k.run("tap \"Agents\"\ntap \"À traiter\"\ntap \"" + cbRow +
              "\"\nexpect \"Rappel demandé\"\nexpect \"Personne : " + cb.reference +
              "\"\nexpect \"Sacha  ·  06 39 98 00 03\"\nexpect \"À rappeler à partir du 2020-01-15\"\n"
              "expect \"Offre : Grande collecte de Noël au supermarché\"\nexpect \"Pas encore appelé·e.\"\n"
              "absent \"Enregistrer\"\ntap \"Pas de réponse\"\nexpect \"Rappeler le " +
              tomorrow + "\"\ntap \"Jour d'avant\"\nexpect \"Rappeler le " + tomorrow +
              "\"\ntap \"Jour d'après\"\nexpect \"Rappeler le " + addDays(today, 2) +
              "\"\ntap \"Ajouter une note\"\nkeys \"Messagerie pleine\"\ntap \"Enregistrer les notes\"\n"
              "expect \"Messagerie pleine\"\ntap \"Enregistrer\"\nexpect \"C'est enregistré.\"\nexpect \"" +
              today + " — Pas de réponse (Rappeler le " + addDays(today, 2) + ")\"") == "");
    // every control in view at 1080 px, with the offer, the message and the day to call again
    const auto* back = k.session->registry().find("Retour");
    REQUIRE(back);
    CHECK(back->max.y <= 1080.0f);
    auto followed = store::loadCallback(k.opened->db, cb.id);
    REQUIRE(followed);
    CHECK(followed->status == "waiting");
    CHECK(followed->recontactAfter == addDays(today, 2));
    CHECK(audits(k, "callback.follow_up") == 1);
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE type = 'callback.followed_up' AND "
                     "json_extract(payload, '$.outcome') = 'no_answer'") == 1);
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE instr(payload, 'Messagerie') > 0") == 0);
    CHECK(countOf(k, "SELECT COUNT(*) FROM callback_followup WHERE note_sealed IS NOT NULL AND "
                     "instr(CAST(note_sealed AS TEXT), 'Messagerie') = 0") == 1);
    // not due any more: out of the inbox until that day
    REQUIRE(k.run("tap \"Retour\"\nexpect \"Mise en relation à suivre : proposée\"\nabsent \"" + cbRow +
                  "\"") == "");
    // that day come, the call-back is back; "numéro erroné" takes it out of the inbox for good
    k.opened->db.exec("UPDATE callback_request SET recontact_after = '2020-01-16'", "the day has come");
    REQUIRE(
        k.run("tap \"Agents\"\ntap \"À traiter\"\ntap \"" + cbRow +
              "\"\nexpect \"Messagerie pleine\"\ntap \"Numéro erroné\"\nabsent \"Rappeler le " + tomorrow +
              "\"\ntap \"Enregistrer\"\nexpect \"Ce rappel est terminé.\"\n"
              "absent \"Numéro erroné\"\ntap \"Retour\"\nexpect \"Mise en relation à suivre : proposée\"\n"
              "absent \"" +
              cbRow + "\"") == "");
    CHECK(store::loadCallback(k.opened->db, cb.id)->status == "done");
    CHECK(audits(k, "callback.follow_up") == 2);
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE type = 'callback.followed_up'") == 2);
}

TEST_CASE("an introduction's notes are sealed and read back; its next-action date is set and cleared") {
    KioskHarness k;
    auto rec = registerVisitor(k, "Capucine", "0639981234");
    std::string id = proposeIntroduction(k, rec);
    std::string row = rec.reference + "  ·  Grande collecte de Noël au supermarché  ·  Proposée";
    REQUIRE(k.run(kLogin + "tap \"Mises en relation\"\ntap \"" + row +
                  "\"\ntap \"Ajouter une note\"\n"
                  "expect \"Notes\"\nkeys \"Rappeler Mme Test mardi\"\ntap \"Enregistrer les notes\"\n"
                  "expect \"C'est enregistré.\"\nexpect \"Rappeler Mme Test mardi\"") == "");
    CHECK(store::loadIntroduction(k.opened->db, id)->hasNotes);
    // sealed in the database, never in clear; the event does not carry them
    CHECK(
        countOf(
            k, "SELECT COUNT(*) FROM introduction WHERE instr(CAST(notes_sealed AS TEXT), 'Mme Test') > 0") ==
        0);
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE instr(payload, 'Mme Test') > 0") == 0);
    CHECK(audits(k, "introduction.notes") == 1);
    // the on-screen keyboard types too; Annuler keeps what was saved
    REQUIRE(
        k.run("tap \"Modifier les notes\"\ntype xyz\ntap \"Annuler\"\nexpect \"Rappeler Mme Test mardi\"") ==
        "");
    CHECK(audits(k, "introduction.notes") == 1);
    // the next action: a week later than suggested, then cleared
    auto suggested = store::loadIntroduction(k.opened->db, id)->nextActionOn;
    REQUIRE(suggested);
    REQUIRE(k.run("tap \"Prochaine action\"\ntap \"+ 1 semaine\"\ntap \"Enregistrer la date\"\nexpect \"À "
                  "faire le " +
                  addDays(*suggested, 7) + "\"") == "");
    CHECK(store::loadIntroduction(k.opened->db, id)->nextActionOn == addDays(*suggested, 7));
    REQUIRE(k.run("tap \"Prochaine action\"\ntap \"Effacer la date\"\nexpect \"Rien de prévu\"") == "");
    CHECK_FALSE(store::loadIntroduction(k.opened->db, id)->nextActionOn);
    CHECK(audits(k, "introduction.next_action") == 2);
}

TEST_CASE("Offres: an agent adds a local one-off offer; visitors see it, its event waits to be sent") {
    KioskHarness k;
    auto before = store::shownCatalogue(k.opened->db).offers.size();
    REQUIRE(k.run(kLogin + "tap \"Offres\"\ntap \"Ajouter une offre locale\"\ntap \"Continuer\"\n"
                           "expect \"Écrivez un titre d'au moins 3 lettres.\"\n"
                           "keys \"Atelier tricot solidaire\"\ntap \"Continuer\"\ntap \"Continuer\"\n"
                           "expect \"Écrivez une phrase qui dit ce qu'on y fait.\"\n"
                           "keys \"On tricote des bonnets pour le Secours populaire.\"\ntap \"Continuer\"\n"
                           "tap \"Places ›\"\n"
                           "tap \"Durée ›\"\nexpect \"2,5 h\"\ntap \"Ajouter l'offre\"\n"
                           "expect \"L'offre est ajoutée. Les visiteurs la voient.\"") == "");
    auto shown = store::shownCatalogue(k.opened->db);
    REQUIRE(shown.offers.size() == before + 1);
    const Offer& o = shown.offers.back();
    CHECK(o.title == "Atelier tricot solidaire");
    CHECK(o.description == "On tricote des bonnets pour le Secours populaire.");
    CHECK(o.id.rfind("local-", 0) == 0);
    CHECK(o.placesWanted == 5);
    CHECK(o.durationHours == Approx(2.5));
    REQUIRE(o.dates.size() == 1);
    CHECK(o.dates[0].start == addDays(localTime("%Y-%m-%d"), 1) + "T14:00");
    CHECK(o.dates[0].end == addDays(localTime("%Y-%m-%d"), 1) + "T16:30");
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE type = 'offer.added_locally'") == 1);
    CHECK(audits(k, "offer.add_local") == 1);
    // the visitors' catalogue has it once the agent leaves
    REQUIRE(k.run("tap \"Fermer la session\"\ntap \"Découvrir les offres\"\ntap \"Chercher une offre\"\n"
                  "type tricot\nexpect \"Atelier tricot solidaire\"") == "");
}

TEST_CASE("Offres: thousands of offers in the agent's list draw only the rows in view") {
    KioskHarness k;
    Catalogue c = store::loadCatalogue(k.opened->db);
    const auto base = c.offers;
    for (std::size_t i = 0; c.offers.size() < 3000; ++i) {
        Offer o = base[i % base.size()];
        o.id = "big-" + std::to_string(i);
        c.offers.push_back(std::move(o));
    }
    ++c.version;
    (void)store::importCatalogue(k.opened->db, c);
    k.startSession();
    // Drawing every row at once overflowed the frame (Dear ImGui aborted the kiosk).
    REQUIRE(k.run(kLogin + "tap \"Offres\"\nexpect \"Ajouter une offre locale\"\ndrag 900 700 900 200 300\n"
                           "expect \"Ajouter une offre locale\"") == "");
}

TEST_CASE("Mises en relation: its 200 rows draw only those in view, and a row opens") {
    KioskHarness k;
    // 250 introductions under way (the list shows the 200 most recent): drawn all at once, they
    // overflowed the frame and Dear ImGui aborted the kiosk.
    k.opened->db.exec(
        "BEGIN;"
        "INSERT INTO personal(sealed, created_at) VALUES(x'00', '2026-01-01T00:00:00Z');"
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 249) "
        "INSERT INTO interest(id, reference, offer_id, offer_title, personal_id, consent_version, "
        "created_at, "
        "status) SELECT 'int-' || i, printf('T%03d-ABC', i), 'off-0003', 'Grande collecte de Noël au "
        "supermarché', "
        "(SELECT MAX(id) FROM personal), 1, printf('2026-01-01T10:%02d:%02dZ', i / 60, i % 60), 'introduced' "
        "FROM n;"
        "INSERT INTO introduction(id, interest_id, offer_id, organisation_id, status, created_at, "
        "updated_at) "
        "SELECT 'intro-' || substr(id, 5), id, 'off-0003', 'org-1', 'proposed', created_at, created_at "
        "FROM interest WHERE id LIKE 'int-%';"
        "COMMIT;",
        "250 introductions");
    REQUIRE(k.run(kLogin + "tap \"Mises en relation\"\n"
                           "expect \"Toutes les mises en relation, les plus récentes d'abord\"") == "");
    auto rowsInView = [&] {
        std::vector<std::string> rows;
        for (const auto& w : k.session->registry().widgets())
            if (w.tappable && w.label.size() > 9 && w.label[0] == 'T' && w.label.substr(4, 4) == "-ABC")
                rows.push_back(w.label);
        return rows;
    };
    auto first = rowsInView();
    REQUIRE(!first.empty());
    CHECK(first.size() < 40); // only what fits on screen, not 200
    // a row in view opens
    std::string label = first[first.size() / 2];
    REQUIRE(k.run("tap \"" + label + "\"\nexpect \"Où en est-on : Proposée\"") == "");
}

TEST_CASE(
    "Indicateurs: the figures and their chart, by week or month, exported as CSV to [agent] export_dir") {
    KioskHarness k;
    auto rec = registerVisitor(k, "Capucine", "0639981234");
    std::string id = proposeIntroduction(k, rec);
    auto demo = store::findAgentByName(k.opened->db, "Démo");
    store::FollowUpStore fu{k.opened->db, store::Keyring::publicKey(k.opened->db), k.config.kioskId};
    std::string today = localTime("%Y-%m-%d");
    REQUIRE(fu.changeStatus(demo->id, id, IntroStatus::Accepted, "", today).ok());
    REQUIRE(fu.logHours(demo->id, id, 3, today, today).ok());
    REQUIRE(k.run(kLogin + "tap \"Indicateurs\"\nexpect \"Exporter en CSV\"\nexpect \"Par semaine\"\n"
                           "tap \"Par semaine\"\ntap \"Exporter en CSV\"") == "");
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(k.config.exportDir))
        files.push_back(e.path());
    REQUIRE(files.size() == 1);
    CHECK(files[0].filename().string().rfind("indicateurs-semaines-", 0) == 0);
    CHECK(files[0].extension() == ".csv");
    std::string csv = test::readFile(files[0].string());
    CHECK(csv.find(indicatorColumns().front()) != std::string::npos);
    CHECK(csv.find(isoWeek(today)) != std::string::npos);
    CHECK(audits(k, "indicators.export") == 1);
    REQUIRE(k.run("expect \"Fichier enregistré : " + files[0].string() + "\"") == "");
    // "Retour" leaves the indicators for the inbox, still logged in
    REQUIRE(k.run("tap \"Retour\"\nabsent \"Exporter en CSV\"\nexpect \"Connecté·e : Démo\"") == "");
}

TEST_CASE("Indicateurs: an export folder that cannot be written is said plainly, nothing crashes") {
    std::string blocker;
    KioskHarness k({1280, 800}, 90, [&](KioskConfig& c) {
        blocker = c.dataDir + "-blocker";
        std::ofstream(blocker) << "a file where the folder should be";
        c.exportDir = blocker + "/exports";
    });
    REQUIRE(k.run(kLogin +
                  "tap \"Indicateurs\"\ntap \"Exporter en CSV\"\n"
                  "expect \"Le fichier n'a pas pu être enregistré dans " +
                  k.config.exportDir +
                  ". Vérifiez la clé USB ou le dossier.\"\nexpect \"Connecté·e : Démo\"") == "");
    CHECK(audits(k, "indicators.export") == 0);
}

TEST_CASE("Vie privée: a visitor found by reference code, their data exported, erased after a confirmation") {
    KioskHarness k;
    auto rec = registerVisitor(k, "Capucine", "0639981234");
    auto found = [&] { return store::findByReference(k.opened->db, rec.reference); };
    // typed on a physical keyboard, in lower case and without the dash; Enter looks it up
    std::string typed = rec.reference;
    for (auto& ch : typed)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
    REQUIRE(k.run(kLogin + "tap \"Vie privée\"\nkeys \"ZZZZZZ\"\npress Enter\n"
                           "expect \"Aucune inscription avec ce code.\"") == "");
    for (int i = 0; i < 6; ++i)
        REQUIRE(k.run("press Backspace") == "");
    REQUIRE(k.run("keys \"" + typed + "\"\npress Enter\nexpect \"Inscription " + rec.reference + " du " +
                  found()->createdAt.substr(0, 10) + "\"") == "");
    REQUIRE(k.run("tap \"Exporter ses données\"") == "");
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(k.config.exportDir))
        files.push_back(e.path());
    REQUIRE(files.size() == 1);
    CHECK(files[0].filename().string().rfind("donnees-" + rec.reference + "-", 0) == 0);
    std::string text = test::readFile(files[0].string());
    CHECK(text.find("Prénom : Capucine") != std::string::npos);
    CHECK(audits(k, "privacy.export") == 1);
    REQUIRE(k.run("expect \"Fichier enregistré : " + files[0].string() + "\"") == "");
    // erasing asks first; nothing is erased until "Oui, effacer"
    REQUIRE(k.run("tap \"Effacer ses données\"\nexpect \"Effacer définitivement les données de " +
                  rec.reference + " ? Le serveur du CCAS les effacera aussi.\"") == "");
    CHECK_FALSE(found()->erased);
    REQUIRE(k.run("tap \"Oui, effacer\"\nexpect \"Données effacées. L'effacement sera envoyé au serveur.\"\n"
                  "absent \"Effacer ses données\"") == "");
    CHECK(found()->erased);
    CHECK(found()->personalPurged);
    CHECK(audits(k, "privacy.erase") == 1);
    CHECK(countOf(k, "SELECT COUNT(*) FROM outbox WHERE type = 'visitor.erased'") == 1);
}

TEST_CASE(
    "Offres: an agent closes an offer on site and reopens it; each change is an event and an audit line") {
    KioskHarness k;
    // the list is by title: the first one is on screen without scrolling
    auto shown = store::shownCatalogue(k.opened->db);
    auto first = std::min_element(shown.offers.begin(), shown.offers.end(),
                                  [](const Offer& a, const Offer& b) { return a.title < b.title; });
    const std::string id = first->id, title = first->title;
    auto facts = [&] { return store::offerFacts(k.opened->db, id); };
    auto events = [&] {
        return countOf(k, "SELECT COUNT(*) FROM outbox WHERE type = 'offer.state_changed'");
    };
    REQUIRE_FALSE(facts()->closed());
    REQUIRE(k.run(kLogin + "tap \"Offres\"\ntap \"" + title +
                  "\"\n"
                  "expect \"Fermer l'offre\"\nabsent \"Rouvrir l'offre\"\ntap \"Fermer l'offre\"\n"
                  "expect \"État au Comptoir : fermée\"\nexpect \"Rouvrir l'offre\"\n"
                  "absent \"Fermer l'offre\"") == "");
    CHECK(facts()->closed());
    CHECK(events() == 1);
    CHECK(audits(k, "offer.closed") == 1);
    // the visitors' catalogue shows the change: a closed offer is paused
    shown = store::shownCatalogue(k.opened->db);
    auto it =
        std::find_if(shown.offers.begin(), shown.offers.end(), [&](const Offer& o) { return o.id == id; });
    REQUIRE(it != shown.offers.end());
    CHECK(it->status == OfferStatus::Paused);
    REQUIRE(k.run("tap \"Rouvrir l'offre\"\nexpect \"Marquer complète\"\nexpect \"Fermer l'offre\"") == "");
    CHECK_FALSE(facts()->closed());
    CHECK_FALSE(facts()->full());
    CHECK(events() == 2);
    CHECK(audits(k, "offer.open") == 1);
    REQUIRE(k.run("tap \"Marquer complète\"\nexpect \"État au Comptoir : complète\"") == "");
    CHECK(facts()->full());
    CHECK(audits(k, "offer.full") == 1);
}
