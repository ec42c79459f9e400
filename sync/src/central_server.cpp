// The central server's HTTP front: the routes, the gate that refuses a request before its body
// is read (unknown route, wrong method, token, content type), the error model. The transport and
// its limits are server_transport.cpp's.
#include "comptoir/store/db.hpp"
#include "comptoir/domain/ids.hpp"
#include "comptoir/sync/central.hpp"
#include "comptoir/sync/central_indicators.hpp"
#include "server_transport.hpp"

#include <arpa/inet.h>
#include <cstdlib>
#include <filesystem>
#include <httplib.h>
#include <spdlog/spdlog.h>

namespace comptoir::sync::central {

namespace {

void sendError(httplib::Response& res, int status, std::string_view code, std::string_view message,
               std::string_view eventId = {}) {
    res.status = status;
    res.set_content(encodeError(code, message, eventId), "application/json");
}

std::string bearerToken(const httplib::Request& req) {
    auto h = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (h.size() <= prefix.size() || h.compare(0, prefix.size(), prefix) != 0) return {};
    return h.substr(prefix.size());
}

/// Why the batch cannot come from the token's kiosk, or nullopt when every kiosk_id is its own.
/// The kiosk's own words are not echoed back: only the token's kiosk, which its holder may know.
std::optional<std::string> kioskMismatch(const BatchParse& batch, const std::string& tokenKiosk) {
    bool wrong = batch.kioskId != tokenKiosk;
    for (const auto& e : batch.events)
        wrong = wrong || e.kioskId != tokenKiosk;
    if (!wrong) return std::nullopt;
    return "this token belongs to kiosk '" + tokenKiosk +
           "', but the batch names another kiosk_id; check the kiosk's kiosk_id and server.token_file";
}

enum class Route { None, Events, Catalogue, Media, Health, Indicators };

constexpr const char* kPathIndicators = "/indicators";

Route routeOf(const std::string& path) {
    if (path == kPathEvents) return Route::Events;
    if (path == kPathIndicators) return Route::Indicators;
    if (path == kPathCatalogue) return Route::Catalogue;
    if (path == kPathHealth) return Route::Health;
    if (path.rfind(kPathMedia, 0) == 0) return Route::Media;
    return Route::None;
}

/// The media type of a Content-Type value, without parameters, lower-case.
std::string mediaType(const std::string& contentType) {
    auto type = contentType.substr(0, contentType.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
        type.pop_back();
    for (auto& c : type)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type;
}

} // namespace

std::string defaultAssetDir() {
    if (const char* a = std::getenv("COMPTOIR_ASSETS"); a && *a) return a;
    // Installed by its package: <prefix>/bin/comptoir-central → <prefix>/share/comptoir-central.
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = exe.parent_path().parent_path() / "share" / "comptoir-central";
        if (std::filesystem::is_directory(installed, ec)) return installed.string();
    }
    return COMPTOIR_CENTRAL_ASSET_DIR;
}

bool isLoopbackAddress(const std::string& host) {
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

struct CentralServer::Impl {
    CentralStorage& storage;
    ServerOptions options;
    std::unique_ptr<GuardedServer> server;
    AdminCredentials admins;
    Strings words; ///< the indicators page's French words
    bool wordsLoaded = false;

    Impl(CentralStorage& s, ServerOptions o) : storage(s), options(std::move(o)), admins(s) {}

    /// The kiosk id for the request's token, or an error already written.
    std::optional<std::string> authenticate(const httplib::Request& req, httplib::Response& res) {
        auto token = bearerToken(req);
        auto kiosk = token.empty() ? std::nullopt : storage.kioskForToken(token);
        if (!kiosk) {
            res.set_header("WWW-Authenticate", "Bearer");
            sendError(res, 401, "unauthorized", "missing or unknown kiosk token");
        }
        return kiosk;
    }

    /// Runs on the request line and headers, before any body byte is read: what it refuses
    /// costs the server no body, and the connection is closed after the answer.
    httplib::Server::HandlerResponse gate(const httplib::Request& req, httplib::Response& res) {
        using Answer = httplib::Server::HandlerResponse;
        const auto route = routeOf(req.path);
        if (route == Route::None) {
            sendError(res, 404, "not_found", "no such route");
            return Answer::Handled;
        }
        const bool takesBody = route == Route::Events;
        if (takesBody ? req.method != "POST" : req.method != "GET" && req.method != "HEAD") {
            res.set_header("Allow", takesBody ? "POST" : "GET, HEAD");
            sendError(res, 405, "method_not_allowed", "this route does not take this method");
            return Answer::Handled;
        }
        if (!takesBody) return Answer::Unhandled;
        if (!authenticate(req, res)) return Answer::Handled;
        if (mediaType(req.get_header_value("Content-Type")) != "application/json") {
            sendError(res, 415, "unsupported_media_type", "batches are application/json");
            return Answer::Handled;
        }
        if (req.get_header_value("Content-Encoding") != "gzip") {
            sendError(res, 415, "unsupported_encoding", "request bodies must be gzip-compressed");
            return Answer::Handled;
        }
        return Answer::Unhandled;
    }

    void onBatch(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        // The gate has checked the token already; this lookup gives the kiosk it belongs to.
        auto kiosk = authenticate(req, res);
        if (!kiosk) return;
        // httplib inflates the gzip body as it reads it; counting here caps the inflated size,
        // so a small body cannot expand without limit.
        std::string body;
        bool tooLarge = false;
        bool complete = reader([&](const char* data, std::size_t len) {
            if (body.size() + len > options.maxBodyBytes) {
                tooLarge = true;
                return false;
            }
            body.append(data, len);
            return true;
        });
        if (tooLarge) {
            sendError(res, 413, "too_large", "the batch is larger than the server accepts");
            return;
        }
        if (!complete) {
            sendError(res, 400, "incomplete_body", "the request body could not be read");
            return;
        }
        auto batch = parseBatch(body);
        if (!batch.ok) {
            sendError(res, batch.malformed ? 400 : 422, batch.malformed ? "malformed_json" : "invalid_batch",
                      batch.error, batch.badEventId);
            return;
        }
        // A kiosk speaking with another kiosk's token is a setup mistake, not a bad event: refuse
        // the whole batch so that the kiosk stops and keeps its events, instead of filing each
        // one as a dead letter that no one re-sends.
        if (auto wrong = kioskMismatch(batch, *kiosk)) {
            sendError(res, 403, "kiosk_mismatch", *wrong);
            return;
        }
        auto results = storage.ingest(*kiosk, batch.events);
        std::size_t rejected = 0;
        for (const auto& r : results)
            rejected += r.status == EventStatus::Rejected ? 1 : 0;
        spdlog::debug("central: kiosk {} sent {} events ({} rejected)", *kiosk, results.size(), rejected);
        res.set_content(encodeBatchAnswer(results), "application/json");
    }

    void onCatalogue(const httplib::Request& req, httplib::Response& res) {
        if (!authenticate(req, res)) return;
        std::int64_t since = 0;
        if (req.has_param("since")) {
            const auto v = req.get_param_value("since");
            if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
                sendError(res, 400, "invalid_since", "since must be a version number");
                return;
            }
            since = std::stoll(v);
        }
        std::int64_t current = storage.catalogueVersion();
        std::string etag = "\"cat-" + std::to_string(current) + "\"";
        res.set_header("ETag", etag);
        if (since == current && req.get_header_value("If-None-Match") == etag) {
            res.status = 304;
            return;
        }
        res.set_content(storage.catalogueDelta(since), "application/json");
    }

    void onMedia(const httplib::Request& req, httplib::Response& res) {
        if (!authenticate(req, res)) return;
        std::string sha = req.matches[1];
        if (!isSha256Hex(sha)) {
            sendError(res, 400, "invalid_hash", "media are named by their lower-case SHA-256");
            return;
        }
        auto m = storage.media(sha);
        if (!m) {
            sendError(res, 404, "not_found", "no such media");
            return;
        }
        // Content-addressed: the bytes behind a hash never change.
        res.set_header("Cache-Control", "public, max-age=31536000, immutable");
        res.set_content(m->data,
                        m->contentType.empty() ? "application/octet-stream" : m->contentType.c_str());
    }

    /// The read-only dashboard of the CCAS (docs/sync.md, "Indicators across kiosks"): its own
    /// accounts, never a kiosk token; bounded query; HTML with SVG drawn here, no script.
    void onIndicators(const httplib::Request& req, httplib::Response& res) {
        auto html = [&](int status, const std::string& body) {
            res.status = status;
            res.set_header("Cache-Control", "no-store");
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("Referrer-Policy", "no-referrer");
            res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                                                      "form-action 'self'; frame-ancestors 'none'");
            res.set_content(body, "text/html; charset=utf-8");
        };
        if (!wordsLoaded) {
            res.status = 503;
            res.set_content("The indicators page is not available: its words (assets/i18n) are missing.\n",
                            "text/plain; charset=utf-8");
            return;
        }
        auto access = admins.check(req.get_header_value("Authorization"));
        if (access == AdminCheck::Busy) {
            res.set_header("Retry-After", "1");
            html(429, messagePage(words, words.get("central.indicators.busy_title"),
                                  words.get("central.indicators.busy_text")));
            return;
        }
        if (access != AdminCheck::Ok) {
            res.set_header("WWW-Authenticate", "Basic realm=\"Comptoir - indicateurs\", charset=\"UTF-8\"");
            html(401, messagePage(words, words.get("central.indicators.login_title"),
                                  words.get("central.indicators.login_text")));
            return;
        }
        QueryParams params;
        if (req.params.size() > kMaxIndicatorParams) {
            html(400, messagePage(words, words.get("central.indicators.refused_title"),
                                  words.get("central.indicators.problem.too_many")));
            return;
        }
        for (const auto& [name, value] : req.params) params.emplace_back(name, value);
        auto parsed = parsePageQuery(params, nowUtcIso8601().substr(0, 10));
        if (!parsed.problem.empty()) {
            html(400, messagePage(words, words.get("central.indicators.refused_title"),
                                  words.get("central.indicators.problem." + parsed.problem)));
            return;
        }
        html(200, indicatorsPage(computeReport(storage, parsed.query), words));
    }

