#include "comptoir/domain/contact.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

TEST_CASE("French phone numbers are normalised") {
    CHECK(normalisePhone("06 12 34 56 78") == std::optional<std::string>("0612345678"));
    CHECK(normalisePhone("06.12.34.56.78") == std::optional<std::string>("0612345678"));
    CHECK(normalisePhone("+33 6 12 34 56 78") == std::optional<std::string>("0612345678"));
    ContactProblem why{};
    CHECK_FALSE(normalisePhone("06 12 34", &why));
    CHECK(why == ContactProblem::PhoneIncomplete);
    CHECK_FALSE(normalisePhone("06 12 34 56 78 9", &why));
    CHECK(why == ContactProblem::PhoneInvalid);
    CHECK_FALSE(normalisePhone("06-12-AB", &why));
    CHECK(why == ContactProblem::PhoneInvalid);
}

TEST_CASE("foreign numbers are accepted in the international form, E.164 rules") {
    using P = std::optional<std::string>;
    CHECK(normalisePhone("+32 470 12 34 56") == P("+32470123456"));
    CHECK(normalisePhone("+212 6 12 34 56 78") == P("+212612345678"));
    CHECK(normalisePhone("+44 7700 900123") == P("+447700900123"));
    CHECK(normalisePhone("0032 470 12 34 56") == P("+32470123456"));
    CHECK(normalisePhone("0033 6 12 34 56 78") == P("0612345678")); // French, in its usual form
    CHECK(normalisePhone("+380 50 123 45 67") == P("+380501234567"));
    ContactProblem why{};
    CHECK_FALSE(normalisePhone("+32 4", &why));
    CHECK(why == ContactProblem::PhoneIncompleteForeign);
    CHECK(normalisePhone("+32 470 12 34 56 78 90") == P("+324701234567890")); // 15 digits: E.164's most
    CHECK_FALSE(normalisePhone("+32 470 12 34 56 78 90 1", &why));            // 16: one too many
    CHECK(why == ContactProblem::PhoneInvalid);
    CHECK_FALSE(normalisePhone("+999 123 456 789", &why)); // no country has the code 999
    CHECK(why == ContactProblem::PhoneInvalid);
    CHECK_FALSE(normalisePhone("+33 6 12 34", &why)); // +33 is judged as a French number
    CHECK(why == ContactProblem::PhoneIncomplete);
    CHECK_FALSE(normalisePhone("32 470 12 34 56", &why)); // no + and no 0: not a number we can call
    CHECK(why == ContactProblem::PhoneInvalid);
    CHECK(countryCodeLength("1202") == 1);
    CHECK(countryCodeLength("212612") == 3);
    CHECK(countryCodeLength("999") == 0);
}

TEST_CASE("phone numbers are grouped to be checked at a glance, half-typed too") {
    CHECK(groupPhone("0612345678") == "06 12 34 56 78");
    CHECK(groupPhone("061") == "06 1");
    CHECK(groupPhone("+33612345678") == "+33 6 12 34 56 78");
    CHECK(groupPhone("+32470123456") == "+32 470 12 34 56");
    CHECK(groupPhone("+212612345678") == "+212 612 34 56 78");
    CHECK(groupPhone("+447700900123") == "+44 7700 90 01 23");
    CHECK(groupPhone("0032470123456") == "00 32 470 12 34 56");
    CHECK(groupPhone("+2") == "+2");
    CHECK(groupPhone("+21") == "+21");
    CHECK(groupPhone("+3247") == "+32 47");
    CHECK(groupPhone("+") == "+");
}

TEST_CASE("a foreign number passes the whole contact validation, stored in E.164") {
    ContactDetails c{"Amal", "+212 6 12 34 56 78", "", ""};
    CHECK(validateContact(c) == ContactProblem::None);
    CHECK(c.phone == "+212612345678");
    CHECK(validateContact(c) == ContactProblem::None); // a stored number validates again unchanged
    CHECK(c.phone == "+212612345678");
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
