#pragma once
/// @brief Agents and key custody: who may open the visitors' sealed contact details.
///
/// The kiosk's secret key exists at rest only wrapped, once per agent, under that agent's PIN
/// (Argon2id, PinCost::agent()). There is no PIN hash: a PIN is right when its wrap opens. The
/// PIN pad locks for five minutes after five wrong PINs in a row; the count and the lock are in
/// the database, so a restart does not reset them. Every attempt and every change is a line in
/// the audit trail (agent ids only). Agents are never deleted, only disabled.

#include "comptoir/store/db.hpp"
#include "comptoir/store/sealing.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::store {

// [SECTION] PIN policy

enum class PinProblem { None, TooShort, TooLong, NotDigits, Trivial };
inline constexpr std::size_t kMinPinDigits = 8;
inline constexpr std::size_t kMaxPinDigits = 32;
/// 8 to 32 digits, and not guessable at first sight: one repeated digit or pattern (00000000,
/// 12121212, 12341234), a run with a constant step (12345678, 87654321, 13579135), or fewer
/// than three different digits.
[[nodiscard]] PinProblem checkAgentPin(std::string_view pin);

/// The offline demo's agent and PIN, printed in the README: they protect nothing, so a kiosk
/// configured with a server refuses a keyring that was ever wrapped under them.
inline constexpr std::string_view kDemoAgentName = "Démo";
inline constexpr std::string_view kDemoAgentPin = "24681357";
/// The single shared PIN the previous version used for its offline demo.
inline constexpr std::string_view kLegacyDemoPin = "246810";

// [SECTION] agents

struct AgentInfo {
    std::string id;
    std::string name;
    bool active = true;
    bool demo = false;
    std::string createdAt;
};

/// Every agent, active first, then by name.
[[nodiscard]] std::vector<AgentInfo> listAgents(const Database& db);
[[nodiscard]] std::optional<AgentInfo> findAgentByName(const Database& db, std::string_view name);
[[nodiscard]] std::optional<AgentInfo> findAgent(const Database& db, std::string_view id);
[[nodiscard]] std::int64_t activeAgentCount(const Database& db);

/// Why an agent cannot be added.
struct AgentError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Creates the kiosk's key pair and its first agent in one transaction. Throws AgentError when a
/// keyring exists, the name is empty/too long, or (when `checkPolicy`) the PIN is refused.
AgentInfo createFirstAgent(Database& db, std::string_view name, std::string_view pin, PinCost cost,
                           bool demo = false, bool checkPolicy = true);
/// Wraps the unlocked `sk` for a new agent. `by` is the agent who did it (audit).
AgentInfo addAgent(Database& db, const SecretKey& sk, const std::optional<std::string>& by,
                   std::string_view name, std::string_view pin, PinCost cost);
/// Moves a previous version's single shared-PIN wrap to a first agent and deletes the old wrap,
/// in one transaction. The old PIN must open it; a database made with the old demo PIN stays
/// marked demo. Throws AgentError when the old PIN is wrong or there is no old wrap.
AgentInfo migrateLegacyKeyring(Database& db, std::string_view oldPin, std::string_view name,
                               std::string_view pin, PinCost cost);
/// Disables an agent: their wrap of the key is deleted, so their PIN opens nothing, even on a
/// copy of the disk made from then on. Refuses to disable the last active agent (nobody could
/// open the data any more). Throws AgentError.
void disableAgent(Database& db, const std::optional<std::string>& by, std::string_view agentId);
/// Re-enables a disabled agent with a new PIN, wrapping the unlocked `sk` again.
void enableAgent(Database& db, const SecretKey& sk, const std::optional<std::string>& by,
                 std::string_view agentId, std::string_view pin, PinCost cost);

/// True when the keyring was created for the offline demo, under a public PIN.
[[nodiscard]] bool keyringIsDemo(const Database& db);

// [SECTION] logging in

inline constexpr int kMaxPinFailures = 5;
inline constexpr std::int64_t kPinLockSeconds = 300;

struct PadLock {
    int failures = 0;             ///< wrong PINs in a row since the last success or lock
    std::int64_t lockedUntil = 0; ///< Unix seconds; the pad refuses every PIN before then
};
[[nodiscard]] PadLock padLock(const Database& db);

struct LoginResult {
    enum class Outcome { Ok, WrongPin, Locked, Disabled, Unknown };
    Outcome outcome = Outcome::WrongPin;
    std::optional<SecretKey> key; ///< set when Ok: in locked memory, wiped when destroyed
    PadLock lock;                 ///< the pad's state after this attempt
};

/// Checks an agent's PIN by opening their wrap. The failure is counted (and committed) before
/// the derivation starts, so cutting the power mid-check does not give a free guess; a success
/// clears it. `nowUnix` comes from the caller's clock (tests move it).
[[nodiscard]] LoginResult login(Database& db, std::string_view agentId, std::string_view pin,
                                std::int64_t nowUnix);

/// login() in three steps, so that the costly derivation runs off the UI thread: beginLogin and
/// finishLogin use the database on the caller's thread; in between, unwrapSecret(*attempt.wrap,
/// pin) touches no database and may run on any thread. Same rules and audit lines as login().
struct PinAttempt {
    std::string agentId;
    std::int64_t nowUnix = 0;
    PadLock failed;                     ///< committed before the derivation: what stays if it never ends
    std::optional<WrappedKey> wrap;     ///< the agent's wrap; absent when refused
    std::optional<LoginResult> refused; ///< locked, unknown or disabled agent: nothing to derive
};
/// Refuses at once (locked pad, unknown or disabled agent), else counts the attempt as wrong
/// (committed) and hands back the wrap to open.
[[nodiscard]] PinAttempt beginLogin(Database& db, std::string_view agentId, std::int64_t nowUnix);
/// Records the outcome of the derivation: `key` set when the PIN opened the wrap.
[[nodiscard]] LoginResult finishLogin(Database& db, const PinAttempt& attempt, std::optional<SecretKey> key);

/// Records a logout (audit).
void recordLogout(Database& db, const std::string& agentId, std::string_view why);

} // namespace comptoir::store
