#include "comptoir/domain/i18n.hpp"

#include "comptoir/domain/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

// [SECTION] Plural-Forms: a tiny recursive-descent parser for gettext's C expression subset
// [SECTION] JSON catalogue (French, the source of truth)
// [SECTION] Compiled gettext catalogue (.mo), read as hostile bytes
// [SECTION] Lookup and placeholders

namespace comptoir {

// [SECTION] Plural-Forms ------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxRuleChars = 512;
constexpr std::size_t kMaxNodes = 256;
constexpr int kMaxDepth = 40;
constexpr std::size_t kMaxForms = 6; // Arabic, the most any language we know needs

class RuleParser {
  public:
    RuleParser(std::string_view s, std::vector<PluralForms::Node>& nodes) : m_s(s), m_nodes(nodes) {}

    int parseAll() {
        int root = ternary(0);
        skip();
        if (m_pos < m_s.size() && m_s[m_pos] == ';') ++m_pos;
        skip();
        return (m_failed || m_pos != m_s.size()) ? -1 : root;
    }

  private:
    void skip() {
        while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' || m_s[m_pos] == '\n'))
            ++m_pos;
    }
    bool eat(std::string_view token) {
        skip();
        if (m_s.substr(m_pos, token.size()) != token) return false;
        m_pos += token.size();
        return true;
    }
    bool peekTwo(std::string_view token) {
        skip();
        return m_s.substr(m_pos, token.size()) == token;
    }
    int add(PluralForms::Node n) {
        if (m_nodes.size() >= kMaxNodes) {
            m_failed = true;
            return -1;
        }
        m_nodes.push_back(n);
        return static_cast<int>(m_nodes.size() - 1);
    }
    int binary(char op, int a, int b) { return (a < 0 || b < 0) ? (m_failed = true, -1) : add({op, a, b}); }

