#include "comptoir/domain/ids.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/store/visitor_repo.hpp"
#include "comptoir/sync/sync_client.hpp"
#include "comptoir/system/journal.hpp"
#include "retrier.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <thread>
#include <unordered_set>

namespace comptoir::sync {

Backoff::Backoff(RetryPolicy policy, std::uint64_t seed) : m_policy(policy), m_rng(seed) {}

std::chrono::milliseconds Backoff::next(std::optional<std::chrono::seconds> retryAfter) {
    auto ceiling = m_policy.base.count() << std::min(m_attempt, 20);
    ceiling = std::min<long long>(ceiling, m_policy.cap.count());
    ++m_attempt;
    std::uniform_int_distribution<long long> pick(0, std::max<long long>(ceiling, 0));
    std::chrono::milliseconds wait(pick(m_rng));
    if (retryAfter) wait = std::max<std::chrono::milliseconds>(wait, *retryAfter);
    return wait;
}

bool sleepUnlessCancelled(std::chrono::milliseconds d, const std::atomic<bool>* cancel) {
    auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
        if (cancel && cancel->load()) return false;
        auto left = until - std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
    }
    return !(cancel && cancel->load());
}

const char* toString(Outcome o) {
    switch (o) {
    case Outcome::Done: return "done";
    case Outcome::Unreachable: return "unreachable";
    case Outcome::Refused: return "refused";
    case Outcome::Failed: return "failed";
    case Outcome::Untrusted: return "untrusted server";
    case Outcome::Cancelled: return "cancelled";
    }
    return "failed";
}

namespace {

bool isBatchRefusal(long status) { return status == 400 || status == 413 || status == 422; }

/// One push run: its counters, its backoff, and the rules for each kind of answer.
class Pusher {
  public:
    Pusher(store::Database& db, HttpClient& http, const PushOptions& options, const PushProgress& progress)
        : m_db(db), m_http(http), m_options(options), m_progress(progress),
          m_retrier(options.retry, options.cancel, "sync push") {}

    PushReport run() {
        releaseFeedback();
        while (true) {
            if (cancelled()) return finish(Outcome::Cancelled);
            auto events = store::pendingEvents(m_db, std::max<std::size_t>(m_options.maxBatchEvents, 1));
            if (events.empty()) return finish(Outcome::Done);
            trimToBytes(events);
            // Refused batches are split until the events to blame are alone.
            std::vector<std::vector<store::OutboxEvent>> work{std::move(events)};
            while (!work.empty()) {
                auto batch = std::move(work.back());
                work.pop_back();
                auto step = sendOne(batch, work);
                if (step) return finish(*step);
            }
        }
    }

  private:
    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }

    /// Feedback from days already over joins the outbox now, a whole day at once. A failure
    /// only delays it to the next run: it never stops the push of what is waiting.
    void releaseFeedback() {
        try {
            auto n = store::releaseHeldFeedback(m_db, m_options.kioskId);
            if (n > 0)
                spdlog::info("sync push: {} anonymous feedback answers from past days join the outbox", n);
        } catch (const std::exception& e) {
            spdlog::warn("sync push: held feedback not released this time: {}", e.what());
        }
    }

    void trimToBytes(std::vector<store::OutboxEvent>& events) const {
        std::size_t bytes = 0, keep = 0;
        for (; keep < events.size(); ++keep) {
            bytes += encodedSize(events[keep]);
            if (bytes > m_options.maxBatchBytes && keep > 0) break;
        }
        events.resize(keep);
    }

    PushReport finish(Outcome o) {
        m_report.outcome = o;
        m_report.waiting = store::pendingCount(m_db);
        return m_report;
    }

    std::optional<Outcome> failed(const std::string& why, std::optional<std::chrono::seconds> retryAfter) {
        ++m_report.failedRequests;
        return m_retrier.failed(why, retryAfter, m_report.lastError);
    }

    /// Sends one batch until it is answered, split, or the run must stop (returned).
    std::optional<Outcome> sendOne(const std::vector<store::OutboxEvent>& batch,
                                   std::vector<std::vector<store::OutboxEvent>>& work) {
        std::string body = encodeBatch(m_options.kioskId, batch);
        while (true) {
            if (cancelled()) return Outcome::Cancelled;
            ++m_report.requests;
            auto resp = m_http.postJson(kPathEvents, body);
            if (resp.transport == HttpResponse::Transport::Cancelled) return Outcome::Cancelled;
            if (auto stop = detail::untrusted(resp, m_report.lastError, "sync push")) return stop;
            if (resp.ok() && resp.status == 200) {
                auto answer = parseBatchAnswer(resp.body);
                if (answer.ok) return applyAnswer(batch, answer);
                if (auto stop = failed("unreadable answer to a batch: " + answer.error, std::nullopt)) return stop;
                continue;
            }
            if (resp.retryable()) {
                if (auto stop = failed(resp.describe(), resp.retryAfter)) return stop;
                continue;
            }
            if (isBatchRefusal(resp.status)) return refused(batch, resp, work);
            // 401, 403, 404…: retrying cannot help and dead-lettering would hide a setup problem.
            m_report.lastError = resp.describe();
            spdlog::error("sync push: the server refuses the kiosk: {}", m_report.lastError);
            return Outcome::Refused;
        }
    }

