// Agent follow-up screens drawn headless from plain view-models: what each shows, what a tap
// returns, and a picture of each (docs/screenshots/agent/ when COMPTOIR_AGENT_SHOTS names a folder).
#include "comptoir/platform/platform.hpp"
#include "comptoir/ui/agent_followup.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <imgui.h>
#include <set>

using namespace comptoir;
using namespace comptoir::ui;

namespace {

struct Screen {
    test::TempDir dir;
    Strings strings;
    Look look;
    WidgetRegistry reg;
    std::unique_ptr<platform::Surface> surface;

    Screen() {
        std::string error;
        if (!strings.load(test::sourcePath("assets/i18n"), "fr", error)) throw std::runtime_error(error);
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        surface = platform::openOffscreen({1280, 800}, error);
        if (!surface) throw std::runtime_error(error);
        look.palette = warmPalette();
        look.scale = look.baseScale = 800.0f / 800.0f;
        if (!loadFonts(look, error)) throw std::runtime_error(error);
        surface->reloadFonts();
        applyStyle(look);
        // IM_COL32 packs red in the low byte.
        ImU32 bg = look.palette.background;
        surface->setClearColour(static_cast<std::uint8_t>(bg & 0xFF),
                                static_cast<std::uint8_t>((bg >> 8) & 0xFF),
                                static_cast<std::uint8_t>((bg >> 16) & 0xFF));
    }
    ~Screen() {
        surface.reset();
        ImGui::DestroyContext();
    }
    /// One frame of `draw` in a full-screen window.
    void frame(const std::function<void(AgentFrame&)>& draw) {
        surface->beginFrame(1.0 / 60);
        reg.beginFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(look.px(32), look.px(24)));
        ImGui::Begin("agent", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
        AgentFrame f{look, strings, reg};
        draw(f);
        ImGui::End();
        ImGui::PopStyleVar();
        surface->endFrame();
    }
    /// Taps the widget labelled `label` (found in the last frame); runs `draw` through press and release.
    void tap(const std::string& label, const std::function<void(AgentFrame&)>& draw) {
        const auto* w = reg.find(label);
        INFO(label);
        REQUIRE(w);
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2((w->min.x + w->max.x) / 2, (w->min.y + w->max.y) / 2);
        io.MouseDown[0] = true;
        frame(draw);
        io.MouseDown[0] = false;
        frame(draw);
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    }
    bool shows(const std::string& label) const { return reg.find(label) != nullptr; }
    /// Saves the last frame and checks it is a real picture, not a blank one.
    void shot(const std::string& name) {
        std::string path = dir.file(name);
        std::string error;
        REQUIRE(surface->savePng(path, error));
        int w = 0, h = 0;
        std::vector<std::uint8_t> rgba;
        REQUIRE(platform::readPng(path, w, h, rgba, error));
        std::set<std::uint32_t> colours;
        for (std::size_t i = 0; i + 3 < rgba.size() && colours.size() < 100; i += 4)
            colours.insert(rgba[i] | (rgba[i + 1] << 8) | (rgba[i + 2] << 16));
        CHECK(colours.size() > 40);
        if (const char* out = std::getenv("COMPTOIR_AGENT_SHOTS"); out && *out)
            std::filesystem::copy_file(path, std::string(out) + "/" + name,
                                       std::filesystem::copy_options::overwrite_existing);
    }
};

IntroductionDetailVm detail(IntroStatus status) {
    IntroductionDetailVm vm;
    vm.reference = "K7F-4QX";
    vm.offerTitle = "Permis Citoyen : aider au point numérique";
    vm.organisationName = "Maison de quartier des Hauts-de-Saint-Aubin";
    vm.status = status;
    vm.nextActionOn = "2026-12-06";
    vm.history = {{"2026-11-20", IntroStatus::Proposed, ""},
                  {"2026-11-24", IntroStatus::Accepted, ""},
                  {"2026-11-28", IntroStatus::Started, ""}};
    vm.hoursDone = 22.5;
    vm.permisCitoyen = true;
    return vm;
}

} // namespace

TEST_CASE("introduction detail shows only the allowed moves, and a tap returns the move") {
    Screen s;
    for (IntroStatus status : kIntroStatuses) {
        auto vm = detail(status);
        s.frame([&](AgentFrame& f) { (void)drawIntroductionDetail(f, vm); });
        for (IntroStatus to : kIntroStatuses) {
            std::string label =
                s.strings.format("followup.detail.move_to",
                                 {{"status", s.strings.get(std::string("followup.status.") + toString(to))}});
            INFO(toString(status) << " -> " << toString(to));
            CHECK(s.shows(label) == canTransition(status, to));
        }
    }
    auto vm = detail(IntroStatus::Started);
    vm.nextToCallReference = "M2P-8RT";
    IntroductionIntent got;
    auto draw = [&](AgentFrame& f) {
        auto i = drawIntroductionDetail(f, vm);
        if (i.kind != IntroductionIntent::Kind::None) got = i;
    };
    s.frame(draw);
    CHECK(s.shows("20 h atteintes : le Permis Citoyen peut être accordé"));
    s.shot("01-introduction.png");
    s.tap("Passer à « Réalisée »", draw);
    CHECK(got.kind == IntroductionIntent::Kind::Move);
    CHECK(got.to == IntroStatus::Completed);
    s.tap("Noter des heures", draw);
    CHECK(got.kind == IntroductionIntent::Kind::LogHours);
}

