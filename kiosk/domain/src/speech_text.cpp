#include "comptoir/domain/speech_text.hpp"

#include <regex>

namespace comptoir {

namespace {

/// Replaces every match of `re` in `text` with what `say` makes of it.
template <class Say> std::string replaceAll(const std::string& text, const std::regex& re, Say say) {
    std::string out;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.cbegin(), text.cend(), re), end; it != end; ++it) {
        out.append(last, (*it)[0].first);
        out += say(*it);
        last = (*it)[0].second;
    }
    out.append(last, text.cend());
    return out;
}

std::string hours(const std::string& n) {
    return n + (std::stoi(n) <= 1 ? " heure" : " heures");
}

/// Each character apart, so that the synthesiser spells instead of guessing a word.
std::string spelt(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch == '-' || ch == ' ') continue;
        if (!out.empty()) out += ", ";
        out += ch;
    }
    return out;
}

} // namespace

std::string textForSpeech(const std::string& text) {
    // Bounded input (a description, the consent text): regexes over a few kilobytes at most.
    static const std::regex phone(R"(\b0[1-9](?:[ .]?\d\d){4}\b)");
    static const std::regex reference(R"(\b(?=[A-Z0-9-]*[0-9])(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{3}-[A-Z0-9]{3}\b)");
    static const std::regex hoursMinutes(R"(\b(\d{1,2}) ?h ?(\d{2})\b)");
    static const std::regex hoursOnly(R"(\b(\d{1,3}) ?h\b)");
    static const std::regex minutes(R"(\b(\d{1,3}) ?min\b)");
    static const std::regex decimal(R"(\b(\d+)[.,](\d+)\b)");
    std::string s = replaceAll(text, phone, [](const std::smatch& m) {
        std::string digits;
        for (char ch : m.str())
            if (ch >= '0' && ch <= '9') digits += ch;
        std::string out;
        for (std::size_t i = 0; i < digits.size(); i += 2)
            out += (out.empty() ? "" : ", ") + digits.substr(i, 2);
        return out;
    });
    s = replaceAll(s, reference, [](const std::smatch& m) { return spelt(m.str()); });
    s = replaceAll(s, hoursMinutes,
                   [](const std::smatch& m) { return hours(m[1].str()) + " " + m[2].str(); });
    s = replaceAll(s, hoursOnly, [](const std::smatch& m) { return hours(m[1].str()); });
    s = replaceAll(s, minutes, [](const std::smatch& m) { return m[1].str() + " minutes"; });
    s = replaceAll(s, decimal, [](const std::smatch& m) { return m[1].str() + " virgule " + m[2].str(); });
    return s;
}

} // namespace comptoir
