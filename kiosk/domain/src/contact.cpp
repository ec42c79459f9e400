#include "comptoir/domain/contact.hpp"

#include "comptoir/domain/text.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace comptoir {

namespace {
std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}
} // namespace

std::size_t countryCodeLength(const std::string& digits) {
    // The country codes the ITU assigns (E.164 annex); the set is prefix-free, so the first match
    // is the code. Kept here rather than through libphonenumber: see docs/visitor-journey.md.
    static const std::set<std::string> codes = {
        "1",   "7",   "20",  "27",  "30",  "31",  "32",  "33",  "34",  "36",  "39",  "40",  "41",  "43",
        "44",  "45",  "46",  "47",  "48",  "49",  "51",  "52",  "53",  "54",  "55",  "56",  "57",  "58",
        "60",  "61",  "62",  "63",  "64",  "65",  "66",  "81",  "82",  "84",  "86",  "90",  "91",  "92",
        "93",  "94",  "95",  "98",  "211", "212", "213", "216", "218", "220", "221", "222", "223", "224",
        "225", "226", "227", "228", "229", "230", "231", "232", "233", "234", "235", "236", "237", "238",
        "239", "240", "241", "242", "243", "244", "245", "246", "247", "248", "249", "250", "251", "252",
        "253", "254", "255", "256", "257", "258", "260", "261", "262", "263", "264", "265", "266", "267",
        "268", "269", "290", "291", "297", "298", "299", "350", "351", "352", "353", "354", "355", "356",
        "357", "358", "359", "370", "371", "372", "373", "374", "375", "376", "377", "378", "380", "381",
        "382", "383", "385", "386", "387", "389", "420", "421", "423", "500", "501", "502", "503", "504",
        "505", "506", "507", "508", "509", "590", "591", "592", "593", "594", "595", "596", "597", "598",
        "599", "670", "672", "673", "674", "675", "676", "677", "678", "679", "680", "681", "682", "683",
        "685", "686", "687", "688", "689", "690", "691", "692", "800", "808", "850", "852", "853", "855",
        "856", "870", "878", "880", "881", "882", "883", "886", "888", "960", "961", "962", "963", "964",
        "965", "966", "967", "968", "970", "971", "972", "973", "974", "975", "976", "977", "992", "993",
        "994", "995", "996", "998"};
    for (std::size_t n = 1; n <= 3 && n <= digits.size(); ++n)
        if (codes.count(digits.substr(0, n))) return n;
    return 0;
}

namespace {
constexpr std::size_t kE164MaxDigits = 15;
/// Fewer digits than this after the + is no whole number anywhere (the shortest plans, such as
/// Niue's or the Falklands', have 4 or 5 digits after a 3-digit code).
constexpr std::size_t kE164MinDigits = 7;

/// The digits of a phone number as typed, with whether it was written in the international form
/// ("+" or "00" first). False when something other than digits, spaces, dots, dashes or a leading
/// + is in it.
bool phoneDigits(const std::string& input, std::string& digits, bool& international) {
    digits.clear();
    international = false;
    for (char c : input) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c == '+' && digits.empty() && !international)
            international = true;
        else if (c != ' ' && c != '.' && c != '-')
            return false;
    }
    if (!international && digits.rfind("00", 0) == 0) { // 0033…, 0032…: the international prefix
        international = true;
        digits.erase(0, 2);
    }
    return true;
}
} // namespace

std::optional<std::string> normalisePhone(const std::string& input, ContactProblem* why) {
    auto fail = [why](ContactProblem p) {
        if (why) *why = p;
        return std::nullopt;
    };
    std::string digits;
    bool international = false;
    if (!phoneDigits(input, digits, international)) return fail(ContactProblem::PhoneInvalid);
    if (international && digits.rfind("33", 0) == 0) {
        digits.replace(0, 2, "0"); // +33 6… is 06…: French numbers keep their usual form
        international = false;
    }
    if (international) {
        if (digits.size() > kE164MaxDigits) return fail(ContactProblem::PhoneInvalid);
        if (digits.size() >= 3 && countryCodeLength(digits) == 0) return fail(ContactProblem::PhoneInvalid);
        if (digits.size() < kE164MinDigits) return fail(ContactProblem::PhoneIncompleteForeign);
        if (countryCodeLength(digits) == 0) return fail(ContactProblem::PhoneInvalid);
        return "+" + digits;
    }
    if (digits.size() < 10) return fail(ContactProblem::PhoneIncomplete);
    if (digits.size() > 10 || digits[0] != '0' || digits[1] == '0') return fail(ContactProblem::PhoneInvalid);
    return digits;
}

std::string groupPhone(const std::string& typed) {
    std::string digits;
    bool plus = false;
    for (char c : typed) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c == '+' && digits.empty())
            plus = true;
    }
    auto pairs = [](const std::string& d, std::size_t lead) {
        std::string out = d.substr(0, std::min(lead, d.size()));
        for (std::size_t i = lead; i < d.size(); i += 2)
            out += (out.empty() ? "" : " ") + d.substr(i, 2);
        return out;
    };
    std::string prefix = plus ? "+" : "";
    if (!plus && digits.rfind("00", 0) == 0 && digits.size() > 2) { // 0033…, written as typed
        prefix = "00 ";
        digits.erase(0, 2);
        plus = true;
    }
    if (!plus) return pairs(digits, 2);
    std::size_t cc = countryCodeLength(digits);
    if (cc == 0) return prefix + digits; // the code is not complete yet
    std::string national = digits.substr(cc);
    std::string out = prefix + digits.substr(0, cc);
    if (national.empty()) return out;
    // French: "+33 6 12 34 56 78". Elsewhere one group of 3 or 4, then pairs: "+32 470 12 34 56".
    std::size_t lead = digits.substr(0, cc) == "33" ? 1
                       : national.size() <= 4       ? national.size()
                       : national.size() % 2        ? 3
                                                    : 4;
    return out + " " + pairs(national, lead);
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
        auto p = normalisePhone(c.phone, &why);
        if (!p) return why;
        c.phone = *p;
    }
    if (!c.email.empty() && !isPlausibleEmail(c.email)) return ContactProblem::EmailInvalid;
    if (utf8Length(c.message) > kMaxMessage) return ContactProblem::MessageTooLong;
    return ContactProblem::None;
}

} // namespace comptoir
