#include "comptoir/sync/http_client.hpp"

#include "comptoir/sync/protocol.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <curl/curl.h>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace comptoir::sync {

namespace {

struct CurlDeleter {
    void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Not thread-safe in every libcurl build: done once, before any handle exists.
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
    });
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

bool iequalsPrefix(std::string_view line, std::string_view name) {
    if (line.size() < name.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i])))
            return false;
    return true;
}

std::optional<std::chrono::seconds> parseRetryAfter(const std::string& v) {
    if (v.empty()) return std::nullopt;
    if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (v.size() > 9) return std::chrono::seconds(86400);
        return std::chrono::seconds(std::stol(v));
    }
    time_t when = curl_getdate(v.c_str(), nullptr);
    if (when < 0) return std::nullopt;
    auto delta = when - std::time(nullptr);
    return std::chrono::seconds(delta > 0 ? delta : 0);
}

} // namespace

bool HttpResponse::retryable() const {
    if (transport == Transport::Failed) return true;
    if (transport == Transport::Cancelled) return false;
    return status == 408 || status == 429 || status >= 500;
}

std::string HttpResponse::describe() const {
    if (transport == Transport::Cancelled) return "cancelled";
    if (transport == Transport::Failed) return "network: " + transportError + " (" + curlErrorName(curlCode) + ")";
    auto err = parseError(body);
    std::string s = "HTTP " + std::to_string(status);
    if (!err.code.empty()) s += " " + err.code;
    if (!err.message.empty()) s += ": " + err.message;
    return s;
}

std::string curlErrorName(int code) { return curl_easy_strerror(static_cast<CURLcode>(code)); }

