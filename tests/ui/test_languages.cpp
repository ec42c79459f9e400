// Five languages on the visitor screens: the language button, back to French for each visitor,
// Arabic right to left (mirrored layout, joined letters, numbers in reading order), every screen
// in every language with no missing glyph, and read-aloud in the display language.

#include "comptoir/ui/bidi.hpp"
#include "kiosk_harness.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

using namespace comptoir;

namespace {

const char* const kOthers[] = {"en", "es", "ar", "uk"};

void addAllLanguages(test::KioskHarness& h) {
    h.addLanguages();
}

/// Glyph quads of the last frame that show a font's missing-glyph box (U+FFFD).
int missingGlyphBoxes() {
    struct Box {
        float u0, v0, u1, v1;
    };
    std::vector<Box> boxes;
    for (ImFont* f : ImGui::GetIO().Fonts->Fonts)
        if (f->FallbackGlyph && f->FallbackChar == 0xFFFD)
            boxes.push_back(
                {f->FallbackGlyph->U0, f->FallbackGlyph->V0, f->FallbackGlyph->U1, f->FallbackGlyph->V1});
    REQUIRE(!boxes.empty()); // the check itself must be able to see something
    int found = 0;
    ImDrawData* d = ImGui::GetDrawData();
    REQUIRE(d);
    for (int n = 0; n < d->CmdListsCount; ++n) {
        const auto& vb = d->CmdLists[n]->VtxBuffer;
        for (int i = 0; i + 3 < vb.Size; ++i) {
            float ua = std::min(vb[i].uv.x, vb[i + 1].uv.x), ub = std::max(vb[i].uv.x, vb[i + 1].uv.x);
            for (const auto& b : boxes)
                if (ua == b.u0 && ub == b.u1 && vb[i].uv.y == b.v0 && vb[i + 2].uv.y == b.v1) ++found;
        }
    }
    return found;
}

/// The tour of docs/screenshots/languages.script for one language, line by line; after each
/// line the frame on screen must have no missing-glyph box.
void walkTour(test::KioskHarness& h, const std::string& lang, const std::string& out) {
    std::ifstream in(test::sourcePath("docs/screenshots/languages.script"));
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        for (std::string::size_type p; (p = line.find("@LANG@")) != std::string::npos;)
            line.replace(p, 6, lang);
        for (std::string::size_type p; (p = line.find("@OUT@")) != std::string::npos;)
            line.replace(p, 5, out);
        if (line == "wait 95") line = "wait 20"; // the tour's idle wait, for this harness's 15 s delay
        INFO(lang << " line " << number << ": " << line);
        REQUIRE(h.run(line) == "");
        CHECK(missingGlyphBoxes() == 0);
        // Longer sentences must still fit: no button or key runs off the side of the screen.
        // (Text records span their whole column, whatever the text's own width: not checked.)
        const float width = ImGui::GetIO().DisplaySize.x;
        for (const auto& w : h.session->registry().widgets()) {
            if (!w.tappable) continue;
            INFO("\"" << w.label << "\" spans " << w.min.x << " to " << w.max.x);
            CHECK(w.min.x >= -1);
            CHECK(w.max.x <= width + 1);
        }
    }
}

} // namespace

TEST_CASE("the language button switches at once, and each new visitor starts in French") {
    test::KioskHarness h({1280, 800}, 15);
    addAllLanguages(h);
    REQUIRE(h.run("expect \"Découvrir les offres\"\ntap \"Français\"\nexpect \"Choisir la langue\"") == "");
    // each language named in itself, no flag
    for (const char* name : {"English", "Español", "العربية", "Українська"})
        CHECK(h.session->registry().find(name));
    REQUIRE(h.run("tap \"Español\"\nexpect \"Descubrir las ofertas\"\nabsent \"Elegir el idioma\"") == "");
    CHECK(h.session->language() == "es");
    REQUIRE(h.run("tap \"Descubrir las ofertas\"\ntap \"Español\"\ntap \"Українська\"\nexpect \"Фільтри\"") ==
            "");
    // "Recommencer" (a new visitor), and the idle timeout, both go back to French
    REQUIRE(h.run("tap \"Почати знову\"\nexpect \"Découvrir les offres\"\nexpect \"Français\"") == "");
    CHECK(h.session->language() == "fr");
    REQUIRE(h.run("language \"en\"\ntap \"Discover the offers\"\nwait 40\nexpect \"Découvrir les offres\"") ==
            "");
    CHECK(h.session->language() == "fr");
    // a tap beside the list closes it and changes nothing
    REQUIRE(
        h.run("tap \"Français\"\ntap 5 790\nabsent \"Choisir la langue\"\nexpect \"Découvrir les offres\"") ==
        "");
}

