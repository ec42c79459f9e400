#pragma once
/// @brief The reference central server: a storage interface (SQLite or PostgreSQL),
/// event folding, catalogue versions and media, and the HTTP(S) front over cpp-httplib.

#include "comptoir/domain/indicators.hpp"
#include "comptoir/domain/types.hpp"
#include "comptoir/sync/protocol.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace comptoir::sync::central {

struct CatalogueImportSummary {
    std::int64_t version = 0;
    std::size_t changed = 0;
    std::size_t deleted = 0;
    std::size_t unchanged = 0;
};

struct CatalogueImportOptions {
    /// The catalogue is empty on purpose: every offer is withdrawn from every kiosk, and the
    /// catalogue answers say so (`withdraw_all`), the only way kiosks accept an empty catalogue.
    bool withdrawAll = false;
};

/// An import refused before anything changed (e.g. an empty catalogue without withdrawAll).
struct CatalogueImportRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// One kiosk's token as the admin sees it: never the token itself.
struct KioskToken {
    std::string kioskId;
    std::string tokenId; ///< the first 12 hex digits of the token's SHA-256: tells tokens apart
    std::string createdAt;
    std::string revokedAt; ///< empty while the token is valid
};

struct Media {
    std::string contentType;
    std::string data;
};

/// One registration or call-back as the server holds it: contact details sealed (docs/privacy.md).
struct SealedRecord {
    std::string kind; ///< "interest" or "callback"
    std::string recordId, kioskId, reference, createdAt;
    std::string offerId, offerTitle, preferredMoment; ///< interest only
    std::string recontactAfter;                       ///< call-back only
    std::int64_t consentVersion = 0;
    std::string personalSealed; ///< base64 of the sealed blob; empty once erased
};

/// A spreadsheet cell: quoted when it holds `separator`, a quote or a line break, and prefixed
/// with ' when a spreadsheet would run it as a formula (CSV injection).
[[nodiscard]] std::string csvCell(const std::string& value, char separator = ',');
/// Names of the current catalogue's themes and neighbourhoods, by id (for the indicators' labels).
struct CatalogueNames {
    std::map<std::string, std::string> themes, neighbourhoods;
};

/// An account of the indicators page (HTTP Basic), distinct from the kiosks' tokens.
struct AdminUser {
    std::string name;
    std::string createdAt;
};

/// What the HTTP layer needs from a store. Every method is safe to call from several threads.
class CentralStorage {
  public:
    virtual ~CentralStorage() = default;

    /// The kiosk a token belongs to (token compared by its SHA-256), nullopt when unknown or revoked.
    [[nodiscard]] virtual std::optional<std::string> kioskForToken(const std::string& token) = 0;
    /// Stores each event once by id and folds it into registrations, call-backs… One
    /// transaction per call; answers in the order given.
    [[nodiscard]] virtual std::vector<EventResult> ingest(const std::string& kioskId,
                                                          const std::vector<WireEvent>& events) = 0;
    /// The delta document (docs/sync-protocol.md) of everything changed after `since`.
    [[nodiscard]] virtual std::string catalogueDelta(std::int64_t since) = 0;
    [[nodiscard]] virtual std::int64_t catalogueVersion() = 0;
    [[nodiscard]] virtual std::optional<Media> media(const std::string& sha256) = 0;

    // Admin operations.
    /// Creates (or replaces, un-revoking) a kiosk's token; returns the new token, shown once.
    /// Throws std::invalid_argument when `kioskId` is not a valid kiosk id (isKioskId).
    virtual std::string createKioskToken(const std::string& kioskId) = 0;
    [[nodiscard]] virtual std::vector<KioskToken> listKioskTokens() = 0;
    /// Refuses the kiosk's token from the next request on; false when there was no valid token.
    virtual bool revokeKioskToken(const std::string& kioskId) = 0;
    /// Makes `catalogue` the current catalogue: changed entries get a new version, missing ones
    /// are recorded as deleted. A catalogue without offers is refused (CatalogueImportRefused)
    /// unless options.withdrawAll; withdrawAll with offers is refused too.
    virtual CatalogueImportSummary importCatalogue(const Catalogue& catalogue,
                                                   const CatalogueImportOptions& options = {}) = 0;
    /// Adds a picture; returns its SHA-256. Bumps the catalogue version when new.
    virtual std::string addMedia(const std::string& contentType, const std::string& data) = 0;
    /// Registrations as CSV for the agents (personal fields stay sealed, base64).
    virtual void exportRegistrationsCsv(std::ostream& out) = 0;
    /// Every registration, then every call-back, oldest first, handed to `visit` one at a time
    /// (the office export: docs/privacy.md).
    virtual void forEachSealedRecord(const std::function<void(const SealedRecord&)>& visit) = 0;
    [[nodiscard]] virtual std::int64_t eventCount() = 0;
    [[nodiscard]] virtual std::int64_t distinctEventCount() = 0;

    // Indicators across kiosks (docs/sync.md, "Indicators across kiosks"). No personal data read.
    /// Every record the indicators count, every kiosk's: the current catalogue's offers (open or
    /// not, with the latest on-site change any kiosk sent), registrations (erased ones closed),
    /// introductions, hours and feedback.
    [[nodiscard]] virtual IndicatorInput indicatorInput() = 0;
    [[nodiscard]] virtual CatalogueNames catalogueNames() = 0;