    int ternary(int depth) {
        if (depth > kMaxDepth) return m_failed = true, -1;
        int cond = orExpr(depth + 1);
        if (!eat("?")) return cond;
        int yes = ternary(depth + 1);
        if (!eat(":")) return m_failed = true, -1;
        int no = ternary(depth + 1);
        if (cond < 0 || yes < 0 || no < 0) return m_failed = true, -1;
        return add({'?', cond, yes, no});
    }
    int orExpr(int d) {
        int a = andExpr(d);
        while (!m_failed && eat("||"))
            a = binary('|', a, andExpr(d));
        return a;
    }
    int andExpr(int d) {
        int a = eqExpr(d);
        while (!m_failed && eat("&&"))
            a = binary('&', a, eqExpr(d));
        return a;
    }
    int eqExpr(int d) {
        int a = relExpr(d);
        for (;;) {
            if (eat("=="))
                a = binary('=', a, relExpr(d));
            else if (eat("!="))
                a = binary('~', a, relExpr(d));
            else
                return a;
        }
    }
    int relExpr(int d) {
        int a = addExpr(d);
        for (;;) {
            if (eat("<="))
                a = binary('l', a, addExpr(d));
            else if (eat(">="))
                a = binary('g', a, addExpr(d));
            else if (eat("<"))
                a = binary('<', a, addExpr(d));
            else if (eat(">"))
                a = binary('>', a, addExpr(d));
            else
                return a;
        }
    }
    int addExpr(int d) {
        int a = mulExpr(d);
        for (;;) {
            if (eat("+"))
                a = binary('+', a, mulExpr(d));
            else if (eat("-"))
                a = binary('-', a, mulExpr(d));
            else
                return a;
        }
    }
    int mulExpr(int d) {
        int a = unary(d);
        for (;;) {
            if (eat("*"))
                a = binary('*', a, unary(d));
            else if (eat("/"))
                a = binary('/', a, unary(d));
            else if (eat("%"))
                a = binary('%', a, unary(d));
            else
                return a;
        }
    }
    int unary(int d) {
        if (d > kMaxDepth) return m_failed = true, -1;
        if (!peekTwo("!=") && eat("!")) {
            int a = unary(d + 1);
            return a < 0 ? (m_failed = true, -1) : add({'!', a});
        }
        return primary(d);
    }
    int primary(int d) {
        skip();
        if (m_pos >= m_s.size()) return m_failed = true, -1;
        char ch = m_s[m_pos];
        if (ch == 'n') {
            ++m_pos;
            return add({'n'});
        }
        if (ch >= '0' && ch <= '9') {
            unsigned long long v = 0;
            while (m_pos < m_s.size() && m_s[m_pos] >= '0' && m_s[m_pos] <= '9') {
                if (v > 1'000'000'000ULL) return m_failed = true, -1; // no rule needs such numbers
                v = v * 10 + static_cast<unsigned>(m_s[m_pos++] - '0');
            }
            PluralForms::Node n{'#'};
            n.value = v;
            return add(n);
        }
        if (eat("(")) {
            int e = ternary(d + 1);
            if (!eat(")")) return m_failed = true, -1;
            return e;
        }
        return m_failed = true, -1;
    }

    std::string_view m_s;
    std::vector<PluralForms::Node>& m_nodes;
    std::size_t m_pos = 0;
    bool m_failed = false;
};

unsigned long long evaluate(const std::vector<PluralForms::Node>& nodes, int i, unsigned long long n,
                            int depth) {
    if (i < 0 || depth > 2 * kMaxDepth + 8) return 0;
    const auto& x = nodes[static_cast<std::size_t>(i)];
    auto A = [&] { return evaluate(nodes, x.a, n, depth + 1); };
    auto B = [&] { return evaluate(nodes, x.b, n, depth + 1); };
    switch (x.op) {
    case 'n':
        return n;
    case '#':
        return x.value;
    case '!':
        return A() == 0;
    case '?':
        return A() != 0 ? B() : evaluate(nodes, x.c, n, depth + 1);
    case '|':
        return A() != 0 || B() != 0;
    case '&':
        return A() != 0 && B() != 0;
    case '=':
        return A() == B();
    case '~':
        return A() != B();
    case '<':
        return A() < B();
    case '>':
        return A() > B();
    case 'l':
        return A() <= B();
    case 'g':
        return A() >= B();
    case '+':
        return A() + B();
    case '-':
        return A() - B();
    case '*':
        return A() * B();
    case '/': {
        auto b = B();
        return b == 0 ? 0 : A() / b; // a division by zero picks the first form, never traps
    }
    case '%': {
        auto b = B();
        return b == 0 ? 0 : A() % b;
    }
    default:
        return 0;
    }
}

} // namespace

bool PluralForms::parse(std::string_view text) {
    if (text.size() > kMaxRuleChars) return false;
    auto np = text.find("nplurals");
    auto pl = text.find("plural", np == std::string_view::npos ? 0 : np + 8);
    if (np == std::string_view::npos || pl == std::string_view::npos) return false;
    // nplurals=<digit>;
    std::size_t p = np + 8;
    while (p < text.size() && text[p] == ' ')
        ++p;
    if (p >= text.size() || text[p] != '=') return false;
    ++p;
    while (p < text.size() && text[p] == ' ')
        ++p;
    if (p >= text.size() || text[p] < '1' || text[p] > '9') return false;
    std::size_t count = static_cast<std::size_t>(text[p] - '0');
    if (count > kMaxForms) return false;
    ++p;
    while (p < text.size() && text[p] == ' ')
        ++p;
    if (p >= text.size() || text[p] != ';' || p > pl) return false;
    // plural=<expression>[;]
    std::size_t q = pl + 6;
    while (q < text.size() && text[q] == ' ')
        ++q;
    if (q >= text.size() || text[q] != '=') return false;
    std::vector<Node> nodes;
    RuleParser parser(text.substr(q + 1), nodes);
    int root = parser.parseAll();
    if (root < 0) return false;
    m_nodes = std::move(nodes);
    m_root = root;
    m_nplurals = count;
    return true;
}

std::size_t PluralForms::index(unsigned long long n) const {
    if (m_root < 0) return n > 1 ? 1 : 0; // French until a rule is loaded
    auto i = evaluate(m_nodes, m_root, n, 0);
    return i < m_nplurals ? static_cast<std::size_t>(i) : 0; // gettext: out of range → first form
}

// [SECTION] JSON catalogue ------------------------------------------------------------------

bool Strings::merge(std::string_view text, std::string& error) {
    auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (!j.is_object()) {
        error = "translation catalogue is not a JSON object";
        return false;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
        const auto& v = it.value();
        if (it.key() == "@plural_forms") {
            if (!v.is_string() || !m_rule.parse(v.get<std::string>())) {
                error = "translation catalogue: unsupported @plural_forms";
                return false;
            }
        } else if (v.is_string()) {
            m_map[it.key()] = v.get<std::string>();
        } else if (v.is_array() && !v.empty() && v.size() <= kMaxForms) {
            std::vector<std::string> forms;
            for (const auto& f : v)
                if (f.is_string()) forms.push_back(f.get<std::string>());
            if (forms.size() == v.size()) m_plurals[it.key()] = std::move(forms);
        }
    }
    return true;
}

// [SECTION] Compiled gettext catalogue (.mo) ------------------------------------------------

namespace {

constexpr std::size_t kMaxMoBytes = 4u << 20; // ten times our biggest catalogue
constexpr std::uint32_t kMaxMoStrings = 20000;

struct MoReader {
    std::string_view bytes;
    bool swap = false;

