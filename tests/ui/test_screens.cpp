// Every visitor screen rendered headless at 1280x800 and 1920x1080 through the screenshot tour,
// each image checked to be a real picture; plus touch behaviour of lists and keys.
#include "comptoir/platform/platform.hpp"
#include "comptoir/system/backlight.hpp"
#include "kiosk_harness.hpp"

#include "comptoir/domain/text.hpp"
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace comptoir;
using test::KioskHarness;
namespace fs = std::filesystem;

namespace {
/// A blank or nearly uniform picture has few colours and almost every pixel alike.
void requireNotBlank(const std::string& png, int w, int h) {
    int pw = 0, ph = 0;
    std::vector<std::uint8_t> rgba;
    std::string error;
    INFO(png);
    REQUIRE(platform::readPng(png, pw, ph, rgba, error));
    CHECK(pw == w);
    CHECK(ph == h);
    std::set<std::uint32_t> colours;
    std::size_t same = 0;
    std::uint32_t first = rgba[0] | (rgba[1] << 8) | (rgba[2] << 16);
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
        std::uint32_t c = rgba[i] | (rgba[i + 1] << 8) | (rgba[i + 2] << 16);
        same += c == first;
        if (colours.size() < 5000) colours.insert(c);
    }
    CHECK(colours.size() > 40);
    CHECK(same < static_cast<std::size_t>(pw) * static_cast<std::size_t>(ph) * 95 / 100);
}
} // namespace

TEST_CASE("every screen renders at 1280x800 and 1920x1080") {
    std::string tour = test::readFile(test::sourcePath("docs/screenshots/tour.script"));
    REQUIRE_FALSE(tour.empty());
    for (auto size : {platform::Size{1280, 800}, platform::Size{1920, 1080}}) {
        DYNAMIC_SECTION(size.width << "x" << size.height) {
            KioskHarness k(size);
            std::string out = k.dir.file("shots");
            fs::create_directories(out);
            std::string script = tour;
            for (auto pos = script.find("@OUT@"); pos != std::string::npos; pos = script.find("@OUT@"))
                script.replace(pos, 5, out);
            // Line by line, so that each screen's touch targets are measured where it is shown:
            // at least 48 px at 1080p, scaled with the display.
            const float minimum = 48.0f * static_cast<float>(size.height) / 1080.0f - 0.5f;
            std::istringstream lines(script);
            std::string line;
            while (std::getline(lines, line)) {
                REQUIRE(k.run(line) == "");
                if (line.rfind("screenshot", 0) != 0) continue;
                for (const auto& w : k.session->registry().widgets()) {
                    if (!w.tappable) continue;
                    INFO(line << ": \"" << w.label << "\"");
                    CHECK(w.max.x - w.min.x >= minimum);
                    CHECK(w.max.y - w.min.y >= minimum);
                }
            }
            int count = 0;
            for (const auto& e : fs::directory_iterator(out)) {
                requireNotBlank(e.path().string(), size.width, size.height);
                ++count;
            }
            CHECK(count >= 15);
        }
    }
}

TEST_CASE("dragging the offer list scrolls it with inertia, and a drag is not a tap") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Découvrir les offres\"") == "");
    REQUIRE_FALSE(k.session->state().results.empty());
    const std::string title = k.session->data().cards[k.session->state().results.front()].title;
    const auto* first = k.session->registry().find(title);
    REQUIRE(first);
    float y0 = first->min.y;
    // a quick upward fling over a card
    REQUIRE(k.run("drag 600 650 600 350 150") == "");
    CHECK(k.session->state().screen == ui::Screen::Offers); // no card opened
    CHECK(k.session->animating());                          // still gliding
    const auto* moved = k.session->registry().find(title);
    float yAfterDrag = moved ? moved->min.y : -1e9f;
    CHECK(yAfterDrag < y0 - 200);
    REQUIRE(k.run("wait 2") == "");
    const auto* glided = k.session->registry().find(title);
    CHECK((!glided || glided->min.y < yAfterDrag)); // kept moving after the finger left
    CHECK_FALSE(k.session->animating());            // and came to rest
}

TEST_CASE("holding backspace repeats") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Me faire recontacter plus tard\"\ntype Marie-Hélène") == "");
    CHECK(k.session->state().form.firstName == "Marie-Hélène");
    const auto* key = k.session->registry().find("Effacer");
    REQUIRE(key);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2((key->min.x + key->max.x) / 2, (key->min.y + key->max.y) / 2);
    io.MouseDown[0] = true;
    for (int i = 0; i < 60; ++i)
        k.session->frame(1.0 / 60.0); // one second held
    io.MouseDown[0] = false;
    k.session->frame(1.0 / 60.0);
    // 0.5 s before repeating, then about twelve a second
    auto left = utf8Length(k.session->state().form.firstName);
    CHECK(left <= 12 - 5);
    CHECK(left >= 12 - 8);
}