    // Accounts of the indicators page. The storage keeps the hash it is given (centralPasswordHash).
    /// Creates the account or replaces its password hash.
    virtual void setAdminUser(const std::string& name, const std::string& passwordHash) = 0;
    /// The account's password hash, nullopt when there is no such account.
    [[nodiscard]] virtual std::optional<std::string> adminPasswordHash(const std::string& name) = 0;
    [[nodiscard]] virtual std::vector<AdminUser> listAdminUsers() = 0;
    /// False when there was no such account.
    virtual bool removeAdminUser(const std::string& name) = 0;
};

/// The database cannot be reached or has no free connection: the request can be retried (503).
struct StorageUnavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The embedded default: one SQLite file, one connection behind a mutex.
[[nodiscard]] std::unique_ptr<CentralStorage> openSqliteStorage(const std::string& path);

struct PostgresOptions {
    /// Connections this process keeps at most (opened when needed); HTTP workers beyond wait.
    std::size_t connections = 16;
};
/// True for a `postgresql://` (or `postgres://`) connection URI.
[[nodiscard]] bool isPostgresUrl(const std::string& db);
/// A network of kiosks: several server processes on one PostgreSQL database (libpq URI).
/// Creates or migrates the schema; throws when the database cannot be reached.
[[nodiscard]] std::unique_ptr<CentralStorage> openPostgresStorage(const std::string& url,
                                                                  const PostgresOptions& options = {});
/// Rows copied per table by copySqliteToPostgres, counted again in the target before commit.
struct StorageCopyReport {
    std::vector<std::pair<std::string, std::int64_t>> rows;
};
/// Moves a pilot to PostgreSQL: copies every table of the SQLite central database at
/// `sqlitePath` (events, folded records, catalogue versions, media, tokens, meta) into the
/// database at `url` in one transaction. Throws std::runtime_error, leaving the target as it was,
/// when the target already holds data or a count differs after the copy.
StorageCopyReport copySqliteToPostgres(const std::string& sqlitePath, const std::string& url);
/// PostgreSQL for a `postgresql://` URI, else the SQLite file at `db`.
[[nodiscard]] std::unique_ptr<CentralStorage> openStorage(const std::string& db,
                                                          const PostgresOptions& options = {});

/// What one client can make the server hold, enforced by the server itself whatever is in front
/// of it (nginx adds per-client limits in production: docs/sync.md).
struct ServerLimits {
    std::size_t workers = 64;               ///< threads serving connections
    std::size_t maxQueuedConnections = 512; ///< accepted, waiting for a worker; beyond, 503 at once
    int listenBacklog = 1024;
    std::size_t keepAliveMaxRequests = 20;        ///< then the connection closes and queues again (fairness)
    std::chrono::milliseconds idleTimeout{5'000}; ///< for a request's first byte
    std::chrono::milliseconds headerTimeout{10'000}; ///< request line and headers, in all
    std::chrono::milliseconds tlsHandshakeTimeout{5'000};
    std::chrono::milliseconds bodyIdleTimeout{10'000}; ///< between two pieces of a body
    std::chrono::milliseconds bodyTimeout{60'000};     ///< a whole body
    std::chrono::milliseconds writeTimeout{10'000};    ///< for the peer to take each piece of an answer
    std::size_t maxHeaderBytes = 16 * 1024;            ///< request line and headers together
    std::size_t maxHeaderLines = 64;
    std::chrono::milliseconds lingerTimeout{2'000};    ///< discarding what comes after a last answer
    std::size_t lingerMaxBytes = std::size_t{8} << 20; ///< more than a refused body (413)
};

/// $COMPTOIR_ASSETS when set, else the assets folder this build was made from.
[[nodiscard]] std::string defaultAssetDir();

struct ServerOptions {
    std::string host = "127.0.0.1"; ///< without a certificate, a loopback address only
    int port = 0;                   ///< 0: any free port (see CentralServer::port())
    std::string certFile;           ///< both set: HTTPS
    std::string keyFile;
    std::size_t maxBodyBytes = kServerMaxBodyBytes;
    ServerLimits limits;
    /// Where assets/i18n is (the indicators page's words): $COMPTOIR_ASSETS, else the build's.
    std::string assetDir = defaultAssetDir();
};

/// True for a numeric loopback address (127.0.0.0/8, ::1): the only ones plain HTTP may use.
[[nodiscard]] bool isLoopbackAddress(const std::string& host);

/// Serves the protocol on its own threads until stopped or destroyed.
class CentralServer {
  public:
    CentralServer(CentralStorage& storage, ServerOptions options);
    ~CentralServer();
    CentralServer(const CentralServer&) = delete;
    CentralServer& operator=(const CentralServer&) = delete;

    /// Binds and starts serving in the background; false when the address cannot be bound, the
    /// certificate cannot be loaded, or plain HTTP is asked for on an address other than loopback.
    [[nodiscard]] bool start();
    /// Serves on the calling thread until stop() (used by the comptoir-central command).
    [[nodiscard]] bool run();
    void stop();
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::string baseUrl() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_port = 0;
    std::thread m_thread;
};

} // namespace comptoir::sync::central
