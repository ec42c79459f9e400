// The translations: gettext catalogues compiled by msgfmt at build time, read by Strings::loadMo.
// Every language must be complete (a key missing, untranslated or fuzzy fails, by name), keep
// the French placeholders, and count the way its language counts.

#include "comptoir/domain/i18n.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <regex>
#include <set>

using namespace comptoir;

namespace {

const char* const kLanguages[] = {"en", "es", "ar", "uk"};

std::string french() {
    return test::readFile(test::sourcePath("assets/i18n/fr.json"));
}
std::string mo(const std::string& lang) {
    return test::readFile(std::string(COMPTOIR_LOCALE_DIR) + "/" + lang + ".mo");
}

std::set<std::string> placeholders(const std::string& s) {
    std::set<std::string> out;
    static const std::regex re(R"(\{[a-z_]+\})");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
        out.insert(it->str());
    return out;
}

std::size_t ruleIndex(const char* rule, unsigned long long n) {
    PluralForms p;
    REQUIRE(p.parse(rule));
    return p.index(n);
}

/// A minimal .mo image: header + one message, little-endian, built by hand.
std::string tinyMo(const std::string& id, const std::string& str, std::uint32_t strOffsetDelta = 0) {
    std::string header =
        "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n";
    std::vector<std::pair<std::string, std::string>> msgs = {{"", header}, {id, str}};
    std::uint32_t n = 2, origOff = 28, transOff = 28 + 16, dataOff = 28 + 32;
    std::string out(dataOff, '\0');
    auto put = [&](std::size_t at, std::uint32_t v) { std::memcpy(&out[at], &v, 4); };
    put(0, 0x950412de);
    put(4, 0);
    put(8, n);
    put(12, origOff);
    put(16, transOff);
    for (std::uint32_t i = 0; i < n; ++i) {
        put(origOff + i * 8, static_cast<std::uint32_t>(msgs[i].first.size()));
        put(origOff + i * 8 + 4, static_cast<std::uint32_t>(out.size()));
        out += msgs[i].first;
        out.push_back('\0');
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        put(transOff + i * 8, static_cast<std::uint32_t>(msgs[i].second.size()));
        put(transOff + i * 8 + 4, static_cast<std::uint32_t>(out.size()) + (i == 1 ? strOffsetDelta : 0));
        out += msgs[i].second;
        out.push_back('\0');
    }
    return out;
}

} // namespace

TEST_CASE("every language has every French key translated, and keeps its placeholders") {
    Strings fr;
    std::string err;
    REQUIRE(fr.loadText(french(), "", err));
    for (const char* lang : kLanguages) {
        INFO("language " << lang);
        Strings s;
        REQUIRE(s.loadMo(french(), mo(lang), err));
        CHECK(s.language() == lang);
        // msgfmt leaves out untranslated and fuzzy messages: both show up here, by key.
        std::string missing;
        for (const auto& k : s.untranslated())
            missing += k + " ";
        INFO("missing, untranslated or fuzzy (run scripts/i18n-update, then translate): " << missing);
        CHECK(s.untranslated().empty());
        CHECK(s.size() == fr.size()); // nothing the French catalogue does not have
    }
}

TEST_CASE("translations keep the placeholders the code fills in") {
    Strings fr;
    std::string err;
    REQUIRE(fr.loadText(french(), "", err));
    for (const char* lang : kLanguages) {
        Strings s;
        REQUIRE(s.loadMo(french(), mo(lang), err));
        for (const auto& key : fr.keys()) {
            std::set<std::string> frenchAll, translatedAll;
            for (long long n : {0LL, 1LL, 2LL, 3LL, 5LL, 11LL, 21LL, 100LL}) {
                // plural() on a singular key is get(): one call covers both kinds
                for (const auto& p : placeholders(fr.plural(key, n)))
                    frenchAll.insert(p);
                auto t = placeholders(s.plural(key, n));
                INFO(lang << " " << key << " n=" << n << ": " << s.plural(key, n));
                for (const auto& p : t)
                    CHECK(fr.plural(key, 2).find(p) != std::string::npos);
                translatedAll.insert(t.begin(), t.end());
            }
            frenchAll.erase("{n}"); // a form may spell the number out ("يومان": two days)
            translatedAll.erase("{n}");
            INFO(lang << " " << key);
            CHECK(translatedAll == frenchAll);
        }
    }
}

