#include "comptoir/domain/speech_text.hpp"
#include "comptoir/domain/text.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

TEST_CASE("UTF-8 validation and length") {
    CHECK(isValidUtf8("Bénévolat, œuvre, « Noël » …"));
    CHECK_FALSE(isValidUtf8("\xC3"));
    CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate
    CHECK(utf8Length("éèà") == 3);
}

TEST_CASE("sanitising keeps whole code points and replaces odd bytes") {
    CHECK(utf8Sanitise("Zoé", 2) == "Zo");
    CHECK(utf8Sanitise("Zoé", 3) == "Zoé");
    CHECK(utf8Sanitise("a\xFF" "b", 10) == "a\xEF\xBF\xBD" "b");
    CHECK(utf8Sanitise("a\nb\tc", 10) == "a b c");
    CHECK(isValidUtf8(utf8Sanitise(std::string("\xF0\x9F\x98\x80\xC3\x28", 6), 10)));
}

TEST_CASE("numbers print short") {
    CHECK(formatNumber(3) == "3");
    CHECK(formatNumber(2.5) == "2.5");
}

TEST_CASE("text read aloud is said as a person would say it") {
    CHECK(textForSpeech("samedi 5 décembre, 11 h 30 – 13 h") == "samedi 5 décembre, 11 heures 30 – 13 heures");
    CHECK(textForSpeech("Durée : 1 h, ou 45 min") == "Durée : 1 heure, ou 45 minutes");
    CHECK(textForSpeech("2.5 h en tout") == "2 virgule 5 heures en tout");
    CHECK(textForSpeech("Appelez le 06 12 34 56 78.") == "Appelez le 06, 12, 34, 56, 78.");
    CHECK(textForSpeech("Votre code : K7F-4QX") == "Votre code : K, 7, F, 4, Q, X");
    CHECK(textForSpeech("Jardin partagé du Hutreau") == "Jardin partagé du Hutreau"); // words stay words
}

TEST_CASE("wrapWords cuts at spaces, and a word wider than a line between code points") {
    auto upTo = [](std::size_t n) { return [n](const std::string& s) { return utf8Length(s) <= n; }; };
    CHECK(wrapWords("un deux trois", upTo(7)) == std::vector<std::string>{"un deux", "trois"});
    CHECK(wrapWords("abcdefghij", upTo(4)) == std::vector<std::string>{"abcd", "efgh", "ij"});
    CHECK(wrapWords("ééééé", upTo(2)) == std::vector<std::string>{"éé", "éé", "é"});
    // nothing ever fits: one code point a line, and the loop ends
    CHECK(wrapWords("aé", [](const std::string&) { return false; }) == std::vector<std::string>{"a", "é"});
    CHECK(wrapWords("", upTo(3)).empty());
}
