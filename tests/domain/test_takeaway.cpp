// The take-away ticket text: bounded, one fact per line, and a QR code that encodes it.
#include "comptoir/domain/config.hpp"
#include "comptoir/domain/takeaway.hpp"
#include "comptoir/domain/text.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;

namespace {
Strings french() {
    Strings s;
    std::string err;
    REQUIRE(s.loadText(test::readFile(test::sourcePath("assets/i18n/fr.json")), "", err));
    return s;
}
} // namespace

TEST_CASE("the ticket says the offer's public facts, one per line") {
    TakeawayFacts f{"Comptoir Citoyen d'Angers",
                    "Atelier vélo",
                    "samedi 5 décembre, 10 h",
                    "Maison de quartier · Doutre",
                    "Vélocité",
                    "02 41 00 00 00",
                    "ABC-DEF"};
    CHECK(takeawayText(f, french()) ==
          "Comptoir Citoyen d'Angers\nAtelier vélo\nQuand : samedi 5 décembre, 10 h\n"
          "Où : Maison de quartier · Doutre\nContact : Vélocité, 02 41 00 00 00\n"
          "Votre code : ABC-DEF");
    f = TakeawayFacts{"Comptoir", "", "", "", "", "", "XYZ-123"};
    CHECK(takeawayText(f, french()) == "Comptoir\nVotre code : XYZ-123");
}

TEST_CASE("the offer's page on its platform is on the ticket whole, or not at all") {
    TakeawayFacts f{
        "Comptoir", "Atelier vélo", "", "", "", "", "ABC-DEF", "https://www.jeveuxaider.gouv.fr/m/42"};
    CHECK(takeawayText(f, french()) ==
          "Comptoir\nAtelier vélo\nEn ligne : https://www.jeveuxaider.gouv.fr/m/42\nVotre code : ABC-DEF");
    // Too long to fit beside the rest: left out rather than cut into an address that leads nowhere.
    f.onlineUrl = "https://example.org/" + std::string(400, 'a');
    CHECK(takeawayText(f, french()).find("En ligne") == std::string::npos);
    f.where = std::string(70, 'w'); // long facts leave no room: still never a cut address
    f.onlineUrl = "https://example.org/" + std::string(250, 'b');
    REQUIRE(f.onlineUrl.size() < kTakeawayMaxBytes - 40); // alone it would fit
    CHECK(takeawayText(f, french()).find("https://") == std::string::npos);
    // Only a web address: a catalogue's "javascript:" or text is not a link.
    f.where.clear();
    f.onlineUrl = "javascript:alert(1)";
    CHECK(takeawayText(f, french()).find("En ligne") == std::string::npos);
}

TEST_CASE("a hostile catalogue cannot add lines, break UTF-8 or push the code out of the ticket") {
    std::string huge(5000, 'e');
    TakeawayFacts f{"Comptoir", "Titre\nFaux : ligne\x01", huge, std::string(3000, '\xC3'), huge, huge,
                    "ABC-DEF"};
    std::string t = takeawayText(f, french());
    CHECK(t.size() <= kTakeawayMaxBytes);
    CHECK(isValidUtf8(t));
    CHECK(t.find("Titre Faux : ligne") != std::string::npos); // the newline became a space
    CHECK(t.find("Votre code : ABC-DEF") != std::string::npos);
    CHECK(encodeQr(t).size > 0);
}

TEST_CASE("the QR code has the size its text needs, and refuses what cannot be a code") {
    QrMatrix small = encodeQr("ABC");
    CHECK(small.size == 21); // version 1
    CHECK(small.dark.size() == 21u * 21u);
    CHECK(small.at(0, 0)); // finder pattern corner
    CHECK(encodeQr(std::string(kTakeawayMaxBytes, 'a')).size > small.size);
    CHECK(encodeQr("").size == 0);
    CHECK(encodeQr(std::string(5000, 'a')).size == 0);
}

TEST_CASE("the printer's paper width is 58 or 80 mm, nothing else") {
    auto ok = parseConfig("[printer]\nqueue = \"ticket\"\nwidth_mm = 58\n");
    REQUIRE(ok.config);
    CHECK(ok.config->printerQueue == "ticket");
    CHECK(ok.config->printerWidthMm == 58);
    auto bad = parseConfig("[printer]\nwidth_mm = 70\n");
    REQUIRE(bad.error);
    CHECK(bad.error->key == "printer.width_mm");
    CHECK(parseConfig("").config->printerQueue.empty()); // no printer by default
}