TEST_CASE("each language counts its own way (gettext Plural-Forms, evaluated)") {
    const char* ar = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
                     "n%100>=11 ? 4 : 5);";
    const char* uk = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                     "n%100>=20) ? 1 : 2);";
    std::pair<unsigned long long, std::size_t> arCases[] = {{0, 0},   {1, 1},   {2, 2},   {3, 3},
                                                            {10, 3},  {11, 4},  {99, 4},  {100, 5},
                                                            {102, 5}, {103, 3}, {111, 4}, {1000, 5}};
    for (auto [n, want] : arCases)
        CHECK(ruleIndex(ar, n) == want);
    std::pair<unsigned long long, std::size_t> ukCases[] = {{1, 0},  {21, 0}, {101, 0}, {2, 1},
                                                            {4, 1},  {22, 1}, {0, 2},   {5, 2},
                                                            {11, 2}, {12, 2}, {14, 2},  {111, 2}};
    for (auto [n, want] : ukCases)
        CHECK(ruleIndex(uk, n) == want);
    CHECK(ruleIndex("nplurals=2; plural=(n > 1);", 0) == 0);
    CHECK(ruleIndex("nplurals=2; plural=(n > 1);", 2) == 1);
    CHECK(ruleIndex("nplurals=2; plural=n != 1;", 0) == 1);
    CHECK(ruleIndex("nplurals=1; plural=0;", 7) == 0);
    CHECK(ruleIndex("nplurals=2; plural=!(n == 1);", 1) == 0);
    CHECK(ruleIndex("nplurals=2; plural=n % 0;", 5) == 0);     // division by zero: first form, no trap
    CHECK(ruleIndex("nplurals=2; plural=n * 7 - 3;", 5) == 0); // out of range: first form, as gettext

    // Through the real catalogues.
    std::string err;
    Strings sar, suk, ses;
    REQUIRE(sar.loadMo(french(), mo("ar"), err));
    REQUIRE(suk.loadMo(french(), mo("uk"), err));
    REQUIRE(ses.loadMo(french(), mo("es"), err));
    CHECK(sar.plural("offer.places_left", 1) == "مكان واحد شاغر");
    CHECK(sar.plural("offer.places_left", 2) == "مكانان شاغران");
    CHECK(sar.plural("offer.places_left", 5) == "5 أماكن شاغرة");
    CHECK(sar.plural("offer.places_left", 12) == "12 مكانًا شاغرًا");
    CHECK(sar.plural("offer.places_left", 100) == "100 مكان شاغر");
    CHECK(suk.plural("offer.places_left", 1) == "1 вільне місце");
    CHECK(suk.plural("offer.places_left", 3) == "3 вільні місця");
    CHECK(suk.plural("offer.places_left", 5) == "5 вільних місць");
    CHECK(suk.plural("offer.places_left", 11) == "11 вільних місць");
    CHECK(suk.plural("offer.places_left", 21) == "21 вільне місце");
    CHECK(ses.plural("offer.places_left", 0) == "0 plazas libres");
    CHECK(ses.plural("offer.places_left", 1) == "1 plaza libre");
}

TEST_CASE("hostile Plural-Forms are refused") {
    PluralForms p;
    CHECK_FALSE(p.parse(""));
    CHECK_FALSE(p.parse("nplurals=7; plural=n;"));         // more forms than any language has
    CHECK_FALSE(p.parse("nplurals=2; plural=(n;"));        // unbalanced
    CHECK_FALSE(p.parse("nplurals=2; plural=n ? 1;"));     // half a conditional
    CHECK_FALSE(p.parse("nplurals=2; plural=system(n);")); // not gettext's C subset
    CHECK_FALSE(p.parse("nplurals=2; plural=n & 1;"));
    CHECK_FALSE(p.parse("nplurals=2; plural=99999999999999;"));
    std::string deep = "nplurals=2; plural=" + std::string(200, '(') + "n" + std::string(200, ')') + ";";
    CHECK_FALSE(p.parse(deep)); // bounded depth: no stack exhaustion
    std::string longRule = "nplurals=2; plural=n" + std::string(600, ' ') + ";";
    CHECK_FALSE(p.parse(longRule));
    CHECK(p.parse("nplurals=2; plural=(n != 1);")); // and still usable afterwards
}

TEST_CASE("a damaged or hostile compiled catalogue is refused and leaves plain French") {
    std::string err;
    const std::string good = tinyMo(std::string("button.back") + '\x04' + "Retour", "Back");
    Strings s;
    REQUIRE(s.loadMo(french(), good, err));
    CHECK(s.get("button.back") == "Back");
    CHECK(s.get("button.continue") == "Continuer"); // not in this catalogue: French
    CHECK(!s.untranslated().empty());

    auto refused = [&](const std::string& bytes) {
        Strings t;
        std::string e;
        bool ok = t.loadMo(french(), bytes, e);
        CHECK(t.get("button.back") == "Retour");
        return !ok && !e.empty();
    };
    CHECK(refused(""));
    CHECK(refused(good.substr(0, 20)));                  // cut inside the header
    CHECK(refused(good.substr(0, good.size() - 3)));     // cut inside the strings
    CHECK(refused("\xde\xad\xbe\xef" + good.substr(4))); // not a .mo
    CHECK(refused(
        tinyMo(std::string("button.back") + '\x04' + "Retour", "Back", 1u << 30))); // offset out of the file
    CHECK(refused(tinyMo(std::string("button.back") + '\x04' + "Retour", "\xff\xfe"))); // not UTF-8
    std::string huge = good;
    std::uint32_t many = 1u << 30;
    std::memcpy(&huge[8], &many, 4);
    CHECK(refused(huge)); // a count far past the file
}