TEST_CASE("the guided choice's themes show how many offers are open, and its suggestions keep to them") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Je ne sais pas quoi choisir\"\nexpect \"Solidarité\"") == "");
    int openSolidarity = 0;
    for (const auto& t : k.session->data().themes)
        if (t.id == "solidarite") openSolidarity = t.openOffers;
    CHECK(openSolidarity > 0);
    REQUIRE(k.run("expect \"" + std::to_string(openSolidarity) + " offres ouvertes\"") == "");
    // Every other question answered "peu importe": only the theme narrows the suggestions.
    REQUIRE(k.run("tap \"Solidarité\"\ntap \"Continuer\"\ntap \"Peu importe\"\ntap \"Peu importe\"\n"
                  "tap \"Peu importe\"\nexpect \"Des idées pour vous\"\nabsent \"Aucune offre ne "
                  "correspondait\"") == "");
    const auto& result = k.session->state().guidedResult;
    REQUIRE(result);
    CHECK(result->widened == 0);
    REQUIRE_FALSE(result->suggestions.empty());
    for (const auto& s : result->suggestions)
        CHECK(k.session->data().catalogue->offers[s.offerIndex].themeId == "solidarite");
}

TEST_CASE("at night the kiosk sleeps on an almost black screen; a touch or the morning wakes it") {
    KioskHarness k({1280, 800}, 30, [](KioskConfig& c) { c.night = *parseNightSchedule("20:00-07:30"); });
    // A backlight the kiosk may write, laid out as /sys/class/backlight shows it; and one it may
    // not ("brightness" is a folder here): left alone, never an error.
    fs::create_directories(k.dir.file("backlight/panel"));
    fs::create_directories(k.dir.file("backlight/locked/brightness"));
    std::ofstream(k.dir.file("backlight/panel/max_brightness")) << "1000\n";
    std::ofstream(k.dir.file("backlight/panel/brightness")) << "800\n";
    std::ofstream(k.dir.file("backlight/locked/max_brightness")) << "255\n";
    auto level = [&] { return std::stoi(test::readFile(k.dir.file("backlight/panel/brightness"))); };
    k.session->setBacklight(std::make_unique<system::Backlight>(k.dir.file("backlight")));
    const std::string night = "Touchez l'écran pour commencer";

    // Daytime, untouched: the welcome screen stays.
    REQUIRE(k.run("clock 19:59\nwait 40\nexpect \"Découvrir les offres\"") == "");
    CHECK_FALSE(k.session->night());
    // Night hours: asleep once untouched for the idle delay, nothing to tap, the backlight low,
    // no frame asked before the morning (the main loop then only feeds the watchdog).
    REQUIRE(k.run("wait 30\nexpect \"" + night + "\"\nabsent \"Découvrir les offres\"") == "");
    CHECK(k.session->night());
    CHECK(level() == 100);
    CHECK_FALSE(k.session->animating());
    CHECK(k.session->secondsUntilTimer() >= 3600);
    const std::string png = k.dir.file("night.png");
    REQUIRE(k.run("screenshot " + png) == "");
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgba;
    std::string error;
    REQUIRE(platform::readPng(png, w, h, rgba, error));
    double sum = 0;
    int brightest = 0;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
        int luma = (rgba[i] * 3 + rgba[i + 1] * 6 + rgba[i + 2]) / 10;
        sum += luma;
        brightest = std::max(brightest, luma);
    }
    CHECK(sum / (static_cast<double>(w) * h) < 12); // almost black
    CHECK(brightest > 60);                          // the line is there, soft
    CHECK(brightest < 128);

    // A touch anywhere wakes it to the welcome screen, and is not also a tap on that screen.
    REQUIRE(k.run("tap 640 300\nexpect \"Découvrir les offres\"") == "");
    CHECK_FALSE(k.session->night());
    CHECK(k.session->state().screen == ui::Screen::Welcome);
    CHECK(level() == 800);
    // Back to sleep after the idle delay; a visit under way is never dimmed: it ends with the
    // idle question and its countdown first, then the night comes back.
    REQUIRE(k.run("wait 31\nexpect \"" + night + "\"\ntap 640 300\ntap \"Découvrir les offres\"\nwait 29") ==
            "");
    CHECK_FALSE(k.session->night());
    REQUIRE(k.run("wait 22\nexpect \"" + night + "\"") == "");
    // The morning wakes it without a touch.
    REQUIRE(k.run("clock 07:29\nwait 61\nexpect \"Découvrir les offres\"") == "");
    CHECK_FALSE(k.session->night());
    CHECK(level() == 800);
}