bool isTlsVerificationError(int code) {
    // Not CURLE_SSL_CONNECT_ERROR: a handshake cut by the network is worth another try, not an alarm.
    return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
           code == CURLE_SSL_ISSUER_ERROR || code == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

struct HttpClient::Impl {
    HttpOptions options;
    CurlPtr handle;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    HttpResponse* current = nullptr;
    bool tooLarge = false;

    static std::size_t onWrite(char* data, std::size_t size, std::size_t n, void* user) {
        auto* self = static_cast<Impl*>(user);
        std::size_t len = size * n;
        if (self->current->body.size() + len > self->options.maxResponseBytes) {
            self->tooLarge = true;
            return 0; // makes libcurl fail with CURLE_WRITE_ERROR
        }
        self->current->body.append(data, len);
        return len;
    }

    static std::size_t onHeader(char* data, std::size_t size, std::size_t n, void* user) {
        auto* self = static_cast<Impl*>(user);
        std::string_view line(data, size * n);
        auto value = [&](std::string_view name) { return trim(line.substr(name.size())); };
        if (iequalsPrefix(line, "HTTP/")) {
            // A new response (e.g. after a 100 Continue): forget the previous one's headers.
            self->current->retryAfter.reset();
            self->current->etag.clear();
        } else if (iequalsPrefix(line, "retry-after:")) {
            self->current->retryAfter = parseRetryAfter(value("retry-after:"));
        } else if (iequalsPrefix(line, "etag:")) {
            self->current->etag = value("etag:");
        } else if (iequalsPrefix(line, "content-type:")) {
            self->current->contentType = value("content-type:");
        }
        return size * n;
    }

    static int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        auto* self = static_cast<Impl*>(user);
        return self->options.cancel && self->options.cancel->load() ? 1 : 0;
    }

    void check(CURLcode rc, const char* what) const {
        if (rc != CURLE_OK) throw std::runtime_error(std::string("libcurl: cannot set ") + what + ": " + curl_easy_strerror(rc));
    }

    void configure() {
        CURL* h = handle.get();
        check(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
        check(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER");
        check(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http"), "PROTOCOLS_STR");
        check(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L), "FOLLOWLOCATION");
        // Verification is not configurable on purpose: a CA file may be added, never switched off.
        check(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L), "SSL_VERIFYPEER");
        check(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L), "SSL_VERIFYHOST");
        if (!options.caFile.empty()) check(curl_easy_setopt(h, CURLOPT_CAINFO, options.caFile.c_str()), "CAINFO");
        if (!options.proxy.empty()) check(curl_easy_setopt(h, CURLOPT_PROXY, options.proxy.c_str()), "PROXY");
        check(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connectTimeout.count())),
              "CONNECTTIMEOUT_MS");
        check(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.totalTimeout.count())), "TIMEOUT_MS");
        check(curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytesPerSecond), "LOW_SPEED_LIMIT");
        check(curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.lowSpeedTime.count())),
              "LOW_SPEED_TIME");
        check(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.maxResponseBytes)),
              "MAXFILESIZE_LARGE");
        check(curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L), "TCP_KEEPALIVE");
        // gzip only: cheap for the server to produce; brotli at httplib's setting costs seconds on a catalogue.
        check(curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip"), "ACCEPT_ENCODING");
        check(curl_easy_setopt(h, CURLOPT_USERAGENT, "comptoir-sync/1"), "USERAGENT");
        check(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Impl::onWrite), "WRITEFUNCTION");
        check(curl_easy_setopt(h, CURLOPT_WRITEDATA, this), "WRITEDATA");
        check(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &Impl::onHeader), "HEADERFUNCTION");
        check(curl_easy_setopt(h, CURLOPT_HEADERDATA, this), "HEADERDATA");
        check(curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &Impl::onProgress), "XFERINFOFUNCTION");
        check(curl_easy_setopt(h, CURLOPT_XFERINFODATA, this), "XFERINFODATA");
        check(curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L), "NOPROGRESS");
    }

    HttpResponse perform(std::string_view path, const std::vector<std::string>& extra, const std::string* postBody) {
        HttpResponse r;
        if (options.cancel && options.cancel->load()) {
            r.transport = HttpResponse::Transport::Cancelled;
            return r;
        }
        CURL* h = handle.get();
        std::string base = options.baseUrl;
        while (!base.empty() && base.back() == '/') base.pop_back();
        std::string url = base + std::string(path);
        curl_slist* raw = nullptr;
        auto add = [&](const std::string& header) {
            curl_slist* next = curl_slist_append(raw, header.c_str());
            if (!next) throw std::bad_alloc();
            raw = next;
        };
        SlistPtr guard;
        add("Accept: application/json");
        add("Expect:"); // no 100-continue round trip before each batch
        if (!options.token.empty()) add("Authorization: Bearer " + options.token);
        if (postBody) {
            add("Content-Type: application/json");
            add("Content-Encoding: gzip");
        }
        for (const auto& x : extra) add(x);
        guard.reset(raw);
        check(curl_easy_setopt(h, CURLOPT_URL, url.c_str()), "URL");
        check(curl_easy_setopt(h, CURLOPT_HTTPHEADER, raw), "HTTPHEADER");
        if (postBody) {
            check(curl_easy_setopt(h, CURLOPT_POST, 1L), "POST");
            check(curl_easy_setopt(h, CURLOPT_POSTFIELDS, postBody->data()), "POSTFIELDS");
            check(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(postBody->size())),
                  "POSTFIELDSIZE_LARGE");
        } else {
            check(curl_easy_setopt(h, CURLOPT_HTTPGET, 1L), "HTTPGET");
        }
        errorBuffer[0] = '\0';
        tooLarge = false;
        current = &r;
        CURLcode rc = curl_easy_perform(h);
        current = nullptr;
        // The header list dies with this call: make sure the handle no longer points at it.
        check(curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr), "HTTPHEADER");
        if (rc == CURLE_OK) {
            r.transport = HttpResponse::Transport::Ok;
            if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status) != CURLE_OK) r.status = 0;
            return r;
        }
        r.transport = rc == CURLE_ABORTED_BY_CALLBACK ? HttpResponse::Transport::Cancelled : HttpResponse::Transport::Failed;
        r.curlCode = static_cast<int>(rc);
        r.transportError = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
        if (tooLarge) r.transportError = "response larger than " + std::to_string(options.maxResponseBytes) + " bytes";
        r.body.clear();
        return r;
    }
};

HttpClient::HttpClient(HttpOptions options) : m_impl(std::make_unique<Impl>()) {
    globalInit();
    m_impl->options = std::move(options);
    m_impl->handle.reset(curl_easy_init());
    if (!m_impl->handle) throw std::runtime_error("curl_easy_init failed");
    m_impl->configure();
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(std::string_view path, const std::vector<std::string>& headers) {
    return m_impl->perform(path, headers, nullptr);
}

HttpResponse HttpClient::postJson(std::string_view path, std::string_view json) {
    std::string body = gzipCompress(json);
    return m_impl->perform(path, {}, &body);
}

const HttpOptions& HttpClient::options() const { return m_impl->options; }

std::optional<std::string> readTokenFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::string line;
    std::getline(in, line);
    std::string token = trim(line);
    if (token.empty()) return std::nullopt;
    return token;
}

} // namespace comptoir::sync
