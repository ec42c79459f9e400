// The CCAS's own offers from a spreadsheet (CSV, French conventions): the example file of
// assets/catalogue/, every bad row reported with its line and column, nothing imported until
// the file is clean, and only the sheet's offers replaced.
#include "comptoir/domain/catalogue.hpp"
#include "comptoir/sync/catalogue_import.hpp"
#include "import_fixture.hpp"

#include <catch2/catch.hpp>
#include <cstring>

using namespace comptoir;
using namespace comptoir::sync::central;
using namespace comptoir::test;

namespace {

bool reported(const SheetResult& r, const std::string& where, const std::string& words) {
    for (const auto& i : r.issues)
        if (i.where == where && i.reason.find(words) != std::string::npos) return true;
    return false;
}

const char* kHeader =
    "identifiant;titre;description;structure;quartier;theme;activite;rythme;frequence;creneaux;"
    "dates;a_convenir;duree_heures;places\r\n";

} // namespace

TEST_CASE("the CSV reader follows French spreadsheets: ';', BOM, quoted cells with line breaks, CRLF") {
    auto r = parseCsv("\xEF\xBB\xBF"
                      "a;b;c\r\n\"un;deux\";\"sur\r\ndeux lignes\";\"il dit \"\"oui\"\"\"\r\n\r\nx;;z\n");
    REQUIRE(r.ok());
    REQUIRE(r.rows.size() == 3);
    CHECK(r.rows[0].cells == std::vector<std::string>{"a", "b", "c"});
    CHECK(r.rows[1].cells == std::vector<std::string>{"un;deux", "sur\r\ndeux lignes", "il dit \"oui\""});
    CHECK(r.rows[2].line == 5); // the quoted line break counts
    CHECK(r.rows[2].cells == std::vector<std::string>{"x", "", "z"});

    CHECK_THAT(parseCsv("a;b\nc;\"jamais fermé\n").error,
               Catch::Contains("line 2") && Catch::Contains("never closed"));
    CHECK_THAT(parseCsv("a;b\nc;d\n\xE9t\xE9;e\n").error,
               Catch::Contains("line 3") && Catch::Contains("UTF-8"));
    CsvLimits small;
    small.maxRows = 2;
    CHECK_THAT(parseCsv("a\nb\nc\n", small).error, Catch::Contains("more than 2 rows"));
    small = {};
    small.maxCellBytes = 4;
    CHECK_THAT(parseCsv("a;abcdef\n", small).error, Catch::Contains("longer than 4 bytes"));
    CHECK(foldForMatch("  Rue Saint-Nicolas, l’Étang ") == "rue saint nicolas l etang");
}

TEST_CASE("the example sheet reads clean into offers of the catalogue") {
    TempDir dir;
    auto storage = demoStorage(dir);
    auto sheet = readOfferSheet(readFile(sourcePath("assets/catalogue/offres-ccas.example.csv")),
                                currentCatalogue(*storage));
    for (const auto& i : sheet.issues)
        UNSCOPED_INFO(i.where << ": " << i.reason);
    REQUIRE(sheet.clean());
    REQUIRE(sheet.offers.offers.size() == 3);
    const auto& petitDej = sheet.offers.offers[0];
    CHECK(petitDej.id == "ccas-petit-dej-solidaire");
    CHECK(petitDej.source == "sheet");
    CHECK(petitDej.description ==
          "Vous accueillez les personnes autour d'un café.\nVous aidez à ranger ensuite. On vous "
          "explique tout.");
    CHECK(petitDej.themeId == "solidarite");
    CHECK(petitDej.activityId == "aide-alimentaire");
    CHECK(petitDej.neighbourhoodId == "centre-ville");
    CHECK(petitDej.frequency == "weekly");
    REQUIRE(petitDej.slots.size() == 2);
    CHECK(petitDej.slots[1].weekday == 4);
    CHECK(petitDej.slots[1].start == "08:00");
    CHECK(petitDej.minAge == 16);
    CHECK(petitDej.parentalAgreement);
    // The optional translation columns (titre_en, description_en).
    REQUIRE(petitDej.translations.size() == 1);
    CHECK(petitDej.translations[0].language == "en");
    CHECK(petitDej.translations[0].title == "Serve the community breakfast");
    CHECK(petitDej.translations[0].description ==
          "You welcome people over a coffee.\nYou help tidy up afterwards. We explain everything.");
    const auto& fete = sheet.offers.offers[1];
    CHECK(fete.rhythm == Rhythm::OneOff);
    REQUIRE(fete.dates.size() == 1);
    CHECK(fete.dates[0].start == "2027-06-20T09:00");
    const auto& permis = sheet.offers.offers[2];
    CHECK(permis.permisCitoyen);
    CHECK(permis.toBeAgreed);
    CHECK(permis.applicationUrl == "https://www.example.org/permis-citoyen");
    CHECK(sheet.offers.organisations.size() == 3);
    CHECK(sheet.offers.offers[1].translations.empty());

    // Saved on Windows (CRLF everywhere, inside quoted cells too): the same offers.
    auto text = readFile(sourcePath("assets/catalogue/offres-ccas.example.csv"));
    std::string crlf;
    for (char ch : text)
        crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    auto windows = readOfferSheet(crlf, currentCatalogue(*storage));
    REQUIRE(windows.clean());
    CHECK(windows.offers.offers[0].description == petitDej.description);
}

