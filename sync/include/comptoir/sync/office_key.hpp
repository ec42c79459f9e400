#pragma once
/// @brief The CCAS's office key: a key file of one or more key pairs, each secret wrapped under the
/// office passphrase (Argon2id), kept off the server; opens what kiosks sealed to it.
///
/// The server never reads this file: it stores sealed blobs only (docs/privacy.md).

#include "comptoir/store/sealing.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::sync::central {

/// A key file that cannot be created, read or opened; the message says what to do.
struct OfficeKeyError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// One key of a key file as listed: never its secret.
struct OfficeKeyInfo {
    std::string keyId;     ///< keyIdHex of the public key
    std::string publicKey; ///< base64: what `[privacy] office_public_key` takes
    std::string createdAt;
};

/// A passphrase shorter than this is refused when a key is made (it guards every contact detail).
inline constexpr std::size_t kMinPassphraseChars = 12;
inline constexpr std::size_t kMaxPassphraseBytes = 1024;
/// Most keys one file may hold (rotations over decades fit).
inline constexpr std::size_t kMaxOfficeKeys = 64;

/// The passphrase derivation: Argon2id, 3 passes over 256 MiB (libsodium's "moderate").
[[nodiscard]] store::PinCost officeKeyCost();

/// Creates the key file (0600, refused when it exists) with a first key pair.
OfficeKeyInfo createOfficeKeyFile(const std::string& path, std::string_view passphrase, store::PinCost cost);
/// Adds a new key pair, wrapped under the same passphrase (checked by opening the file first);
/// the old keys stay to open older records. The newest key is the one kiosks should seal to.
OfficeKeyInfo addOfficeKey(const std::string& path, std::string_view passphrase, store::PinCost cost);
/// The keys of the file, oldest first; needs no passphrase.
[[nodiscard]] std::vector<OfficeKeyInfo> listOfficeKeys(const std::string& path);

/// Every key of a file, opened into guarded memory.
class OfficeKeys {
  public:
    struct Key {
        store::PublicKey publicKey;
        store::SecretKey secretKey;
        store::KeyId id;
    };
    explicit OfficeKeys(std::vector<Key> keys) : m_keys(std::move(keys)) {}
    /// Opens a blob with the key it names; nullopt when it names none of ours or does not open.
    [[nodiscard]] std::optional<std::string> open(const std::vector<unsigned char>& sealed) const;
    [[nodiscard]] const std::vector<Key>& keys() const { return m_keys; }

  private:
    std::vector<Key> m_keys;
};
/// Opens every key of the file; throws OfficeKeyError when the passphrase is wrong (nothing opens)
/// or the file is not a key file.
[[nodiscard]] OfficeKeys openOfficeKeys(const std::string& path, std::string_view passphrase);

/// The first line of what descriptor `fd` gives (a pipe from a password manager, a file), at most
/// kMaxPassphraseBytes; nullopt and `error` set when nothing usable arrives.
[[nodiscard]] std::optional<std::string> readPassphraseFromFd(int fd, std::string& error);
/// Asks on the terminal (/dev/tty) with echo off; nullopt when there is no terminal.
[[nodiscard]] std::optional<std::string> readPassphraseFromTerminal(const char* prompt);

} // namespace comptoir::sync::central
