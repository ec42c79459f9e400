#include "comptoir/domain/config.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

TEST_CASE("the documented example configuration is valid") {
    auto r = parseConfig(test::readFile(test::sourcePath("config/kiosk.toml")));
    INFO((r.error ? r.error->describe("config/kiosk.toml") : ""));
    REQUIRE(r.config);
    CHECK(r.config->kioskId == "angers-centre-01");
    CHECK(r.config->idleSeconds == 90);
    CHECK(r.config->agentIdleSeconds == 180);
    CHECK(r.config->languages.front() == "fr");
}

TEST_CASE("an empty configuration gives the built-in defaults") {
    auto r = parseConfig("");
    REQUIRE(r.config);
    CHECK(r.config->idleSeconds == 90);
    CHECK(r.config->retentionDays == 365);
    CHECK(r.config->agentIdleSeconds == 180);
    auto agent = parseConfig("[agent]\nidle_seconds = 600\n");
    REQUIRE(agent.config);
    CHECK(agent.config->agentIdleSeconds == 600);
}

TEST_CASE("configuration errors name the key and the line") {
    struct Case {
        const char* text;
        const char* key;
        int line;
        const char* message;
    };
    const Case cases[] = {
        {"kiosk_id = \"a\"\nkiosk_colour = \"red\"\n", "kiosk_colour", 2, "unknown key"},
        {"[visitor]\nidle_seconds = \"90\"\n", "visitor.idle_seconds", 2, "must be a whole number"},
        {"[visitor]\n\nidle_seconds = 5\n", "visitor.idle_seconds", 3, "must be between 15 and 3600"},
        {"[display]\nscale = 9.0\n", "display.scale", 2, "must be between"},
        {"[display]\nfullscreen = \"yes\"\n", "display.fullscreen", 2, "must be true or false"},
        {"[screen]\nwidth = 3\n", "screen", 1, "unknown section"},
        {"kiosk_id = \"Kiosk 1!\"\n", "kiosk_id", 1, "must be 1 to 64 characters"},
        {"[server]\nurl = \"http://example.org\"\n", "server.url", 2, "must start with https://"},
        {"[visitor]\nlanguages = [\"en\", \"fr\"]\n", "visitor.languages", 2, "must start with \"fr\""},
        {"[agent]\nidle_seconds = 10\n", "agent.idle_seconds", 2, "must be between 30 and 3600"},
        {"[agent]\nidle_seconds = true\n", "agent.idle_seconds", 2, "must be a whole number"},
        {"[privacy]\nretention_days = 0\n", "privacy.retention_days", 2, "must be between 1 and 1095"},
        {"[display]\nnight = \"20:00\"\n", "display.night", 2, "such as \"20:00-07:30\""},
        {"[display]\nnight = \"24:00-07:00\"\n", "display.night", 2, "24-hour clock"},
        {"[display]\nnight = \"8:00-19:00\"\n", "display.night", 2, "24-hour clock"},
        {"[display]\nnight = \"07:30-07:30\"\n", "display.night", 2, "two different times"},
        {"[display]\nnight = 20\n", "display.night", 2, "two different times"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto r = parseConfig(c.text);
        REQUIRE(r.error);
        CHECK_FALSE(r.config);
        CHECK(r.error->key == c.key);
        CHECK(r.error->line == c.line);
        CHECK(r.error->message.find(c.message) != std::string::npos);
    }
}

TEST_CASE("a TOML syntax error reports its line") {
    auto r = parseConfig("kiosk_id = \"a\"\nsite_name = \n");
    REQUIRE(r.error);
    CHECK(r.error->line == 2);
    CHECK(r.error->describe("k.toml").rfind("k.toml:2: ", 0) == 0);
}

TEST_CASE("relative database paths resolve against the data folder, --data-dir wins") {
    auto r = parseConfig("data_dir = \"/var/lib/comptoir\"\ndatabase = \"kiosk.db\"\n");
    REQUIRE(r.config);
    KioskConfig c = *r.config;
    resolvePaths(c, "");
    CHECK(c.databasePath == "/var/lib/comptoir/kiosk.db");
    KioskConfig d = *r.config;
    resolvePaths(d, "/tmp/other");
    CHECK(d.databasePath == "/tmp/other/kiosk.db");
    auto abs = parseConfig("database = \"/srv/x.db\"\n");
    KioskConfig e = *abs.config;
    resolvePaths(e, "/tmp/other");
    CHECK(e.databasePath == "/srv/x.db");
}

TEST_CASE("plain http is accepted only to the loopback itself") {
    for (const char* ok : {"https://comptoir.example.org", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api",
                           "http://localhost", "http://[::1]:9000/"})
        CHECK(isAcceptableServerUrl(ok));
    for (const char* bad : {"http://127.0.0.1.evil.example/", "http://localhost@evil.example/", "http://localhostevil.example",
                            "http://127.0.0.1:80x", "http://example.org", "ftp://127.0.0.1", "https://", "127.0.0.1"})
        CHECK_FALSE(isAcceptableServerUrl(bad));
    auto r = parseConfig("[server]\nurl = \"http://localhost@evil.example/\"\n");
    REQUIRE(r.error);
    CHECK(r.error->key == "server.url");
}

TEST_CASE("[agent] export_dir: where indicators and privacy exports go, resolved against the data folder") {
    auto r = parseConfig(test::readFile(test::sourcePath("config/kiosk.toml")));
    REQUIRE(r.config);
    auto c = *r.config;
    resolvePaths(c, "/srv/comptoir");
    CHECK(c.exportDir == "/srv/comptoir/exports");
    auto usb = parseConfig("[agent]\nexport_dir = \"/media/comptoir/CLE\"\n");
    REQUIRE(usb.config);
    resolvePaths(*usb.config, "/srv/comptoir");
    CHECK(usb.config->exportDir == "/media/comptoir/CLE");
    auto empty = parseConfig("");
    REQUIRE(empty.config);
    resolvePaths(*empty.config, "/srv/comptoir");
    CHECK(empty.config->exportDir == "/srv/comptoir/exports");
    auto wrong = parseConfig("[agent]\nexport_dir = 3\n");
    REQUIRE(wrong.error);
    CHECK(wrong.error->key == "agent.export_dir");
}

TEST_CASE("[privacy] office_public_key: a usable 32-byte key in base64, anything else refused at start") {
    // The X25519 base point (9): a valid public key nobody's secret is needed to write.
    const std::string good = "CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    auto r = parseConfig("[privacy]\noffice_public_key = \"" + good + "\"\n");
    REQUIRE(r.config);
    CHECK(r.config->officePublicKey == good);
    CHECK(decodePublicKey(good));
    auto none = parseConfig("[privacy]\noffice_public_key = \"\"\n");
    REQUIRE(none.config);
    CHECK(none.config->officePublicKey.empty());

    for (const std::string& bad : {
             std::string("CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),  // 31 bytes
             std::string("CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),  // 33 bytes
             std::string("CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*="),  // not base64
             std::string("CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "), // trailing junk
             std::string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),  // all zeros: a low-order point
             std::string(100'000, 'A'),
         }) {
        auto b = parseConfig("[privacy]\noffice_public_key = \"" + bad + "\"\n");
        INFO(bad.substr(0, 60));
        CHECK_FALSE(b.config);
        REQUIRE(b.error);
        CHECK(b.error->key == "privacy.office_public_key");
        CHECK_THAT(b.error->message, Catch::Contains("office-key init"));
        CHECK_FALSE(decodePublicKey(bad));
    }
    auto number = parseConfig("[privacy]\noffice_public_key = 42\n");
    REQUIRE(number.error);
    CHECK(number.error->key == "privacy.office_public_key");
}

TEST_CASE("night hours (display.night) may run past midnight, the start in, the end out") {
    auto r = parseConfig("[display]\nnight = \"20:00-07:30\"\n");
    REQUIRE(r.config);
    const NightSchedule n = r.config->night;
    REQUIRE(n.set());
    CHECK_FALSE(n.contains(19 * 60 + 59));
    CHECK(n.contains(20 * 60));
    CHECK(n.contains(0));
    CHECK(n.contains(7 * 60 + 29));
    CHECK_FALSE(n.contains(7 * 60 + 30));
    CHECK(n.minutesUntilChange(19 * 60 + 59) == 1);
    CHECK(n.minutesUntilChange(20 * 60) == 11 * 60 + 30);
    CHECK(n.minutesUntilChange(7 * 60 + 30) == 12 * 60 + 30);
    auto day = parseNightSchedule("12:00-14:00"); // a midday closing works the same way
    REQUIRE(day);
    CHECK(day->contains(13 * 60));
    CHECK_FALSE(day->contains(14 * 60));
    CHECK_FALSE(parseConfig("").config->night.set()); // no night unless configured
    CHECK_FALSE(parseNightSchedule("")->set());
    CHECK(parseClockTime("23:59") == 23 * 60 + 59);
    CHECK_FALSE(parseClockTime("23:60"));
}
