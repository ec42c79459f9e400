#pragma once
/// @brief The translation catalogue: every visitor-facing sentence, French first.

#include <map>
#include <string>
#include <string_view>

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
    [[nodiscard]] bool has(const std::string& key) const { return m_map.count(key) != 0; }
    [[nodiscard]] std::size_t size() const { return m_map.size(); }

  private:
    std::map<std::string, std::string, std::less<>> m_map;
    mutable std::map<std::string, std::string, std::less<>> m_missing;
};

} // namespace comptoir
