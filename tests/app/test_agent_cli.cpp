// `comptoir-kiosk agent ...` on the machine, and the start-up rules of key custody: a connected
// kiosk never runs with a demo credential, nor without an agent.
#include "comptoir/store/agent_keys.hpp"
#include "comptoir/store/audit.hpp"
#include "comptoir/store/db.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

namespace {
std::string kiosk() {
    return test::binaryPath("kiosk/app/comptoir-kiosk");
}
std::string q(const std::string& s) {
    return "'" + s + "'";
}

struct Machine {
    test::TempDir dir;
    std::string cfg = dir.file("kiosk.toml");
    std::string connected = dir.file("connected.toml");
    Machine() {
        test::writeFile(cfg, "kiosk_id = \"angers-01\"\n");
        test::writeFile(connected,
                        "kiosk_id = \"angers-01\"\n[server]\nurl = \"https://comptoir.example.org\"\n");
    }
    /// `agent ...` with `input` on standard input (a pipe: each PIN is one line).
    int agent(const std::string& args, const std::string& input, std::string& out, bool online = false) {
        test::writeFile(dir.file("stdin"), input);
        return test::runCommand(kiosk() + " agent " + args + " --config " + q(online ? connected : cfg) +
                                    " --data-dir " + q(dir.file("data")) + " < " + q(dir.file("stdin")),
                                out);
    }
    int start(std::string& out, bool online) {
        return test::runCommand(kiosk() + " --config " + q(online ? connected : cfg) + " --data-dir " +
                                    q(dir.file("data")) + " --headless --screenshot " + q(dir.file("s.png")),
                                out);
    }
};
} // namespace

TEST_CASE("a connected kiosk needs its first agent, created on the machine; PINs never show") {
    Machine m;
    std::string out;
    CHECK(m.start(out, true) == 2);
    CHECK(out.find("has no agent yet") != std::string::npos);
    CHECK(out.find("comptoir-kiosk agent add NAME") != std::string::npos);

    CHECK(m.agent("add Marie", "12345678\n12345678\n", out, true) == 1);
    CHECK(out.find("too easy to guess") != std::string::npos);
    CHECK(m.agent("add Marie", "73910462\n73910463\n", out, true) == 1);
    CHECK(out.find("the two PINs differ") != std::string::npos);
    REQUIRE(m.agent("add Marie", "73910462\n73910462\n", out, true) == 0);
    CHECK(out.find("73910462") == std::string::npos);
    INFO(out);
    CHECK(m.start(out, true) == 0);

    // a second agent: an active agent's PIN opens the key, the newcomer types theirs twice
    CHECK(m.agent("add Paul", "11111111\n", out, true) == 1);
    CHECK(out.find("wrong PIN") != std::string::npos);
    REQUIRE(m.agent("add Paul", "73910462\n58203917\n58203917\n", out, true) == 0);
    // with two active agents, the command asks whose PIN it is
    REQUIRE(m.agent("add Zoé", "Paul\n58203917\n62930148\n62930148\n", out, true) == 0);
    REQUIRE(m.agent("disable Paul", "", out, true) == 0);
    REQUIRE(m.agent("list", "", out, true) == 0);
    CHECK(out.find("Marie\tactive") != std::string::npos);
    CHECK(out.find("Paul\tdisabled") != std::string::npos);
    REQUIRE(m.agent("enable Paul", "Zoé\n62930148\n40718253\n40718253\n", out, true) == 0);
    CHECK(m.agent("add Paul", "", out, true) == 1); // never two agents of one name

    auto db = store::Database::open(m.dir.file("data/comptoir.db"));
    CHECK(store::activeAgentCount(db) == 3);
    auto raw =
        test::readFile(m.dir.file("data/comptoir.db")) + test::readFile(m.dir.file("data/comptoir.db-wal"));
    for (const char* pin : {"73910462", "58203917", "62930148", "40718253"})
        CHECK(raw.find(pin) == std::string::npos);
    CHECK(store::queryInt(db, "SELECT COUNT(*) FROM audit WHERE action = 'login' AND outcome = 'refused'") ==
          1);
}

TEST_CASE("the offline demo gets the demo agent; the same database once connected is refused") {
    Machine m;
    std::string out;
    REQUIRE(m.start(out, false) == 0);
    CHECK(out.find("offline demo") != std::string::npos);
    {
        auto db = store::Database::open(m.dir.file("data/comptoir.db"));
        auto demo = store::findAgentByName(db, store::kDemoAgentName);
        REQUIRE(demo);
        CHECK(demo->demo);
    }
    CHECK(m.start(out, true) == 2);
    CHECK(out.find("made for the offline demo") != std::string::npos);
    // adding a real agent does not make the key secret again: it was wrapped under a public PIN
    REQUIRE(m.agent("add Marie", "24681357\n73910462\n73910462\n", out) == 0);
    CHECK(out.find("made for the offline demo") != std::string::npos);
    CHECK(m.start(out, true) == 2);
}

TEST_CASE("agent commands refuse bad usage with exit code 2") {
    Machine m;
    std::string out;
    CHECK(m.agent("", "", out) == 2);
    CHECK(m.agent("add", "", out) == 2);
    CHECK(m.agent("remove Marie", "", out) == 2);
    CHECK(m.agent("disable Nobody", "", out) == 1);
}