TEST_CASE("Arabic lays the screen out from the right, and taps land where the mirrored screen shows") {
    test::KioskHarness h;
    addAllLanguages(h);
    REQUIRE(h.run("tap \"Découvrir les offres\"") == "");
    REQUIRE(h.session->registry().find("Retour"));
    const ui::WidgetRecord back = *h.session->registry().find("Retour"); // a copy: frames refill the registry
    CHECK(back.max.x < 640); // French: "Retour" at the bottom left
    REQUIRE(h.run("language \"ar\"") == "");
    const auto* rback = h.session->registry().find("رجوع");
    REQUIRE(rback);
    CHECK(rback->min.x > 640); // Arabic: at the bottom right
    CHECK(std::abs((rback->min.x + rback->max.x) - (2 * 1280 - (back.min.x + back.max.x))) < 120);
    // the language button, rightmost in French, is leftmost in Arabic
    const auto* lang = h.session->registry().find("العربية");
    REQUIRE(lang);
    CHECK(lang->max.x < 640);
    // a real tap on the mirrored button works: back to the welcome screen
    REQUIRE(h.run("tap \"رجوع\"\nexpect \"اكتشاف العروض\"") == "");
}

TEST_CASE("Arabic is joined and reordered: letters take their connected forms, numbers read left to right") {
    // من 10 إلى 12 — "from 10 to 12": right to left, each number left to right
    const std::string logical = "من 10 إلى 12";
    std::string visual = ui::visualRtlLine(logical);
    // In visual order (left to right on screen) the later number comes first and keeps its digits' order.
    auto p12 = visual.find("12"), p10 = visual.find("10");
    REQUIRE(p12 != std::string::npos);
    REQUIRE(p10 != std::string::npos);
    CHECK(p12 < p10);
    CHECK(visual.find("01") == std::string::npos);
    // Letters are presentation forms (joined), no base Arabic letters left.
    bool base = false, forms = false;
    for (std::size_t i = 0; i + 2 < visual.size(); ++i) {
        auto b0 = static_cast<unsigned char>(visual[i]);
        if (b0 == 0xD8 || b0 == 0xD9) base = true;                                         // U+0600..U+067F
        if (b0 == 0xEF && static_cast<unsigned char>(visual[i + 1]) >= 0xAD) forms = true; // U+FB50..U+FEFF
    }
    CHECK_FALSE(base);
    CHECK(forms);
    // French times inside an Arabic sentence, isolated by the translation: "10 h" stays "10 h".
    std::string slot = ui::visualRtlLine("يوم السبت من \u206610 h\u2069 إلى \u206612 h\u2069");
    INFO(slot);
    REQUIRE(slot.find("10 h") != std::string::npos);
    REQUIRE(slot.find("12 h") != std::string::npos);
    CHECK(slot.find("12 h") < slot.find("10 h"));
    CHECK(slot.find("\u2066") == std::string::npos); // the isolates are not drawn
    // What is drawn before the mirror is that line reversed; reversing twice gives it back.
    CHECK(ui::mirroredLine(ui::mirroredLine("Comptoir 2026")) != "");
    CHECK(ui::hasRtl(logical));
    CHECK_FALSE(ui::hasRtl("Grande collecte de Noël"));
    // Hostile input never crashes and comes back drawable.
    CHECK(ui::visualRtlLine("\xff\xfe") == "\xff\xfe");
    CHECK(ui::mirroredLine(std::string(10000, 'a')).size() == 10000);
}

