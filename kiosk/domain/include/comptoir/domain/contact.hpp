#pragma once
/// @brief What a visitor leaves to be contacted, and its validation (French formats).

#include <optional>
#include <string>

namespace comptoir {

struct ContactDetails {
    std::string firstName;
    std::string phone; ///< normalised "0612345678" once validated
    std::string email;
    std::string message;
};

/// Why a contact form cannot be accepted; each maps to one kind sentence in the catalogue.
enum class ContactProblem {
    None,
    FirstNameMissing,
    FirstNameTooLong,
    NoWayToReach,   ///< neither phone nor e-mail
    PhoneIncomplete,
    PhoneInvalid,
    EmailInvalid,
    MessageTooLong,
};

inline constexpr std::size_t kMaxFirstName = 40;
inline constexpr std::size_t kMaxEmail = 120;
inline constexpr std::size_t kMaxMessage = 300;

/// "06 12 34 56 78", "+33 6 12 34 56 78", "06.12.34.56.78" → "0612345678"; nullopt with a reason otherwise.
[[nodiscard]] std::optional<std::string> normaliseFrenchPhone(const std::string& input, ContactProblem* why = nullptr);
[[nodiscard]] bool isPlausibleEmail(const std::string& email);
/// Validates and normalises in place; returns the first problem found.
[[nodiscard]] ContactProblem validateContact(ContactDetails& contact);

} // namespace comptoir
