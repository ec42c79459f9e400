#include "comptoir/platform/platform.hpp"
#include "comptoir/platform/raster.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <imgui.h>
#include <vector>

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
    auto f = render([](ImDrawList* dl) {
        dl->AddRectFilled(ImVec2(10, 10), ImVec2(20, 30), IM_COL32(200, 100, 50, 255));
    });
    CHECK(f.at(10, 10)[0] == 200);
    CHECK(f.at(19, 29)[1] == 100);
    CHECK(f.at(20, 10)[0] == 10); // right edge excluded
    CHECK(f.at(9, 10)[0] == 10);
    CHECK(f.at(15, 30)[2] == 30); // bottom edge excluded
}

TEST_CASE("translucent fills blend with what is below") {
    auto f = render(
        [](ImDrawList* dl) { dl->AddRectFilled(ImVec2(0, 0), ImVec2(8, 8), IM_COL32(255, 255, 255, 128)); });
    CHECK(int(f.at(4, 4)[0]) == 133); // 255 × 128/255 + 10 × 127/255, rounded
}

TEST_CASE("triangles and rounded shapes cover their area without seams") {
    auto f =
        render([](ImDrawList* dl) { dl->AddCircleFilled(ImVec2(32, 32), 20, IM_COL32(0, 255, 0, 255), 32); });
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
        for (int x = 0; x < 40; ++x)
            lit += f.at(x, y)[0] > 128;
    CHECK(lit > 30);
}

namespace {
/// Coverage of white over the clear colour (red channel 10), bilinear between pixel centres.
float coverage(const Frame& f, float x, float y) {
    x -= 0.5f;
    y -= 0.5f;
    int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
    float fx = x - static_cast<float>(ix), fy = y - static_cast<float>(iy);
    auto at = [&f](int px, int py) {
        if (px < 0 || py < 0 || px >= f.w || py >= f.h) return 0.0f;
        return (static_cast<float>(f.at(px, py)[0]) - 10.0f) / 245.0f;
    };
    return at(ix, iy) * (1 - fx) * (1 - fy) + at(ix + 1, iy) * fx * (1 - fy) +
           at(ix, iy + 1) * (1 - fx) * fy + at(ix + 1, iy + 1) * fx * fy;
}

/// The least ink found across a stroke, as a fraction of its thickness: at every quarter pixel of
/// the centre line, coverage summed along the normal. A whole stroke gives about 1 everywhere; a
/// gap gives 0 where it is.
float leastInk(const Frame& f, const std::vector<ImVec2>& path, float thickness) {
    float least = 1e9f;
    for (size_t i = 0; i < path.size(); ++i) {
        ImVec2 a = path[i], b = path[(i + 1) % path.size()];
        float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
        if (len < 1e-3f) continue;
        float nx = -dy / len, ny = dx / len;
        for (float s = 0; s < len; s += 0.25f) {
            float cx = a.x + dx * s / len, cy = a.y + dy * s / len, ink = 0;
            for (float d = -thickness / 2 - 2; d <= thickness / 2 + 2; d += 0.05f)
                ink += coverage(f, cx + nx * d, cy + ny * d) * 0.05f;
            least = std::min(least, ink / thickness);
        }
    }
    return least;
}
} // namespace

TEST_CASE("rounded outlines have no gaps, wherever they fall on the pixel grid") {
    // Outlines at every quarter-pixel offset: thin ones come from Dear ImGui's baked line texture
    // (1 px texels across, made for bilinear sampling), fractional ones from fringed triangles
    // whose joints can sit exactly on pixel centres.
    for (float thickness : {1.0f, 1.5f, 2.0f, 2.25f, 3.0f}) {
        for (float rounding : {6.0f, 14.0f, 100.0f}) { // 100: a pill, as Dear ImGui clamps it
            std::vector<std::vector<ImVec2>> paths;
            auto f = render(
                [&](ImDrawList* dl) {
                    for (int k = 0; k < 16; ++k) {
                        float ox = static_cast<float>(k % 4) * 0.25f, oy = static_cast<float>(k / 4) * 0.25f;
                        ImVec2 a(4.0f + static_cast<float>(k % 4) * 60.0f + ox,
                                 4.0f + static_cast<float>(k / 4) * 40.0f + oy);
                        ImVec2 b(a.x + 52.0f, a.y + 32.0f);
                        dl->PathRect(ImVec2(a.x + 0.5f, a.y + 0.5f), ImVec2(b.x - 0.5f, b.y - 0.5f),
                                     rounding);
                        paths.emplace_back(dl->_Path.Data,
                                           dl->_Path.Data + dl->_Path.Size); // the stroke's centre line
                        dl->PathClear();
                        dl->AddRect(a, b, IM_COL32(255, 255, 255, 255), rounding, 0, thickness);
                    }
                },
                248, 168);
            for (size_t k = 0; k < paths.size(); ++k) {
                INFO("thickness " << thickness << ", rounding " << rounding << ", offset " << (k % 4) * 0.25
                                  << ", " << (k / 4) * 0.25);
                CHECK(leastInk(f, paths[k], thickness) > 0.8f);
            }
        }
    }
}

