#pragma once
/// @brief Test support for the sync suites: a real central server on 127.0.0.1 and a kiosk
/// database, both in a temporary folder.

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/migrations.hpp"
#include "comptoir/store/sealing.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/sync_client.hpp"
#include "central_backends.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <memory>
#include <thread>
#include <stdexcept>
#include <string>

namespace comptoir::test {

/// The reference server with its own database (an SQLite file, or a new database in the test
/// PostgreSQL cluster) and one kiosk token.
struct Central {
    explicit Central(const TempDir& dir, const std::string& kioskId = "kiosk-test", sync::central::ServerOptions o = {},
                     Backend backend = Backend::Sqlite)
        : db(backend == Backend::Postgres ? newPostgresDatabase() : dir.file("central.db")),
          storage(sync::central::openStorage(db)), server(*storage, std::move(o)) {
        token = storage->createKioskToken(kioskId);
        if (!server.start()) throw std::runtime_error("the test server cannot start");
    }
    Central(const TempDir& dir, Backend backend, const std::string& kioskId = "kiosk-test")
        : Central(dir, kioskId, {}, backend) {}
    std::string db; ///< what `comptoir-central --db` takes
    std::unique_ptr<sync::central::CentralStorage> storage;
    sync::central::CentralServer server;
    std::string token;
};

/// A kiosk database (schema, cheap sealing key, catalogue optional) and what records on it.
struct KioskDb {
    /// `fresh`: create the schema and key; otherwise open an existing kiosk database (a second
    /// connection, as another process would have).
    explicit KioskDb(const std::string& path, const std::string& kioskId = "kiosk-test", bool fresh = true)
        : db(store::Database::open(path)), id(kioskId) {
        if (!fresh) return;
        store::migrate(db);
        store::Keyring::create(db, "135790", store::PinCost::minimum());
    }
    store::Recorded registerInterest(const std::string& offerId = "off-0001") {
        store::VisitorStore visitors{db, store::Keyring::publicKey(db), id};
        store::InterestDraft d;
        d.offerId = offerId;
        d.offerTitle = "Accueillir à l'épicerie";
        d.contact = {"Camille", "0612345678", "", ""};
        d.preferredMoment = "morning";
        return visitors.recordInterest(d);
    }
    store::Database db;
    std::string id;
};

inline sync::HttpOptions httpFor(const std::string& baseUrl, const std::string& token) {
    sync::HttpOptions o;
    o.baseUrl = baseUrl;
    o.token = token;
    o.connectTimeout = std::chrono::milliseconds(5'000);
    o.totalTimeout = std::chrono::milliseconds(30'000);
    return o;
}

/// Quick retries for tests: faults are injected on purpose, nobody needs to wait long.
inline sync::RetryPolicy quickRetries(int attempts = 6) {
    return sync::RetryPolicy{std::chrono::milliseconds(5), std::chrono::milliseconds(50), std::chrono::seconds(10),
                             attempts};
}

inline sync::PushOptions pushOptions(const std::string& kioskId = "kiosk-test", int attempts = 6) {
    sync::PushOptions o;
    o.kioskId = kioskId;
    o.retry = quickRetries(attempts);
    return o;
}

/// Polls `pred` until it holds or `limit` passes: workers and servers run on their own threads.
template <class Pred> bool waitFor(Pred pred, std::chrono::seconds limit = std::chrono::seconds(60)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
}

/// A self-signed certificate for 127.0.0.1 made by openssl in `dir` (cert.pem, key.pem), and
/// server options that serve it.
inline sync::central::ServerOptions selfSignedTls(const TempDir& dir) {
    std::string out;
    int rc = runCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                        "-addext subjectAltName=IP:127.0.0.1 -keyout " +
                            dir.file("key.pem") + " -out " + dir.file("cert.pem"),
                        out);
    if (rc != 0) throw std::runtime_error("openssl could not make a test certificate: " + out);
    sync::central::ServerOptions o;
    o.certFile = dir.file("cert.pem");
    o.keyFile = dir.file("key.pem");
    return o;
}

inline Catalogue demoCatalogue() {
    auto parsed = parseCatalogue(readFile(sourcePath("assets/catalogue/demo.json")));
    if (!parsed.ok) throw std::runtime_error("demo catalogue unreadable");
    return parsed.catalogue;
}

} // namespace comptoir::test
