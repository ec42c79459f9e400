#pragma once
/// @brief Personal fields at rest: sealed with a public key, readable only with the agents' key.
///
/// The kiosk writes with the public key alone (a visitor never needs a secret). The matching
/// secret key is stored wrapped by a key derived from the agents' PIN (Argon2id), so a stolen
/// disk shows sealed blobs only.

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

/// Cost of the PIN derivation; tests use the minimum, the kiosk the default.
struct PinCost {
    std::uint64_t opsLimit;
    std::size_t memLimit;
    static PinCost interactive();
    static PinCost minimum();
};

class Keyring {
  public:
    [[nodiscard]] static bool exists(const Database& db);
    /// Creates the kiosk's key pair, the secret part wrapped by `pin`. Fails if one exists.
    static void create(Database& db, std::string_view pin, PinCost cost);
    [[nodiscard]] static PublicKey publicKey(const Database& db);
    /// The secret key, or nullopt when the PIN is wrong.
    [[nodiscard]] static std::optional<SecretKey> unlock(const Database& db, std::string_view pin);
};

/// Seals plaintext so that only the holder of the secret key can read it.
[[nodiscard]] std::vector<unsigned char> seal(const PublicKey& pk, std::string_view plaintext);
/// Opens a sealed blob; nullopt when it was not sealed for this key pair or was altered.
[[nodiscard]] std::optional<std::string> unseal(const PublicKey& pk, const SecretKey& sk,
                                                const std::vector<unsigned char>& sealed);

[[nodiscard]] std::string toBase64(const std::vector<unsigned char>& bytes);
[[nodiscard]] std::optional<std::vector<unsigned char>> fromBase64(std::string_view text);

} // namespace comptoir::store
