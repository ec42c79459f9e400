#pragma once
/// @brief A small HTTPS client over libcurl for the sync: one handle, reused between requests
/// (connection reuse), TLS verification always on, timeouts, proxy, cancellation.
/// curl.h stays out of this header. One HttpClient belongs to one thread.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::sync {

struct HttpOptions {
    std::string baseUrl;   ///< e.g. "https://comptoir.example.org" (no trailing slash needed)
    std::string token;     ///< bearer token; never logged
    std::string caFile;    ///< extra CA bundle (PEM) to trust; empty: the system's CAs
    std::string proxy;     ///< empty: libcurl reads http(s)_proxy / no_proxy from the environment
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds totalTimeout{120'000}; ///< overall deadline of one request
    long lowSpeedBytesPerSecond = 64;                 ///< abort when slower than this…
    std::chrono::seconds lowSpeedTime{30};            ///< …for this long
    std::size_t maxResponseBytes = std::size_t{256} << 20;
    /// Checked during transfers: when it becomes true the request stops promptly (Cancelled).
    const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
    enum class Transport { Ok, Failed, Cancelled };
    Transport transport = Transport::Failed;
    int curlCode = 0;         ///< CURLcode when the transport failed
    std::string transportError; ///< libcurl's words for it
    long status = 0;          ///< HTTP status when the transport succeeded
    std::string body;         ///< decoded (Content-Encoding undone by libcurl)
    std::optional<std::chrono::seconds> retryAfter; ///< from Retry-After (seconds or HTTP date)
    std::string etag;
    std::string contentType;

    [[nodiscard]] bool ok() const { return transport == Transport::Ok; }
    /// Transport failed, or the server says "later" (408, 429, 5xx): worth retrying.
    [[nodiscard]] bool retryable() const;
    /// One line for logs and the status: no token, no body beyond a short excerpt.
    [[nodiscard]] std::string describe() const;
};

/// libcurl's name for a CURLcode-like number, for messages.
[[nodiscard]] std::string curlErrorName(int code);
/// True when `code` means the TLS peer could not be verified (certificate, CA, host name); a
/// handshake cut by the network (CURLE_SSL_CONNECT_ERROR) is not one.
[[nodiscard]] bool isTlsVerificationError(int code);

class HttpClient {
  public:
    explicit HttpClient(HttpOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// GET baseUrl + path (path includes any query string). Extra headers as "Name: value".
    [[nodiscard]] HttpResponse get(std::string_view path, const std::vector<std::string>& headers = {});
    /// POST a JSON body, gzip-compressed (Content-Encoding: gzip).
    [[nodiscard]] HttpResponse postJson(std::string_view path, std::string_view json);

    [[nodiscard]] const HttpOptions& options() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Reads a token file: first line, surrounding whitespace removed; nullopt when unreadable or empty.
[[nodiscard]] std::optional<std::string> readTokenFile(const std::string& path);

} // namespace comptoir::sync
