#include "comptoir/store/sealing.hpp"

#include "comptoir/domain/ids.hpp"

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
SecretKey::SecretKey(SecretKey&& other) noexcept : m_key(other.m_key) { other.m_key = nullptr; }

PinCost PinCost::interactive() { return {crypto_pwhash_OPSLIMIT_INTERACTIVE, 32u * 1024u * 1024u}; }
PinCost PinCost::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

bool Keyring::exists(const Database& db) { return queryInt(db, "SELECT COUNT(*) FROM keyring") > 0; }

namespace {
void deriveWrappingKey(unsigned char* out, std::string_view pin, const unsigned char* salt, std::uint64_t ops,
                       std::size_t mem) {
    if (crypto_pwhash(out, crypto_secretbox_KEYBYTES, pin.data(), pin.size(), salt, ops, mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("not enough memory to derive the key from the PIN");
}
} // namespace

void Keyring::create(Database& db, std::string_view pin, PinCost cost) {
    initSodium();
    PublicKey pk{};
    SecretKey sk;
    crypto_box_keypair(pk.data(), sk.data());
    std::vector<unsigned char> salt(crypto_pwhash_SALTBYTES);
    randombytes_buf(salt.data(), salt.size());
    unsigned char* wrapKey = static_cast<unsigned char*>(sodium_malloc(crypto_secretbox_KEYBYTES));
    deriveWrappingKey(wrapKey, pin, salt.data(), cost.opsLimit, cost.memLimit);
    // wrapped = nonce || secretbox(sk)
    std::vector<unsigned char> wrapped(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES);
    randombytes_buf(wrapped.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(wrapped.data() + crypto_secretbox_NONCEBYTES, sk.data(), crypto_box_SECRETKEYBYTES,
                          wrapped.data(), wrapKey);
    sodium_free(wrapKey);
    db.prepare("INSERT INTO keyring(id, public_key, wrapped_secret, salt, ops_limit, mem_limit, created_at) "
               "VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6)")
        .bindBlob(1, std::vector<unsigned char>(pk.begin(), pk.end()))
        .bindBlob(2, wrapped)
        .bindBlob(3, salt)
        .bind(4, static_cast<std::int64_t>(cost.opsLimit))
        .bind(5, static_cast<std::int64_t>(cost.memLimit))
        .bind(6, nowUtcIso8601())
        .run();
}

PublicKey Keyring::publicKey(const Database& db) {
    auto s = db.prepare("SELECT public_key FROM keyring WHERE id = 1");
    if (!s.step()) throw DbError("read public key", 0, "no keyring in this database");
    auto b = s.blob(0);
    if (b.size() != crypto_box_PUBLICKEYBYTES) throw DbError("read public key", 0, "public key has a wrong size");
    PublicKey pk{};
    std::copy(b.begin(), b.end(), pk.begin());
    return pk;
}

std::optional<SecretKey> Keyring::unlock(const Database& db, std::string_view pin) {
    initSodium();
    auto s = db.prepare("SELECT wrapped_secret, salt, ops_limit, mem_limit FROM keyring WHERE id = 1");
    if (!s.step()) return std::nullopt;
    auto wrapped = s.blob(0);
    auto salt = s.blob(1);
    if (salt.size() != crypto_pwhash_SALTBYTES ||
        wrapped.size() != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES)
        return std::nullopt;
    unsigned char* wrapKey = static_cast<unsigned char*>(sodium_malloc(crypto_secretbox_KEYBYTES));
    deriveWrappingKey(wrapKey, pin, salt.data(), static_cast<std::uint64_t>(s.int64(2)),
                      static_cast<std::size_t>(s.int64(3)));
    SecretKey sk;
    int rc = crypto_secretbox_open_easy(sk.data(), wrapped.data() + crypto_secretbox_NONCEBYTES,
                                        wrapped.size() - crypto_secretbox_NONCEBYTES, wrapped.data(), wrapKey);
    sodium_free(wrapKey);
    if (rc != 0) return std::nullopt;
    return sk;
}

std::vector<unsigned char> seal(const PublicKey& pk, std::string_view plaintext) {
    initSodium();
    std::vector<unsigned char> out(plaintext.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(out.data(), reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        pk.data()) != 0)
        throw std::runtime_error("sealing personal data failed");
    return out;
}

std::optional<std::string> unseal(const PublicKey& pk, const SecretKey& sk, const std::vector<unsigned char>& sealed) {
    if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()), sealed.data(), sealed.size(), pk.data(),
                             sk.data()) != 0)
        return std::nullopt;
    return out;
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
