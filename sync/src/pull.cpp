#include "comptoir/domain/text.hpp"
#include "comptoir/store/catalogue_repo.hpp"
#include "comptoir/store/private_files.hpp"
#include "comptoir/store/sync_state.hpp"
#include "comptoir/sync/sync_client.hpp"
#include "retrier.hpp"

#include <filesystem>
#include <fstream>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <fcntl.h>

namespace fs = std::filesystem;

namespace comptoir::sync {

namespace {

/// Writes a file completely and durably under a temporary name, then renames it into place.
bool writeFileAtomically(const std::string& path, const std::string& content) {
    std::string tmp = path + ".partial";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    if (::fchmod(fd, 0600) != 0) { // a .partial left with other modes by an older build
        ::close(fd);
        return false;
    }
    std::size_t done = 0;
    bool ok = true;
    while (done < content.size()) {
        auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (ok && ::fsync(fd) != 0) ok = false;
    if (::close(fd) != 0) ok = false;
    std::error_code ec;
    if (ok) fs::rename(tmp, path, ec);
    if (!ok || ec) {
        fs::remove(tmp, ec);
        return false;
    }
    return true;
}

class Puller {
  public:
    Puller(store::Database& db, HttpClient& http, const PullOptions& options)
        : m_db(db), m_http(http), m_options(options), m_retrier(options.retry, options.cancel, "sync pull") {}

    PullReport run() {
        auto knownId = store::catalogueMeta(m_db, kMetaServerCatalogueId);
        std::int64_t since = 0;
        std::string etag;
        if (knownId) {
            auto v = store::catalogueMeta(m_db, kMetaServerVersion);
            since = v ? std::stoll(*v) : 0;
            etag = store::catalogueMeta(m_db, kMetaServerEtag).value_or("");
        }
        m_report.fromVersion = since;
        m_report.toVersion = since;
        for (int restart = 0; restart < 2; ++restart) {
            std::optional<CatalogueDelta> delta;
            if (auto stop = fetch(since, etag, delta)) return finish(*stop);
            if (!delta) return finish(Outcome::Done); // 304: nothing new
            if (!delta->full && (!knownId || delta->catalogueId != *knownId || delta->since != since)) {
                // Not a continuation of what we hold (server rebuilt?): start again from scratch.
                spdlog::warn("sync pull: the server's catalogue history differs from ours; asking for all of it");
                since = 0;
                etag.clear();
                continue;
            }
            return apply(*delta, knownId);
        }
        m_report.lastError = "the server keeps answering with deltas that do not follow ours";
        return finish(Outcome::Failed);
    }

  private:
    PullReport finish(Outcome o) {
        m_report.outcome = o;
        return m_report;
    }

    std::optional<Outcome> failed(const std::string& why, std::optional<std::chrono::seconds> retryAfter) {
        return m_retrier.failed(why, retryAfter, m_report.lastError);
    }

    /// GET with retries. Leaves `out` empty on 304.
    std::optional<Outcome> fetch(std::int64_t since, const std::string& etag, std::optional<CatalogueDelta>& out) {
        std::vector<std::string> headers;
        if (!etag.empty()) headers.push_back("If-None-Match: " + etag);
        std::string path = std::string(kPathCatalogue) + "?since=" + std::to_string(since);
        while (true) {
            ++m_report.requests;
            auto resp = m_http.get(path, headers);
            if (resp.transport == HttpResponse::Transport::Cancelled) return Outcome::Cancelled;
            if (auto stop = detail::untrusted(resp, m_report.lastError, "sync pull")) return stop;
            if (resp.ok() && resp.status == 304) return std::nullopt;
            if (resp.ok() && resp.status == 200) {
                auto parsed = parseCatalogueDelta(resp.body);
                if (parsed.ok) {
                    m_etag = resp.etag;
                    out = std::move(parsed.delta);
                    return std::nullopt;
                }
                // Often a cut transfer: worth another try; the current catalogue stays meanwhile.
                if (auto stop = failed("unusable catalogue answer: " + parsed.error, std::nullopt)) return stop;
                continue;
            }
            if (resp.retryable()) {
                if (auto stop = failed(resp.describe(), resp.retryAfter)) return stop;
                continue;
            }
            m_report.lastError = resp.describe();
            spdlog::error("sync pull: the server refuses: {}", m_report.lastError);
            return Outcome::Refused;
        }
    }

    std::optional<Outcome> fetchMedia(const MediaRef& m) {
        std::string path = m_options.mediaDir + "/" + m.sha256;
        std::error_code ec;
        if (fs::exists(path, ec) && static_cast<std::int64_t>(fs::file_size(path, ec)) == m.size) {
            // A picture already cached is trusted only if its content still matches its name.
            std::string cached;
            if (readWholeFile(path, cached) && sha256Hex(cached) == m.sha256) return std::nullopt;
        }
        while (true) {
            ++m_report.requests;
            auto resp = m_http.get(std::string(kPathMedia) + m.sha256);
            if (resp.transport == HttpResponse::Transport::Cancelled) return Outcome::Cancelled;
            if (auto stop = detail::untrusted(resp, m_report.lastError, "sync pull")) return stop;
            if (resp.ok() && resp.status == 200) {
                if (static_cast<std::int64_t>(resp.body.size()) == m.size && sha256Hex(resp.body) == m.sha256) {
                    if (!writeFileAtomically(path, resp.body)) {
                        m_report.lastError = "cannot write " + path;
                        return Outcome::Failed;
                    }
                    ++m_report.mediaFetched;
                    return std::nullopt;
                }
                if (auto stop = failed("picture " + m.sha256 + " does not match its hash", std::nullopt)) return stop;
                continue;
            }
            if (resp.retryable()) {
                if (auto stop = failed(resp.describe(), resp.retryAfter)) return stop;
                continue;
            }
            m_report.lastError = "picture " + m.sha256 + ": " + resp.describe();
            return Outcome::Refused;
        }
    }

    PullReport refuse(const CatalogueDelta& delta, const std::string& why) {
        m_report.lastError = why;
        spdlog::error("sync pull: catalogue version {} not applied, the current one stays: {}", delta.version, why);
        return finish(Outcome::Failed);
    }

    PullReport apply(const CatalogueDelta& delta, const std::optional<std::string>& knownId) {
        auto local = store::loadCatalogue(m_db);
        // Within one catalogue_id versions only grow: a lower one is a server gone back in time.
        if (knownId && delta.catalogueId == *knownId && delta.version < m_report.fromVersion)
            return refuse(delta, "the server sends version " + std::to_string(delta.version) + ", older than version " +
                                     std::to_string(m_report.fromVersion) + " of the same catalogue held here");
        auto merged = mergeCatalogueDelta(local, delta);
        if (!merged.ok) return refuse(delta, merged.error);
        for (const auto& d : merged.dropped)
            spdlog::warn("sync pull: {}: {}", d.entry, d.reason);
        // A new or rebuilt server with nothing imported yet must not empty the kiosk: only a
        // deliberate, stated withdrawal does (comptoir-central catalogue import --withdraw-all).
        if (merged.offersAfter == 0 && !local.offers.empty()) {
            if (!delta.withdrawAll)
                return refuse(delta, "the server's catalogue has no offers and does not say they were withdrawn (a new "
                                     "or rebuilt server?); keeping the " + std::to_string(local.offers.size()) +
                                     " offers held here");
            spdlog::warn("sync pull: the server withdraws every offer (withdraw_all): the catalogue becomes empty");
        }
        if (!m_options.mediaDir.empty() && !delta.media.empty()) {
            try {
                store::createPrivateDirectories(m_options.mediaDir);
            } catch (const std::system_error& e) {
                m_report.lastError = e.what();
                return finish(Outcome::Failed);
            }
            // Pictures first: the new catalogue must never point at a picture we do not have.
            for (const auto& m : delta.media)
                if (auto stop = fetchMedia(m)) return finish(*stop);
        }
        merged.swap.meta = {{kMetaServerVersion, std::to_string(delta.version)},
                            {kMetaServerCatalogueId, delta.catalogueId},
                            {kMetaServerEtag, m_etag}};
        store::swapCatalogue(m_db, merged.swap);
        m_report.changed = true;
        m_report.full = delta.full;
        m_report.toVersion = delta.version;
        m_report.offersChanged = merged.offersChanged;
        spdlog::info("sync pull: catalogue version {} in place ({} offers changed{})", delta.version,
                     merged.offersChanged, delta.full ? ", full copy" : "");
        return finish(Outcome::Done);
    }

    store::Database& m_db;
    HttpClient& m_http;
    const PullOptions& m_options;
    detail::Retrier m_retrier;
    PullReport m_report;
    std::string m_etag;
};

} // namespace

PullReport pullCatalogue(store::Database& db, HttpClient& http, const PullOptions& options) {
    try {
        Puller puller(db, http, options);
        return puller.run();
    } catch (const store::DbError& e) {
        PullReport r;
        r.outcome = Outcome::Failed;
        r.lastError = std::string("local database: ") + e.what();
        spdlog::error("sync pull: catalogue not applied, the current one stays: {}", r.lastError);
        return r;
    }
}

} // namespace comptoir::sync
