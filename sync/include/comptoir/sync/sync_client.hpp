#pragma once
/// @brief Pushing the outbox and pulling the catalogue over an HttpClient, with retries,
/// backoff, dead-lettering and the atomic catalogue swap. Shared by the nightly job and the
/// kiosk's background worker. No ImGui, no curl.h.

#include "comptoir/store/db.hpp"
#include "comptoir/sync/http_client.hpp"
#include "comptoir/sync/protocol.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>

namespace comptoir::sync {

struct RetryPolicy {
    std::chrono::milliseconds base{500};    ///< first backoff ceiling
    std::chrono::milliseconds cap{60'000};  ///< largest backoff ceiling
    std::chrono::seconds maxRetryAfter{900}; ///< a longer Retry-After ends the run (try later)
    int maxConsecutiveFailures = 8;          ///< then give up for this run
};

/// Exponential backoff with full jitter: the n-th wait is uniform in [0, min(cap, base·2^n)],
/// and never shorter than the server's Retry-After.
class Backoff {
  public:
    explicit Backoff(RetryPolicy policy, std::uint64_t seed = std::random_device{}());
    [[nodiscard]] std::chrono::milliseconds next(std::optional<std::chrono::seconds> retryAfter = std::nullopt);
    void reset() { m_attempt = 0; }
    [[nodiscard]] int attempt() const { return m_attempt; }

  private:
    RetryPolicy m_policy;
    std::mt19937_64 m_rng;
    int m_attempt = 0;
};

/// Sleeps in short slices; false when `cancel` became true meanwhile.
bool sleepUnlessCancelled(std::chrono::milliseconds d, const std::atomic<bool>* cancel);

enum class Outcome {
    Done,        ///< everything that could be done was done
    Unreachable, ///< network down, server failing or asking to wait: try later
    Refused,     ///< the server refuses us for good (token, URL, protocol): needs a person
    Failed,      ///< a local or data problem (database error, inconsistent catalogue)
    Untrusted,   ///< the server's TLS certificate could not be verified: a wrong CA or an interception
    Cancelled,   ///< stopped on request
};
[[nodiscard]] const char* toString(Outcome o);

struct PushOptions {
    std::string kioskId;
    std::size_t maxBatchEvents = kMaxBatchEvents;
    std::size_t maxBatchBytes = kMaxBatchBytes;
    RetryPolicy retry;
    const std::atomic<bool>* cancel = nullptr;
};

struct PushReport {
    Outcome outcome = Outcome::Done;
    std::size_t accepted = 0;      ///< newly stored by the server
    std::size_t duplicates = 0;    ///< the server already had them (a retry)
    std::size_t deadLettered = 0;
    std::size_t requests = 0;
    std::size_t failedRequests = 0;
    std::int64_t waiting = 0;      ///< still to send at the end
    std::string lastError;
};

using PushProgress = std::function<void(const PushReport&)>;

/// Sends every pending event, oldest first, in batches; marks events sent only from the
/// server's per-event answers. Safe to interrupt anywhere: what was not answered is re-sent.
[[nodiscard]] PushReport pushPending(store::Database& db, HttpClient& http, const PushOptions& options,
                                     const PushProgress& progress = {});

struct PullOptions {
    std::string mediaDir; ///< pictures cached here by content hash; empty: media not fetched
    RetryPolicy retry;
    const std::atomic<bool>* cancel = nullptr;
};

struct PullReport {
    Outcome outcome = Outcome::Done;
    bool changed = false;
    std::int64_t fromVersion = 0;
    std::int64_t toVersion = 0;
    bool full = false;
    std::size_t offersChanged = 0;
    std::size_t mediaFetched = 0;
    std::size_t requests = 0;
    std::string lastError;
};

/// Asks for the catalogue changes since the local server version, checks them, fetches the
/// pictures they name, and swaps the result in with one transaction. Anything wrong leaves the
/// current catalogue untouched, with the reason in lastError.
[[nodiscard]] PullReport pullCatalogue(store::Database& db, HttpClient& http, const PullOptions& options);

/// catalogue_meta keys the pull keeps, in the same transaction as the catalogue itself.
inline constexpr const char* kMetaServerVersion = "server_version";
inline constexpr const char* kMetaServerCatalogueId = "server_catalogue_id";
inline constexpr const char* kMetaServerEtag = "server_etag";

} // namespace comptoir::sync