TEST_CASE("every text drawn is found by expect, and type reaches a capital from the 123 page") {
    KioskHarness k;
    const Strings& s = k.strings;
    // Search result subtitles (neighbourhood · when), the detail's rows, the form's "Étape".
    REQUIRE(k.run("tap \"Découvrir les offres\"\ntap \"Chercher une offre\"\ntype collecte noel") == "");
    REQUIRE_FALSE(k.session->state().results.empty());
    const auto& card = k.session->data().cards[k.session->state().results.front()];
    CHECK(k.run("expect \"" + card.neighbourhood + " · " + card.when + "\"") == "");
    REQUIRE(k.run("tap \"" + card.title + "\"") == "");
    for (const char* key : {"detail.where", "detail.when", "detail.how_long"})
        CHECK(k.run(std::string("expect \"@") + key + "\"") == "");
    CHECK(k.run("expect \"" + card.duration + "\"") == "");
    // Both dates of the collecte, each on its own line: "(et 1 autre date)" leads somewhere.
    CHECK(k.run("expect \"vendredi 4 décembre, 14 h – 18 h\"\nexpect \"samedi 5 décembre, 9 h – 13 h\"") ==
          "");
    REQUIRE(k.run("tap \"Ça m'intéresse\"\nexpect \"Étape 1 sur 5\"") == "");
    // The idle countdown, whichever second it shows.
    REQUIRE(k.run("wait 95\nexpect \"@idle.question\"") == "");
    int countdowns = 0;
    for (int n = 1; n <= 20; ++n)
        countdowns += k.session->registry().find(s.plural("idle.countdown", n)) != nullptr;
    CHECK(countdowns == 1);
    REQUIRE(k.run("tap \"@idle.here\"\ntap \"Retour\"\ntap \"Retour\"\ntap \"Retour\"") == "");
    // "Trier" is a section of the filter panel: found once the panel is dragged up to it.
    REQUIRE(k.run("tap \"Filtres\"\nexpect \"@filters.when\"\ndrag 640 650 640 150 400\ndrag 640 650 640 150 "
                  "400") == "");
    CHECK(k.run("expect \"@filters.sort\"") == "");
    // Text scrolled out of the panel is not on screen.
    CHECK(k.run("absent \"@filters.when\"") == "");
    // A capital after digits: the "123" page has no "Maj", the letters page has.
    REQUIRE(k.run("tap \"Voir l*\"\ntap \"Chercher une offre\"\ntype 12C") == "");
    const std::string& query = k.session->state().query;
    REQUIRE(query.size() >= 3);
    CHECK(query.substr(query.size() - 3) == "12C");
}

TEST_CASE("the kiosk draws text only through addText, which records it") {
    // One place records every drawn text for scripts: a direct Dear ImGui text call would draw
    // a text that `expect` cannot find.
    for (const char* dir : {"kiosk/ui/src", "kiosk/app/src"}) {
        for (const auto& e : fs::directory_iterator(test::sourcePath(dir))) {
            if (e.path().filename() == "bidi.cpp") continue;
            std::string text = test::readFile(e.path().string());
            INFO(e.path().string());
            CHECK(text.find("AddText(") == std::string::npos);
            CHECK(text.find("ImGui::Text") == std::string::npos);
        }
    }
}

namespace {
/// Result rows of the search screen whole above the keyboard, and tappable there.
int searchRowsInView(KioskHarness& k) {
    float keyboardTop = FLT_MAX;
    for (const auto& w : k.session->registry().widgets())
        if (w.key) keyboardTop = std::min(keyboardTop, w.min.y);
    int rowsInView = 0;
    for (auto i : k.session->state().results)
        if (const auto* w = k.session->registry().find(k.session->data().cards[i].title)) {
            // Seen (nine tenths of it in its panel at least: a rounded corner may be cut) and tappable.
            const float seen = std::min(w->max.y, w->clipMax.y) - std::max(w->min.y, w->clipMin.y);
            rowsInView +=
                w->tappable && !w->covered && w->max.y <= keyboardTop && seen >= 0.9f * (w->max.y - w->min.y);
        }
    return rowsInView;
}
} // namespace

