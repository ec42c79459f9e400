#pragma once
/// @brief The translation catalogue: every visitor-facing sentence, French first.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir {

class Strings {
  public:
    /// Loads assets/i18n/<lang>.json over the French catalogue (missing keys fall back to French).
    /// Returns false with a reason when the French catalogue itself cannot be read.
    bool load(const std::string& i18nDir, const std::string& lang, std::string& error);
    /// Loads from JSON text directly (tests).
    bool loadText(std::string_view frenchJson, std::string_view overlayJson, std::string& error);

    /// The sentence for key; the key itself (visibly wrong, never empty) when missing.
    [[nodiscard]] const std::string& get(const std::string& key) const;
    /// get() with "{name}" placeholders replaced.
    [[nodiscard]] std::string format(const std::string& key,
                                     std::initializer_list<std::pair<std::string_view, std::string>> args) const;
    /// The plural form of `key` for `n`, gettext's way: in the catalogue a plural key holds its
    /// forms as an array (msgstr[0], msgstr[1]…) and "@plural_forms" holds the language's
    /// Plural-Forms rule (French "nplurals=2; plural=(n > 1);": 0 and 1 take the singular).
    /// "{n}" and the other placeholders are replaced.
    [[nodiscard]] std::string plural(const std::string& key, long long n,
                                     std::initializer_list<std::pair<std::string_view, std::string>> args = {}) const;
    [[nodiscard]] bool has(const std::string& key) const { return m_map.count(key) != 0 || m_plurals.count(key) != 0; }
    [[nodiscard]] std::size_t size() const { return m_map.size() + m_plurals.size(); }

    /// Which form a count takes under the loaded Plural-Forms rule (0-based msgstr index).
    [[nodiscard]] std::size_t pluralIndex(long long n) const;

    /// A Plural-Forms rule this build knows (the catalogue names one; anything else is refused).
    enum class PluralRule { SingularUpToOne, SingularForOne, OneForm };

  private:
    bool merge(std::string_view text, std::string& error);
    static void replacePlaceholders(std::string& s,
                                    std::initializer_list<std::pair<std::string_view, std::string>> args);
    std::map<std::string, std::string, std::less<>> m_map;
    std::map<std::string, std::vector<std::string>, std::less<>> m_plurals;
    PluralRule m_rule = PluralRule::SingularUpToOne;
    mutable std::map<std::string, std::string, std::less<>> m_missing;
};

} // namespace comptoir
