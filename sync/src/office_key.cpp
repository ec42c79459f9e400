// The CCAS's office key file: creation, rotation, opening, and reading the passphrase.
//
// [SECTION] the key file
// [SECTION] creating and adding keys
// [SECTION] opening
// [SECTION] reading the passphrase

#include "comptoir/sync/office_key.hpp"

#include "comptoir/domain/ids.hpp"
#include "comptoir/domain/text.hpp"
#include "comptoir/domain/untrusted_json.hpp"
#include "comptoir/store/private_files.hpp"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sodium.h>
#include <sys/stat.h>
#include <system_error>
#include <termios.h>
#include <unistd.h>

namespace comptoir::sync::central {

using nlohmann::json;

// [SECTION] the key file ----------------------------------------------------

namespace {

constexpr const char* kFormat = "comptoir-office-key";
constexpr std::uintmax_t kMaxFileBytes = 256 * 1024;

json readKeyFile(const std::string& path) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) throw OfficeKeyError("cannot read the office key file " + path + ": " + ec.message());
    if (size > kMaxFileBytes) throw OfficeKeyError(path + " is too large to be an office key file");
    std::string text;
    if (!readWholeFile(path, text)) throw OfficeKeyError("cannot read the office key file " + path);
    auto parsed = parseUntrustedJson(text);
    json& j = parsed.value;
    // Every member is looked at only once its type is known: a hostile file must not throw from json.
    auto member = [&](const char* key) { return j.is_object() && j.contains(key) ? &j[key] : nullptr; };
    const json* format = parsed.ok() ? member("format") : nullptr;
    const json* version = parsed.ok() ? member("version") : nullptr;
    const json* keys = parsed.ok() ? member("keys") : nullptr;
    if (!format || !format->is_string() || *format != kFormat || !version || !version->is_number_integer() ||
        *version != 1 || !keys || !keys->is_array() || keys->empty() || keys->size() > kMaxOfficeKeys)
        throw OfficeKeyError(path +
                             " is not an office key file (made by 'comptoir-central office-key init')");
    return j;
}

struct StoredKey {
    OfficeKeyInfo info;
    store::PublicKey publicKey{};
    store::WrappedKey wrapped;
};

StoredKey storedKey(const json& k, const std::string& path) {
    auto bad = [&] { return OfficeKeyError(path + " holds a damaged key entry"); };
    if (!k.is_object()) throw bad();
    auto str = [&](const char* key) {
        auto it = k.find(key);
        if (it == k.end() || !it->is_string()) throw bad();
        return it->get<std::string>();
    };
    auto num = [&](const char* key) {
        auto it = k.find(key);
        if (it == k.end() || !it->is_number_unsigned()) throw bad();
        return it->get<std::uint64_t>();
    };
    StoredKey s;
    s.info = {str("key_id"), str("public_key"), str("created_at")};
    auto pk = decodePublicKey(s.info.publicKey);
    if (!pk || str("kdf") != "argon2id13") throw bad();
    s.publicKey = *pk;
    if (store::keyIdHex(store::keyIdOf(s.publicKey)) != s.info.keyId) throw bad();
    auto salt = store::fromBase64(str("salt"));
    auto wrapped = store::fromBase64(str("wrapped_secret"));
    if (!salt || !wrapped) throw bad();
    s.wrapped = {*wrapped, *salt, num("ops_limit"), static_cast<std::size_t>(num("mem_limit"))};
    return s;
}

std::vector<StoredKey> storedKeys(const json& file, const std::string& path) {
    std::vector<StoredKey> out;
    for (const auto& k : file["keys"])
        out.push_back(storedKey(k, path));
    return out;
}

json entryFor(const OfficeKeyInfo& info, const store::WrappedKey& w) {
    return {{"key_id", info.keyId},
            {"public_key", info.publicKey},
            {"created_at", info.createdAt},
            {"kdf", "argon2id13"},
            {"ops_limit", w.opsLimit},
            {"mem_limit", w.memLimit},
            {"salt", store::toBase64(w.salt)},
            {"wrapped_secret", store::toBase64(w.wrapped)}};
}

void writeKeyFile(const std::string& path, const json& file, bool replace) {
    try {
        store::writePrivateFileDurably(path, file.dump(2) + "\n", replace);
    } catch (const std::system_error& e) {
        if (e.code().value() == EEXIST)
            throw OfficeKeyError(
                path + " already exists: add a key to it with 'office-key add', never overwrite it");
        throw OfficeKeyError(std::string("cannot write the office key file: ") + e.what());
    }
}

} // namespace

