// End to end: a visitor registers through the kiosk's real screens, the kiosk's background worker
// (nudged by the registration) pushes it to the real reference server on 127.0.0.1; a catalogue
// change on the server reaches the screens once nobody is in the middle of a journey.
#include "comptoir/app/kiosk_app.hpp"
#include "comptoir/sync/worker.hpp"
#include "kiosk_harness.hpp"
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace comptoir;

TEST_CASE("a registration on the kiosk's screens reaches the central server, and a new catalogue comes back") {
    test::TempDir serverDir;
    test::Central central(serverDir, "angers-test-01");
    auto demo = test::demoCatalogue();
    demo.version = 5;
    for (auto& o : demo.offers)
        if (o.id == "off-0003") o.title = "Grande collecte solidaire de Noël";
    (void)central.storage->importCatalogue(demo);

    test::KioskHarness k({1280, 800}, 90, [&](KioskConfig& c) {
        c.kioskId = "angers-test-01";
        c.serverUrl = central.server.baseUrl();
        c.tokenFile = c.dataDir + "/token";
    });
    test::writeFile(k.config.tokenFile, central.token);
    auto worker = app::startSync(k.config);
    REQUIRE(worker);
    k.session->onRecorded = [w = worker.get()] { w->nudge(); };

    // the first cycle pulls version 5; the screens keep the seed catalogue until a new visitor
    REQUIRE(test::waitFor([&] { return worker->status().catalogueSwaps >= 1; }));
    k.session->offerCatalogue(store::loadCatalogue(k.opened->db));
    REQUIRE(k.run(R"(
tap "Découvrir les offres"
tap "Chercher une offre"
type collecte noel
tap "Grande collecte solidaire de Noël"
tap "Ça m'intéresse"
type Camille
tap "Continuer"
type 0612345678
tap "Continuer"
tap "En fin de journée"
tap "Passer"
tap "J'ai compris et je suis d'accord"
tap "Valider"
expect "Merci, Camille !"
)") == "");
    // nudged by the registration: pushed within seconds, not at the next five-minute cycle
    REQUIRE(test::waitFor([&] { return central.storage->distinctEventCount() == 1; }, std::chrono::seconds(20)));
    REQUIRE(test::waitFor([&] { return worker->status().eventsWaiting == 0; }));
    std::ostringstream csv;
    central.storage->exportRegistrationsCsv(csv);
    CHECK(csv.str().find("off-0003") != std::string::npos);
    CHECK(csv.str().find("Camille") == std::string::npos); // sealed: not readable on the server either
    CHECK(worker->status().lastError.empty());
    worker.reset();
}