    std::optional<Outcome> applyAnswer(const std::vector<store::OutboxEvent>& batch, const BatchAnswerParse& answer) {
        std::unordered_set<std::string> inBatch;
        for (const auto& e : batch) inBatch.insert(e.eventId);
        std::vector<store::EventAnswer> answers;
        answers.reserve(answer.results.size());
        std::string mismatch;
        for (const auto& r : answer.results) {
            if (!inBatch.erase(r.eventId)) continue; // not ours, or answered twice
            if (r.status == EventStatus::Rejected && isKioskMismatchReason(r.reason)) {
                // Not the event's fault but the kiosk's setup: it stays waiting, the run stops.
                mismatch = r.reason;
                continue;
            }
            store::EventAnswer a;
            a.eventId = r.eventId;
            if (r.status == EventStatus::Accepted) {
                a.outcome = store::EventAnswer::Outcome::Accepted;
                ++m_report.accepted;
            } else if (r.status == EventStatus::Duplicate) {
                a.outcome = store::EventAnswer::Outcome::Duplicate;
                ++m_report.duplicates;
            } else {
                a.outcome = store::EventAnswer::Outcome::Rejected;
                a.reason = r.reason;
                system::LogFields fields({{"EVENT_ID", r.eventId}});
                spdlog::warn("sync push: event {} refused by the server: {}", r.eventId, r.reason);
            }
            answers.push_back(std::move(a));
        }
        auto tally = store::recordAnswers(m_db, answers, nowUtcIso8601());
        m_report.deadLettered += tally.deadLettered;
        if (m_progress) m_progress(m_report);
        if (!mismatch.empty()) {
            m_report.lastError = "the server refuses this kiosk's events: " + mismatch;
            spdlog::error("sync push: {}", m_report.lastError);
            return Outcome::Refused;
        }
        if (!inBatch.empty()) {
            // Unanswered events stay pending and go again; count it as a failure so a server
            // that never answers them cannot keep us looping.
            return failed(std::to_string(inBatch.size()) + " events of a batch were not answered", std::nullopt);
        }
        m_retrier.succeeded();
        return std::nullopt;
    }

    std::optional<Outcome> refused(const std::vector<store::OutboxEvent>& batch, const HttpResponse& resp,
                                   std::vector<std::vector<store::OutboxEvent>>& work) {
        m_retrier.succeeded();
        auto err = parseError(resp.body);
        if (batch.size() == 1) {
            std::string reason = "HTTP " + std::to_string(resp.status) + (err.code.empty() ? "" : " " + err.code) +
                                 (err.message.empty() ? "" : ": " + err.message);
            system::LogFields fields({{"EVENT_ID", batch.front().eventId}, {"EVENT", batch.front().type}});
            spdlog::warn("sync push: event {} refused for good: {}", batch.front().eventId, reason);
            auto tally = store::recordAnswers(
                m_db, {store::EventAnswer{batch.front().eventId, store::EventAnswer::Outcome::Rejected, reason,
                                          static_cast<int>(resp.status)}},
                nowUtcIso8601());
            m_report.deadLettered += tally.deadLettered;
            return std::nullopt;
        }
        // When the server names the culprit, try it alone first; otherwise bisect.
        auto blamed = std::find_if(batch.begin(), batch.end(),
                                   [&](const store::OutboxEvent& e) { return !err.eventId.empty() && e.eventId == err.eventId; });
        std::vector<store::OutboxEvent> a, b;
        if (blamed != batch.end()) {
            a.push_back(*blamed);
            for (const auto& e : batch)
                if (e.eventId != err.eventId) b.push_back(e);
        } else {
            auto mid = batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2);
            a.assign(batch.begin(), mid);
            b.assign(mid, batch.end());
        }
        // Work is a stack: push the later half first so events keep their order.
        if (!b.empty()) work.push_back(std::move(b));
        work.push_back(std::move(a));
        return std::nullopt;
    }

    store::Database& m_db;
    HttpClient& m_http;
    const PushOptions& m_options;
    const PushProgress& m_progress;
    detail::Retrier m_retrier;
    PushReport m_report;
};

} // namespace

PushReport pushPending(store::Database& db, HttpClient& http, const PushOptions& options, const PushProgress& progress) {
    Pusher pusher(db, http, options, progress);
    return pusher.run();
}

} // namespace comptoir::sync
