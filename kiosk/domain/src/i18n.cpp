#include "comptoir/domain/i18n.hpp"

#include "comptoir/domain/text.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>

namespace comptoir {

namespace {

/// The Plural-Forms rules we evaluate, by their gettext text (spaces ignored).
std::optional<Strings::PluralRule> parsePluralForms(std::string text) {
    std::erase(text, ' ');
    if (text == "nplurals=2;plural=(n>1);") return Strings::PluralRule::SingularUpToOne;  // fr, pt_BR…
    if (text == "nplurals=2;plural=(n!=1);") return Strings::PluralRule::SingularForOne; // en, de, es…
    if (text == "nplurals=1;plural=0;") return Strings::PluralRule::OneForm;             // tr, vi…
    return std::nullopt;
}

} // namespace

bool Strings::merge(std::string_view text, std::string& error) {
    auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (!j.is_object()) {
        error = "translation catalogue is not a JSON object";
        return false;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
        const auto& v = it.value();
        if (it.key() == "@plural_forms") {
            auto rule = v.is_string() ? parsePluralForms(v.get<std::string>()) : std::nullopt;
            if (!rule) {
                error = "translation catalogue: unsupported @plural_forms";
                return false;
            }
            m_rule = *rule;
        } else if (v.is_string()) {
            m_map[it.key()] = v.get<std::string>();
        } else if (v.is_array() && !v.empty() && v.size() <= 6) {
            std::vector<std::string> forms;
            for (const auto& f : v)
                if (f.is_string()) forms.push_back(f.get<std::string>());
            if (forms.size() == v.size()) m_plurals[it.key()] = std::move(forms);
        }
    }
    return true;
}

bool Strings::load(const std::string& dir, const std::string& lang, std::string& error) {
    std::string fr, overlay;
    if (!readWholeFile(dir + "/fr.json", fr)) {
        error = "cannot read " + dir + "/fr.json";
        return false;
    }
    if (lang != "fr" && !readWholeFile(dir + "/" + lang + ".json", overlay)) overlay.clear();
    return loadText(fr, overlay, error);
}

bool Strings::loadText(std::string_view fr, std::string_view overlay, std::string& error) {
    m_map.clear();
    m_plurals.clear();
    m_rule = PluralRule::SingularUpToOne;
    if (!merge(fr, error)) return false;
    if (!overlay.empty() && !merge(overlay, error)) return false;
    return true;
}

std::size_t Strings::pluralIndex(long long n) const {
    switch (m_rule) {
    case PluralRule::SingularUpToOne: return n > 1 ? 1 : 0;
    case PluralRule::SingularForOne: return n != 1 ? 1 : 0;
    case PluralRule::OneForm: return 0;
    }
    return 0;
}

std::string Strings::plural(const std::string& key, long long n,
                            std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    auto it = m_plurals.find(key);
    std::string s = it == m_plurals.end() ? get(key) : it->second[std::min(pluralIndex(n), it->second.size() - 1)];
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

void Strings::replacePlaceholders(std::string& s, std::initializer_list<std::pair<std::string_view, std::string>> args) {
    for (const auto& [name, value] : args) {
        std::string token(1, '{'); // built step by step: GCC 12 warns falsely on "{" + s + "}" at -O3
        token.append(name);
        token.push_back('}');
        for (auto pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos + value.size()))
            s.replace(pos, token.size(), value);
    }
}

} // namespace comptoir
