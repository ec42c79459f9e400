#include "comptoir/ui/qr_view.hpp"

#include <algorithm>
#include <cmath>

namespace comptoir::ui {

const QrMatrix& qrFor(const std::string& text) {
    static std::string lastText;
    static QrMatrix last;
    if (text != lastText || last.size == 0) {
        lastText = text;
        last = encodeQr(text);
    }
    return last;
}

namespace {
int modulePixels(const QrMatrix& code, float maxSide) {
    const int span = code.size + 2 * kQrQuietZone;
    return std::max(1, static_cast<int>(std::floor(maxSide / static_cast<float>(span))));
}
} // namespace

float qrSide(const QrMatrix& code, float maxSide) {
    if (code.size == 0) return 0;
    return static_cast<float>(modulePixels(code, maxSide) * (code.size + 2 * kQrQuietZone));
}

float drawQr(ImDrawList* dl, const QrMatrix& code, ImVec2 topLeft, float maxSide) {
    if (code.size == 0) return 0;
    const float m = static_cast<float>(modulePixels(code, maxSide));
    const float side = qrSide(code, maxSide);
    // Whole-pixel corners and unrounded rects: no anti-aliased fringe blurs a module edge.
    const float x0 = std::round(topLeft.x), y0 = std::round(topLeft.y);
    dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + side, y0 + side), IM_COL32(255, 255, 255, 255));
    const float ox = x0 + m * kQrQuietZone, oy = y0 + m * kQrQuietZone;
    for (int y = 0; y < code.size; ++y) {
        // one rect per run of dark modules keeps the vertex count low
        for (int x = 0; x < code.size;) {
            if (!code.at(x, y)) {
                ++x;
                continue;
            }
            int end = x;
            while (end < code.size && code.at(end, y))
                ++end;
            dl->AddRectFilled(ImVec2(ox + m * static_cast<float>(x), oy + m * static_cast<float>(y)),
                              ImVec2(ox + m * static_cast<float>(end), oy + m * static_cast<float>(y + 1)),
                              IM_COL32(0, 0, 0, 255));
            x = end;
        }
    }
    return side;
}

} // namespace comptoir::ui
