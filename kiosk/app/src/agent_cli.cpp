#include "comptoir/app/agent_cli.hpp"

#include "comptoir/app/startup.hpp"
#include "comptoir/store/agent_keys.hpp"

#include <chrono>
#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace comptoir::app {

const char* agentUsage() {
    return "usage: comptoir-kiosk agent add NAME     [--config FILE] [--data-dir DIR]\n"
           "       comptoir-kiosk agent enable NAME  [--config FILE] [--data-dir DIR]\n"
           "       comptoir-kiosk agent disable NAME [--config FILE] [--data-dir DIR]\n"
           "       comptoir-kiosk agent list         [--config FILE] [--data-dir DIR]\n"
           "  add      creates an agent (the first one creates this kiosk's key); later agents need an\n"
           "           active agent's PIN. PINs: 8 digits or more, typed twice, never echoed.\n"
           "  enable   gives a disabled agent a new PIN (needs an active agent's PIN)\n"
           "  disable  the agent's PIN opens nothing any more; agents are never deleted\n";
}

namespace {

/// One secret line: typed with echo off on a terminal, else the next line of `in`.
bool readSecret(std::istream& in, std::ostream& err, const std::string& prompt, std::string& out) {
    err << prompt << std::flush;
    bool tty = &in == &std::cin && isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    } else {
        tty = false;
    }
    bool got = static_cast<bool>(std::getline(in, out));
    if (tty) (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    err << "\n";
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return got;
}

bool readLine(std::istream& in, std::ostream& err, const std::string& prompt, std::string& out) {
    err << prompt << std::flush;
    if (!std::getline(in, out)) return false;
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return true;
}

std::string pinAdvice(store::PinProblem p) {
    switch (p) {
    case store::PinProblem::None:
        return {};
    case store::PinProblem::TooShort:
        return "the PIN needs at least 8 digits";
    case store::PinProblem::TooLong:
        return "the PIN has at most 32 digits";
    case store::PinProblem::NotDigits:
        return "the PIN has digits only";
    case store::PinProblem::Trivial:
        return "this PIN is too easy to guess (repeated or sequential digits)";
    }
    return {};
}

/// A new PIN typed twice; false (with the reason on `err`) when refused or different.
bool readNewPin(std::istream& in, std::ostream& err, const std::string& who, std::string& pin) {
    std::string again;
    if (!readSecret(in, err, "New PIN for " + who + " (8 digits or more): ", pin)) return false;
    if (auto advice = pinAdvice(store::checkAgentPin(pin)); !advice.empty()) {
        err << "refused: " << advice << "\n";
        store::wipe(pin);
        return false;
    }
    if (!readSecret(in, err, "Type it again: ", again)) return false;
    bool same = again == pin;
    store::wipe(again);
    if (!same) {
        err << "refused: the two PINs differ\n";
        store::wipe(pin);
    }
    return same;
}

std::int64_t nowUnix() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Unlocked {
    std::string agentId;
    store::SecretKey key;
};

/// An active agent unlocks the key: by name when several are active.
std::optional<Unlocked> unlockByAgent(store::Database& db, std::istream& in, std::ostream& err) {
    std::vector<store::AgentInfo> active;
    for (auto& a : store::listAgents(db))
        if (a.active) active.push_back(a);
    if (active.empty()) {
        err << "refused: no active agent holds this kiosk's key\n";
        return std::nullopt;
    }
    const store::AgentInfo* by = &active.front();
    if (active.size() > 1) {
        std::string name;
        if (!readLine(in, err, "Name of an active agent: ", name)) return std::nullopt;
        by = nullptr;
        auto named = store::findAgentByName(db, name);
        for (const auto& a : active)
            if (named && named->id == a.id) by = &a;
        if (!by) {
            err << "refused: no active agent by that name\n";
            return std::nullopt;
        }
    }
    std::string pin;
    if (!readSecret(in, err, "PIN of " + by->name + ": ", pin)) return std::nullopt;
    auto r = store::login(db, by->id, pin, nowUnix());
    store::wipe(pin);
    switch (r.outcome) {
    case store::LoginResult::Outcome::Ok:
        return Unlocked{by->id, std::move(*r.key)};
    case store::LoginResult::Outcome::Locked:
        err << "refused: too many wrong PINs, try again after " << (r.lock.lockedUntil - nowUnix()) << " s\n";
        return std::nullopt;
    default:
        err << "refused: wrong PIN\n";
        return std::nullopt;
    }
}

int add(store::Database& db, const std::string& name, std::istream& in, std::ostream& out,
        std::ostream& err) {
    std::string pin;
    if (!store::Keyring::exists(db)) {
        if (!readNewPin(in, err, name, pin)) return 1;
        auto a = store::createFirstAgent(db, name, pin, store::PinCost::agent());
        store::wipe(pin);
        out << "agent " << a.name << " created: this kiosk's key is now held by their PIN\n";
        return 0;
    }
    if (store::Keyring::hasLegacyWrap(db) && store::activeAgentCount(db) == 0) {
        // A database of the previous version: one shared PIN. Asked once, then it opens nothing.
        std::string old;
        if (!readSecret(in, err, "PIN of the previous version (shared by the agents): ", old)) return 1;
        if (!readNewPin(in, err, name, pin)) return 1;
        auto a = store::migrateLegacyKeyring(db, old, name, pin, store::PinCost::agent());
        store::wipe(old);
        store::wipe(pin);
        out << "agent " << a.name
            << " created; the shared PIN of the previous version opens nothing any more\n";
        return 0;
    }
    if (store::findAgentByName(db, name)) {
        err << "refused: an agent named " << name
            << " already exists (agents are never deleted; enable them)\n";
        return 1;
    }
    auto unlocked = unlockByAgent(db, in, err);
    if (!unlocked) return 1;
    if (!readNewPin(in, err, name, pin)) return 1;
    auto a = store::addAgent(db, unlocked->key, unlocked->agentId, name, pin, store::PinCost::agent());
    store::wipe(pin);
    out << "agent " << a.name << " added\n";
    if (store::keyringIsDemo(db))
        err << "warning: this database's key was made for the offline demo, under a public PIN; real "
               "visitors' "
               "data belongs in a fresh data folder\n";
    return 0;
}

int enable(store::Database& db, const store::AgentInfo& agent, std::istream& in, std::ostream& out,
           std::ostream& err) {
    if (agent.active) {
        err << "refused: " << agent.name << " is already active\n";
        return 1;
    }
    auto unlocked = unlockByAgent(db, in, err);
    if (!unlocked) return 1;
    std::string pin;
    if (!readNewPin(in, err, agent.name, pin)) return 1;
    store::enableAgent(db, unlocked->key, unlocked->agentId, agent.id, pin, store::PinCost::agent());
    store::wipe(pin);
    out << "agent " << agent.name << " enabled with a new PIN\n";
    return 0;
}

} // namespace

int runAgentCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                    std::ostream& err) {
    Options options;
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "--config" || args[i] == "--data-dir") && i + 1 < args.size()) {
            (args[i] == "--config" ? options.configFile : options.dataDir) = args[i + 1];
            ++i;
        } else if (args[i] == "--help" || args[i] == "-h") {
            out << agentUsage();
            return 0;
        } else {
            words.push_back(args[i]);
        }
    }
    bool named = !words.empty() && (words[0] == "add" || words[0] == "enable" || words[0] == "disable");
    if (words.empty() || (named && words.size() != 2) ||
        (!named && (words[0] != "list" || words.size() != 1))) {
        err << agentUsage();
        return kExitConfig;
    }
    setupLogging();
    auto config = loadConfiguration(options);
    if (!config) return kExitConfig;
    try {
        auto opened = openDatabase(*config);
        auto& db = opened.db;
        const std::string& cmd = words[0];
        if (cmd == "list") {
            for (const auto& a : store::listAgents(db))
                out << a.name << "\t" << (a.active ? "active" : "disabled") << (a.demo ? "\tdemo" : "")
                    << "\n";
            return 0;
        }
        if (cmd == "add") return add(db, words[1], in, out, err);
        auto agent = store::findAgentByName(db, words[1]);
        if (!agent) {
            err << "refused: no agent named " << words[1] << "\n";
            return 1;
        }
        if (cmd == "enable") return enable(db, *agent, in, out, err);
        store::disableAgent(db, std::nullopt, agent->id);
        out << "agent " << agent->name << " disabled: their PIN opens nothing any more\n";
        return 0;
    } catch (const store::AgentError& e) {
        err << "refused: " << e.what() << "\n";
        return 1;
    }
}

} // namespace comptoir::app
