#include "comptoir/store/sealing.hpp"

#include "comptoir/domain/ids.hpp"

#include <algorithm>
#include <sodium.h>
#include <stdexcept>

namespace comptoir::store {

namespace {
void initSodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
}
} // namespace

SecretKey::SecretKey() {
    initSodium();
    m_key = static_cast<unsigned char*>(sodium_malloc(crypto_box_SECRETKEYBYTES));
    if (!m_key) throw std::bad_alloc();
}
SecretKey::~SecretKey() {
    if (m_key) sodium_free(m_key); // sodium_free wipes the memory first
}
SecretKey::SecretKey(SecretKey&& other) noexcept : m_key(other.m_key) {
    other.m_key = nullptr;
}

// 256 MiB makes each offline guess cost real memory; 2 passes keep an agent's unlock well
// under a second on the kiosk's hardware (measured: docs/agent.md, agent_unlock_ms).
PinCost PinCost::agent() {
    return {2, 256u * 1024u * 1024u};
}
PinCost PinCost::minimum() {
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

bool Keyring::exists(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM keyring") > 0;
}

namespace {

constexpr std::size_t kWrappedSize =
    crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES;

/// The PIN-derived wrapping key, in guarded memory for as long as it lives.
class WrappingKey {
  public:
    WrappingKey(std::string_view pin, const std::vector<unsigned char>& salt, std::uint64_t ops,
                std::size_t mem)
        : m_key(static_cast<unsigned char*>(sodium_malloc(crypto_secretbox_KEYBYTES))) {
        if (!m_key) throw std::bad_alloc();
        if (crypto_pwhash(m_key, crypto_secretbox_KEYBYTES, pin.data(), pin.size(), salt.data(), ops, mem,
                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
            sodium_free(m_key);
            throw std::runtime_error("not enough memory to derive the key from the PIN");
        }
    }
    ~WrappingKey() { sodium_free(m_key); }
    WrappingKey(const WrappingKey&) = delete;
    WrappingKey& operator=(const WrappingKey&) = delete;
    [[nodiscard]] const unsigned char* data() const { return m_key; }

  private:
    unsigned char* m_key;
};

} // namespace

WrappedKey wrapSecret(const SecretKey& sk, std::string_view pin, PinCost cost) {
    initSodium();
    WrappedKey w;
    w.salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(w.salt.data(), w.salt.size());
    w.opsLimit = cost.opsLimit;
    w.memLimit = cost.memLimit;
    WrappingKey key(pin, w.salt, cost.opsLimit, cost.memLimit);
    w.wrapped.resize(kWrappedSize);
    randombytes_buf(w.wrapped.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(w.wrapped.data() + crypto_secretbox_NONCEBYTES, sk.data(),
                          crypto_box_SECRETKEYBYTES, w.wrapped.data(), key.data());
    return w;
}

std::optional<SecretKey> unwrapSecret(const WrappedKey& w, std::string_view pin) {
    initSodium();
    if (w.salt.size() != crypto_pwhash_SALTBYTES || w.wrapped.size() != kWrappedSize) return std::nullopt;
    if (w.opsLimit < crypto_pwhash_OPSLIMIT_MIN || w.opsLimit > 100 ||
        w.memLimit < crypto_pwhash_MEMLIMIT_MIN || w.memLimit > (std::size_t{4} << 30))
        return std::nullopt;
    WrappingKey key(pin, w.salt, w.opsLimit, w.memLimit);
    SecretKey sk;
    if (crypto_secretbox_open_easy(sk.data(), w.wrapped.data() + crypto_secretbox_NONCEBYTES,
                                   w.wrapped.size() - crypto_secretbox_NONCEBYTES, w.wrapped.data(),
                                   key.data()) != 0)
        return std::nullopt;
    return sk;
}

PublicKey Keyring::publicKey(const Database& db) {
    auto s = db.prepare("SELECT public_key FROM keyring WHERE id = 1");
    if (!s.step()) throw DbError("read public key", 0, "no keyring in this database");
    auto b = s.blob(0);
    if (b.size() != crypto_box_PUBLICKEYBYTES)
        throw DbError("read public key", 0, "public key has a wrong size");
    PublicKey pk{};
    std::copy(b.begin(), b.end(), pk.begin());
    return pk;
}

bool Keyring::hasLegacyWrap(const Database& db) {
    return queryInt(db, "SELECT COUNT(*) FROM keyring WHERE id = 1 AND length(wrapped_secret) > 0") > 0;
}

std::optional<SecretKey> Keyring::unlockLegacy(const Database& db, std::string_view pin) {
    auto s = db.prepare("SELECT wrapped_secret, salt, ops_limit, mem_limit FROM keyring WHERE id = 1");
    if (!s.step()) return std::nullopt;
    WrappedKey w{s.blob(0), s.blob(1), static_cast<std::uint64_t>(s.int64(2)),
                 static_cast<std::size_t>(s.int64(3))};
    return unwrapSecret(w, pin);
}

namespace {

constexpr unsigned char kBlobMagic[] = {'C', 'S', 0x02};
constexpr std::size_t kHeaderSize = sizeof kBlobMagic + 1;
constexpr std::size_t kDataKeySize = crypto_secretbox_KEYBYTES;
constexpr std::size_t kSlotSize = sizeof(KeyId) + crypto_box_SEALBYTES + kDataKeySize;

/// The parts of a version 2 blob, pointing into it; nullopt when the shape is not one.
struct BlobV2 {
    std::size_t recipients = 0;
    const unsigned char* slots = nullptr;
    const unsigned char* nonce = nullptr;
    const unsigned char* box = nullptr;
    std::size_t boxSize = 0;
};
std::optional<BlobV2> parseV2(const std::vector<unsigned char>& b) {
    if (b.size() < kHeaderSize || !std::equal(std::begin(kBlobMagic), std::end(kBlobMagic), b.begin()))
        return std::nullopt;
    BlobV2 v;
    v.recipients = b[sizeof kBlobMagic];
    if (v.recipients == 0 || v.recipients > kMaxSealRecipients) return std::nullopt;
    std::size_t fixed = kHeaderSize + v.recipients * kSlotSize + crypto_secretbox_NONCEBYTES;
    if (b.size() < fixed + crypto_secretbox_MACBYTES) return std::nullopt;
    v.slots = b.data() + kHeaderSize;
    v.nonce = v.slots + v.recipients * kSlotSize;
    v.box = v.nonce + crypto_secretbox_NONCEBYTES;
    v.boxSize = b.size() - fixed;
    return v;
}

std::optional<std::string> unsealV1(const PublicKey& pk, const SecretKey& sk,
                                    const std::vector<unsigned char>& sealed) {
    if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()), sealed.data(), sealed.size(),
                             pk.data(), sk.data()) != 0)
        return std::nullopt;
    return out;
}

/// A data key, wiped when released. On the stack, not in sodium_malloc's guarded pages: it lives
/// for one blob, and mapping pages per blob made opening 100,000 records mostly system calls.
class DataKey {
  public:
    DataKey() = default;
    ~DataKey() { sodium_memzero(m_key.data(), m_key.size()); }
    DataKey(const DataKey&) = delete;
    DataKey& operator=(const DataKey&) = delete;
    [[nodiscard]] unsigned char* data() { return m_key.data(); }

  private:
    std::array<unsigned char, kDataKeySize> m_key{};
};

} // namespace

