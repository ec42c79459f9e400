// Every visitor screen, at every supported display size (landscape and portrait), at text size
// ×1 and ×1.5, with and without high contrast, and in every language: each recorded text fits
// its box (no word cut in two), nothing runs off the screen, no two touch targets overlap, and a
// tap on the keyboard never reaches what lies under it.
//
// Frames are laid out, never rasterised (the widget rectangles are what is measured), so the
// whole matrix stays cheap; the tours are the screenshot tours (docs/screenshots/*.script).

#include "comptoir/ui/keyboard.hpp"
#include "kiosk_harness.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace comptoir;

namespace {

// Under the sanitizers every frame costs several times more: a reduced matrix (one landscape and
// one portrait size; French and Arabic), checked for new faults only.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kFullMatrix = false;
#else
constexpr bool kFullMatrix = true;
#endif

constexpr float kTolerance = 1.0f; // pixels: rounding of positions and glyph advances

bool within(ImVec2 min, ImVec2 max, ImVec2 boxMin, ImVec2 boxMax) {
    return min.x >= boxMin.x - kTolerance && min.y >= boxMin.y - kTolerance &&
           max.x <= boxMax.x + kTolerance && max.y <= boxMax.y + kTolerance;
}

/// What is wrong with the frame on screen, one line per fault, prefixed by `where`.
void measure(const ui::WidgetRegistry& reg, ImVec2 display, const std::string& where,
             std::set<std::string>& problems) {
    std::vector<const ui::WidgetRecord*> targets, texts;
    for (const auto& w : reg.widgets()) {
        if (w.covered) continue; // under the keyboard or a menu: not seen, not tappable
        // A card half scrolled out of its list is drawn clipped: dragging brings it in.
        const bool clipped = !within(w.min, w.max, w.clipMin, w.clipMax);
        const bool listClip = w.clipMin.x > 0.5f || w.clipMin.y > 0.5f || w.clipMax.x < display.x - 0.5f ||
                              w.clipMax.y < display.y - 0.5f;
        if (clipped && listClip) continue;
        const std::string what = where + " \"" + w.label + "\"";
        if (!within(w.min, w.max, ImVec2(0, 0), display)) problems.insert(what + " runs off the screen");
        const ImVec2 box(w.max.x - w.min.x, w.max.y - w.min.y);
        if (w.ink.x > box.x + kTolerance)
            problems.insert(what + " is wider than its box (" + std::to_string(int(w.ink.x)) + " > " +
                            std::to_string(int(box.x)) + ")");
        if (w.ink.y > box.y + kTolerance)
            problems.insert(what + " is taller than its box (" + std::to_string(int(w.ink.y)) + " > " +
                            std::to_string(int(box.y)) + ")");
        (w.tappable ? targets : texts).push_back(&w);
    }
    auto overlap = [](const ui::WidgetRecord& a, const ui::WidgetRecord& b) {
        const float dx = std::min(a.max.x, b.max.x) - std::max(a.min.x, b.min.x);
        const float dy = std::min(a.max.y, b.max.y) - std::max(a.min.y, b.min.y);
        return dx > kTolerance && dy > kTolerance;
    };
    // A text is a target's label (inside it) or apart from it: never half under a button.
    for (const auto* t : texts)
        for (const auto* b : targets)
            if (overlap(*t, *b) && !within(t->min, t->max, b->min, b->max))
                problems.insert(where + " text \"" + t->label + "\" runs under \"" + b->label + "\"");
    for (std::size_t i = 0; i < targets.size(); ++i)
        for (std::size_t j = i + 1; j < targets.size(); ++j) {
            const auto& a = *targets[i];
            const auto& b = *targets[j];
            if (overlap(a, b))
                problems.insert(where + " \"" + a.label + "\" and \"" + b.label + "\" overlap");
        }
}

/// Draws frames until a look change is applied and the frame on screen shows it.
void settle(test::KioskHarness& h) {
    h.session->frame(0);
    h.session->frame(0);
}

/// Walks `script` at `size` as it is written; at each screenshot line measures the screen in its
/// own look and at ×1 and ×1.5, with and without contrast, then goes on in the script's look.
void walk(const std::string& script, platform::Size size, const char* lang, std::set<std::string>& problems) {
    test::KioskHarness h(size, 90, {}, false);
    if (lang) h.addLanguages();
    std::istringstream in(script);
    std::string line;
    int number = 0;
    const ImVec2 display(static_cast<float>(size.width), static_cast<float>(size.height));
    while (std::getline(in, line)) {
        ++number;
        for (std::string::size_type p; lang && (p = line.find("@LANG@")) != std::string::npos;)
            line.replace(p, 6, lang);
        if (lang && std::string(lang) == "fr" && line.find("@offer.french_only") != std::string::npos)
            continue; // offers are in French: nothing to say in French
        if (line.rfind("screenshot", 0) == 0) {
            // Fonts are rebuilt for a text size (slow), not for contrast: two rebuilds per screen.
            const ui::LookChoice own = h.session->lookChoice();
            const int other = own.textSize == 2 ? 0 : 2;
            // Larger text never gives smaller touch targets: the smallest key's height and width
            // at each text size, compared once the four looks are measured.
            std::map<int, ImVec2> smallestKey;
            for (ui::LookChoice look :
                 {own, ui::LookChoice{own.textSize, !own.highContrast},
                  ui::LookChoice{other, !own.highContrast}, ui::LookChoice{other, own.highContrast}}) {
                h.session->lookChoice() = look;
                settle(h);
                std::ostringstream where;
                where << size.width << "x" << size.height << " x" << ui::textScale(look.textSize)
                      << (look.highContrast ? " contrast " : " ") << (lang ? lang : "fr") << " line "
                      << number << " (" << line.substr(line.rfind('/') + 1) << ")";
                measure(h.session->registry(), display, where.str(), problems);
                for (const auto& w : h.session->registry().widgets()) {
                    if (!w.key) continue;
                    auto [it, fresh] = smallestKey.try_emplace(look.textSize, ImVec2(FLT_MAX, FLT_MAX));
                    it->second = ImVec2(std::min(it->second.x, w.max.x - w.min.x),
                                        std::min(it->second.y, w.max.y - w.min.y));
                }
            }
            if (smallestKey.count(0) && smallestKey.count(2)) {
                const ImVec2 x1 = smallestKey[0], x15 = smallestKey[2];
                std::ostringstream where;
                where << size.width << "x" << size.height << (lang ? std::string(" ") + lang : std::string())
                      << " line " << number << " (" << line.substr(line.rfind('/') + 1) << ")";
                if (x15.y < x1.y - kTolerance)
                    problems.insert(where.str() + " keys are less tall at x1.5 than at x1 (" +
                                    std::to_string(int(x1.y)) + " > " + std::to_string(int(x15.y)) + ")");
                if (x15.x < x1.x - kTolerance)
                    problems.insert(where.str() + " keys are narrower at x1.5 than at x1 (" +
                                    std::to_string(int(x1.x)) + " > " + std::to_string(int(x15.x)) + ")");
            }
            h.session->lookChoice() = own;
            settle(h);
            continue;
        }
        INFO(size.width << "x" << size.height << " line " << number << ": " << line);
        const std::string failed = h.run(line);
        if (!failed.empty())
            for (const auto& w : h.session->registry().widgets())
                UNSCOPED_INFO("on screen: \"" << w.label << "\"" << (w.covered ? " (covered)" : ""));
        REQUIRE(failed == "");
    }
}

/// A fault without where it was seen: "(12-confirmation.png) "Et ensuite ?" runs off the screen".
std::string faultKind(const std::string& fault) {
    std::string k = fault.substr(std::min(fault.find(" ("), fault.size()));
    k = k.substr(std::min<std::size_t>(1, k.size()));
    if (auto p = k.rfind(" ("); p != std::string::npos && k.back() == ')') k.erase(p); // "(48 > 40)"
    return k;
}

/// Fails on any fault not in tests/ui/layout_known_faults.txt (lines "GROUP: fault"), and on any
/// listed fault no longer seen (fixed: take it off the list). The list only shrinks.
void report(const std::set<std::string>& problems, const std::string& group) {
    if (const char* file = std::getenv("COMPTOIR_LAYOUT_REPORT")) { // every fault, for whoever fixes them
        std::ofstream out(file);
        for (const auto& p : problems)
            out << p << "\n";
    }
    std::set<std::string> known;
    std::ifstream in(test::sourcePath("tests/ui/layout_known_faults.txt"));
    for (std::string line; std::getline(in, line);)
        if (line.rfind(group + ": ", 0) == 0) known.insert(line.substr(group.size() + 2));
    std::set<std::string> seen;
    std::ostringstream fresh;
    int shown = 0;
    for (const auto& p : problems) {
        const std::string kind = faultKind(p);
        seen.insert(kind);
        if (!known.count(kind) && shown++ < 80) fresh << p << "\n";
    }
    INFO("layout faults not in tests/ui/layout_known_faults.txt:\n" << fresh.str());
    CHECK(shown == 0);
    for (const auto& k : known) {
        if (!kFullMatrix) break; // a reduced matrix cannot tell a fixed fault from an unvisited one
        INFO("listed in tests/ui/layout_known_faults.txt, no longer seen: take it off the list: " << k);
        CHECK(seen.count(k) == 1);
    }
}

} // namespace