    [[nodiscard]] std::optional<std::uint32_t> word(std::size_t at) const {
        if (at > bytes.size() || bytes.size() - at < 4) return std::nullopt;
        std::uint32_t v = 0;
        std::memcpy(&v, bytes.data() + at, 4);
        if (swap) v = __builtin_bswap32(v);
        return v;
    }
    /// The string described by the (length, offset) pair at `at`; it must be NUL-terminated.
    [[nodiscard]] std::optional<std::string_view> string(std::size_t at) const {
        auto len = word(at), off = word(at + 4);
        if (!len || !off) return std::nullopt;
        std::size_t l = *len, o = *off;
        if (o > bytes.size() || l >= bytes.size() - o || bytes[o + l] != '\0') return std::nullopt;
        return bytes.substr(o, l);
    }
};

/// "Name: value" from a gettext header, or empty.
std::string headerField(std::string_view header, std::string_view name) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto end = header.find('\n', pos);
        if (end == std::string_view::npos) end = header.size();
        auto line = header.substr(pos, end - pos);
        if (line.size() > name.size() && line.substr(0, name.size()) == name && line[name.size()] == ':') {
            auto v = line.substr(name.size() + 1);
            while (!v.empty() && v.front() == ' ')
                v.remove_prefix(1);
            return std::string(v);
        }
        pos = end + 1;
    }
    return {};
}

std::vector<std::string> splitNul(std::string_view s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (;;) {
        auto end = s.find('\0', pos);
        out.emplace_back(s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos) return out;
        pos = end + 1;
    }
}

} // namespace

bool Strings::mergeMo(std::string_view mo, std::string& error) {
    if (mo.size() > kMaxMoBytes) {
        error = "compiled catalogue too large";
        return false;
    }
    MoReader r{mo};
    auto magic = r.word(0);
    if (magic && *magic == 0xde120495u)
        r.swap = true;
    else if (!magic || *magic != 0x950412deu) {
        error = "not a compiled gettext catalogue (bad magic)";
        return false;
    }
    auto revision = r.word(4), count = r.word(8), originals = r.word(12), translations = r.word(16);
    if (!revision || (*revision >> 16) > 1 || !count || !originals || !translations ||
        *count > kMaxMoStrings) {
        error = "compiled catalogue: bad header";
        return false;
    }
    std::map<std::string, std::string, std::less<>> singles;
    std::map<std::string, std::vector<std::string>, std::less<>> plurals;
    PluralForms rule;
    bool ruleSeen = false;
    for (std::uint32_t i = 0; i < *count; ++i) {
        auto id = r.string(*originals + std::size_t{i} * 8);
        auto str = r.string(*translations + std::size_t{i} * 8);
        if (!id || !str) {
            error = "compiled catalogue: string " + std::to_string(i) + " out of bounds";
            return false;
        }
        if (!isValidUtf8(*id) || !isValidUtf8(*str)) {
            error = "compiled catalogue: string " + std::to_string(i) + " is not UTF-8";
            return false;
        }
        if (id->empty()) { // the header
            auto forms = headerField(*str, "Plural-Forms");
            if (!forms.empty()) {
                if (!rule.parse(forms)) {
                    error = "compiled catalogue: unsupported Plural-Forms";
                    return false;
                }
                ruleSeen = true;
            }
            auto lang = headerField(*str, "Language");
            if (!lang.empty() && lang.size() <= 16) m_language = lang;
            continue;
        }
        auto eot = id->find('\x04');
        if (eot == std::string_view::npos) continue; // our messages all carry their key as context
        std::string key(id->substr(0, eot));
        bool isPlural = id->find('\0', eot) != std::string_view::npos;
        auto forms = splitNul(*str);
        if (m_plurals.count(key) != 0) {
            if (!isPlural || forms.size() > kMaxForms) continue;
            plurals[key] = std::move(forms);
        } else if (m_map.count(key) != 0 && !isPlural) {
            singles[key] = std::string(*str);
        }
    }
    if (!plurals.empty() && !ruleSeen) {
        error = "compiled catalogue: plural messages without a Plural-Forms header";
        return false;
    }
    // Every plural message must have exactly the forms its language's rule counts.
    for (const auto& [key, forms] : plurals)
        if (forms.size() != rule.count()) {
            error = "compiled catalogue: " + key + " has " + std::to_string(forms.size()) +
                    " forms, the language " + std::to_string(rule.count());
            return false;
        }
    for (auto& [k, v] : singles)
        m_map[k] = std::move(v);
    for (auto& [k, v] : plurals)
        m_plurals[k] = std::move(v);
    if (ruleSeen) m_rule = rule;
    m_untranslated.clear();
    for (const auto& [k, v] : m_map)
        if (singles.count(k) == 0) m_untranslated.push_back(k);
    for (const auto& [k, v] : m_plurals)
        if (plurals.count(k) == 0) m_untranslated.push_back(k);
    std::sort(m_untranslated.begin(), m_untranslated.end());
    return true;
}