store::PinCost officeKeyCost() {
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

// [SECTION] creating and adding keys -----------------------------------------

namespace {

void requirePassphrase(std::string_view passphrase) {
    if (utf8Length(passphrase) < kMinPassphraseChars)
        throw OfficeKeyError("the passphrase needs at least " + std::to_string(kMinPassphraseChars) +
                             " characters (a few words are easier to remember)");
    if (passphrase.size() > kMaxPassphraseBytes) throw OfficeKeyError("the passphrase is too long");
}

/// A new key pair, its secret wrapped under the passphrase; the secret leaves memory wiped.
json newKeyEntry(std::string_view passphrase, store::PinCost cost, OfficeKeyInfo& info) {
    store::PublicKey pk{};
    store::SecretKey sk;
    if (crypto_box_keypair(pk.data(), sk.data()) != 0) throw OfficeKeyError("cannot make a key pair");
    info = {store::keyIdHex(store::keyIdOf(pk)), store::toBase64({pk.begin(), pk.end()}), nowUtcIso8601()};
    return entryFor(info, store::wrapSecret(sk, passphrase, cost));
}

} // namespace

OfficeKeyInfo createOfficeKeyFile(const std::string& path, std::string_view passphrase, store::PinCost cost) {
    requirePassphrase(passphrase);
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        throw OfficeKeyError(path +
                             " already exists: add a key to it with 'office-key add', never overwrite it");
    OfficeKeyInfo info;
    json file{
        {"format", kFormat}, {"version", 1}, {"keys", json::array({newKeyEntry(passphrase, cost, info)})}};
    writeKeyFile(path, file, false);
    return info;
}

OfficeKeyInfo addOfficeKey(const std::string& path, std::string_view passphrase, store::PinCost cost) {
    json file = readKeyFile(path);
    if (file["keys"].size() >= kMaxOfficeKeys)
        throw OfficeKeyError(path + " holds the most keys a file may hold");
    (void)openOfficeKeys(path, passphrase); // the same passphrase must open every key, old and new
    OfficeKeyInfo info;
    file["keys"].push_back(newKeyEntry(passphrase, cost, info));
    writeKeyFile(path, file, true);
    return info;
}

std::vector<OfficeKeyInfo> listOfficeKeys(const std::string& path) {
    std::vector<OfficeKeyInfo> out;
    for (auto& k : storedKeys(readKeyFile(path), path))
        out.push_back(std::move(k.info));
    return out;
}

// [SECTION] opening ------------------------------------------------------------

std::optional<std::string> OfficeKeys::open(const std::vector<unsigned char>& sealed) const {
    for (const auto& id : store::sealedKeyIds(sealed))
        for (const auto& k : m_keys)
            if (k.id == id) return store::unseal(k.publicKey, k.secretKey, sealed);
    return std::nullopt;
}

OfficeKeys openOfficeKeys(const std::string& path, std::string_view passphrase) {
    std::vector<OfficeKeys::Key> keys;
    for (auto& s : storedKeys(readKeyFile(path), path)) {
        auto sk = store::unwrapSecret(s.wrapped, passphrase);
        if (!sk) {
            if (keys.empty())
                throw OfficeKeyError("wrong passphrase for " + path +
                                     " (or the file was altered): nothing was opened");
            throw OfficeKeyError(
                "key " + s.info.keyId + " of " + path +
                " does not open with the passphrase that opens the others: the file was altered");
        }
        keys.push_back({s.publicKey, std::move(*sk), store::keyIdOf(s.publicKey)});
    }
    return OfficeKeys(std::move(keys));
}

// [SECTION] reading the passphrase ------------------------------------------

std::optional<std::string> readPassphraseFromFd(int fd, std::string& error) {
    std::string line;
    char c = 0;
    while (true) {
        ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = std::string("cannot read the passphrase from descriptor ") + std::to_string(fd) + ": " +
                    std::system_category().message(errno);
            store::wipe(line);
            return std::nullopt;
        }
        if (n == 0 || c == '\n') break;
        if (line.size() >= kMaxPassphraseBytes) {
            error = "the passphrase given on descriptor " + std::to_string(fd) + " is too long";
            store::wipe(line);
            return std::nullopt;
        }
        line.push_back(c);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
        error = "no passphrase on descriptor " + std::to_string(fd);
        return std::nullopt;
    }
    return line;
}

std::optional<std::string> readPassphraseFromTerminal(const char* prompt) {
    int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (tty < 0) return std::nullopt;
    termios before{};
    if (::tcgetattr(tty, &before) != 0) {
        ::close(tty);
        return std::nullopt;
    }
    termios quiet = before;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    (void)!::write(tty, prompt, std::char_traits<char>::length(prompt));
    if (::tcsetattr(tty, TCSAFLUSH, &quiet) != 0) {
        ::close(tty);
        return std::nullopt;
    }
    std::string error;
    auto line = readPassphraseFromFd(tty, error);
    (void)::tcsetattr(tty, TCSAFLUSH, &before);
    ::close(tty);
    return line;
}

} // namespace comptoir::sync::central
