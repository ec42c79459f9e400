#pragma once
/// @brief The translation catalogue: every visitor-facing sentence, French first.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

/// A gettext Plural-Forms rule ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : …);"), parsed
/// once into a small expression tree and evaluated per count. Only gettext's C subset is
/// accepted (n, integers, ! * / % + - < > <= >= == != && || ?: and parentheses), bounded in
/// length and depth: a catalogue is outside input.
class PluralForms {
  public:
    /// Parses the header value; false (nothing changed) when it is not a rule we can evaluate.
    [[nodiscard]] bool parse(std::string_view text);
    [[nodiscard]] std::size_t count() const { return m_nplurals; }
    /// The 0-based msgstr index for n (always < count()).
    [[nodiscard]] std::size_t index(unsigned long long n) const;

    struct Node {
        char op; ///< 'n', '#' (number), '!', '?', or a binary operator ('=' ==, '~' !=, 'l' <=, 'g' >=, '&'
                 ///< &&, '|' ||)
        int a = -1, b = -1, c = -1;
        unsigned long long value = 0;
    };

  private:
    std::vector<Node> m_nodes;
    int m_root = -1;
    std::size_t m_nplurals = 2;
};

/// True for a language written right to left (Arabic, Hebrew, Persian, Urdu).
[[nodiscard]] bool isRightToLeft(std::string_view language);

class Strings {
  public:
    /// Loads assets/i18n/fr.json (the French source of truth), then, for another language, the
    /// compiled gettext catalogue `<moDir>/<lang>.mo` over it (missing keys fall back to French).
    /// Returns false with a reason when either cannot be read or is refused.
    bool load(const std::string& i18nDir, const std::string& moDir, const std::string& lang,
              std::string& error);
    /// The same with the .mo looked up in i18nDir (French needs none).
    bool load(const std::string& i18nDir, const std::string& lang, std::string& error) {
        return load(i18nDir, i18nDir, lang, error);
    }
    /// Loads from JSON text directly (tests).
    bool loadText(std::string_view frenchJson, std::string_view overlayJson, std::string& error);
    /// Loads French JSON text, then a compiled gettext catalogue's bytes over it. Each message's
    /// msgctxt is the key; messages without one, and keys French does not have, are ignored.
    bool loadMo(std::string_view frenchJson, std::string_view mo, std::string& error);

    /// The sentence for key; the key itself (visibly wrong, never empty) when missing.
    [[nodiscard]] const std::string& get(const std::string& key) const;
    /// get() with "{name}" placeholders replaced.
    [[nodiscard]] std::string
    format(const std::string& key,
           std::initializer_list<std::pair<std::string_view, std::string>> args) const;
    /// The plural form of `key` for `n`, gettext's way: in the catalogue a plural key holds its
    /// forms (msgstr[0], msgstr[1]…) and the Plural-Forms rule of the language picks one
    /// (French "nplurals=2; plural=(n > 1);": 0 and 1 take the singular; Arabic has six forms).
    /// "{n}" and the other placeholders are replaced.
    [[nodiscard]] std::string
    plural(const std::string& key, long long n,
           std::initializer_list<std::pair<std::string_view, std::string>> args = {}) const;
    /// The parts one after the other, joined by the display language's separator ("list.separator":
    /// ", " in French, "، " in Arabic). Empty parts are left out.
    [[nodiscard]] std::string join(const std::vector<std::string>& parts) const;
    [[nodiscard]] bool has(const std::string& key) const {
        return m_map.count(key) != 0 || m_plurals.count(key) != 0;
    }
    [[nodiscard]] std::size_t size() const { return m_map.size() + m_plurals.size(); }
    /// Every key, sorted (the catalogue test walks them).
    [[nodiscard]] std::vector<std::string> keys() const;
    /// Keys whose text still comes from French (a non-French catalogue that lacks them).
    [[nodiscard]] const std::vector<std::string>& untranslated() const { return m_untranslated; }

    /// Which form a count takes under the loaded Plural-Forms rule (0-based msgstr index).
    [[nodiscard]] std::size_t pluralIndex(long long n) const;
    /// The language code loaded ("fr", "ar"…).
    [[nodiscard]] const std::string& language() const { return m_language; }

  private:
    bool merge(std::string_view text, std::string& error);
    bool mergeMo(std::string_view mo, std::string& error);
    static void replacePlaceholders(std::string& s,
                                    std::initializer_list<std::pair<std::string_view, std::string>> args);
    std::map<std::string, std::string, std::less<>> m_map;
    std::map<std::string, std::vector<std::string>, std::less<>> m_plurals;
    PluralForms m_rule;
    std::string m_language = "fr";
    std::vector<std::string> m_untranslated;
    mutable std::map<std::string, std::string, std::less<>> m_missing;
};

} // namespace comptoir
