// comptoir-central's admin commands, run as an operator would: tokens, the database path.
#include "sync_fixture.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace comptoir;
using namespace comptoir::test;

namespace {
std::string central() {
    return binaryPath("sync/comptoir-central");
}
std::string q(const std::string& s) {
    return "'" + s + "'";
}
int admin(const std::string& args, std::string& out) {
    return runCommand(central() + " " + args, out);
}
} // namespace

TEST_CASE("a mistyped --db is refused instead of creating an empty database; --create makes a new one") {
    TempDir dir;
    std::string out;
    CHECK(admin("stats --db " + q(dir.file("centrall.db")), out) == 2);
    CHECK_THAT(out, Catch::Contains("does not exist") && Catch::Contains("--create"));
    CHECK_FALSE(std::filesystem::exists(dir.file("centrall.db")));

    CHECK(admin("token create --create --db " + q(dir.file("central.db")) + " --kiosk angers-centre-01",
                out) == 0);
    CHECK(std::filesystem::exists(dir.file("central.db")));
    CHECK(admin("stats --db " + q(dir.file("central.db")), out) == 0);
}

TEST_CASE("token create accepts only kiosk ids the kiosk's configuration accepts") {
    TempDir dir;
    std::string db = " --create --db " + q(dir.file("central.db"));
    std::string out;
    for (const std::string& bad : {std::string("kiosk a"), std::string("kiosk\nb"), std::string(100'000, 'k'),
                                   std::string("Kiosk-A"), std::string("kiosk;rm")}) {
        CHECK(admin("token create" + db + " --kiosk " + q(bad), out) == 2);
        CHECK_THAT(out, Catch::Contains("a-z, 0-9"));
    }
    CHECK(admin("token list" + db, out) == 0);
    CHECK(out.find("kiosk") == out.find("kiosk_id")); // the header only
    CHECK(admin("token create" + db + " --kiosk angers_centre-01", out) == 0);
    // The storage refuses them too, whoever calls it.
    auto storage = sync::central::openSqliteStorage(dir.file("central.db"));
    CHECK_THROWS_AS(storage->createKioskToken("kiosk a"), std::invalid_argument);
}

TEST_CASE("token list shows kiosks and token ids, never a token; revoke refuses the token at once") {
    TempDir dir;
    const auto backend = CENTRAL_BACKEND();
    INFO("storage: " << backendName(backend));
    Central server(dir, backend, "kiosk-a");
    std::string db = " --db " + q(server.db);
    std::string out;
    REQUIRE(admin("token create" + db + " --kiosk kiosk-b", out) == 0);
    std::string tokenB = out.substr(0, out.find('\n'));

    REQUIRE(admin("token list" + db, out) == 0);
    CHECK_THAT(out, Catch::Contains("kiosk-a") && Catch::Contains("kiosk-b"));
    CHECK(out.find(server.token) == std::string::npos);
    CHECK(out.find(tokenB) == std::string::npos);
    CHECK(out.find(sync::sha256Hex(tokenB).substr(0, 12)) != std::string::npos);

    // Kiosk A pushes, its token is revoked while the server runs, its next push is refused (401).
    KioskDb kiosk(dir.file("kiosk.db"), "kiosk-a");
    (void)kiosk.registerInterest();
    sync::HttpClient http(httpFor(server.server.baseUrl(), server.token));
    REQUIRE(sync::pushPending(kiosk.db, http, pushOptions("kiosk-a")).accepted == 1);
    REQUIRE(admin("token revoke" + db + " --kiosk kiosk-a", out) == 0);
    (void)kiosk.registerInterest();
    auto refused = sync::pushPending(kiosk.db, http, pushOptions("kiosk-a"));
    CHECK(refused.outcome == sync::Outcome::Refused);
    CHECK_THAT(refused.lastError, Catch::Contains("401"));
    CHECK(store::pendingCount(kiosk.db) == 1);

    REQUIRE(admin("token list" + db, out) == 0);
    auto lineA = out.substr(out.find("kiosk-a"));
    lineA = lineA.substr(0, lineA.find('\n'));
    CHECK(lineA.substr(lineA.rfind('\t') + 1) != "-");
    CHECK(admin("token revoke" + db + " --kiosk kiosk-a", out) == 1); // nothing left to revoke

    // A new token brings the kiosk back; the other kiosk was never affected.
    REQUIRE(admin("token create" + db + " --kiosk kiosk-a", out) == 0);
    sync::HttpClient renewed(httpFor(server.server.baseUrl(), out.substr(0, out.find('\n'))));
    CHECK(sync::pushPending(kiosk.db, renewed, pushOptions("kiosk-a")).accepted == 1);
    CHECK(server.storage->kioskForToken(tokenB) == std::optional<std::string>("kiosk-b"));
}