TEST_CASE("a rendered Arabic line with a number comes out joined, right to left, digits in order (picture)") {
    test::KioskHarness h({1280, 800});
    const std::string line = "الخطوة 2026 من 5"; // "step 2026 of 5"
    const int y0 = 90, y1 = 150, w = 1280;
    test::TempDir dir;
    auto render = [&](bool mirrored, const std::string& text) {
        h.surface->setMirrored(mirrored);
        h.surface->beginFrame(1.0 / 60);
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(1280, 800));
        ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoDecoration);
        ImFont* f = ImGui::GetIO().Fonts->Fonts[0];
        ImGui::GetWindowDrawList()->AddText(f, f->FontSize, ImVec2(100, 100), IM_COL32(0, 0, 0, 255),
                                            text.c_str());
        ImGui::End();
        h.surface->endFrame();
        h.surface->setMirrored(false);
        static int shot = 0;
        std::string file = dir.file("f" + std::to_string(shot++) + ".png");
        std::string err;
        REQUIRE(h.surface->savePng(file, err));
        int pw = 0, ph = 0;
        std::vector<std::uint8_t> rgba;
        REQUIRE(platform::readPng(file, pw, ph, rgba, err));
        // the ink of the text's band, as a mask
        std::vector<bool> ink(static_cast<std::size_t>(w * (y1 - y0)));
        for (int y = y0; y < y1; ++y)
            for (int x = 0; x < w; ++x) {
                const auto* px = &rgba[(static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x)) * 4];
                ink[static_cast<std::size_t>((y - y0) * w + x)] = px[0] < 128;
            }
        return ink;
    };
    auto leftmost = [&](const std::vector<bool>& m) {
        for (int x = 0; x < w; ++x)
            for (int y = 0; y < y1 - y0; ++y)
                if (m[static_cast<std::size_t>(y * w + x)]) return x;
        return -1;
    };
    // Ink pixels of `a` with no ink of `b` within a pixel, once aligned on their leftmost ink (the
    // best of three alignments: anti-aliasing moves the faintest edge by one), over a's ink.
    auto mismatch = [&](const std::vector<bool>& a, const std::vector<bool>& b) {
        auto at = [&](const std::vector<bool>& m, int x, int y) {
            return x >= 0 && x < w && y >= 0 && y < y1 - y0 && m[static_cast<std::size_t>(y * w + x)];
        };
        double best = 1.0;
        for (int shift = -1; shift <= 1; ++shift) {
            int dx = leftmost(b) - leftmost(a) + shift;
            std::size_t total = 0, off = 0;
            for (int y = 0; y < y1 - y0; ++y)
                for (int x = 0; x < w; ++x) {
                    if (!at(a, x, y)) continue;
                    ++total;
                    if (!at(b, x + dx - 1, y) && !at(b, x + dx, y) && !at(b, x + dx + 1, y)) ++off;
                }
            if (total > 0) best = std::min(best, static_cast<double>(off) / static_cast<double>(total));
        }
        return best;
    };
    // The kiosk's way: the prepared line, then the whole frame mirrored.
    auto kiosk = render(true, ui::mirroredLine(line));
    // What a reader must see: the visual order (joined letters, "2026" left to right) drawn plainly.
    auto expected = render(false, ui::visualRtlLine(line));
    REQUIRE(leftmost(kiosk) > 640); // it sits on the right half: laid out from the right
    CHECK(mismatch(expected, kiosk) < 0.05);
    // Wrong ways are told apart: the logical text drawn as is, or the visual line not prepared.
    CHECK(mismatch(expected, render(false, line)) > 0.2);
    CHECK(mismatch(expected, render(true, ui::visualRtlLine(line))) > 0.2);
}

TEST_CASE("every visitor screen in every language draws without a missing glyph") {
    for (const char* lang : kOthers) {
        test::KioskHarness h({960, 600}, 15); // small: every frame is rasterised, the glyphs are the same
        addAllLanguages(h);
        test::TempDir out;
        walkTour(h, lang, out.path().string());
    }
}

TEST_CASE("read-aloud speaks in the display language") {
    test::KioskHarness h;
    addAllLanguages(h);
    REQUIRE(
        h.run("language \"uk\"\ntap \"Переглянути пропозиції\"\ntap \"Шукати пропозицію\"\ntype collecte\n"
              "tap \"Grande collecte de Noël au supermarché\"\ntap \"Слухати\"") == "");
    CHECK(h.session->speech().lastLanguage() == "uk");
}

