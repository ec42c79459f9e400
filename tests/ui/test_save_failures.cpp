// A visitor never loses what they typed without being told: the database refuses a registration
// (read-only, locked by another writer, and neither it nor the spool can take it), the frame
// never waits for it, the visitor sees what happens, and the record is imported exactly once.
#include "comptoir/store/spool.hpp"
#include "kiosk_harness.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

using namespace comptoir;
using test::KioskHarness;

namespace {
const std::string kTicked = test::kToConsent + "tap \"J'ai compris et je suis d'accord\"\n";

const std::string kFailed = R"(expect "Votre demande n'est pas encore enregistrée"
expect "Demandez de l'aide à l'accueil, ou touchez « Réessayer »."
)";

/// Waits (bounded, in real time) until `done` holds; the writer works on its own thread.
template <class Done> bool eventually(Done done) {
    for (int i = 0; i < 3000; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
}

app::RecordWriterOptions writerOptions(KioskHarness& k) {
    auto o = app::recordWriterOptions(k.config);
    o.retryInterval = std::chrono::hours(1); // retries happen when the test asks
    return o;
}

/// A second connection holding the write lock, as another kiosk process or the nightly job would.
struct LockHolder {
    store::Database db;
    explicit LockHolder(const std::string& path) : db(store::Database::open(path)) {
        db.exec("BEGIN IMMEDIATE", "hold the lock");
    }
    void release() { db.exec("ROLLBACK", "release the lock"); }
};
} // namespace

TEST_CASE(
    "a read-only database: the visitor is told, the record waits sealed in the spool, then is saved once") {
    KioskHarness k;
    auto o = writerOptions(k);
    // query_only refuses every write, root included (chmod 444 does not stop root).
    o.configureConnection = [](store::Database& db) { db.exec("PRAGMA query_only = 1", "make read-only"); };
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(o));
    REQUIRE(k.run(kTicked + "tap \"Valider\"\n" + kFailed +
                  "expect \"Ce n'est pas de votre faute. Vos informations sont gardées à l'abri sur cette "
                  "borne : elles "
                  "seront enregistrées dès que possible.\"\n") == "");
    CHECK(k.session->state().screen == ui::Screen::SaveFailed);
    CHECK(k.count("interest") == 0);
    auto status = k.session->saveStatus();
    CHECK(status.inSpool == 1);
    CHECK(status.failures == 1);
    CHECK(status.lastError.find("readonly") != std::string::npos);
    CHECK(status.lastFailureAt);
    store::SaveSpool spool(o.spoolDir);
    REQUIRE(spool.list().size() == 1);

    // The database takes writes again: "Réessayer" saves the same record, once, and thanks.
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(writerOptions(k)));
    REQUIRE(k.run("tap \"Réessayer\"\nexpect \"Merci, Camille !\"") == "");
    CHECK(k.count("interest") == 1);
    CHECK(k.count("outbox") == 1);
    CHECK(spool.count() == 0);
    // a later start-up import finds nothing more to do
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(writerOptions(k)));
    REQUIRE(eventually([&] { return !k.session->recordWriter().busy(); }));
    CHECK(k.count("interest") == 1);
}

TEST_CASE("a visitor who leaves after a failed save loses nothing: the spool is imported at the next start") {
    KioskHarness k;
    auto o = writerOptions(k);
    o.configureConnection = [](store::Database& db) { db.exec("PRAGMA query_only = 1", "make read-only"); };
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(o));
    REQUIRE(k.run(kTicked + "tap \"Valider\"\n" + kFailed +
                  "tap \"Terminer\"\nwait 200\nexpect \"Découvrir les offres\"") == "");
    CHECK(k.session->state().form.firstName.empty());
    CHECK(k.count("interest") == 0);
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(writerOptions(k))); // as at start-up
    REQUIRE(eventually([&] { return k.session->saveStatus().imported == 1; }));
    CHECK(k.count("interest") == 1);
    CHECK(k.count("outbox") == 1);
    CHECK(store::SaveSpool(o.spoolDir).count() == 0);
}

