#pragma once
/// @brief What a visitor leaves to be contacted, and its validation (French numbers, and foreign
/// ones in E.164 form).

#include <optional>
#include <string>

namespace comptoir {

struct ContactDetails {
    std::string firstName;
    std::string phone; ///< normalised once validated: "0612345678" (French), "+32470123456" (E.164)
    std::string email;
    std::string message;
};

/// Why a contact form cannot be accepted; each maps to one kind sentence in the catalogue.
enum class ContactProblem {
    None,
    FirstNameMissing,
    FirstNameTooLong,
    NoWayToReach, ///< neither phone nor e-mail
    PhoneIncomplete,
    PhoneIncompleteForeign, ///< "+32 47": said with the international form as the example
    PhoneInvalid,
    EmailInvalid,
    MessageTooLong,
};

inline constexpr std::size_t kMaxFirstName = 40;
inline constexpr std::size_t kMaxEmail = 120;
inline constexpr std::size_t kMaxMessage = 300;
/// What the phone field takes as typed: "00", 15 digits and some room for spaces.
inline constexpr std::size_t kMaxPhoneTyped = 20;

/// "06 12 34 56 78", "+33 6 12 34 56 78", "0033 6 12 34 56 78" → "0612345678"; a foreign number with
/// its country code, "+32 470 12 34 56" or "0032 470…", → "+32470123456" (E.164: a country code
/// assigned by the ITU, 15 digits at most). nullopt with a reason otherwise.
[[nodiscard]] std::optional<std::string> normalisePhone(const std::string& input,
                                                        ContactProblem* why = nullptr);
/// A phone number, whole or half-typed, grouped to be read at a glance: French in pairs
/// ("06 12 34 56 78", "+33 6 12 34 56 78"), a foreign one as its country code then the rest
/// ("+32 470 12 34 56", "+44 7700 90 01 23"). Characters other than digits and a leading + are dropped.
[[nodiscard]] std::string groupPhone(const std::string& typed);
/// The length of the E.164 country code `digits` starts with (1 to 3), 0 when none is assigned.
[[nodiscard]] std::size_t countryCodeLength(const std::string& digits);
[[nodiscard]] bool isPlausibleEmail(const std::string& email);
/// Validates and normalises in place; returns the first problem found.
[[nodiscard]] ContactProblem validateContact(ContactDetails& contact);

} // namespace comptoir
