#pragma once
/// @brief Private: the retry bookkeeping shared by the push and the pull.

#include "comptoir/sync/sync_client.hpp"

#include <spdlog/spdlog.h>

namespace comptoir::sync::detail {

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