TEST_CASE("every bad row is reported with its line and column, and nothing is imported") {
    TempDir dir;
    auto storage = demoStorage(dir);
    auto base = currentCatalogue(*storage);
    std::string csv =
        std::string(kHeader) +
        "bon;Un titre;Une description;Asso fictive;Doutre;Solidarité;Aide alimentaire;ponctuel;;;"
        "05/12/2026 09:00-12:00;non;3;2\r\n"
        "bon;Doublon;Texte;Asso fictive;Quartier imaginaire;Solidarité;Jardinage;souvent;;;;peut-être;"
        "beaucoup;-1\r\n"
        "\"multi\";\"Titre\nsur deux lignes\";Texte;Asso;Doutre;Sport;Sport adapté;régulier;mensuelle;"
        "lundi 25:00-26:00;;non;2;1\r\n"
        "sans-date;Titre;Texte;Asso;Doutre;Sport;Sport adapté;ponctuel;;;;non;2;1\r\n";
    auto sheet = readOfferSheet(csv, base);
    CHECK_FALSE(sheet.clean());
    CHECK(sheet.offers.offers.empty());
    CHECK(reported(sheet, "line 3, column A (identifiant)", "used by another row"));
    CHECK(reported(sheet, "line 3, column E (quartier)", "Quartier imaginaire"));
    CHECK(reported(sheet, "line 3, column G (activite)", "Jardinage"));
    CHECK(reported(sheet, "line 3, column H (rythme)", "ponctuel or régulier"));
    CHECK(reported(sheet, "line 3, column L (a convenir)", "oui or non"));
    CHECK(reported(sheet, "line 3, column M (duree heures)", "0,5 to 200"));
    CHECK(reported(sheet, "line 3, column N (places)", "0 to 500"));
    CHECK(reported(sheet, "line 4, column B (titre)", "line break"));
    CHECK(reported(sheet, "line 4, column J (creneaux)", "lundi 25:00-26:00"));
    // Line 6: the quoted line break of line 4 moved every later line down by one.
    CHECK(reported(sheet, "line 6", "needs a date or to_be_agreed"));

    // Translation columns: both cells of a language or neither; shown text only.
    std::string withTr = std::string(kHeader, std::strlen(kHeader) - 2) +
                         ";titre_en;description_en;titre_ar;description_ar\r\n";
    auto row = [](const std::string& id, const std::string& extra) {
        return id +
               ";Un titre;Une description;Asso fictive;Doutre;Solidarité;Aide alimentaire;ponctuel;;;"
               "05/12/2026 09:00-12:00;non;3;2;" +
               extra + "\r\n";
    };
    auto good = readOfferSheet(withTr + row("a", "A title;A description;;"), base);
    REQUIRE(good.clean());
    REQUIRE(good.offers.offers[0].translations.size() == 1);
    CHECK(good.offers.offers[0].translations[0].title == "A title");
    auto bad = readOfferSheet(withTr + row("a", "A title;A description;;") + row("b", "Only a title;;;") +
                                  row("c", ";;\xE2\x80\xAE"
                                           "عنوان;وصف"),
                              base);
    CHECK_FALSE(bad.clean());
    CHECK(bad.offers.offers.empty());
    CHECK(reported(bad, "line 3, column P (description en)", "write both or neither"));
    CHECK(reported(bad, "line 4, column Q (titre ar)", "bidirectional"));

    auto missing = readOfferSheet("identifiant;titre\r\nx;y\r\n", base);
    CHECK(reported(missing, "line 1", "the column 'description' is missing"));

    // Through the command: the same report, and the catalogue is left as it was.
    writeFile(dir.file("offres.csv"), csv);
    auto version = storage->catalogueVersion();
    storage.reset();
    std::string out;
    CHECK(runCommand(binaryPath("sync/comptoir-central") + " catalogue import-sheet --db '" +
                         dir.file("central.db") + "' '" + dir.file("offres.csv") + "'",
                     out) == 1);
    CHECK_THAT(out, Catch::Contains("line 3, column N (places)") && Catch::Contains("nothing imported"));
    CHECK(openSqliteStorage(dir.file("central.db"))->catalogueVersion() == version);
}

TEST_CASE("a new sheet replaces only the sheet's offers; a row removed is closed, not deleted") {
    TempDir dir;
    auto storage = demoStorage(dir);
    auto example = readFile(sourcePath("assets/catalogue/offres-ccas.example.csv"));
    auto first = readOfferSheet(example, currentCatalogue(*storage));
    REQUIRE(first.clean());
    (void)importSourceOffers(*storage, first.offers);
    // The same catalogue holds an imported mission too.
    SourceOffers mission;
    mission.source = kSourceEngagement;
    Offer m = first.offers.offers[1];
    m.id = "eng-mission-fictive";
    m.source = kSourceEngagement;
    mission.offers.push_back(m);
    mission.organisations.push_back(first.offers.organisations[1]);
    (void)importSourceOffers(*storage, mission);

    // The second sheet lost its last row (the Permis Citoyen offer).
    auto cut = example.substr(0, example.find("permis-citoyen-archives"));
    auto second = readOfferSheet(cut, currentCatalogue(*storage));
    REQUIRE(second.clean());
    auto s = importSourceOffers(*storage, second.offers);
    CHECK(s.imported == 2);
    CHECK(s.closed == 1);
    auto c = currentCatalogue(*storage);
    REQUIRE(findOffer(c, "ccas-permis-citoyen-archives"));
    CHECK(findOffer(c, "ccas-permis-citoyen-archives")->status == OfferStatus::Archived);
    CHECK_FALSE(findOffer(c, "ccas-permis-citoyen-archives")->registrationOpen);
    REQUIRE(findOffer(c, "eng-mission-fictive"));
    CHECK(findOffer(c, "eng-mission-fictive")->status == OfferStatus::Published);
    CHECK(findOffer(c, "off-0001"));
}
