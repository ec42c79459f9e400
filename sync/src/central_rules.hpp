#pragma once
/// @brief What every central storage backend shares: the validation of an event into what it
/// folds into, the catalogue's delta document and import plan, CSV cells and kiosk tokens. The
/// backends (central_storage.cpp for SQLite, central_postgres.cpp) only hold their SQL.

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/central_indicators.hpp"
#include "comptoir/sync/protocol.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

namespace comptoir::sync::central::rules {

inline constexpr const char* kKinds[] = {"themes", "neighbourhoods", "organisations", "offers"};
/// Set (to the catalogue version) by an import with withdrawAll; removed by any other import.
inline constexpr const char* kMetaWithdrawnAt = "withdrawn_at_version";

/// Thrown while validating one event's payload; becomes that event's "rejected" reason.
struct Invalid {
    std::string reason;
};

/// Throws Invalid unless `v` is a UTC timestamp from 2020 up to a day ahead of this clock.
void checkTimestamp(const std::string& v, const char* key);
/// The one answer for a record id that is already taken, whoever holds it: it says nothing of
/// the other record or of its kiosk.
[[nodiscard]] Invalid alreadyUsed(const char* key);

// What an accepted event folds into (docs/sync-protocol.md, "Validation").
struct Registration {
    std::string id, reference, offerId, offerTitle, preferredMoment;
    std::int64_t consentVersion = 0;
    std::string createdAt, sealed;
};
struct Callback {
    std::string id, reference, recontactAfter;
    std::int64_t consentVersion = 0;
    std::string createdAt, sealed;
};
struct Feedback {
    std::string id, context;
    std::int64_t score = 0;
    std::string createdAt;
};
struct Introduction {
    std::string id, interestId, organisationId, status, reason, updatedAt;
    std::string offerId; ///< empty from older kiosks: the registration's is taken
};
struct Hours {
    std::string id, introductionId;
    double hours = 0;
    std::string doneOn;
};
/// GDPR art. 17 asked at the kiosk: the sealed copies of that record's personal data go.
struct Erasure {
    bool interest = true; ///< else a call-back
    std::string recordId;
};
/// An offer marked full, closed or open again on site; the latest change wins.
struct OfferState {
    std::string offerId, state, changedAt;
};
/// What came of an agent's call back (the note stays on the kiosk); the latest wins.
struct CallbackFollowUp {
    std::string callbackId, outcome, nextCallOn, followedUpAt;
};
/// Kept in the event table only (local offers).
struct EventOnly {};
using Folded = std::variant<EventOnly, Registration, Callback, Feedback, Introduction, Hours, Erasure,
                            OfferState, CallbackFollowUp>;

/// Checks every field of one event (type, version, payload, occurred_at) and says what it folds
/// into; throws Invalid without touching any storage. The stored ids are the backend's to check.
[[nodiscard]] Folded parseEvent(const WireEvent& e);

inline constexpr const char* kRegistrationsCsvHeader =
    "kiosk_id,reference,interest_id,offer_id,offer_title,preferred_moment,consent_version,created_at,"
    "personal_sealed\r\n";
inline constexpr int kRegistrationsCsvColumns = 9;

/// A new random kiosk token (shown once; only its SHA-256 is stored). Throws
/// std::invalid_argument when `kioskId` is not a valid kiosk id.
[[nodiscard]] std::string newKioskToken(const std::string& kioskId);

/// The refusals of importCatalogue (CatalogueImportRefused), before anything is read.
void checkImportAllowed(const Catalogue& catalogue, const CatalogueImportOptions& options);

/// One catalogue entity as stored: its JSON body and whether it was withdrawn.
struct StoredEntity {
    std::string body;
    bool deleted = false;
};
/// What an import does to one kind of entity, given what is stored.
struct ImportStep {
    struct Upsert {
        std::string id, body;
        std::int64_t position = 0;
    };
    std::vector<Upsert> upserts;                             ///< new or changed: the new version
    std::vector<std::pair<std::string, std::int64_t>> moves; ///< unchanged: only the position
    std::vector<std::string> removals;                       ///< no longer present: withdrawn
};
/// Serialises `catalogue` once; `entries(kind)` gives each kind's entries in order.
[[nodiscard]] nlohmann::json catalogueDocument(const Catalogue& catalogue);
[[nodiscard]] ImportStep planImport(const nlohmann::json& entries,
                                    const std::map<std::string, StoredEntity>& before);

/// The rows a delta document is made of, read by the backend in one consistent snapshot.
struct DeltaRows {
    std::int64_t since = 0;
    std::int64_t current = 0;
    std::string catalogueId;
    bool withdrawAll = false;
    std::vector<std::vector<std::string>> bodies;  ///< per kind (kKinds order), in position order
    std::vector<std::vector<std::string>> deleted; ///< per kind; ignored when full
    struct MediaRow {
        std::string sha256;
        std::int64_t size = 0;
        std::string contentType;
    };
    std::vector<MediaRow> media;
};
/// Unknown history (first pull, or a kiosk ahead of a rebuilt server): send everything.
[[nodiscard]] inline bool fullDelta(std::int64_t since, std::int64_t current) {
    return since <= 0 || since > current;
}
/// The delta document (docs/sync-protocol.md).
[[nodiscard]] std::string deltaDocument(const DeltaRows& rows);

/// Every table of the central schema with its columns, the same in both backends (what
/// migrate-storage copies). `bytes`: the column holding binary data (media.data), or none.
struct Table {
    const char* name;
    std::vector<const char*> columns;
    const char* bytes = nullptr;
};
[[nodiscard]] const std::vector<Table>& centralTables();

/// One row of a backend's answer, read by column (every column read here is NOT NULL).
class Row {
  public:
    virtual ~Row() = default;
    [[nodiscard]] virtual std::string text(int col) const = 0;
    [[nodiscard]] virtual std::int64_t int64(int col) const = 0;
    [[nodiscard]] virtual double real(int col) const = 0;
};
/// Runs one SELECT (the same SQL on both backends) and shows each row to `visit`.
using Query = std::function<void(const std::string& sql, const std::function<void(const Row&)>& visit)>;

/// The indicators' input (CentralStorage::indicatorInput), read with `query` inside the
/// backend's one read snapshot.
[[nodiscard]] IndicatorInput readIndicatorInput(const Query& query);
/// The current catalogue's theme and neighbourhood names (CentralStorage::catalogueNames).
[[nodiscard]] CatalogueNames readCatalogueNames(const Query& query);
/// Every registration, then every call-back, each in created_at order (the office export).
/// `collate`: appended to each ORDER BY key so both backends order bytes alike.
void readSealedRecords(const Query& query, const char* collate,
                       const std::function<void(const SealedRecord&)>& visit);

} // namespace comptoir::sync::central::rules
