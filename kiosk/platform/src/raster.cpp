#include "comptoir/platform/raster.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <imgui.h>

namespace comptoir::platform {

namespace {

struct Target {
    std::uint8_t* pixels;
    int width, height, stride;
};

struct Clip {
    int x0, y0, x1, y1; ///< pixel range [x0, x1) × [y0, y1)
};

/// x / 255 rounded to nearest, exact for 0 ≤ x ≤ 255 × 255.
inline std::uint32_t div255(std::uint32_t x) {
    x += 128;
    return (x + (x >> 8)) >> 8;
}

inline void blend(std::uint8_t* p, std::uint32_t r, std::uint32_t g, std::uint32_t b, std::uint32_t a) {
    if (a == 0) return;
    if (a == 255) {
        p[0] = static_cast<std::uint8_t>(r);
        p[1] = static_cast<std::uint8_t>(g);
        p[2] = static_cast<std::uint8_t>(b);
        p[3] = 255;
        return;
    }
    std::uint32_t ia = 255 - a;
    p[0] = static_cast<std::uint8_t>(div255(r * a + p[0] * ia));
    p[1] = static_cast<std::uint8_t>(div255(g * a + p[1] * ia));
    p[2] = static_cast<std::uint8_t>(div255(b * a + p[2] * ia));
    p[3] = 255;
}

inline std::uint8_t texel(const SoftwareRasteriser::Texture* t, float u, float v) {
    if (!t || t->alpha.empty()) return 255;
    int x = std::clamp(static_cast<int>(u * static_cast<float>(t->width)), 0, t->width - 1);
    int y = std::clamp(static_cast<int>(v * static_cast<float>(t->height)), 0, t->height - 1);
    return t->alpha[static_cast<size_t>(y) * static_cast<size_t>(t->width) + static_cast<size_t>(x)];
}

/// First pixel whose centre is at or after `edge`.
inline int firstPixel(float edge) {
    return static_cast<int>(std::ceil(edge - 0.5f));
}

/// Fills an axis-aligned rectangle with one colour, sampling the texture when it varies.
void fillQuad(const Target& t, const Clip& clip, const ImDrawVert& a, const ImDrawVert& c,
              const SoftwareRasteriser::Texture* tex) {
    float x0 = std::min(a.pos.x, c.pos.x), x1 = std::max(a.pos.x, c.pos.x);
    float y0 = std::min(a.pos.y, c.pos.y), y1 = std::max(a.pos.y, c.pos.y);
    int px0 = std::max(firstPixel(x0), clip.x0), px1 = std::min(firstPixel(x1), clip.x1);
    int py0 = std::max(firstPixel(y0), clip.y0), py1 = std::min(firstPixel(y1), clip.y1);
    if (px0 >= px1 || py0 >= py1) return;
    std::uint32_t col = a.col;
    std::uint32_t r = col & 0xFF, g = (col >> 8) & 0xFF, b = (col >> 16) & 0xFF, alpha = col >> 24;
    bool textured = tex && (a.uv.x != c.uv.x || a.uv.y != c.uv.y);
    if (!textured) {
        std::uint32_t sa = div255(alpha * texel(tex, a.uv.x, a.uv.y));
        for (int y = py0; y < py1; ++y) {
            std::uint8_t* row = t.pixels + static_cast<size_t>(y) * static_cast<size_t>(t.stride) +
                                static_cast<size_t>(px0) * 4;
            for (int x = px0; x < px1; ++x, row += 4)
                blend(row, r, g, b, sa);
        }
        return;
    }
    // Texture coordinates vary linearly across the quad (glyphs): step them per pixel.
    float du = (c.uv.x - a.uv.x) / (c.pos.x - a.pos.x);
    float dv = (c.uv.y - a.uv.y) / (c.pos.y - a.pos.y);
    for (int y = py0; y < py1; ++y) {
        float v = a.uv.y + (static_cast<float>(y) + 0.5f - a.pos.y) * dv;
        std::uint8_t* row =
            t.pixels + static_cast<size_t>(y) * static_cast<size_t>(t.stride) + static_cast<size_t>(px0) * 4;
        float u = a.uv.x + (static_cast<float>(px0) + 0.5f - a.pos.x) * du;
        for (int x = px0; x < px1; ++x, row += 4, u += du) {
            std::uint32_t ta = texel(tex, u, v);
            if (ta) blend(row, r, g, b, div255(alpha * ta));
        }
    }
}

inline float edge(const ImVec2& a, const ImVec2& b, float px, float py) {
    return (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x);
}

/// Bilinear sample, as a GPU samples Dear ImGui's textures. The anti-aliased lines are textured
/// strips over a baked profile, one texel per pixel across the line: sampled nearest, a 1 px line
/// centred on a pixel boundary lands exactly between a solid and a transparent texel, and
/// rounding can pick the transparent one on both sides: the line disappears.
inline std::uint32_t texelBilinear(const SoftwareRasteriser::Texture* t, float u, float v) {
    if (!t || t->alpha.empty()) return 255;
    float x = u * static_cast<float>(t->width) - 0.5f, y = v * static_cast<float>(t->height) - 0.5f;
    float fx0 = std::floor(x), fy0 = std::floor(y);
    float fx = x - fx0, fy = y - fy0;
    int x0 = std::clamp(static_cast<int>(fx0), 0, t->width - 1), x1 = std::min(x0 + 1, t->width - 1);
    int y0 = std::clamp(static_cast<int>(fy0), 0, t->height - 1), y1 = std::min(y0 + 1, t->height - 1);
    auto at = [t](int px, int py) {
        return static_cast<float>(
            t->alpha[static_cast<size_t>(py) * static_cast<size_t>(t->width) + static_cast<size_t>(px)]);
    };
    float top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * fx;
    float bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * fx;
    return static_cast<std::uint32_t>(std::clamp(top + (bottom - top) * fy + 0.5f, 0.0f, 255.0f));
}

/// A triangle edge crossed by pixel rows. It is stored from its upper end (then its left end), so
/// two triangles that share an edge compute bit-identical crossings whichever way round they list
/// it: a pixel centre on the shared edge then belongs to exactly one of them (left edges and top
/// edges own their centres, right and bottom ones do not). Edge functions evaluated per triangle
/// round differently on each side and could drop such a pixel from both (a hole where a polyline
/// joint sits on a pixel centre) or give it to both (a darker dot).
struct Crossing {
    float x, y, slope;
    Crossing(ImVec2 a, ImVec2 b) {
        if (b.y < a.y || (b.y == a.y && b.x < a.x)) std::swap(a, b);
        x = a.x;
        y = a.y;
        slope = (b.x - a.x) / (b.y - a.y);
    }
    [[nodiscard]] float at(float rowCentre) const { return x + (rowCentre - y) * slope; }
};

/// Any triangle, as one span per pixel row between its edges' crossings; colours and UVs are
/// interpolated with edge functions when they vary.
void fillTriangle(const Target& t, const Clip& clip, const ImDrawVert& v0, ImDrawVert v1, ImDrawVert v2,
                  const SoftwareRasteriser::Texture* tex) {
    float area = edge(v0.pos, v1.pos, v2.pos.x, v2.pos.y);
    if (std::fabs(area) < 1e-6f) return;
    if (area < 0) {
        std::swap(v1, v2);
        area = -area;
    }
    // Sorted top to bottom: rows above `mid` lie between edges top–mid and top–bottom, the others
    // between mid–bottom and top–bottom.
    const ImVec2* s[3] = {&v0.pos, &v1.pos, &v2.pos};
    if (s[1]->y < s[0]->y) std::swap(s[0], s[1]);
    if (s[2]->y < s[1]->y) std::swap(s[1], s[2]);
    if (s[1]->y < s[0]->y) std::swap(s[0], s[1]);
    const Crossing longEdge(*s[0], *s[2]), upper(*s[0], *s[1]), lower(*s[1], *s[2]);
    const float midY = s[1]->y;
    int py0 = std::max(firstPixel(s[0]->y), clip.y0);
    int py1 = std::min(firstPixel(s[2]->y), clip.y1);
    if (py0 >= py1) return;
    const bool flat = v0.col == v1.col && v1.col == v2.col;
    const bool textured =
        tex && !(v0.uv.x == v1.uv.x && v1.uv.x == v2.uv.x && v0.uv.y == v1.uv.y && v1.uv.y == v2.uv.y);
    const float inv = 1.0f / area;
    auto channel = [](ImU32 c, int shift) { return static_cast<float>((c >> shift) & 0xFF); };
    std::uint32_t fr = v0.col & 0xFF, fg = (v0.col >> 8) & 0xFF, fb = (v0.col >> 16) & 0xFF,
                  fa = v0.col >> 24;
    std::uint32_t flatTex = textured ? 255 : texel(tex, v0.uv.x, v0.uv.y);
    const std::uint32_t flatAlpha = div255(fa * flatTex);
    const float e0dx = -(v2.pos.y - v1.pos.y), e1dx = -(v0.pos.y - v2.pos.y), e2dx = -(v1.pos.y - v0.pos.y);
    for (int y = py0; y < py1; ++y) {
        const float cy = static_cast<float>(y) + 0.5f;
        float xa = longEdge.at(cy), xb = (cy < midY ? upper : lower).at(cy);
        if (xb < xa) std::swap(xa, xb);
        const int xs = std::max(firstPixel(xa), clip.x0), xe = std::min(firstPixel(xb), clip.x1);
        if (xs >= xe) continue;
        std::uint8_t* row =
            t.pixels + static_cast<size_t>(y) * static_cast<size_t>(t.stride) + static_cast<size_t>(xs) * 4;
        if (flat && !textured) {
            for (int x = xs; x < xe; ++x, row += 4)
                blend(row, fr, fg, fb, flatAlpha);
            continue;
        }
        const float cx = static_cast<float>(xs) + 0.5f;
        float w0 = edge(v1.pos, v2.pos, cx, cy), w1 = edge(v2.pos, v0.pos, cx, cy),
              w2 = edge(v0.pos, v1.pos, cx, cy);
        for (int x = xs; x < xe; ++x, row += 4, w0 += e0dx, w1 += e1dx, w2 += e2dx) {
            float l0 = w0 * inv, l1 = w1 * inv, l2 = w2 * inv;
            auto mix = [&](int shift) {
                return static_cast<std::uint32_t>(std::clamp(channel(v0.col, shift) * l0 +
                                                                 channel(v1.col, shift) * l1 +
                                                                 channel(v2.col, shift) * l2 + 0.5f,
                                                             0.0f, 255.0f));
            };
            std::uint32_t ta = textured ? texelBilinear(tex, v0.uv.x * l0 + v1.uv.x * l1 + v2.uv.x * l2,
                                                        v0.uv.y * l0 + v1.uv.y * l1 + v2.uv.y * l2)
                                        : flatTex;
            blend(row, mix(0), mix(8), mix(16), div255(mix(24) * ta));
        }
    }
}

/// ImGui's rectangles come as (0,1,2)(0,2,3) over corners going round the rectangle.
bool isAxisAlignedQuad(const ImDrawVert* v, const ImDrawIdx* idx) {
    if (idx[3] != idx[0] || idx[4] != idx[2]) return false;
    const ImDrawVert &a = v[idx[0]], &b = v[idx[1]], &c = v[idx[2]], &d = v[idx[5]];
    if (a.col != b.col || a.col != c.col || a.col != d.col) return false;
    // Corners clockwise from the top-left (PrimRect, PrimRectUV), with u following x and v following y.
    bool corners = a.pos.y == b.pos.y && b.pos.x == c.pos.x && c.pos.y == d.pos.y && d.pos.x == a.pos.x;
    bool uvs = a.uv.y == b.uv.y && b.uv.x == c.uv.x && c.uv.y == d.uv.y && d.uv.x == a.uv.x;
    return corners && uvs;
}

} // namespace

void SoftwareRasteriser::setFontAtlas() {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas->GetTexDataAsAlpha8(&pixels, &w, &h);
    m_font.width = w;
    m_font.height = h;
    m_font.alpha.assign(pixels, pixels + static_cast<size_t>(w) * static_cast<size_t>(h));
    atlas->SetTexID(static_cast<ImTextureID>(&m_font));
}

void SoftwareRasteriser::render(const ImDrawData* data, std::uint8_t* rgba, int width, int height, int stride,
                                std::uint8_t clearR, std::uint8_t clearG, std::uint8_t clearB) const {
    for (int y = 0; y < height; ++y) {
        std::uint8_t* row = rgba + static_cast<size_t>(y) * static_cast<size_t>(stride);
        for (int x = 0; x < width; ++x, row += 4) {
            row[0] = clearR;
            row[1] = clearG;
            row[2] = clearB;
            row[3] = 255;
        }
    }
    if (!data) return;
    Target t{rgba, width, height, stride};
    ImVec2 off = data->DisplayPos;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* list = data->CmdLists[n];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) continue; // none of our screens uses callbacks
            Clip clip{std::max(0, static_cast<int>(cmd.ClipRect.x - off.x)),
                      std::max(0, static_cast<int>(cmd.ClipRect.y - off.y)),
                      std::min(width, static_cast<int>(std::ceil(cmd.ClipRect.z - off.x))),
                      std::min(height, static_cast<int>(std::ceil(cmd.ClipRect.w - off.y)))};
            if (clip.x0 >= clip.x1 || clip.y0 >= clip.y1) continue;
            const auto* tex = static_cast<const Texture*>(cmd.GetTexID());
            const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
            const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
            for (unsigned i = 0; i + 2 < cmd.ElemCount;) {
                if (i + 5 < cmd.ElemCount && isAxisAlignedQuad(vtx, idx + i)) {
                    fillQuad(t, clip, vtx[idx[i]], vtx[idx[i + 2]], tex);
                    i += 6;
                    continue;
                }
                fillTriangle(t, clip, vtx[idx[i]], vtx[idx[i + 1]], vtx[idx[i + 2]], tex);
                i += 3;
            }
        }
    }
}

} // namespace comptoir::platform