TEST_CASE("an offer's translation is shown and read in its language; else the French text and its notice") {
    test::KioskHarness h;
    addAllLanguages(h);
    const std::string french = "Accueillir les clients de l'épicerie solidaire";
    const std::string english = "Welcome customers at the community grocery";
    // English: the demo offer has an English translation. Found by its English words, shown
    // on the card and the detail with no "written in French" line, and read aloud in English.
    REQUIRE(h.run("language \"en\"\ntap \"@welcome.discover\"\ntap \"@search.placeholder\"\n"
                  "type welcome customers\nexpect \"" +
                  english + "\"\nabsent \"" + french + "\"\ntap \"" + english +
                  "\"\nexpect \"@detail.listen\"\nabsent \"@offer.french_only\"\nabsent \"" + french +
                  "\"") == "");
    CHECK(h.session->state().offerId == "off-0001");
    CHECK(h.session->registry().find(
        "You welcome people at the grocery. You tidy the shelves. We explain everything."));
    const std::string shot = h.dir.file("en-detail.png");
    REQUIRE(h.run("screenshot " + shot + "\ntap \"@detail.listen\"") == "");
    for (int i = 0; i < 600 && h.session->speech().speaking(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    const auto heard = h.session->speech().heard();
    auto said = [&](const std::string& text) {
        return std::any_of(heard.begin(), heard.end(),
                           [&](const std::string& part) { return part.find(text) != std::string::npos; });
    };
    CHECK(said("You welcome people at the grocery."));
    CHECK(said("Nothing, everything is provided.")); // "what to bring" too, translated
    CHECK_FALSE(said("Rien, tout est fourni."));
    CHECK(h.session->speech().lastLanguage() == "en");
    // Spanish: no Spanish translation of that offer: the French title, and the notice in Spanish.
    REQUIRE(h.run("tap \"@button.restart\"\nlanguage \"es\"\ntap \"@welcome.discover\"\n"
                  "tap \"@search.placeholder\"\ntype epicerie\ntap \"" +
                  french + "\"\nexpect \"@offer.french_only\"\nabsent \"" + english + "\"") == "");
    CHECK(h.session->registry().find(
        "Vous accueillez les personnes à l'épicerie. Vous rangez les rayons. On vous explique tout."));
    // Arabic: the translation goes through the same shaping as the screens' own sentences.
    REQUIRE(h.run("tap \"@button.restart\"\nlanguage \"ar\"\ntap \"@welcome.discover\"\n"
                  "tap \"@search.placeholder\"\ntype epicerie\nexpect \"استقبال زبائن البقالة التضامنية\"") ==
            "");
    CHECK(missingGlyphBoxes() == 0);
}

TEST_CASE("Mots difficiles in Arabic: spotted in the Arabic sentence, explained in Arabic") {
    test::KioskHarness k;
    addAllLanguages(k);
    REQUIRE(k.run(test::kToConsent + R"(language "ar"
tap "@words.button"
expect "@words.host.term"
expect "@words.permis.text"
tap "@button.back"
expect "@consent.title"
)") == "");
    CHECK(k.session->state().form.firstName == "Camille");
}

TEST_CASE("Arabic letters are as large as Latin ones in every text role, the small text included") {
    test::KioskHarness k({1920, 1080}); // builds the kiosk's font atlas (large: whole pixels matter less)
    // loadFonts adds body, small, bold and title first, in that order (ui/theme.cpp).
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    REQUIRE(atlas->Fonts.Size >= 4);
    const char* roles[] = {"body", "small", "bold", "title"};
    for (int i = 0; i < 4; ++i) {
        ImFont* f = atlas->Fonts[i];
        // the body of a round letter: Latin "o", Arabic heh and meem as drawn alone (presentation forms)
        const ImFontGlyph* o = f->FindGlyphNoFallback(U'o');
        const ImFontGlyph* heh = f->FindGlyphNoFallback(0xFEE9);
        const ImFontGlyph* meem = f->FindGlyphNoFallback(0xFEE1);
        REQUIRE(o);
        REQUIRE(heh);
        REQUIRE(meem);
        const float latin = o->Y1 - o->Y0;
        const float arabic = ((heh->Y1 - heh->Y0) + (meem->Y1 - meem->Y0)) / 2;
        INFO(roles[i] << ": Arabic " << arabic << " px, Latin " << latin << " px");
        CHECK(arabic >= 0.9f * latin);
    }
}

TEST_CASE("Arabic joins the parts of a line with the Arabic comma, and each reason stays in its row") {
    test::KioskHarness h({1280, 800}, 90, {}, false);
    addAllLanguages(h);
    REQUIRE(
        h.run("language \"ar\"\ntap \"@welcome.unsure\"\ntap \"Environnement\"\ntap \"@button.continue\"\n"
              "tap \"@guided.when.weekend\"\ntap \"@guided.when.morning\"\ntap \"@button.continue\"\n"
              "tap \"@guided.how.together\"\ntap \"@button.continue\"\ntap \"@guided.often.once\"\n"
              "expect \"@guided.results.title\"") == "");
    const Strings& s = h.session->visitorStrings();
    REQUIRE(s.language() == "ar");
    CHECK(s.join({"أ", "ب", "", "ج"}) == "أ، ب، ج");
    // The reasons shown ("في الصباح، ضمن مجموعة…"): Arabic commas only, each inside its row.
    int reasons = 0;
    const auto& widgets = h.session->registry().widgets();
    for (const auto& w : widgets) {
        if (w.tappable || w.label.find(s.get("guided.why.together")) == std::string::npos) continue;
        ++reasons;
        INFO(w.label);
        CHECK(w.label.find(", ") == std::string::npos);
        CHECK(w.label.find("، ") != std::string::npos);
        bool inRow = false;
        for (const auto& row : widgets)
            inRow = inRow || (row.tappable && w.min.x >= row.min.x - 1 && w.max.x <= row.max.x + 1 &&
                              w.min.y >= row.min.y - 1 && w.max.y <= row.max.y + 1);
        CHECK(inRow);
    }
    CHECK(reasons >= 2);
}