KeyId keyIdOf(const PublicKey& pk) {
    initSodium();
    KeyId id{};
    crypto_generichash(id.data(), id.size(), pk.data(), pk.size(), nullptr, 0);
    return id;
}

SealingKeys kioskSealingKeys(const Database& db, const KioskConfig& config) {
    SealingKeys keys{Keyring::publicKey(db)};
    if (!config.officePublicKey.empty()) {
        auto office = decodePublicKey(config.officePublicKey);
        if (!office) throw std::invalid_argument("privacy.office_public_key is not a usable public key");
        keys.office = *office;
    }
    return keys;
}

std::string keyIdHex(const KeyId& id) {
    std::string hex(id.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), id.data(), id.size());
    hex.pop_back();
    return hex;
}

std::vector<unsigned char> seal(const SealingKeys& to, std::string_view plaintext) {
    initSodium();
    std::vector<const PublicKey*> recipients{&to.kiosk};
    if (to.office && *to.office != to.kiosk) recipients.push_back(&*to.office);
    // One data key seals the text once; each recipient gets that key sealed to its own key.
    DataKey key;
    crypto_secretbox_keygen(key.data());
    std::vector<unsigned char> out(kHeaderSize + recipients.size() * kSlotSize + crypto_secretbox_NONCEBYTES +
                                   crypto_secretbox_MACBYTES + plaintext.size());
    std::copy(std::begin(kBlobMagic), std::end(kBlobMagic), out.begin());
    out[sizeof kBlobMagic] = static_cast<unsigned char>(recipients.size());
    unsigned char* slot = out.data() + kHeaderSize;
    for (const PublicKey* pk : recipients) {
        KeyId id = keyIdOf(*pk);
        std::copy(id.begin(), id.end(), slot);
        if (crypto_box_seal(slot + id.size(), key.data(), kDataKeySize, pk->data()) != 0)
            throw std::runtime_error("sealing personal data failed");
        slot += kSlotSize;
    }
    unsigned char* nonce = slot;
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    if (crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                              reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                              nonce, key.data()) != 0)
        throw std::runtime_error("sealing personal data failed");
    return out;
}

std::optional<std::string> unseal(const PublicKey& pk, const SecretKey& sk,
                                  const std::vector<unsigned char>& sealed) {
    initSodium();
    if (auto v = parseV2(sealed)) {
        KeyId mine = keyIdOf(pk);
        for (std::size_t i = 0; i < v->recipients; ++i) {
            const unsigned char* slot = v->slots + i * kSlotSize;
            if (!std::equal(mine.begin(), mine.end(), slot)) continue;
            DataKey key;
            if (crypto_box_seal_open(key.data(), slot + mine.size(), kSlotSize - mine.size(), pk.data(),
                                     sk.data()) != 0)
                break;
            std::string out(v->boxSize - crypto_secretbox_MACBYTES, '\0');
            if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), v->box, v->boxSize,
                                           v->nonce, key.data()) != 0)
                break;
            return out;
        }
        // A version 1 blob starts with a random ephemeral key: 1 in 2^24 of them look like a v2 header.
    }
    return unsealV1(pk, sk, sealed);
}

std::vector<KeyId> sealedKeyIds(const std::vector<unsigned char>& sealed) {
    std::vector<KeyId> ids;
    auto v = parseV2(sealed);
    if (!v) return ids;
    for (std::size_t i = 0; i < v->recipients; ++i) {
        KeyId id{};
        std::copy_n(v->slots + i * kSlotSize, id.size(), id.begin());
        ids.push_back(id);
    }
    return ids;
}

void wipe(std::string& secret) {
    if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
    secret.clear();
}

std::string toBase64(const std::vector<unsigned char>& bytes) {
    initSodium();
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1); // drop the terminating NUL
    return out;
}

std::optional<std::vector<unsigned char>> fromBase64(std::string_view text) {
    initSodium();
    std::vector<unsigned char> out(text.size());
    size_t len = 0;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

} // namespace comptoir::store