TEST_CASE("a 1 px line on a pixel boundary is shared by the two rows, as a GPU draws it") {
    auto f = render([](ImDrawList* dl) {
        dl->AddLine(ImVec2(3.5f, 19.5f), ImVec2(59.5f, 19.5f), IM_COL32(255, 255, 255, 255), 1.0f);
    });
    for (int x = 8; x < 56; ++x) {
        INFO("x " << x);
        CHECK(std::abs(static_cast<int>(f.at(x, 19)[0]) - 133) <= 2); // half of white over the clear colour
        CHECK(std::abs(static_cast<int>(f.at(x, 20)[0]) - 133) <= 2);
        CHECK(f.at(x, 18)[0] == 10);
        CHECK(f.at(x, 21)[0] == 10);
    }
}

TEST_CASE("the picture does not depend on the bands or on the threads that draw them") {
    // Shapes of every kind across band boundaries (64 rows), translucent ones overlapping, a clip
    // rectangle cutting through bands, text, thin and thick lines.
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::GetIO().Fonts->AddFontDefault();
    // One band of the whole height is the plain, unbanded rasteriser.
    SoftwareRasteriser single(1, 100000), banded(1, 7), two(2), three(3, 16);
    CHECK(single.threads() == 1);
    CHECK(three.threads() == 3);
    single.setFontAtlas();
    const int w = 300, h = 333;
    ImGui::GetIO().DisplaySize = ImVec2(w, h);
    ImGui::NewFrame();
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    for (int i = 0; i < 40; ++i) {
        const float x = static_cast<float>((i * 37) % 260) + 0.3f * static_cast<float>(i % 4);
        const float y = static_cast<float>((i * 53) % 300) + 0.25f * static_cast<float>(i % 3);
        const auto alpha = static_cast<unsigned>(i % 2 == 0 ? 255 : 60 + i * 4);
        const ImU32 col = IM_COL32(40 + i * 5, 200 - i * 3, 90 + i * 2, alpha);
        switch (i % 5) {
        case 0:
            dl->AddRectFilled(ImVec2(x, y), ImVec2(x + 70, y + 90), col, 14.0f);
            break;
        case 1:
            dl->AddRect(ImVec2(x, y), ImVec2(x + 80, y + 40), col, 20.0f, 0,
                        1.0f + static_cast<float>(i % 3) * 0.75f);
            break;
        case 2:
            dl->AddCircleFilled(ImVec2(x + 20, y + 20), 25.0f, col);
            break;
        case 3:
            dl->AddText(ImVec2(x, y), col, "Recommencer 123 ÉàÇ");
            break;
        default:
            dl->AddLine(ImVec2(x, y), ImVec2(x + 60, y + 70), col, 2.0f);
            break;
        }
    }
    dl->PushClipRect(ImVec2(50, 60), ImVec2(250, 200));
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(300, 300), IM_COL32(255, 255, 255, 90), 30.0f);
    dl->PopClipRect();
    ImGui::Render();
    auto draw = [&](SoftwareRasteriser& r) {
        std::vector<std::uint8_t> px(w * h * 4, 7);
        r.render(ImGui::GetDrawData(), px.data(), w, h, w * 4, 10, 20, 30);
        return px;
    };
    const auto a = draw(single);
    const bool sameBanded = draw(banded) == a, sameTwo = draw(two) == a, sameThree = draw(three) == a;
    ImGui::DestroyContext();
    CHECK(sameBanded);
    CHECK(sameTwo);
    CHECK(sameThree);
    int clearPixels = 0;
    for (size_t i = 0; i < a.size(); i += 4)
        clearPixels += a[i] == 10 && a[i + 1] == 20 && a[i + 2] == 30;
    CHECK(clearPixels > 1000);      // not all drawn over
    CHECK(clearPixels < w * h / 2); // and something was drawn
}

TEST_CASE("shapes far off the screen or with NaN corners are drawn or skipped, never crash") {
    auto f = render([](ImDrawList* dl) {
        dl->AddRectFilled(ImVec2(-1e12f, -1e12f), ImVec2(1e12f, 1e12f), IM_COL32(0, 200, 0, 255));
        dl->AddTriangleFilled(ImVec2(NAN, 3), ImVec2(40, NAN), ImVec2(5, 50), IM_COL32(255, 0, 0, 255));
        dl->AddTriangleFilled(ImVec2(-1e12f, 10), ImVec2(1e12f, 12), ImVec2(30, 60),
                              IM_COL32(0, 0, 255, 128));
    });
    CHECK(f.at(0, 0)[1] == 200);
    CHECK(f.at(63, 63)[1] == 200);
    CHECK(f.at(32, 4)[0] == 0); // the NaN triangle drew nothing
}
