#include "comptoir/domain/readability.hpp"

namespace comptoir {

namespace {

enum class Kind { Other, Vowel, VowelAcute, VowelDiaeresis, Y, Consonant, Digit };

/// Reads one code point of `s` at `i` (advancing it); invalid bytes come back as U+FFFD.
char32_t next(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = n == 1 ? c : c & (0xFFu >> (n + 1));
    for (std::size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    i += n;
    return cp;
}

Kind kindOf(char32_t c) {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) c += 0x20; // Latin-1 capitals
    switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 0xE0:
    case 0xE2:
    case 0xE8:
    case 0xEA:
    case 0xEE:
    case 0xF4:
    case 0xF9:
    case 0xFB: // à â è ê î ô ù û
    case 0xE4:
    case 0xF6:
    case 0x153:
    case 0x152:
    case 0xE6: // ä ö œ Œ æ
        return Kind::Vowel;
    case 0xE9: // é
        return Kind::VowelAcute;
    case 0xEB:
    case 0xEF:
    case 0xFC: // ë ï ü: the vowel is said on its own
        return Kind::VowelDiaeresis;
    case 'y':
    case 0xFF:
        return Kind::Y;
    default:
        break;
    }
    if (c >= '0' && c <= '9') return Kind::Digit;
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0x17F)) return Kind::Consonant;
    return Kind::Other;
}

bool isVowelKind(Kind k) {
    return k == Kind::Vowel || k == Kind::VowelAcute || k == Kind::VowelDiaeresis || k == Kind::Y;
}

std::string withoutPlaceholders(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            std::size_t close = text.find('}', i);
            if (close != std::string_view::npos) {
                out += '3'; // "{n}", "{organisation}": one short word
                i = close;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

} // namespace

int frenchSyllables(std::string_view word) {
    std::vector<Kind> kinds;
    std::vector<char32_t> letters32;
    for (std::size_t i = 0; i < word.size();) {
        letters32.push_back(next(word, i));
        kinds.push_back(kindOf(letters32.back()));
    }
    int syllables = 0, digits = 0;
    bool letters = false;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        const Kind k = kinds[i];
        if (k == Kind::Digit) ++digits;
        if (k == Kind::Consonant || isVowelKind(k)) letters = true;
        if (!isVowelKind(k)) continue;
        const Kind prev = i > 0 ? kinds[i - 1] : Kind::Other;
        const Kind after = i + 1 < kinds.size() ? kinds[i + 1] : Kind::Other;
        bool starts = !isVowelKind(prev);
        // "ci-to-yen", "pa-yer": a y between vowels opens a new syllable
        if (k == Kind::Y && isVowelKind(prev) && isVowelKind(after)) starts = true;
        // "na-ïf", "No-ël": a diaeresis says its vowel apart
        if (k == Kind::VowelDiaeresis && isVowelKind(prev)) starts = true;
        // "ré-a-li-té", "po-é-sie": é stands apart from its neighbours, except "ée" ("i-dée")
        if (k == Kind::VowelAcute && isVowelKind(prev)) starts = true;
        if (prev == Kind::VowelAcute && k != Kind::VowelAcute) {
            if (letters32[i] != 'e' && letters32[i] != 'E') starts = true;
        }
        if (starts) ++syllables;
    }
    syllables += digits;
    if (syllables == 0 && letters) syllables = 1; // "l'", "h", "d'": still a word said
    return syllables;
}

std::vector<std::string> frenchSentences(std::string_view text) {
    const std::string plain = withoutPlaceholders(text);
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (frenchWords(cur) > 0) out.push_back(cur);
        cur.clear();
    };
    for (std::size_t i = 0; i < plain.size();) {
        const std::size_t start = i;
        const char32_t c = next(plain, i);
        cur.append(plain, start, i - start);
        // "10.5" or "e.g." inside a word does not end a sentence: only a stop before a space or the end
        const bool atEnd = i >= plain.size() || plain[i] == ' ' || plain[i] == '\n';
        if (c == '\n' || ((c == '.' || c == '!' || c == '?' || c == ';' || c == 0x2026) && atEnd)) flush();
    }
    flush();
    return out;
}

long frenchWords(std::string_view text) {
    long words = 0;
    bool inWord = false, counted = false;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t c = next(text, i);
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == 0xA0 || c == 0x202F;
        if (space) {
            inWord = counted = false;
            continue;
        }
        inWord = true;
        const Kind k = kindOf(c);
        if (inWord && !counted && k != Kind::Other) {
            ++words;
            counted = true;
        }
    }
    return words;
}

ReadabilityCount countFrench(std::string_view text) {
    ReadabilityCount c;
    for (const auto& s : frenchSentences(text)) {
        ++c.sentences;
        c.words += frenchWords(s);
        std::size_t start = 0;
        while (start < s.size()) {
            std::size_t end = s.find_first_of(" \n\t", start);
            if (end == std::string::npos) end = s.size();
            if (end > start && frenchWords(std::string_view(s).substr(start, end - start)) > 0)
                c.syllables += frenchSyllables(std::string_view(s).substr(start, end - start));
            start = end + 1;
        }
    }
    return c;
}

double kandelMoles(const ReadabilityCount& c) {
    if (c.words <= 0 || c.sentences <= 0) return 0;
    const double perSentence = static_cast<double>(c.words) / static_cast<double>(c.sentences);
    const double perWord = static_cast<double>(c.syllables) / static_cast<double>(c.words);
    return 207.0 - 1.015 * perSentence - 73.6 * perWord;
}

} // namespace comptoir
