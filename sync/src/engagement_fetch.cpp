// Fetching `GET /v0/mission` page by page with the CCAS's API key, through the same libcurl
// client as the sync (TLS always verified, timeouts, size caps); the number of pages is bounded
// whatever `total` the answers claim, and never stopped early by it.
#include "comptoir/domain/untrusted_json.hpp"
#include "comptoir/sync/catalogue_import.hpp"
#include "comptoir/sync/http_client.hpp"

#include <nlohmann/json.hpp>

namespace comptoir::sync::central {

namespace {

/// The host of an http:// address, brackets of an IPv6 literal removed.
std::string hostOf(const std::string& url) {
    auto rest = url.substr(url.find("://") + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (!rest.empty() && rest.front() == '[') return rest.substr(1, rest.find(']') - 1);
    return rest.substr(0, rest.rfind(':'));
}

} // namespace

std::vector<std::string> fetchEngagementPages(const EngagementFetchOptions& options) {
    bool https = options.baseUrl.rfind("https://", 0) == 0;
    bool http = options.baseUrl.rfind("http://", 0) == 0;
    // The API key would cross the network in clear: plain HTTP only to a test server on loopback.
    if (!https && !(http && isLoopbackAddress(hostOf(options.baseUrl))))
        throw CatalogueImportRefused(
            "the API address must start with https:// (plain http only on 127.0.0.1)");
    if (options.apiKey.empty()) throw CatalogueImportRefused("the API key is empty");
    if (options.apiKey.find_first_of("\r\n") != std::string::npos)
        throw CatalogueImportRefused("the API key holds a line break");
    if (options.pageSize == 0 || options.pageSize > 10'000)
        throw CatalogueImportRefused("the page size must be from 1 to 10,000 (the API's own limit)");

    HttpOptions h;
    h.baseUrl = options.baseUrl;
    h.caFile = options.caFile;
    h.connectTimeout = options.connectTimeout;
    h.totalTimeout = options.pageTimeout;
    h.maxResponseBytes = options.maxPageBytes;
    HttpClient client(h);
    std::vector<std::string> pages;
    std::size_t skip = 0;
    for (std::size_t page = 0;; ++page) {
        if (page >= options.maxPages)
            throw CatalogueImportRefused("more than " + std::to_string(options.maxPages) + " pages of " +
                                         std::to_string(options.pageSize) +
                                         " missions: narrow the search (--api-query)");
        std::string path =
            "/v0/mission?limit=" + std::to_string(options.pageSize) + "&skip=" + std::to_string(skip);
        if (!options.query.empty()) path += "&" + options.query;
        auto r = client.get(path, {"x-api-key: " + options.apiKey});
        if (!r.ok())
            throw CatalogueImportRefused(
                "page " + std::to_string(page + 1) + ": " + r.describe() +
                (isTlsVerificationError(r.curlCode) ? " (the server's certificate is not trusted)" : ""));
        if (r.status == 401 || r.status == 403)
            throw CatalogueImportRefused("the API refused the key (HTTP " + std::to_string(r.status) + ")");
        if (r.status != 200)
            throw CatalogueImportRefused("page " + std::to_string(page + 1) + ": HTTP " +
                                         std::to_string(r.status));
        // Only the paging fields are read here; the missions are checked by mapEngagementDocuments.
        auto parsed = parseUntrustedJson(r.body);
        if (!parsed.ok() || !parsed.value.is_object())
            throw CatalogueImportRefused("page " + std::to_string(page + 1) + " is not a JSON object");
        auto data = parsed.value.find("data");
        if (data == parsed.value.end() || !data->is_array())
            throw CatalogueImportRefused("page " + std::to_string(page + 1) + " has no 'data' list");
        std::size_t got = data->size();
        pages.push_back(std::move(r.body));
        skip += got;
        // A short page is the last one. `total` is not trusted to stop earlier: a wrong one
        // would close every mission of the pages not fetched.
        if (got < options.pageSize) break;
    }
    return pages;
}

} // namespace comptoir::sync::central