    bool build() {
        // Kiosks are served whatever happens to the dashboard's words.
        std::string error;
        wordsLoaded = words.load(options.assetDir + "/i18n", "fr", error);
        if (!wordsLoaded)
            spdlog::warn("central: no indicators page: its words cannot be read from {}/i18n ({}); set "
                         "COMPTOIR_ASSETS",
                         options.assetDir, error);
        server = std::make_unique<GuardedServer>(options.limits, options.maxBodyBytes);
        if (!options.certFile.empty() || !options.keyFile.empty()) {
            if (!server->useTls(options.certFile, options.keyFile)) {
                spdlog::error("central: cannot load the certificate {} or key {}", options.certFile,
                              options.keyFile);
                return false;
            }
        } else if (!isLoopbackAddress(options.host)) {
            // Tokens and sealed contact details would cross the network in clear.
            spdlog::error(
                "central: plain HTTP on a loopback address only, not {}: give a certificate and key, "
                "or put nginx in front (docs/operations.md)",
                options.host);
            return false;
        }
        auto& s = *server;
        // Headers and body go in separate writes: without NODELAY, Nagle and the peer's delayed
        // ACK add ~40 ms to every answer.
        s.set_tcp_nodelay(true);
        s.setGate([this](const httplib::Request& req, httplib::Response& res) { return gate(req, res); });
        s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const StorageUnavailable& e) {
                spdlog::error("central: {}", e.what());
                res.set_header("Retry-After", "5");
                sendError(res, 503, "busy", "the server is busy, try again shortly");
                return;
            } catch (const store::DbError& e) {
                if (e.code() == 5 /* SQLITE_BUSY */ || e.code() == 6 /* SQLITE_LOCKED */) {
                    res.set_header("Retry-After", "5");
                    sendError(res, 503, "busy", "the server is busy, try again shortly");
                    return;
                }
                spdlog::error("central: database error: {}", e.what());
            } catch (const std::exception& e) {
                spdlog::error("central: {}", e.what());
            } catch (...) {
                spdlog::error("central: unknown error");
            }
            sendError(res, 500, "internal", "the server failed; the request can be retried");
        });
        s.Post(kPathEvents, [this](const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader) { onBatch(req, res, reader); });
        s.Get(kPathCatalogue,
              [this](const httplib::Request& req, httplib::Response& res) { onCatalogue(req, res); });
        s.Get(std::string(kPathMedia) + "([0-9a-zA-Z]+)",
              [this](const httplib::Request& req, httplib::Response& res) { onMedia(req, res); });
        s.Get(kPathIndicators, [this](const httplib::Request& req, httplib::Response& res) { onIndicators(req, res); });
        s.Get(kPathHealth, [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(nlohmann::json{{"status", "ok"},
                                           {"protocol", kProtocolVersion},
                                           {"catalogue_version", storage.catalogueVersion()}}
                                .dump(),
                            "application/json");
        });
        return true;
    }
};

