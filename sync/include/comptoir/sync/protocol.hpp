#pragma once
/// @brief The sync wire protocol, version 1 (docs/sync-protocol.md): documents exchanged by the
/// kiosk and the central server, their encoders and strict parsers. No I/O here.

#include "comptoir/domain/catalogue.hpp"
#include "comptoir/domain/types.hpp"
#include "comptoir/store/outbox.hpp"
#include "comptoir/store/sync_state.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::sync {

inline constexpr int kProtocolVersion = 1;
/// A batch holds at most this many events…
inline constexpr std::size_t kMaxBatchEvents = 500;
/// …and at most this many bytes of JSON before compression (one bigger event travels alone).
inline constexpr std::size_t kMaxBatchBytes = std::size_t{1} << 20;
/// The server refuses (413) a request body larger than this once decompressed.
inline constexpr std::size_t kServerMaxBodyBytes = std::size_t{4} << 20;

inline constexpr const char* kPathEvents = "/api/v1/events:batch";
inline constexpr const char* kPathCatalogue = "/api/v1/catalogue";
inline constexpr const char* kPathMedia = "/api/v1/media/";
inline constexpr const char* kPathHealth = "/api/v1/health";

// [SECTION] event batches

/// One event as it travels: the outbox row, payload kept as JSON text.
struct WireEvent {
    std::string eventId;
    std::string type;
    int schemaVersion = 1;
    std::string occurredAt;
    std::string kioskId;
    std::string payload; ///< a JSON object, as text
    nlohmann::json payloadJson; ///< the same, parsed (server side; saves parsing it twice)
};

/// Size of one event inside a batch document, to keep batches under kMaxBatchBytes.
[[nodiscard]] std::size_t encodedSize(const store::OutboxEvent& e);
/// `{"protocol":1,"kiosk_id":…,"events":[…]}`; payloads are spliced in as they are stored.
[[nodiscard]] std::string encodeBatch(const std::string& kioskId, const std::vector<store::OutboxEvent>& events);

struct BatchParse {
    bool ok = false;
    std::string error;       ///< why the whole batch is unusable
    std::string badEventId;  ///< the event that made it unusable, when one did
    bool malformed = false;  ///< not JSON, or nested too deep (400); otherwise an envelope problem (422)
    std::string kioskId;
    std::vector<WireEvent> events;
};
/// Server side: strict envelope checks (ids are UUIDs, types and times are text…). Payload
/// contents are checked later, per event type.
[[nodiscard]] BatchParse parseBatch(std::string_view body);

enum class EventStatus { Accepted, Duplicate, Rejected };
[[nodiscard]] const char* toString(EventStatus s);

struct EventResult {
    std::string eventId;
    EventStatus status = EventStatus::Accepted;
    std::string reason; ///< for Rejected
};

[[nodiscard]] std::string encodeBatchAnswer(const std::vector<EventResult>& results);

struct BatchAnswerParse {
    bool ok = false;
    std::string error;
    std::vector<EventResult> results;
};
/// Client side: every result must name an event id and a known status.
[[nodiscard]] BatchAnswerParse parseBatchAnswer(std::string_view body);
/// True when a per-event refusal says the event's kiosk is not the token's (an older server
/// answers so instead of refusing the batch with 403): a setup problem, never the event's fault.
[[nodiscard]] bool isKioskMismatchReason(std::string_view reason);

// [SECTION] errors

/// `{"error":{"code":…,"message":…,"event_id":…}}` — event_id only when one event is to blame.
[[nodiscard]] std::string encodeError(std::string_view code, std::string_view message, std::string_view eventId = {});
struct ErrorBody {
    std::string code;
    std::string message;
    std::string eventId;
};
/// Tolerant: a body that is not our error document gives an empty code and a short excerpt.
[[nodiscard]] ErrorBody parseError(std::string_view body);

// [SECTION] catalogue

struct MediaRef {
    std::string sha256; ///< lower-case hex
    std::int64_t size = 0;
    std::string contentType;
};

/// `GET /api/v1/catalogue?since=N`: entries changed after version N, in the catalogue format.
struct CatalogueDelta {
    std::int64_t since = 0;
    std::int64_t version = 0;
    bool full = false;       ///< true: the entries are the whole catalogue (since=0, or history unknown)
    std::string catalogueId; ///< the server catalogue's identity; versions only compare within one
    nlohmann::json themes = nlohmann::json::array(), neighbourhoods = nlohmann::json::array(),
                   organisations = nlohmann::json::array(), offers = nlohmann::json::array();
    std::vector<std::string> deletedThemes, deletedNeighbourhoods, deletedOrganisations, deletedOffers;
    std::vector<MediaRef> media;
    bool withdrawAll = false; ///< the server withdrew every offer on purpose: an empty catalogue is meant
};

struct DeltaParse {
    bool ok = false;
    std::string error;
    CatalogueDelta delta;
};
[[nodiscard]] DeltaParse parseCatalogueDelta(std::string_view body);

struct MergeResult {
    bool ok = false;
    std::string error; ///< why the delta cannot be applied; the local catalogue stays as it is
    store::CatalogueSwap swap;
    std::size_t offersChanged = 0;
    std::size_t offersAfter = 0; ///< offers in the catalogue once applied
    std::vector<CatalogueIssue> dropped; ///< parts left out of kept offers (a bad translation)
};
/// Applies a delta to the local catalogue in memory and validates the result as a whole; the
/// swap it returns writes only what changed (everything when the delta is full).
[[nodiscard]] MergeResult mergeCatalogueDelta(const Catalogue& local, const CatalogueDelta& delta);

// [SECTION] encodings

/// gzip (RFC 1952) of `data`, fast level: bodies are JSON on a slow link, not archives.
[[nodiscard]] std::string gzipCompress(std::string_view data);
/// Inflates gzip or zlib data; nullopt when malformed or when it would exceed `maxOutput`.
[[nodiscard]] std::optional<std::string> gzipDecompress(std::string_view data, std::size_t maxOutput);
/// SHA-256, lower-case hex.
[[nodiscard]] std::string sha256Hex(std::string_view data);
/// Canonical UUID text, 8-4-4-4-12 lower-case hex (what kiosks write). Upper-case spellings are
/// refused rather than folded, so that one id has exactly one spelling.
[[nodiscard]] bool isUuid(std::string_view s);
/// Days since 1970-01-01 of a real calendar date written "YYYY-MM-DD"; nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> dateDays(std::string_view s);
/// Unix milliseconds of a UTC time written exactly "YYYY-MM-DDTHH:MM:SS.mmmZ"; nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> timestampMs(std::string_view s);
[[nodiscard]] bool isSha256Hex(std::string_view s);

} // namespace comptoir::sync