TEST_CASE("the reason picker lists the coded reasons of the move and confirms only once one is chosen") {
    Screen s;
    ReasonPickerVm vm{IntroStatus::NoShow, ""};
    ReasonIntent got;
    auto draw = [&](AgentFrame& f) {
        auto i = drawReasonPicker(f, vm);
        if (i.kind != ReasonIntent::Kind::None) got = i;
    };
    s.frame(draw);
    CHECK(s.shows("Sans nouvelles"));
    CHECK_FALSE(s.shows("Raison de santé")); // a cancellation reason, not a no-show one
    CHECK_FALSE(s.shows("Valider"));
    s.tap("Sans nouvelles", draw);
    CHECK(got.kind == ReasonIntent::Kind::Pick);
    CHECK(got.code == "no_news");
    vm.selected = got.code;
    s.frame(draw);
    s.shot("02-reason.png");
    s.tap("Valider", draw);
    CHECK(got.kind == ReasonIntent::Kind::Confirm);
}

TEST_CASE("hours entry steps by quarter hours and shows Permis Citoyen progress") {
    Screen s;
    HoursEntryVm vm{2.5, "2026-12-02", 15, true, ""};
    HoursIntent got;
    auto draw = [&](AgentFrame& f) {
        auto i = drawHoursEntry(f, vm);
        if (i.kind != HoursIntent::Kind::None) got = i;
    };
    s.frame(draw);
    CHECK(s.shows("2,5 h"));
    CHECK(s.shows("17,5 h sur 20 à 40 h"));
    CHECK(s.shows("Encore 2,5 h pour atteindre 20 h"));
    s.shot("03-hours.png");
    s.tap("+ ¼ h", draw);
    CHECK(got.kind == HoursIntent::Kind::More);
    s.tap("Jour d'avant", draw);
    CHECK(got.kind == HoursIntent::Kind::EarlierDay);
    s.tap("Enregistrer les heures", draw);
    CHECK(got.kind == HoursIntent::Kind::Save);
}

TEST_CASE("indicators draw headline figures and a bar and line chart") {
    Screen s;
    IndicatorInput in;
    in.offers = {{"o1", "A", "t", "n", true}, {"o2", "B", "t", "n", true}, {"o3", "C", "t", "n", false}};
    const char* months[] = {"2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"};
    int k = 0;
    for (int m = 0; m < 6; ++m)
        for (int i = 0; i <= m + 2; ++i) {
            std::string id = "n" + std::to_string(k++);
            std::string day = std::string(months[m]) + "-1" + std::to_string(i % 9);
            in.interests.push_back({"i" + id, "o1", day, false});
            in.introductions.push_back({id, "i" + id, i % 2 ? "o1" : "o2", i % 2 ? "A" : "B", day,
                                        i % 4 == 3 ? IntroStatus::NoShow : IntroStatus::Started});
            in.hours.push_back({id, day, 1.5 + i});
        }
    in.feedback = {{"2026-12-01", 4}, {"2026-12-02", 3}};
    auto vm = buildIndicatorsVm(computeIndicators(in, Period::Month), 6);
    REQUIRE(vm.labels.size() == 6);
    CHECK(vm.labels.back() == "2026-12");
    CHECK(vm.now.openOffers == 2);
    IndicatorsIntent got;
    auto draw = [&](AgentFrame& f) {
        auto i = drawIndicators(f, vm);
        if (i.kind != IndicatorsIntent::Kind::None) got = i;
    };
    s.frame(draw);
    CHECK(s.shows("Offres ouvertes 2"));
    CHECK(s.shows("Avis (sur 4) 3,5"));
    s.shot("04-indicators.png");
    s.tap("Exporter en CSV", draw);
    CHECK(got.kind == IndicatorsIntent::Kind::Export);
    s.tap("Par semaine", draw);
    CHECK(got.kind == IndicatorsIntent::Kind::ByWeek);
}

TEST_CASE("a privacy request: type the code, find, export, erase only after confirming") {
    Screen s;
    KeyboardState keyboard;
    PrivacyVm vm;
    vm.code = "K7F-4Q";
    PrivacyIntent got;
    auto draw = [&](AgentFrame& f) {
        auto i = drawPrivacyRequest(f, vm, keyboard);
        if (i.kind != PrivacyIntent::Kind::None) got = i;
    };
    s.frame(draw);
    s.shot("05-privacy-find.png");
    CHECK((s.reg.findKey("X") || s.reg.findKey("x")));
    s.tap("Chercher", draw);
    CHECK(got.kind == PrivacyIntent::Kind::Find);

    vm.stage = PrivacyStage::Found;
    vm.reference = "K7F-4QX";
    vm.createdOn = "2026-11-20";
    vm.what = "Permis Citoyen : aider au point numérique";
    s.frame(draw);
    CHECK(s.shows("Inscription K7F-4QX du 2026-11-20"));
    s.tap("Exporter ses données", draw);
    CHECK(got.kind == PrivacyIntent::Kind::Export);
    s.tap("Effacer ses données", draw);
    CHECK(got.kind == PrivacyIntent::Kind::AskErase);

    vm.stage = PrivacyStage::ConfirmErase;
    s.frame(draw);
    s.shot("06-privacy-confirm.png");
    CHECK_FALSE(s.shows("Effacer ses données"));
    s.tap("Oui, effacer", draw);
    CHECK(got.kind == PrivacyIntent::Kind::ConfirmErase);

    vm.stage = PrivacyStage::Done;
    vm.alreadyErased = true;
    vm.message = s.strings.get("privacy.erased");
    s.frame(draw);
    CHECK_FALSE(s.shows("Effacer ses données"));
}
