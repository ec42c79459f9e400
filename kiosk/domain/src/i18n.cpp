#include "comptoir/domain/i18n.hpp"

#include "comptoir/domain/text.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace comptoir {

namespace {
bool merge(std::string_view text, std::map<std::string, std::string, std::less<>>& into, std::string& error) {
    auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (!j.is_object()) {
        error = "translation catalogue is not a JSON object";
        return false;
    }
    for (auto it = j.begin(); it != j.end(); ++it)
        if (it.value().is_string()) into[it.key()] = it.value().get<std::string>();
    return true;
}
} // namespace

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
    if (!merge(fr, m_map, error)) return false;
    if (!overlay.empty() && !merge(overlay, m_map, error)) return false;
    return true;
}

const std::string& Strings::get(const std::string& key) const {
    if (auto it = m_map.find(key); it != m_map.end()) return it->second;
    return m_missing.try_emplace(key, "⟨" + key + "⟩").first->second;
}

std::string Strings::format(const std::string& key,
                            std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    std::string s = get(key);
    for (const auto& [name, value] : args) {
        std::string token(1, '{'); // built step by step: GCC 12 warns falsely on "{" + s + "}" at -O3
        token.append(name);
        token.push_back('}');
        for (auto pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos + value.size()))
            s.replace(pos, token.size(), value);
    }
    return s;
}

} // namespace comptoir
