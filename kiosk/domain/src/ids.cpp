#include "comptoir/domain/ids.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <sodium.h>

namespace comptoir {

namespace {
void ensureSodium() {
    static const int ok = sodium_init();
    (void)ok; // -1 only when the library cannot initialise at all; randombytes still works then
}
/// The RFC 9562 variant bits, then the canonical lower-case text.
std::string uuidText(std::array<unsigned char, 16>& b) {
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
    char out[37];
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                  b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                  b[14], b[15]);
    return out;
}
} // namespace

std::uint64_t nowUnixMs() {
    using namespace std::chrono;
    return static_cast<std::uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::string newUuidV7At(std::uint64_t unixMs) {
    ensureSodium();
    // Monotonic: within one millisecond, a 12-bit counter in rand_a keeps ids ordered.
    static std::mutex mutex;
    static std::uint64_t lastMs = 0;
    static std::uint16_t counter = 0;
    std::uint16_t seq;
    {
        std::lock_guard lock(mutex);
        if (unixMs <= lastMs) {
            unixMs = lastMs;
            if (++counter > 0x0FFF) { // counter exhausted: borrow the next millisecond
                ++unixMs;
                counter = 0;
            }
        } else {
            counter = static_cast<std::uint16_t>(randombytes_uniform(0x0800)); // random start, room to grow
        }
        lastMs = unixMs;
        seq = counter;
    }
    std::array<unsigned char, 16> b{};
    randombytes_buf(b.data() + 8, 8);
    for (int i = 0; i < 6; ++i) b[static_cast<size_t>(i)] = static_cast<unsigned char>(unixMs >> (40 - 8 * i));
    b[6] = static_cast<unsigned char>(0x70 | ((seq >> 8) & 0x0F));
    b[7] = static_cast<unsigned char>(seq & 0xFF);
    return uuidText(b);
}

std::string newUuidV7() { return newUuidV7At(nowUnixMs()); }

std::string newUuidV4() {
    ensureSodium();
    std::array<unsigned char, 16> b{};
    randombytes_buf(b.data(), b.size());
    b[6] = static_cast<unsigned char>(0x40 | (b[6] & 0x0F));
    return uuidText(b);
}

std::string newReferenceCode() {
    ensureSodium();
    static constexpr char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    constexpr std::uint32_t n = sizeof alphabet - 1;
    std::string code;
    for (int i = 0; i < 6; ++i) {
        if (i == 3) code += '-';
        code += alphabet[randombytes_uniform(n)];
    }
    return code;
}

std::string localTime(const char* format) {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    if (std::strftime(buf, sizeof buf, format, &tm) == 0) return {};
    return buf;
}

std::string nowUtcIso8601() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::time_t t = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

} // namespace comptoir
