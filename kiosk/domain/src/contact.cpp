#include "comptoir/domain/contact.hpp"

#include "comptoir/domain/text.hpp"

#include <algorithm>
#include <cctype>

namespace comptoir {

namespace {
std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}
} // namespace

std::optional<std::string> normaliseFrenchPhone(const std::string& input, ContactProblem* why) {
    std::string digits;
    bool international = false;
    for (size_t i = 0; i < input.size(); ++i) {
        char c = input[i];
        if (c >= '0' && c <= '9') digits += c;
        else if (c == '+' && digits.empty() && !international) international = true;
        else if (c == ' ' || c == '.' || c == '-') continue;
        else {
            if (why) *why = ContactProblem::PhoneInvalid;
            return std::nullopt;
        }
    }
    if (international) {
        if (digits.rfind("33", 0) != 0) {
            if (why) *why = ContactProblem::PhoneInvalid;
            return std::nullopt;
        }
        digits.replace(0, 2, "0"); // +33 6… is 06…
    }
    if (digits.size() < 10) {
        if (why) *why = ContactProblem::PhoneIncomplete;
        return std::nullopt;
    }
    if (digits.size() > 10 || digits[0] != '0' || digits[1] == '0') {
        if (why) *why = ContactProblem::PhoneInvalid;
        return std::nullopt;
    }
    return digits;
}

bool isPlausibleEmail(const std::string& email) {
    if (email.size() < 6 || email.size() > kMaxEmail) return false;
    auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) return false;
    auto domain = email.substr(at + 1);
    auto dot = domain.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 2 > domain.size() - 0 || domain.size() - dot - 1 < 2) return false;
    return std::none_of(email.begin(), email.end(), [](char c) { return c == ' ' || c == ',' || c == ';'; });
}

ContactProblem validateContact(ContactDetails& c) {
    c.firstName = trim(utf8Sanitise(c.firstName, kMaxFirstName + 1));
    c.phone = trim(c.phone);
    c.email = trim(c.email);
    c.message = utf8Sanitise(c.message, kMaxMessage + 1);
    // A name has at least one letter: "'" or "-" alone is no way to greet someone. Any non-ASCII
    // code point counts as a letter (é, ß, Arabic, Cyrillic…): names are not only Latin.
    bool letter = std::any_of(c.firstName.begin(), c.firstName.end(), [](char ch) {
        auto u = static_cast<unsigned char>(ch);
        return u >= 0x80 || std::isalpha(u);
    });
    if (!letter) return ContactProblem::FirstNameMissing;
    if (utf8Length(c.firstName) > kMaxFirstName) return ContactProblem::FirstNameTooLong;
    if (c.phone.empty() && c.email.empty()) return ContactProblem::NoWayToReach;
    if (!c.phone.empty()) {
        ContactProblem why = ContactProblem::None;
        auto p = normaliseFrenchPhone(c.phone, &why);
        if (!p) return why;
        c.phone = *p;
    }
    if (!c.email.empty() && !isPlausibleEmail(c.email)) return ContactProblem::EmailInvalid;
    if (utf8Length(c.message) > kMaxMessage) return ContactProblem::MessageTooLong;
    return ContactProblem::None;
}

} // namespace comptoir
