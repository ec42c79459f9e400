#include "comptoir/domain/catalogue.hpp"
#include "comptoir/platform/platform.hpp"
#include "comptoir/ui/offer_list.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>
#include <set>

using namespace comptoir;

namespace {

/// The real offer list screen, drawn headless with the software renderer.
struct Harness {
    platform::Size size;
    std::unique_ptr<platform::Surface> surface;
    ui::Look look;
    ui::WidgetRegistry registry;
    ui::OfferListState state;
    Strings strings;

    explicit Harness(platform::Size s) : size(s) {
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        std::string error;
        surface = platform::openOffscreen(size, error);
        REQUIRE(surface);
        look.palette = ui::warmPalette();
        look.scale = static_cast<float>(size.height) / 800.0f;
        REQUIRE(ui::loadFonts(look, error));
        surface->reloadFonts();
        ui::applyStyle(look);
        REQUIRE(strings.load(test::sourcePath("assets/i18n"), "fr", error));
    }
    ~Harness() {
        surface.reset();
        ImGui::DestroyContext();
    }
    ui::OfferListIntent frame(const ui::OfferListVm& vm) {
        surface->beginFrame(1.0 / 60.0);
        registry.beginFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("kiosk", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
        auto intent = ui::drawOfferList(vm, state, look, registry);
        ImGui::End();
        surface->endFrame();
        return intent;
    }
};

Catalogue demo() {
    auto r = parseCatalogue(test::readFile(test::sourcePath("assets/catalogue/demo.json")));
    REQUIRE(r.ok);
    return r.catalogue;
}

/// A blank or nearly uniform picture has few colours and almost every pixel the same.
void requireNotBlank(const std::string& png, int w, int h) {
    int pw = 0, ph = 0;
    std::vector<std::uint8_t> rgba;
    std::string error;
    REQUIRE(platform::readPng(png, pw, ph, rgba, error));
    CHECK(pw == w);
    CHECK(ph == h);
    std::set<std::uint32_t> colours;
    std::size_t same = 0;
    std::uint32_t first = 0;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
        std::uint32_t c = rgba[i] | (rgba[i + 1] << 8) | (rgba[i + 2] << 16);
        if (i == 0) first = c;
        if (c == first) ++same;
        if (colours.size() < 5000) colours.insert(c);
    }
    CHECK(colours.size() > 50);
    CHECK(same < static_cast<std::size_t>(pw) * static_cast<std::size_t>(ph) * 9 / 10);
}

} // namespace

TEST_CASE("the offer list view-model shows published offers in plain French") {
    Strings s;
    std::string err;
    REQUIRE(s.load(test::sourcePath("assets/i18n"), "fr", err));
    auto c = demo();
    auto vm = ui::buildOfferListVm(c, s, "Comptoir Citoyen d'Angers");
    std::size_t published = 0;
    for (const auto& o : c.offers) published += o.status == OfferStatus::Published;
    CHECK(vm.cards.size() == published);
    CHECK(published < c.offers.size()); // the demo has paused offers, and they are hidden
    CHECK(vm.countText == std::to_string(published) + " offres pour donner un coup de main");
    for (const auto& card : vm.cards) {
        CHECK_FALSE(card.organisation.empty());
        CHECK_FALSE(card.neighbourhood.empty());
        CHECK_FALSE(card.when.empty());
        CHECK(card.when.find("⟨") == std::string::npos); // no missing translation
        CHECK_FALSE(card.badges.empty());
    }
}

TEST_CASE("the offer list renders at 1280x800 and 1920x1080 and records its widgets") {
    for (auto size : {platform::Size{1280, 800}, platform::Size{1920, 1080}}) {
        DYNAMIC_SECTION(size.width << "x" << size.height) {
            Harness h(size);
            auto vm = ui::buildOfferListVm(demo(), h.strings, "Comptoir Citoyen d'Angers");
            (void)h.frame(vm);
            (void)h.frame(vm);
            test::TempDir dir;
            std::string png = dir.file("offers.png");
            std::string error;
            REQUIRE(h.surface->savePng(png, error));
            requireNotBlank(png, size.width, size.height);
            const auto* restart = h.registry.find("Recommencer");
            REQUIRE(restart);
            // a touch target at least 48 px at 1080p, scaled with the display
            CHECK(restart->max.y - restart->min.y >= 48.0f * static_cast<float>(size.height) / 1080.0f);
            REQUIRE(h.registry.find(vm.cards.front().title));
        }
    }
}

TEST_CASE("tapping a card reports the offer to open") {
    Harness h({1280, 800});
    auto vm = ui::buildOfferListVm(demo(), h.strings, "Comptoir Citoyen d'Angers");
    (void)h.frame(vm);
    const auto* card = h.registry.find(vm.cards[1].title);
    REQUIRE(card);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2((card->min.x + card->max.x) / 2, (card->min.y + card->max.y) / 2);
    io.MouseDown[0] = true;
    (void)h.frame(vm);
    io.MouseDown[0] = false;
    auto intent = h.frame(vm);
    REQUIRE(intent.openOffer);
    CHECK(*intent.openOffer == vm.cards[1].id);
}

TEST_CASE("an empty catalogue says so kindly instead of showing nothing") {
    Harness h({1280, 800});
    auto vm = ui::buildOfferListVm(Catalogue{}, h.strings, "Comptoir");
    CHECK(vm.cards.empty());
    (void)h.frame(vm);
    CHECK(vm.emptyText.find("Revenez bientôt") != std::string::npos);
}
