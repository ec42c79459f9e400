#include "comptoir/domain/text.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace comptoir {

namespace {
/// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
std::size_t validSequence(std::string_view s, std::size_t i) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n;
    char32_t cp;
    if (b < 0x80) return 1;
    if ((b & 0xE0) == 0xC0) { n = 2; cp = b & 0x1F; }
    else if ((b & 0xF0) == 0xE0) { n = 3; cp = b & 0x0F; }
    else if ((b & 0xF8) == 0xF0) { n = 4; cp = b & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}
} // namespace

bool isValidUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto n = validSequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::size_t utf8Length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string utf8Sanitise(std::string_view s, std::size_t maxCodePoints) {
    std::string out;
    out.reserve(s.size());
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size() && count < maxCodePoints; ++count) {
        auto n = validSequence(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        auto c = static_cast<unsigned char>(s[i]);
        // Control characters (other than none) would break single-line fields and layout.
        if (n == 1 && (c < 0x20 || c == 0x7F)) out += ' ';
        else out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

bool readWholeFile(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return static_cast<bool>(in) || in.eof();
}

ReadResult readFileAtMost(const std::string& path, std::size_t maxBytes, std::string& out) {
    out.clear();
    std::ifstream in(path, std::ios::binary);
    if (!in) return ReadResult::Unreadable;
    char chunk[64 * 1024];
    while (in) {
        in.read(chunk, sizeof chunk);
        out.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (out.size() > maxBytes) {
            out.clear();
            out.shrink_to_fit();
            return ReadResult::TooLarge;
        }
    }
    if (!in.eof()) {
        out.clear();
        return ReadResult::Unreadable;
    }
    return ReadResult::Ok;
}

std::string formatNumber(double v) {
    char buf[32];
    if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::vector<std::string> wrapWords(const std::string& line,
                                   const std::function<bool(const std::string&)>& fits) {
    auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    std::vector<std::string> out;
    std::string cur;
    std::size_t start = 0;
    while (start <= line.size()) {
        const std::size_t sp = line.find(' ', start);
        std::string word = line.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
        std::string tried = cur.empty() ? word : cur + " " + word;
        if (cur.empty() || fits(tried)) {
            cur = std::move(tried);
        } else {
            out.push_back(std::move(cur));
            cur = std::move(word);
        }
        while (!cur.empty() && !fits(cur)) { // a word wider than a line: cut between code points
            std::size_t cut = cur.size();
            do {
                do
                    --cut;
                while (cut > 0 && continuation(cur[cut]));
            } while (cut > 0 && !fits(cur.substr(0, cut)));
            if (cut == 0) { // not even one code point fits: one a line, never an endless loop
                cut = 1;
                while (cut < cur.size() && continuation(cur[cut]))
                    ++cut;
                if (cut == cur.size()) break;
            }
            out.push_back(cur.substr(0, cut));
            cur.erase(0, cut);
        }
        if (sp == std::string::npos) break;
        start = sp + 1;
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

} // namespace comptoir
