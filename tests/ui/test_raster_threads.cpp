// The kiosk's real screens drawn by the software rasteriser unbanded on one thread and in
// parallel bands: the bytes must be the same, frame after frame, while the offer list scrolls.
#include "comptoir/platform/raster.hpp"
#include "kiosk_harness.hpp"

#include <catch2/catch.hpp>

using namespace comptoir;
using test::KioskHarness;

namespace {
/// Draws the frame the session just built, with `threads` threads. The draw commands carry the
/// font texture of the surface's own rasteriser, so a second rasteriser can draw them too.
std::vector<std::uint8_t> draw(int threads, int bandRows, platform::Size size) {
    platform::SoftwareRasteriser raster(threads, bandRows);
    std::vector<std::uint8_t> px(static_cast<size_t>(size.width) * static_cast<size_t>(size.height) * 4);
    raster.render(ImGui::GetDrawData(), px.data(), size.width, size.height, size.width * 4, 250, 244, 236);
    return px;
}

void requireSameInParallel(platform::Size size) {
    const auto plain = draw(1, size.height, size); // one band: the plain rasteriser
    const bool sameTwo = draw(2, 64, size) == plain, sameFour = draw(4, 64, size) == plain;
    const bool sameThin = draw(2, 5, size) == plain;
    REQUIRE(sameTwo);
    REQUIRE(sameFour);
    REQUIRE(sameThin);
}
} // namespace

TEST_CASE("the offer list and other real screens are drawn alike by one thread and by bands in parallel") {
    for (auto size : {platform::Size{1920, 1080}, platform::Size{1280, 800}}) {
        DYNAMIC_SECTION(size.width << "x" << size.height) {
            KioskHarness k(size);
            REQUIRE(k.run("tap \"Découvrir les offres\"") == "");
            requireSameInParallel(size);
            // Mid-scroll frames put every card at fractional positions.
            ImGuiIO& io = ImGui::GetIO();
            for (int f = 0; f < 12; ++f) {
                io.MousePos = ImVec2(static_cast<float>(size.width) * 0.45f,
                                     static_cast<float>(size.height) * 0.8f - static_cast<float>(f) * 23.7f);
                io.MouseDown[0] = true;
                k.session->frame(1.0 / 60.0);
                if (f % 3 == 2) requireSameInParallel(size);
            }
            io.MouseDown[0] = false;
            for (int f = 0; f < 5; ++f)
                k.session->frame(1.0 / 60.0);
            requireSameInParallel(size);
            REQUIRE(k.run("tap \"Chercher une offre\"\ntype collecte") == "");
            requireSameInParallel(size); // keyboard, search results
        }
    }
}
