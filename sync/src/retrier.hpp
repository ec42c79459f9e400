#pragma once
/// @brief Private: the retry bookkeeping shared by the push and the pull.

#include "comptoir/sync/sync_client.hpp"

#include <spdlog/spdlog.h>

namespace comptoir::sync::detail {

/// A server whose certificate cannot be verified is not "try later": every retry would talk to
/// the same wrong CA or interceptor. Untrusted (with the reason in lastError) when so.
inline std::optional<Outcome> untrusted(const HttpResponse& resp, std::string& lastError, const char* what) {
    if (resp.transport != HttpResponse::Transport::Failed || !isTlsVerificationError(resp.curlCode))
        return std::nullopt;
    lastError = "TLS: the server's certificate could not be verified, a wrong server.ca_file or an "
                "interception (" + resp.describe() + ")";
    spdlog::error("{}: {}", what, lastError);
    return Outcome::Untrusted;
}

/// Counts consecutive failures, waits with backoff between attempts, says when to give up.
class Retrier {
  public:
    Retrier(const RetryPolicy& policy, const std::atomic<bool>* cancel, const char* what)
        : m_policy(policy), m_cancel(cancel), m_what(what), m_backoff(policy) {}

    /// Records a failed attempt; nullopt means "wait done, try again", otherwise stop with it.
    std::optional<Outcome> failed(const std::string& why, std::optional<std::chrono::seconds> retryAfter,
                                  std::string& lastError) {
        lastError = why;
        spdlog::warn("{}: {}", m_what, why);
        if (++m_failures >= m_policy.maxConsecutiveFailures) return Outcome::Unreachable;
        if (retryAfter && *retryAfter > m_policy.maxRetryAfter) return Outcome::Unreachable;
        if (!sleepUnlessCancelled(m_backoff.next(retryAfter), m_cancel)) return Outcome::Cancelled;
        return std::nullopt;
    }
    void succeeded() {
        m_failures = 0;
        m_backoff.reset();
    }
    [[nodiscard]] bool cancelled() const { return m_cancel && m_cancel->load(); }

  private:
    RetryPolicy m_policy;
    const std::atomic<bool>* m_cancel;
    const char* m_what;
    Backoff m_backoff;
    int m_failures = 0;
};

} // namespace comptoir::sync::detail