bool Strings::load(const std::string& dir, const std::string& moDir, const std::string& lang,
                   std::string& error) {
    std::string fr, mo;
    if (!readWholeFile(dir + "/fr.json", fr)) {
        error = "cannot read " + dir + "/fr.json";
        return false;
    }
    if (lang == "fr" || lang.empty()) return loadText(fr, "", error);
    if (lang.size() > 16 || lang.find_first_of("/.") != std::string::npos) {
        error = "bad language code";
        return false;
    }
    if (!readWholeFile(moDir + "/" + lang + ".mo", mo)) {
        error = "cannot read " + moDir + "/" + lang + ".mo";
        return false;
    }
    return loadMo(fr, mo, error);
}

bool Strings::loadText(std::string_view fr, std::string_view overlay, std::string& error) {
    m_map.clear();
    m_plurals.clear();
    m_untranslated.clear();
    m_rule = PluralForms{};
    m_language = "fr";
    if (!merge(fr, error)) return false;
    if (!overlay.empty() && !merge(overlay, error)) return false;
    return true;
}

bool Strings::loadMo(std::string_view fr, std::string_view mo, std::string& error) {
    if (!loadText(fr, "", error)) return false;
    if (!mergeMo(mo, error)) {
        loadText(fr, "", error); // a refused catalogue leaves plain French, never half of it
        error = error.empty() ? "compiled catalogue refused" : error;
        return false;
    }
    return true;
}

// [SECTION] Lookup and placeholders ----------------------------------------------------------

bool isRightToLeft(std::string_view language) {
    return language == "ar" || language == "he" || language == "fa" || language == "ur";
}

std::vector<std::string> Strings::keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : m_map)
        out.push_back(k);
    for (const auto& [k, v] : m_plurals)
        out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t Strings::pluralIndex(long long n) const {
    return m_rule.index(static_cast<unsigned long long>(n < 0 ? -n : n));
}

std::string Strings::plural(const std::string& key, long long n,
                            std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    auto it = m_plurals.find(key);
    std::string s =
        it == m_plurals.end() ? get(key) : it->second[std::min(pluralIndex(n), it->second.size() - 1)];
    replacePlaceholders(s, {{"n", std::to_string(n)}});
    replacePlaceholders(s, args);
    return s;
}

const std::string& Strings::get(const std::string& key) const {
    if (auto it = m_map.find(key); it != m_map.end()) return it->second;
    return m_missing.try_emplace(key, "⟨" + key + "⟩").first->second;
}

std::string Strings::format(const std::string& key,
                            std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    std::string s = get(key);
    replacePlaceholders(s, args);
    return s;
}

std::string Strings::join(const std::vector<std::string>& parts) const {
    std::string out;
    for (const auto& part : parts)
        if (!part.empty()) out += (out.empty() ? "" : get("list.separator")) + part;
    return out;
}

void Strings::replacePlaceholders(std::string& s,
                                  std::initializer_list<std::pair<std::string_view, std::string>> args) {
    for (const auto& [name, value] : args) {
        std::string token(1, '{'); // built step by step: GCC 12 warns falsely on "{" + s + "}" at -O3
        token.append(name);
        token.push_back('}');
        for (auto pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos + value.size()))
            s.replace(pos, token.size(), value);
    }
}

} // namespace comptoir