TEST_CASE("a lock held by another writer never freezes the screen: saving, then saved once it is released") {
    KioskHarness k;
    auto o = writerOptions(k);
    o.busyTimeoutMs = 120'000; // the save waits for the lock as long as the test holds it
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(o));
    REQUIRE(k.run(kTicked) == "");
    LockHolder other(k.config.databasePath);
    REQUIRE(app::tapLabel(*k.session, "Valider")); // returns although the database is locked
    for (int i = 0; i < 5; ++i)
        k.session->frame(1.0 / 60.0);
    CHECK(k.session->saveState() == app::SaveState::Saving);
    CHECK(k.session->state().screen == ui::Screen::Saving);
    CHECK(k.session->registry().find("Nous enregistrons votre demande…"));
    CHECK_FALSE(k.session->registry().find("Recommencer")); // nothing to wipe mid-save
    other.release();
    REQUIRE(eventually([&] { return !k.session->awaitingSaveAnswer(); }));
    REQUIRE(k.run("expect \"Merci, Camille !\"") == "");
    CHECK(k.count("interest") == 1);
    CHECK(k.session->saveState() == app::SaveState::Saved);
}

TEST_CASE("a lock held past the busy timeout: the visitor is told, and the record is imported when it goes") {
    KioskHarness k;
    auto o = writerOptions(k);
    o.busyTimeoutMs = 100;
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(o));
    REQUIRE(k.run(kTicked) == "");
    LockHolder other(k.config.databasePath);
    REQUIRE(k.run("tap \"Valider\"\n" + kFailed) == "");
    CHECK(k.session->state().saveKept);
    CHECK(k.session->saveStatus().inSpool == 1);
    CHECK(k.session->saveStatus().lastError.find("locked") != std::string::npos);
    other.release();
    k.session->recordWriter().retryNow(); // what the periodic retry does
    REQUIRE(eventually([&] { return k.session->saveStatus().imported == 1; }));
    CHECK(k.session->saveStatus().inSpool == 0);
    CHECK(k.count("interest") == 1);
    CHECK(k.count("outbox") == 1);
}

TEST_CASE("when neither the database nor the spool can take it, the visitor is told and it is held, sealed, "
          "in memory") {
    KioskHarness k;
    auto o = writerOptions(k);
    o.busyTimeoutMs = 100;
    std::ofstream(k.dir.file("blocker")) << "x";
    o.spoolDir = k.dir.file("blocker") + "/spool"; // under a regular file: refused, even to root
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(o));
    REQUIRE(k.run(kTicked) == "");
    LockHolder other(k.config.databasePath);
    REQUIRE(k.run("tap \"Valider\"\n" + kFailed +
                  "expect \"Ce n'est pas de votre faute. La borne n'arrive pas à enregistrer vos "
                  "informations pour le "
                  "moment.\"\nscreenshot " +
                  k.dir.file("failed.png")) == "");
    CHECK_FALSE(k.session->state().saveKept);
    CHECK(k.session->saveStatus().heldInMemory == 1);
    other.release();
    k.session->recordWriter().retryNow();
    REQUIRE(eventually([&] { return k.session->saveStatus().imported == 1; }));
    CHECK(k.session->saveStatus().heldInMemory == 0);
    CHECK(k.count("interest") == 1);
    // "Réessayer" after that finds the record already there: still one, and thanked
    REQUIRE(k.run("tap \"Réessayer\"\nexpect \"Merci, Camille !\"") == "");
    CHECK(k.count("interest") == 1);
}

TEST_CASE("feedback is written off the UI thread: a locked database does not freeze the screen") {
    KioskHarness k;
    auto o = writerOptions(k);
    o.busyTimeoutMs = 120'000;
    k.session->setRecordWriter(std::make_unique<app::RecordWriter>(o));
    REQUIRE(k.run(test::kToConsent + "tap \"Non merci\"\ntap \"Terminer\"\nexpect \"Très bien\"") == "");
    LockHolder other(k.config.databasePath);
    REQUIRE(app::tapLabel(*k.session, "Très bien"));
    CHECK(k.session->state().screen == ui::Screen::Goodbye);
    CHECK(k.session->recordWriter().busy());
    other.release();
    REQUIRE(eventually([&] { return !k.session->recordWriter().busy(); }));
    CHECK(k.count("feedback") == 1);
}