TEST_CASE("search: several results above the keyboard, a button that clears, a new search starts empty") {
    KioskHarness k;
    REQUIRE(k.run("tap \"Découvrir les offres\"\ntap \"Chercher une offre\"\ntype aider") == "");
    const auto& st = k.session->state();
    REQUIRE(st.results.size() >= 3);
    CHECK(searchRowsInView(k) >= 3);
    REQUIRE(k.run("tap \"@search.clear\"") == "");
    CHECK(st.query.empty());
    CHECK(k.run("absent \"@search.clear\"\nexpect \"@search.hint\"") == "");
    // Back to the list with a query, then a new search: it starts from nothing.
    REQUIRE(k.run("type jardin\ntap \"@search.see_list\"\nexpect \"jardin\"\ntap \"Chercher une offre\"") ==
            "");
    CHECK(st.query.empty());
    REQUIRE(k.run("type eau") == "");
    CHECK(st.query == "eau");
}

TEST_CASE("search with the largest text on the smallest screen: a result row above keys of full size") {
    KioskHarness k({1024, 768}, 90, {}, false);
    REQUIRE(k.run("tap \"Découvrir les offres\"\ntap \"Chercher une offre\"\ntype aider") == "");
    auto smallestKey = [&] {
        float h = FLT_MAX;
        for (const auto& w : k.session->registry().widgets())
            if (w.key) h = std::min(h, w.max.y - w.min.y);
        return h;
    };
    const float keyAtX1 = smallestKey();
    REQUIRE(k.run("tap \"A++\"") == "");
    REQUIRE(k.session->lookChoice().textSize == 2);
    CHECK(smallestKey() >= keyAtX1 - 1.0f);
    CHECK(searchRowsInView(k) >= 1);
    const auto& first = k.session->data().cards[k.session->state().results.front()];
    REQUIRE(k.run("tap \"" + first.title + "\"\nexpect \"@detail.interested\"") == "");
}

TEST_CASE("the welcome tagline is never dropped nor drawn under a header button") {
    for (const platform::Size size : {platform::Size{1080, 1920}, platform::Size{768, 1024}}) {
        KioskHarness k(size, 90, {}, false);
        for (const char* textSize : {"A", "A++"}) {
            INFO(size.width << "x" << size.height << " " << textSize);
            REQUIRE(k.run(std::string("tap \"") + textSize + "\"\nexpect \"@app.tagline\"") == "");
            const auto* tagline = k.session->registry().find(k.strings.get("app.tagline"));
            REQUIRE(tagline);
            const ui::WidgetRecord line = *tagline;
            for (const auto& w : k.session->registry().widgets())
                if (w.tappable)
                    CHECK_FALSE((line.min.x < w.max.x && w.min.x < line.max.x && line.min.y < w.max.y &&
                                 w.min.y < line.max.y));
        }
    }
}

TEST_CASE("filters at 1280x800: the panel says it scrolls, and no chip sits on a section's title") {
    KioskHarness k({1280, 800});
    REQUIRE(k.run("tap \"Découvrir les offres\"\ntap \"Filtres\"\nexpect \"@filters.more_below\"") == "");
    const Strings& s = k.strings;
    auto noChipOnATitle = [&] {
        for (const char* key : {"filters.when", "filters.practical", "filters.theme", "filters.neighbourhood",
                                "filters.sort"}) {
            const auto* title = k.session->registry().find(s.get(key));
            if (!title) continue;
            for (const auto& w : k.session->registry().widgets()) {
                if (!w.tappable) continue;
                INFO(key << " / " << w.label);
                CHECK_FALSE((w.min.x < title->max.x && title->min.x < w.max.x && w.min.y < title->max.y &&
                             title->min.y < w.max.y));
            }
        }
    };
    noChipOnATitle();
    // Access and places have a section of their own, under the moments and durations.
    const auto* practical = k.session->registry().find(s.get("filters.practical"));
    const auto* stepFree = k.session->registry().find(s.get("offer.badge.step_free"));
    const auto* regular = k.session->registry().find(s.get("filters.regular"));
    REQUIRE(practical);
    REQUIRE(stepFree);
    REQUIRE(regular);
    CHECK(practical->min.y >= regular->max.y);
    CHECK(stepFree->min.y >= practical->max.y);
    // "Plus bas" pages down until the end of the panel, then goes away.
    for (int i = 0; i < 10 && k.run("expect \"@filters.more_below\"").empty(); ++i)
        REQUIRE(k.run("tap \"@filters.more_below\"") == "");
    CHECK(k.run("absent \"@filters.more_below\"\nexpect \"@filters.sort\"") == "");
    noChipOnATitle();
}
