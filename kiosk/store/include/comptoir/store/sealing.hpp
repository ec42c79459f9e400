#pragma once
/// @brief Personal fields at rest: sealed with a public key, readable only with the agents' key.
///
/// The kiosk writes with the public key alone (a visitor never needs a secret). The matching
/// secret key is stored wrapped by a key derived from the agents' PIN (Argon2id), so a stolen
/// disk shows sealed blobs only.

#include "comptoir/domain/config.hpp"
#include "comptoir/store/db.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::store {

using PublicKey = std::array<unsigned char, 32>;

/// A secret key in locked, guarded memory, wiped when destroyed.
class SecretKey {
  public:
    SecretKey();
    ~SecretKey();
    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&&) = delete;
    SecretKey(const SecretKey&) = delete;
    [[nodiscard]] unsigned char* data() const { return m_key; }

  private:
    unsigned char* m_key;
};

/// Cost of the PIN derivation; tests use the minimum, the kiosk agent().
struct PinCost {
    std::uint64_t opsLimit;
    std::size_t memLimit;
    /// The agents' PINs: 256 MiB and 2 passes (~0.4 s of one core here, docs/agent.md).
    static PinCost agent();
    static PinCost minimum();
};

/// A secret key wrapped under a PIN: nonce || secretbox(secret), with the Argon2id salt and cost.
struct WrappedKey {
    std::vector<unsigned char> wrapped;
    std::vector<unsigned char> salt;
    std::uint64_t opsLimit = 0;
    std::size_t memLimit = 0;
};
/// Wraps `sk` under a key derived from `pin` with a fresh salt.
[[nodiscard]] WrappedKey wrapSecret(const SecretKey& sk, std::string_view pin, PinCost cost);
/// The secret key, or nullopt when the PIN is wrong or the blob was altered. Refuses a cost
/// beyond 4 GiB or 100 passes: a tampered row must not make the kiosk allocate without bound.
[[nodiscard]] std::optional<SecretKey> unwrapSecret(const WrappedKey& w, std::string_view pin);

class Keyring {
  public:
    [[nodiscard]] static bool exists(const Database& db);
    /// Creates the kiosk's key pair with a first agent "Agent" holding it under `pin`, inside the
    /// caller's transaction (no PIN policy: for test fixtures and tools; the kiosk creates agents
    /// through agent_keys.hpp).
    static void create(Database& db, std::string_view pin, PinCost cost);
    [[nodiscard]] static PublicKey publicKey(const Database& db);
    /// Databases of the previous version: the one secret wrapped by the one shared PIN, until
    /// `comptoir-kiosk agent add` moves it to per-agent wraps. nullopt when absent or wrong PIN.
    [[nodiscard]] static std::optional<SecretKey> unlockLegacy(const Database& db, std::string_view pin);
    [[nodiscard]] static bool hasLegacyWrap(const Database& db);
};

/// Who can open what the kiosk seals: its own key (its agents) and, when configured, the CCAS's
/// office key. Built implicitly from the kiosk key alone.
struct SealingKeys {
    PublicKey kiosk{};
    std::optional<PublicKey> office;
    SealingKeys() = default;
    SealingKeys(const PublicKey& kioskKey) : kiosk(kioskKey) {} // NOLINT(google-explicit-constructor)
    SealingKeys(const PublicKey& kioskKey, std::optional<PublicKey> officeKey)
        : kiosk(kioskKey), office(officeKey) {}
};

/// The kiosk's key from its keyring and the office key from its configuration (validated when
/// the configuration was read; an invalid one throws std::invalid_argument here too).
[[nodiscard]] SealingKeys kioskSealingKeys(const Database& db, const KioskConfig& config);

/// A key's id: the first 8 bytes of BLAKE2b of the public key. Blobs name their recipients by it.
using KeyId = std::array<unsigned char, 8>;
[[nodiscard]] KeyId keyIdOf(const PublicKey& pk);
/// 16 lower-case hex digits, as printed by `comptoir-central office-key` and the export.
[[nodiscard]] std::string keyIdHex(const KeyId& id);

/// Most recipients one blob may name (kiosk + office keys); a longer list is refused as altered.
inline constexpr std::size_t kMaxSealRecipients = 8;

/// Seals plaintext so that only the holders of the recipients' secret keys can read it.
/// Blob version 2 (docs/privacy.md): "CS" 0x02, n, n x (key id, crypto_box_seal(data key)),
/// nonce, secretbox(plaintext) under the random data key.
[[nodiscard]] std::vector<unsigned char> seal(const SealingKeys& to, std::string_view plaintext);
/// Opens a sealed blob of version 2, or of version 1 (a bare crypto_box_seal, written before
/// blobs named their keys); nullopt when it was not sealed for this key pair or was altered.
[[nodiscard]] std::optional<std::string> unseal(const PublicKey& pk, const SecretKey& sk,
                                                const std::vector<unsigned char>& sealed);
/// The key ids a blob names (empty for a version 1 blob or something that is not a blob).
[[nodiscard]] std::vector<KeyId> sealedKeyIds(const std::vector<unsigned char>& sealed);

/// Overwrites a string's characters (a typed PIN, an unsealed name) before it is released.
void wipe(std::string& secret);

[[nodiscard]] std::string toBase64(const std::vector<unsigned char>& bytes);
[[nodiscard]] std::optional<std::vector<unsigned char>> fromBase64(std::string_view text);

} // namespace comptoir::store