CentralServer::CentralServer(CentralStorage& storage, ServerOptions options)
    : m_impl(std::make_unique<Impl>(storage, std::move(options))) {}

CentralServer::~CentralServer() {
    stop();
}

bool CentralServer::start() {
    if (!m_impl->build()) return false;
    m_port = m_impl->server->bindTo(m_impl->options.host, m_impl->options.port);
    if (m_port <= 0) return false;
    m_thread = std::thread([this] { (void)m_impl->server->listen_after_bind(); });
    // httplib's stop() does nothing before the accept loop runs, and the loop would then
    // never end: wait (bounded) until it runs.
    for (int i = 0; i < 10'000 && !m_impl->server->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return m_impl->server->is_running();
}

bool CentralServer::run() {
    if (!m_impl->build()) return false;
    m_port = m_impl->server->bindTo(m_impl->options.host, m_impl->options.port);
    if (m_port <= 0) return false;
    spdlog::info("central: serving {}", baseUrl());
    return m_impl->server->listen_after_bind();
}

void CentralServer::stop() {
    if (m_impl->server) m_impl->server->shutdown();
    if (m_thread.joinable()) m_thread.join();
}

std::string CentralServer::baseUrl() const {
    bool tls = !m_impl->options.certFile.empty();
    const auto& host = m_impl->options.host;
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(m_port);
}

} // namespace comptoir::sync::central
