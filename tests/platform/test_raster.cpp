#include "comptoir/platform/platform.hpp"
#include "comptoir/platform/raster.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>

using namespace comptoir::platform;

namespace {
struct Frame {
    std::vector<std::uint8_t> px;
    int w, h;
    Frame(int width, int height) : px(static_cast<size_t>(width * height * 4)), w(width), h(height) {}
    const std::uint8_t* at(int x, int y) const { return &px[static_cast<size_t>((y * w + x) * 4)]; }
};

/// Draws with `draw` into a Dear ImGui frame and rasterises it.
template <class Draw> Frame render(Draw draw, int w = 64, int h = 64) {
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::GetIO().Fonts->AddFontDefault();
    SoftwareRasteriser raster;
    raster.setFontAtlas();
    ImGui::GetIO().DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    ImGui::NewFrame();
    draw(ImGui::GetForegroundDrawList());
    ImGui::Render();
    Frame f(w, h);
    raster.render(ImGui::GetDrawData(), f.px.data(), w, h, w * 4, 10, 20, 30);
    ImGui::DestroyContext();
    return f;
}
} // namespace

TEST_CASE("rectangles are filled exactly, the rest keeps the clear colour") {
    auto f = render([](ImDrawList* dl) { dl->AddRectFilled(ImVec2(10, 10), ImVec2(20, 30), IM_COL32(200, 100, 50, 255)); });
    CHECK(f.at(10, 10)[0] == 200);
    CHECK(f.at(19, 29)[1] == 100);
    CHECK(f.at(20, 10)[0] == 10); // right edge excluded
    CHECK(f.at(9, 10)[0] == 10);
    CHECK(f.at(15, 30)[2] == 30); // bottom edge excluded
}

TEST_CASE("translucent fills blend with what is below") {
    auto f = render([](ImDrawList* dl) { dl->AddRectFilled(ImVec2(0, 0), ImVec2(8, 8), IM_COL32(255, 255, 255, 128)); });
    CHECK(int(f.at(4, 4)[0]) == 133); // 255 × 128/255 + 10 × 127/255, rounded
}

TEST_CASE("triangles and rounded shapes cover their area without seams") {
    auto f = render([](ImDrawList* dl) {
        dl->AddCircleFilled(ImVec2(32, 32), 20, IM_COL32(0, 255, 0, 255), 32);
    });
    CHECK(f.at(32, 32)[1] == 255);
    CHECK(f.at(32, 15)[1] == 255);
    CHECK(f.at(2, 2)[1] == 20);
    // every pixel well inside the disc is fully green: no seam between fan triangles
    for (int y = 20; y < 44; ++y)
        for (int x = 20; x < 44; ++x)
            if ((x - 32) * (x - 32) + (y - 32) * (y - 32) < 15 * 15) REQUIRE(f.at(x, y)[1] == 255);
}

TEST_CASE("text is drawn from the font atlas") {
    auto f = render([](ImDrawList* dl) { dl->AddText(ImVec2(2, 2), IM_COL32(255, 255, 255, 255), "MMMM"); });
    int lit = 0;
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 40; ++x) lit += f.at(x, y)[0] > 128;
    CHECK(lit > 30);
}