TEST_CASE("every visitor screen fits at every size, text size and contrast") {
    const std::string tour = test::readFile(test::sourcePath("docs/screenshots/tour.script"));
    REQUIRE_FALSE(tour.empty());
    std::set<std::string> problems;
    const std::vector<platform::Size> all = {{1024, 768},  {1280, 800}, {1920, 1080},
                                             {1080, 1920}, {800, 1280}, {768, 1024}};
    const std::vector<platform::Size> reduced = {{1280, 800}, {800, 1280}};
    for (auto size : kFullMatrix ? all : reduced)
        walk(tour, size, nullptr, problems);
    report(problems, "sizes");
}

TEST_CASE("every visitor screen fits in every language, landscape and portrait") {
    const std::string tour = test::readFile(test::sourcePath("docs/screenshots/languages.script"));
    REQUIRE_FALSE(tour.empty());
    std::set<std::string> problems;
    const std::vector<const char*> all = {"fr", "en", "es", "ar", "uk"};
    const std::vector<const char*> reduced = {"fr", "ar"};
    for (auto size : {platform::Size{1280, 800}, platform::Size{1080, 1920}})
        for (const char* lang : kFullMatrix ? all : reduced)
            walk(tour, size, lang, problems);
    report(problems, "languages");
}

TEST_CASE("a widget under the keyboard never takes a tap: the key over it does") {
    // The widget layer's rule, on its own: a button laid out first, the phone keypad drawn over it.
    ImGuiContext* context = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    ui::Look look;
    look.palette = ui::warmPalette();
    std::string error;
    REQUIRE(ui::loadFonts(look, error));
    ui::WidgetRegistry reg;
    ui::KeyboardState keys;
    struct Frame {
        bool button = false;
        std::optional<ui::KeyPress> key;
    };
    auto frame = [&](ImVec2 finger, bool down) {
        io.MousePos = finger;
        io.MouseDown[0] = down;
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        reg.beginFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::Begin("screen", nullptr, ImGuiWindowFlags_NoDecoration);
        Frame f;
        ImGui::SetCursorScreenPos(ImVec2(100, 300));
        f.button = ui::bigButton(look, reg, "Je préfère donner un e-mail", ImVec2(500, 60));
        f.key = ui::drawKeyboard(ui::KeyboardLayout::Digits, keys, {}, look, reg, ImVec2(300, 200), 300,
                                 1 / 60.0f);
        ImGui::End();
        ImGui::Render();
        return f;
    };
    const ImVec2 away(-FLT_MAX, -FLT_MAX);
    (void)frame(away, false);
    const ui::WidgetRecord* button = reg.find("Je préfère donner un e-mail");
    CHECK_FALSE(button); // covered: a script cannot find it either
    const ui::WidgetRecord* under = nullptr;
    for (const auto& w : reg.widgets())
        if (w.label == "Je préfère donner un e-mail") under = &w;
    REQUIRE(under);
    CHECK(under->covered);
    // Every key lying over the button: a tap on it types the key, never presses the button.
    std::vector<std::pair<std::string, ImVec2>> over;
    for (const auto& w : reg.widgets())
        if (w.key && w.max.y > under->min.y && w.min.y < under->max.y)
            over.push_back({w.label, ImVec2((w.min.x + w.max.x) * 0.5f, (w.min.y + w.max.y) * 0.5f)});
    REQUIRE_FALSE(over.empty());
    for (const auto& [label, at] : over) {
        INFO("key \"" << label << "\"");
        Frame press = frame(at, true);
        Frame release = frame(at, false);
        (void)frame(away, false);
        CHECK_FALSE(press.button);
        CHECK_FALSE(release.button);
        CHECK((press.key || release.key));
    }
    // Between two keys, over the button: nothing at all.
    const ImVec2 gap(over.front().second.x +
                         (over.size() > 1 ? (over[1].second.x - over[0].second.x) * 0.5f : 0),
                     over.front().second.y);
    (void)frame(gap, true);
    CHECK_FALSE(frame(gap, false).button);
    // Out of the keypad the button still works.
    const ImVec2 free(under->min.x + 20, (under->min.y + under->max.y) * 0.5f);
    (void)frame(free, true);
    CHECK(frame(free, false).button);
    ImGui::DestroyContext(context);
}

