#include "comptoir/domain/contact.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

TEST_CASE("French phone numbers are normalised") {
    CHECK(normaliseFrenchPhone("06 12 34 56 78") == std::optional<std::string>("0612345678"));
    CHECK(normaliseFrenchPhone("06.12.34.56.78") == std::optional<std::string>("0612345678"));
    CHECK(normaliseFrenchPhone("+33 6 12 34 56 78") == std::optional<std::string>("0612345678"));
    ContactProblem why{};
    CHECK_FALSE(normaliseFrenchPhone("06 12 34", &why));
    CHECK(why == ContactProblem::PhoneIncomplete);
    CHECK_FALSE(normaliseFrenchPhone("06 12 34 56 78 9", &why));
    CHECK(why == ContactProblem::PhoneInvalid);
    CHECK_FALSE(normaliseFrenchPhone("06-12-AB", &why));
    CHECK(why == ContactProblem::PhoneInvalid);
}

TEST_CASE("contact validation asks for a first name and one way to reach the person") {
    ContactDetails c{"  Camille ", "", "", ""};
    CHECK(validateContact(c) == ContactProblem::NoWayToReach);
    CHECK(c.firstName == "Camille");
    c.email = "camille@exemple";
    CHECK(validateContact(c) == ContactProblem::EmailInvalid);
    c.email = "camille@exemple.fr";
    CHECK(validateContact(c) == ContactProblem::None);
    ContactDetails none{"", "0612345678", "", ""};
    CHECK(validateContact(none) == ContactProblem::FirstNameMissing);
    ContactDetails longName{std::string(60, 'a'), "0612345678", "", ""};
    CHECK(validateContact(longName) == ContactProblem::FirstNameTooLong);
}

TEST_CASE("a first name needs at least one letter, in any alphabet") {
    for (const char* bad : {"'", "-", "' -", "123"}) {
        ContactDetails c{bad, "0612345678", "", ""};
        CHECK(validateContact(c) == ContactProblem::FirstNameMissing);
    }
    for (const char* good : {"Zoé", "N'Dèye", "Ан", "ليلى", "O"}) {
        ContactDetails c{good, "0612345678", "", ""};
        CHECK(validateContact(c) == ContactProblem::None);
    }
}