TEST_CASE("in portrait nothing tappable lies under the phone keypad, at any text size") {
    test::KioskHarness h({800, 1280}, 90, {}, false);
    REQUIRE(h.run("tap \"Me faire recontacter plus tard\"\ntype Noé\ntap \"Continuer\"") == "");
    for (int textSize : {0, 2}) {
        h.session->lookChoice().textSize = textSize;
        settle(h);
        ImVec2 kmin(FLT_MAX, FLT_MAX), kmax(-FLT_MAX, -FLT_MAX);
        for (const auto& w : h.session->registry().widgets())
            if (w.key) {
                kmin = ImVec2(std::min(kmin.x, w.min.x), std::min(kmin.y, w.min.y));
                kmax = ImVec2(std::max(kmax.x, w.max.x), std::max(kmax.y, w.max.y));
            }
        REQUIRE(kmin.x < kmax.x);
        for (const auto& w : h.session->registry().widgets()) {
            if (w.key || !w.tappable) continue;
            INFO("\"" << w.label << "\" under the keypad");
            CHECK_FALSE((w.max.x > kmin.x && w.min.x < kmax.x && w.max.y > kmin.y && w.min.y < kmax.y));
        }
        // Tapping all over the keypad types digits: the form stays on the phone number.
        for (float y = kmin.y + 3; y < kmax.y - 3; y += 23)
            for (float x = kmin.x + 3; x < kmax.x - 3; x += 29)
                app::tapPoint(*h.session, x, y);
        CHECK(h.session->state().screen == ui::Screen::Contact);
        CHECK_FALSE(h.session->state().form.emailMode);
        CHECK_FALSE(h.session->state().form.phone.empty());
    }
}
